"""What every loan service shares: locking a loan, moving its status by the table, keeping its
interest accrual current before a balance changes, and recording what an entry did to it."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

from policylend.core.errors import DomainError, NotFound
from policylend.ledger.models import JournalEntry

from ..error_codes import LoanErrorCode as E
from ..interest import Balances, accrue
from ..models import Loan, LoanRate, LoanStatus, LoanStatusChange, LoanTransaction
from ..status import may_move

CASH_AT_POINT = "1011"
CASH_AT_OFFICE = "1012"
INTEREST_RECEIVABLE = "3941"
INTEREST_INCOME = "7021"
PENALTY_INCOME = "7022"
CREDIT_RISK_RESERVE = "6131"
WRITTEN_OFF_MEMO = "9711"
WRITTEN_OFF_MEMO_CONTRA = "9719"

# Loan principal accounts: 2111.<programme> in term, 2112 overdue, 2113 frozen.
STATE_SUFFIX = {"in_term": "1", "overdue": "2", "frozen": "3"}


def principal_account(programme_code: str, state: str) -> str:
    return f"211{STATE_SUFFIX[state]}.{programme_code}"


def loan_refs(loan: Loan) -> dict:
    """The sub-ledger columns of a loan's journal lines."""
    return {
        "office_id": loan.office_id,
        "association_id": loan.association_unit.association_id
        if loan.association_unit_id
        else None,
        "group_ref": loan.group_id,
        "loan_ref": loan.pk,
    }


def loan_lock(loan_id: int) -> Loan:
    """The loan row, locked for the rest of the transaction (SQLite writers serialise anyway)."""
    loan = (
        Loan.objects.select_for_update(of=("self",))
        .select_related("programme", "association_unit")
        .filter(pk=loan_id)
        .first()
    )
    if loan is None:
        raise NotFound(E.NOT_FOUND, _("There is no loan #%(id)d.") % {"id": loan_id})
    return loan


def status_move(
    *, loan: Loan, to: str, on: date, actor, reason: str = "", by_reversal: bool = False
) -> None:
    """Move the loan's status by the table (``loans.status``); anything else is refused."""
    current = loan.status
    if current == to:
        return
    if not may_move(current, to, by_reversal=by_reversal):
        raise DomainError(
            E.TRANSITION,
            _("Loan %(number)s is %(current)s; it cannot become %(target)s.")
            % {
                "number": loan.number,
                "current": LoanStatus(current).label,
                "target": LoanStatus(to).label,
            },
            "status",
        )
    loan.status = to
    loan.status_changed_on = on
    LoanStatusChange.objects.create(
        loan=loan,
        from_status=current,
        to_status=to,
        changed_on=on,
        reason=reason[:300],
        changed_by=actor,
    )


def accrue_to(loan: Loan, day: date, changes: list[tuple] | None = None) -> None:
    """Carry the interest of the days from ``loan.interest_accrued_from`` up to ``day``
    (exclusive) into the loan's pending interest, at the balances it had over those days and at
    the rates in force each day (a later programme version that applies to existing loans takes
    over from its date: ``LoanRate`` rows).

    Call it before any change of principal, so each stretch of days accrues at the balance it
    really had. Frozen principal accrues nothing. Does not save the loan. A caller handling
    many loans passes each loan's ``changes`` (from ``rate_changes_of``) read in one query.
    """
    start = loan.interest_accrued_from
    if start is None or day <= start:
        return
    balances = Balances(loan.principal_in_term, loan.principal_overdue, loan.principal_frozen)
    if changes is None:
        changes = rate_changes_of([loan], day).get(loan.pk, []) if loan.pk else []
    cursor = start
    for effective_from, annual, overdue in changes:
        if not start < effective_from <= day:
            continue
        accrued = accrue(balances, loan.annual_rate, loan.overdue_rate, cursor, effective_from)
        loan.interest_pending_micro += accrued.interest_micro
        loan.penalty_pending_micro += accrued.penalty_micro
        loan.annual_rate, loan.overdue_rate = annual, overdue
        cursor = effective_from
    accrued = accrue(balances, loan.annual_rate, loan.overdue_rate, cursor, day)
    loan.interest_pending_micro += accrued.interest_micro
    loan.penalty_pending_micro += accrued.penalty_micro
    loan.interest_accrued_from = day


def rate_changes_of(loans, day: date) -> dict[int, list[tuple]]:
    """Each loan's rate changes after its ``interest_accrued_from`` up to and including
    ``day``: {loan_id: [(effective_from, annual_rate, overdue_rate), …]} in date order, read in
    one query."""
    changes: dict[int, list[tuple]] = {}
    starts = {loan.pk: loan.interest_accrued_from for loan in loans if loan.interest_accrued_from}
    if not starts:
        return changes
    rows = (
        LoanRate.objects.filter(
            loan_id__in=list(starts),
            effective_from__gt=min(starts.values()),
            effective_from__lte=day,
        )
        .order_by("loan_id", "effective_from")
        .values_list("loan_id", "effective_from", "annual_rate", "overdue_rate")
    )
    for loan_id, effective_from, annual, overdue in rows:
        if effective_from > starts[loan_id]:
            changes.setdefault(loan_id, []).append((effective_from, annual, overdue))
    return changes


def transaction_record(
    *,
    loan: Loan,
    kind: str,
    entry: JournalEntry,
    actor,
    value_date: date,
    principal_in_term: int = 0,
    principal_overdue: int = 0,
    principal_frozen: int = 0,
    interest: int = 0,
    penalty: int = 0,
    cash: int = 0,
    instalments: list[dict] | None = None,
    status_before: str = "",
    reverses: LoanTransaction | None = None,
) -> LoanTransaction:
    """Apply an entry's signed deltas to the loan's kept balances and record them.

    ``interest``/``penalty`` are deltas of interest_receivable/penalty_receivable. Does not save
    the loan (the caller saves it once, after every change of the step)."""
    loan.principal_in_term += principal_in_term
    loan.principal_overdue += principal_overdue
    loan.principal_frozen += principal_frozen
    loan.interest_receivable += interest
    loan.penalty_receivable += penalty
    loan.interest_current = min(loan.interest_current, loan.interest_receivable)
    loan.last_transaction_on = max(loan.last_transaction_on or value_date, value_date)
    return LoanTransaction.objects.create(
        loan=loan,
        kind=kind,
        value_date=value_date,
        entry=entry,
        principal_in_term=principal_in_term,
        principal_overdue=principal_overdue,
        principal_frozen=principal_frozen,
        interest=interest,
        penalty=penalty,
        cash=cash,
        instalments=instalments or [],
        status_before=status_before or loan.status,
        reverses=reverses,
        recorded_by=actor,
    )
