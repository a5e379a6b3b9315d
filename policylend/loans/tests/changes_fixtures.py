"""A disbursed loan for the tests of rescheduling, extension and risk handling.

Uses the origination helper's ``loan_disburse`` when it exists; until then the rows are built
here as disbursement would build them (Dr 2111.01 / Cr 1011, schedule version 1 by
``schedule.build_schedule``, status in term), so verify_ledger stays clean.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from policylend.core.periods import add_months
from policylend.households.rules import PersonInput
from policylend.households.services import household_create
from policylend.ledger.models import EntryKind
from policylend.ledger.rules import credit, debit
from policylend.ledger.services import journal_entry_post
from policylend.programmes.models import Programme, ProgrammeTerms

from ..models import (
    Instalment,
    Loan,
    LoanStatus,
    LoanStatusChange,
    ScheduleKind,
    ScheduleVersion,
    TransactionKind,
)
from ..schedule import ScheduleTerms, build_schedule
from ..services.common import loan_refs, principal_account, transaction_record

RATE = Decimal("0.066")


def programme_01() -> tuple[Programme, ProgrammeTerms]:
    programme, _ = Programme.objects.get_or_create(
        code="01",
        defaults={
            "name_vi": "Cho vay hộ nghèo",
            "name_en": "Poor households",
            "name_hi": "Poor households",
            "legal_basis": "Decree 78/2002",
            "channel": "group",
            "funding_sources": ["central"],
        },
    )
    terms = programme.terms.order_by("effective_from").first()
    if terms is None:
        terms = ProgrammeTerms.objects.create(
            programme=programme,
            effective_from=date(2020, 1, 1),
            annual_rate=RATE,
            amount_max=100_000_000,
            term_months_max=60,
            repayment_mode="equal_principal",
            repayment_interval_months=6,
        )
    return programme, terms


_numbers = {"n": 0}
NAMES = ["An", "Bình", "Cường", "Dũng", "Hải", "Khánh", "Long", "Minh"]


def disbursed_loan(
    org,
    actor,
    *,
    amount: int = 50_000_000,
    disbursed_on: date = date(2026, 9, 21),
    term_months: int = 36,
    village: str = "20600101",
    today: date = date(2026, 11, 25),
) -> Loan:
    """A loan of programme 01 disbursed at the commune's session (Vũ Lăng: day 21)."""
    programme, terms = programme_01()
    _numbers["n"] += 1
    village_unit = org.villages[village]
    household = household_create(
        actor=None,
        village=village_unit,
        head=PersonInput(
            full_name=f"Hoàng Văn {NAMES[_numbers['n'] % len(NAMES)]}",
            sex="male",
            relationship="head",
        ),
    )
    session_day = org.points[village[:6]].session_day
    loan = Loan.objects.create(
        number=f"{household.office.code}-26-{Loan.objects.count() + 1:06d}",
        household=household,
        borrower=household.head,
        programme=programme,
        terms=terms,
        branch=household.branch,
        office=household.office,
        commune=household.commune,
        village=household.village,
        amount_requested=amount,
        amount_approved=amount,
        term_months=term_months,
        repayment_interval_months=6,
        purpose="Chăn nuôi bò",
        applied_on=add_months(disbursed_on, -1),
        approved_on=add_months(disbursed_on, -1),
        disbursed_on=disbursed_on,
        session_day=session_day,
        maturity_on=add_months(disbursed_on, term_months),
        annual_rate=RATE,
        overdue_rate=RATE * Decimal("1.3"),
        status=LoanStatus.APPROVED,
        status_changed_on=disbursed_on,
        interest_accrued_from=disbursed_on,
        created_by=actor,
    )
    refs = loan_refs(loan)
    entry = journal_entry_post(
        branch=loan.branch_id,
        value_date=disbursed_on,
        kind=EntryKind.DISBURSEMENT,
        memo=f"Disbursement {loan.number}",
        lines=[
            debit(principal_account("01", "in_term"), amount, **refs),
            credit("1011", amount, office_id=loan.office_id),
        ],
        idempotency_key=f"test-disburse-{loan.pk}",
        maker=actor,
        today=today,
    )
    transaction_record(
        loan=loan,
        kind=TransactionKind.DISBURSEMENT,
        entry=entry,
        actor=actor,
        value_date=disbursed_on,
        principal_in_term=amount,
        cash=-amount,
    )
    LoanStatusChange.objects.create(
        loan=loan,
        from_status=LoanStatus.APPROVED,
        to_status=LoanStatus.IN_TERM,
        changed_on=disbursed_on,
        changed_by=actor,
    )
    loan.status = LoanStatus.IN_TERM
    loan.save()
    version = ScheduleVersion.objects.create(
        loan=loan, number=1, kind=ScheduleKind.INITIAL, effective_on=disbursed_on
    )
    planned = build_schedule(
        ScheduleTerms(
            amount=amount,
            disbursed_on=disbursed_on,
            term_months=term_months,
            interval_months=6,
            session_day=session_day,
        )
    )
    Instalment.objects.bulk_create(
        Instalment(
            loan=loan,
            schedule=version,
            number=row.number,
            principal=row.principal,
            due_contract=row.due_contract,
            due_session=row.due_session,
        )
        for row in planned
    )
    return loan
