"""Reads for servicing, always through the viewer's scope (``selectors.loans``): what a borrower
owes today and at the next session, a loan's postings, the loans to inspect, the month-end runs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from policylend.core.errors import NotFound
from policylend.core.periods import add_months
from policylend.ledger.models import JournalLine
from policylend.users import access
from policylend.users.roles import Capability

from ..models import (
    ACTIVE_STATUSES,
    AccrualRun,
    Instalment,
    InstalmentStatus,
    Loan,
    LoanTransaction,
)
from ..services.disbursement import commune_point
from ..services.repayment import interest_to_date
from .loans import loans_in_scope

INACTIVE_MONTHS = 3


def inactive_loans(viewer, today: date) -> QuerySet[Loan]:
    """Loans with a balance and no transaction for three months or more (domain.md §6.9): the
    association checks every one of them (guidance 727/HD-NHCS)."""
    access.require(viewer, Capability.VIEW_LOANS)
    since = add_months(today, -INACTIVE_MONTHS)
    return (
        loans_in_scope(viewer)
        .filter(status__in=ACTIVE_STATUSES, last_transaction_on__lte=since)
        .select_related("programme", "household", "borrower", "group", "commune")
        .order_by("last_transaction_on", "id")
    )


@dataclass(frozen=True)
class Owed:
    """What the borrower owes on a day: posted interest (with the interest accrued since the
    last posting, shown apart) and principal by state."""

    day: date
    penalty: int
    interest_arrears: int
    interest_current: int
    interest_accruing: int  # accrued since the last posting, not yet posted (due at settlement)
    principal_overdue: int
    principal_due: int  # instalments collected at this session or before, not yet overdue

    @property
    def interest_total(self) -> int:
        return self.penalty + self.interest_arrears + self.interest_current

    @property
    def total(self) -> int:
        return self.interest_total + self.principal_overdue + self.principal_due


def next_session_on(loan: Loan, today: date) -> date | None:
    """The next session day of the commune's point, today or later."""
    point = commune_point(loan)
    if point is None:
        return None
    candidate = today.replace(day=point.session_day)
    return candidate if candidate >= today else add_months(candidate, 1)


def owed_on(loan: Loan, day: date) -> Owed:
    due = Instalment.objects.filter(
        loan=loan,
        schedule__is_current=True,
        status=InstalmentStatus.PENDING,
        due_session__lte=day,
    ).values_list("principal", "principal_paid")
    interest, penalty = (0, 0)
    if loan.status in ACTIVE_STATUSES and loan.interest_accrued_from:
        interest, penalty = interest_to_date(loan, day)
    return Owed(
        day=day,
        penalty=loan.penalty_receivable,
        interest_arrears=loan.interest_arrears,
        interest_current=loan.interest_current,
        interest_accruing=interest + penalty,
        principal_overdue=loan.principal_overdue,
        principal_due=sum(principal - paid for principal, paid in due),
    )


def loan_transactions(loan: Loan) -> QuerySet[LoanTransaction]:
    return (
        LoanTransaction.objects.filter(loan=loan)
        .select_related("entry", "recorded_by", "reverses")
        .order_by("value_date", "id")
    )


def loan_accrual_lines(loan: Loan) -> QuerySet[JournalLine]:
    """The month-end accrual lines of this loan (Dr 3941, one per month and kind)."""
    return (
        JournalLine.objects.filter(
            loan_ref=loan.pk, entry__kind="interest_accrual", account__code="3941"
        )
        .exclude(entry__loan_transactions__loan=loan)
        .select_related("entry")
        .order_by("value_date", "id")
    )


def loan_transaction_get(viewer, transaction_id: int) -> LoanTransaction:
    access.require(viewer, Capability.VIEW_LOANS)
    found = (
        LoanTransaction.objects.select_related("loan", "entry")
        .filter(pk=transaction_id, loan__in=loans_in_scope(viewer))
        .first()
    )
    if found is None:
        raise NotFound("not_found", _("No such loan transaction in your scope."))
    return found


def accrual_runs(viewer) -> QuerySet[AccrualRun]:
    """The month-end runs of the branches the viewer sees, latest first."""
    access.require(viewer, Capability.VIEW_LOANS)
    runs = AccrualRun.objects.select_related("branch", "run_by", "entry").order_by("-month", "-id")
    branch_ids = access.branch_ids_visible_to(viewer)
    return runs if branch_ids is None else runs.filter(branch_id__in=branch_ids)
