"""Overdue (domain.md §6.9): an instalment neither paid nor rescheduled by its session day moves
to overdue on the day after, and its principal then bears the overdue rate (130 %).

The run after a session day is set-wise: it reads the due instalments in one query, carries each
loan's interest to the day the principal moves (at the old balances), posts one entry per office
(Dr 2112.<prog> / Cr 2111.<prog> per loan) and writes the instalments, loans and their loan
transactions in bulk.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from django.db import transaction
from django.utils.translation import gettext as _

from policylend.core.errors import DomainError
from policylend.ledger.models import EntryKind
from policylend.ledger.rules import credit, debit
from policylend.ledger.services import journal_entry_post
from policylend.organisation.models import OrganisationUnit, UnitKind
from policylend.users import access
from policylend.users.roles import Capability

from ..error_codes import ServicingErrorCode as E
from ..models import (
    Instalment,
    InstalmentStatus,
    Loan,
    LoanStatus,
    LoanStatusChange,
    LoanTransaction,
    TransactionKind,
)
from .common import accrue_to, loan_refs, principal_account, rate_changes_of

# Loans per journal entry (see accrual.LOANS_PER_ENTRY: small entries keep the balance check
# at commit cheap).
LOANS_PER_ENTRY = 200


def _due_instalments(unit: OrganisationUnit, session_date: date) -> dict[int, list[Instalment]]:
    column = "loan__branch" if unit.kind == UnitKind.BRANCH else "loan__office"
    rows = (
        Instalment.objects.filter(
            **{column: unit},
            schedule__is_current=True,
            status=InstalmentStatus.PENDING,
            due_session__lte=session_date,
            loan__status__in=(LoanStatus.IN_TERM, LoanStatus.OVERDUE),
        )
        .order_by("loan_id", "due_session", "number")
        .only("id", "loan_id", "principal", "principal_paid", "status", "due_session")
    )
    by_loan: dict[int, list[Instalment]] = defaultdict(list)
    for instalment in rows:
        if instalment.principal_unpaid > 0:
            by_loan[instalment.loan_id].append(instalment)
    return by_loan


def overdue_run(
    *,
    actor,
    today: date,
    unit: OrganisationUnit | None = None,
    session_date: date | None = None,
    office_or_branch: OrganisationUnit | None = None,
    session_day_date: date | None = None,
) -> int:
    """Move to overdue the instalments of ``unit`` (an office or the branch) collected at
    ``session_date`` or earlier and still unpaid; returns how many loans were moved.
    (``office_or_branch``/``session_day_date`` are the same arguments under the names agreed
    between the loan modules.)"""
    unit = unit or office_or_branch
    session_date = session_date or session_day_date
    access.require(actor, Capability.RUN_LOAN_JOBS)
    access.require_unit(actor, unit)
    if unit.kind not in (UnitKind.OFFICE, UnitKind.BRANCH):
        raise DomainError(
            E.NOT_A_UNIT_FOR_RUN,
            _("The overdue run is for a transaction office or a branch; %(unit)s is neither.")
            % {"unit": unit},
            "unit",
        )
    overdue_from = session_date + timedelta(days=1)
    if overdue_from > today:
        raise DomainError(
            E.DATE_FUTURE,
            _(
                "Instalments of the session of %(day)s become overdue on %(from)s; run it from that day."
            )
            % {"day": session_date.strftime("%d/%m/%Y"), "from": overdue_from.strftime("%d/%m/%Y")},
            "session_date",
        )
    with transaction.atomic(durable=True):
        by_loan = _due_instalments(unit, session_date)
        if not by_loan:
            return 0
        loans = list(
            Loan.objects.select_for_update(of=("self",))
            .select_related("programme", "association_unit")
            .filter(pk__in=list(by_loan))
            .order_by("office_id", "pk")
        )
        moved = {loan.pk: sum(i.principal_unpaid for i in by_loan[loan.pk]) for loan in loans}
        entries = _post(
            loans, moved, actor=actor, day=overdue_from, today=today, session_date=session_date
        )
        _write(loans, by_loan, moved, entries, actor=actor, day=overdue_from)
        return len(loans)


def _post(loans, moved, *, actor, day: date, today: date, session_date: date) -> dict[int, object]:
    """One entry per office (in slices); returns loan id → entry."""
    by_office: dict[int, list[Loan]] = defaultdict(list)
    for loan in loans:
        by_office[loan.office_id].append(loan)
    entry_of = {}
    for office_id, office_loans in by_office.items():
        for start in range(0, len(office_loans), LOANS_PER_ENTRY):
            chunk = office_loans[start : start + LOANS_PER_ENTRY]
            lines = []
            for loan in chunk:
                refs = loan_refs(loan)
                amount = moved[loan.pk]
                lines += [
                    debit(principal_account(loan.programme.code, "overdue"), amount, **refs),
                    credit(principal_account(loan.programme.code, "in_term"), amount, **refs),
                ]
            entry = journal_entry_post(
                branch=chunk[0].branch_id,
                value_date=day,
                kind=EntryKind.OVERDUE_TRANSFER,
                memo=_("Instalments of the session of %(day)s not paid: to overdue")
                % {"day": session_date.strftime("%d/%m/%Y")},
                lines=lines,
                idempotency_key=f"overdue:{office_id}:{day.isoformat()}:{chunk[0].pk}-{chunk[-1].pk}",
                maker=actor,
                today=today,
            )
            for loan in chunk:
                entry_of[loan.pk] = entry
    return entry_of


def _write(loans, by_loan, moved, entries, *, actor, day: date) -> None:
    transactions, changes, instalments = [], [], []
    rate_changes = rate_changes_of(loans, day)
    for loan in loans:
        accrue_to(loan, day, rate_changes.get(loan.pk, []))
        amount = moved[loan.pk]
        status_before = loan.status
        loan.principal_in_term -= amount
        loan.principal_overdue += amount
        loan.last_transaction_on = max(loan.last_transaction_on or day, day)
        shares = []
        for instalment in by_loan[loan.pk]:
            shares.append(
                {
                    "instalment": instalment.pk,
                    "principal": instalment.principal_unpaid,
                    "status_before": instalment.status,
                }
            )
            instalment.status = InstalmentStatus.OVERDUE
            instalment.overdue_from = day
            instalments.append(instalment)
        if loan.status == LoanStatus.IN_TERM:
            loan.status = LoanStatus.OVERDUE
            loan.status_changed_on = day
            changes.append(
                LoanStatusChange(
                    loan=loan,
                    from_status=status_before,
                    to_status=LoanStatus.OVERDUE,
                    changed_on=day,
                    reason=_("Instalment not paid at its session"),
                    changed_by=actor,
                )
            )
        transactions.append(
            LoanTransaction(
                loan=loan,
                kind=TransactionKind.OVERDUE_TRANSFER,
                value_date=day,
                entry=entries[loan.pk],
                principal_in_term=-amount,
                principal_overdue=amount,
                instalments=shares,
                status_before=status_before,
                recorded_by=actor,
            )
        )
    Loan.objects.bulk_update(
        loans,
        [
            "principal_in_term",
            "principal_overdue",
            "status",
            "status_changed_on",
            "interest_accrued_from",
            "interest_pending_micro",
            "penalty_pending_micro",
            "annual_rate",
            "overdue_rate",
            "last_transaction_on",
        ],
        batch_size=500,
    )
    Instalment.objects.bulk_update(instalments, ["status", "overdue_from"], batch_size=500)
    LoanStatusChange.objects.bulk_create(changes, batch_size=500)
    LoanTransaction.objects.bulk_create(transactions, batch_size=500)
