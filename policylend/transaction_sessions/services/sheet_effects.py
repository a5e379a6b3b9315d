"""What a posted collection sheet does to the loans and savings accounts on it, worked out
set-wise: the interest posted to the session day where the interest paid goes beyond what is
posted (as ``loans.services.accrual.interest_post_to_date`` does for one loan), each loan's
waterfall (``loans.allocation``), the entry's lines, then the kept balances, instalments and
transactions written in bulk (``core.bulk.rows_update``)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext as _

from policylend.core.bulk import rows_update
from policylend.core.errors import DomainError, Problem
from policylend.core.money import format_amount
from policylend.core.periods import day_text
from policylend.ledger.rules import credit, debit
from policylend.loans.allocation import InstalmentOwed, Owed, allocate, principal_to_instalments
from policylend.loans.interest import micro_to_dong
from policylend.loans.models import (
    Instalment,
    InstalmentStatus,
    Loan,
    LoanTransaction,
    TransactionKind,
)
from policylend.loans.services.common import (
    INTEREST_INCOME,
    INTEREST_RECEIVABLE,
    PENALTY_INCOME,
    accrue_to,
    loan_refs,
    principal_account,
    rate_changes_of,
)
from policylend.loans.services.repayment import interest_to_date, status_after_payment
from policylend.savings.models import SavingsAccount, SavingsTransaction
from policylend.savings.models import SavingsTransactionKind as SavingsKind
from policylend.savings.services.movements import account_refs

from ..error_codes import SheetError as E
from .sheet_checks import SheetRow

CASH_AT_POINT = "1011"
MEMBER_SAVINGS = "4231"
LOAN_FIELDS = (
    "principal_in_term",
    "principal_overdue",
    "interest_receivable",
    "penalty_receivable",
    "interest_current",
    "last_transaction_on",
    "interest_pending_micro",
    "penalty_pending_micro",
    "interest_accrued_from",
    "interest_posted_through",
    "annual_rate",
    "overdue_rate",
    "status",
    "status_changed_on",
    "settled_on",
)


@dataclass
class LoanPlan:
    """What the sheet does to one loan."""

    loan: Loan
    row: int
    interest: int
    principal: int
    posted_interest: int = 0
    posted_penalty: int = 0
    allocation: object = None
    shares: list = None
    status_before: str = ""


def plan_loans(
    plans: dict[int, LoanPlan], day: date, *, actor, open_instalments: list[Instalment]
) -> None:
    """Work out, for every loan on the sheet, the interest posted to the day (when the interest
    paid goes beyond what is posted, or the loan is being settled) and the waterfall.
    ``open_instalments``: the loans' unpaid instalments of their current schedules, by loan,
    session day and number."""
    if not plans:
        return
    changes = rate_changes_of([plan.loan for plan in plans.values()], day)
    open_rows: dict[int, list[Instalment]] = defaultdict(list)
    for instalment in open_instalments:
        if instalment.loan_id in plans:
            open_rows[instalment.loan_id].append(instalment)
    for plan in plans.values():
        loan = plan.loan
        posted = loan.interest_receivable + loan.penalty_receivable
        settling = False
        if plan.principal == loan.principal_in_term + loan.principal_overdue:
            to_date, penalty_to_date = interest_to_date(loan, day)
            settling = plan.interest == posted + to_date + penalty_to_date
        if plan.interest > posted or settling:
            _post_to_date(plan, day, changes.get(loan.pk, []))
        if plan.principal:
            accrue_to(loan, day, changes.get(loan.pk, []))
        rows = open_rows.get(loan.pk, [])
        overdue = [i for i in rows if i.status == InstalmentStatus.OVERDUE]
        due = [i for i in rows if i.status == InstalmentStatus.PENDING and i.due_session <= day]
        later = [i for i in rows if i.status == InstalmentStatus.PENDING and i.due_session > day]
        principal_due = min(sum(i.principal_unpaid for i in due), loan.principal_in_term)
        owed = Owed(
            penalty=loan.penalty_receivable,
            interest_arrears=loan.interest_arrears,
            interest_current=loan.interest_current,
            principal_overdue=loan.principal_overdue,
            principal_due=principal_due,
            principal_not_due=loan.principal_in_term - principal_due,
        )
        ordered = overdue + due + later
        plan.allocation = allocate(owed, interest=plan.interest, principal=plan.principal)
        by_id = {i.pk: i for i in ordered}
        plan.shares = [
            (by_id[share.id], share.principal)
            for share in principal_to_instalments(
                plan.principal, [InstalmentOwed(i.pk, i.principal_unpaid) for i in ordered]
            )
        ]


def _post_to_date(plan: LoanPlan, day: date, changes) -> None:
    """``interest_post_to_date`` for one loan, inside the sheet's entry: pending and the days
    since ``interest_accrued_from`` become receivable."""
    loan = plan.loan
    accrue_to(loan, day, changes)
    plan.posted_interest = micro_to_dong(loan.interest_pending_micro)
    plan.posted_penalty = micro_to_dong(loan.penalty_pending_micro)
    loan.interest_pending_micro = 0
    loan.penalty_pending_micro = 0
    loan.interest_posted_through = max(
        loan.interest_posted_through or day - timedelta(days=1), day - timedelta(days=1)
    )
    loan.interest_receivable += plan.posted_interest
    loan.penalty_receivable += plan.posted_penalty
    loan.interest_current += plan.posted_interest
    if plan.interest > loan.interest_receivable + loan.penalty_receivable:
        # The rates changed in the days just counted: the interest is less than shown.
        raise DomainError.of(
            [
                Problem(
                    E.INTEREST_OVER,
                    _(
                        "Interest paid %(paid)s is more than the interest of loan %(number)s "
                        "to %(day)s, %(owed)s."
                    )
                    % {
                        "paid": format_amount(plan.interest),
                        "number": loan.number,
                        "day": day_text(day),
                        "owed": format_amount(loan.interest_receivable + loan.penalty_receivable),
                    },
                    f"rows[{plan.row}].interest",
                )
            ]
        )


def sheet_lines(session, plans: dict[int, LoanPlan], rows: list[SheetRow], accounts) -> list:
    total = sum(row.interest + row.principal + row.savings for row in rows)
    lines = [debit(CASH_AT_POINT, total, office_id=session.office_id)]
    income: dict[tuple[str, int], int] = defaultdict(int)
    for plan in sorted(plans.values(), key=lambda p: p.row):
        loan = plan.loan
        refs = loan_refs(loan)
        if plan.posted_interest:
            lines.append(debit(INTEREST_RECEIVABLE, plan.posted_interest, **refs))
            income[(INTEREST_INCOME, loan.office_id)] += plan.posted_interest
        if plan.posted_penalty:
            lines.append(debit(INTEREST_RECEIVABLE, plan.posted_penalty, **refs))
            income[(PENALTY_INCOME, loan.office_id)] += plan.posted_penalty
        allocation = plan.allocation
        interest_part = allocation.penalty + allocation.interest
        if interest_part:
            lines.append(credit(INTEREST_RECEIVABLE, interest_part, **refs))
        code = loan.programme.code
        if allocation.principal_overdue:
            lines.append(
                credit(principal_account(code, "overdue"), allocation.principal_overdue, **refs)
            )
        in_term = allocation.principal_due + allocation.principal_not_due
        if in_term:
            lines.append(credit(principal_account(code, "in_term"), in_term, **refs))
    for (code, office_id), amount in sorted(income.items()):
        lines.append(credit(code, amount, office_id=office_id))
    for row in rows:
        if row.savings:
            lines.append(
                credit(MEMBER_SAVINGS, row.savings, **account_refs(accounts[row.household_id]))
            )
    return lines


def loans_write(plans: dict[int, LoanPlan], *, entry, actor, day: date) -> None:
    if not plans:
        return
    records: list[LoanTransaction] = []
    touched: list[Instalment] = []
    for plan in sorted(plans.values(), key=lambda p: p.row):
        loan = plan.loan
        if plan.posted_interest or plan.posted_penalty:
            records.append(
                LoanTransaction(
                    loan=loan,
                    kind=TransactionKind.INTEREST_TO_DATE,
                    value_date=day,
                    entry=entry,
                    interest=plan.posted_interest,
                    penalty=plan.posted_penalty,
                    status_before=loan.status,
                    recorded_by=actor,
                )
            )
        allocation = plan.allocation
        status_before = loan.status
        shares = []
        for instalment, amount in plan.shares:
            shares.append(
                {
                    "instalment": instalment.pk,
                    "principal": amount,
                    "status_before": instalment.status,
                }
            )
            instalment.principal_paid += amount
            if instalment.principal_paid == instalment.principal:
                instalment.status = InstalmentStatus.PAID
            touched.append(instalment)
        in_term = allocation.principal_due + allocation.principal_not_due
        current = loan.interest_current
        loan.principal_in_term -= in_term
        loan.principal_overdue -= allocation.principal_overdue
        loan.interest_receivable -= allocation.interest
        loan.penalty_receivable -= allocation.penalty
        loan.last_transaction_on = max(loan.last_transaction_on or day, day)
        loan.interest_current = min(current - allocation.interest_current, loan.interest_receivable)
        records.append(
            LoanTransaction(
                loan=loan,
                kind=TransactionKind.REPAYMENT,
                value_date=day,
                entry=entry,
                principal_in_term=-in_term,
                principal_overdue=-allocation.principal_overdue,
                interest=-allocation.interest,
                penalty=-allocation.penalty,
                cash=plan.interest + plan.principal,
                instalments=shares,
                status_before=status_before,
                recorded_by=actor,
            )
        )
        status_after_payment(loan, day, actor=actor)
    LoanTransaction.objects.bulk_create(records)
    rows_update(Loan, [plan.loan for plan in plans.values()], LOAN_FIELDS)
    if touched:
        rows_update(Instalment, touched, ["principal_paid", "status"])


def savings_write(rows: list[SheetRow], accounts, *, entry, actor, day: date) -> None:
    records = []
    changed = {}
    for row in rows:
        if not row.savings:
            continue
        account = accounts[row.household_id]
        account.balance += row.savings
        account.last_transaction_on = max(account.last_transaction_on or day, day)
        changed[account.pk] = account
        records.append(
            SavingsTransaction(
                account=account,
                kind=SavingsKind.DEPOSIT,
                value_date=day,
                amount=row.savings,
                entry=entry,
                recorded_by=actor,
            )
        )
    if records:
        SavingsTransaction.objects.bulk_create(records)
        rows_update(SavingsAccount, list(changed.values()), ["balance", "last_transaction_on"])
