"""Repayment and settlement (domain.md §6.6, §6.7, §6.11).

Interest (brought by the group leader) and principal (paid by the borrower in person) are two
components of one repayment, each applied along its own part of the fixed order: overdue interest
→ interest arrears → current interest; overdue principal (oldest instalment first) → principal
due at this session or before → early principal (the earliest instalments not yet due). A
payment larger than what is owed is refused with the numbers. When the payment clears every
dong of principal and interest, the interest accrued since the last posting is posted to the day
first and the loan is settled.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from policylend.core.errors import DomainError, Problem
from policylend.core.money import format_amount
from policylend.ledger.models import EntryKind, JournalEntry
from policylend.ledger.rules import credit, debit
from policylend.ledger.services import journal_entry_post
from policylend.users import access
from policylend.users.roles import Capability

from ..allocation import Allocation, InstalmentOwed, Owed, allocate, principal_to_instalments
from ..error_codes import ServicingErrorCode as E
from ..interest import Balances, accrue, micro_to_dong
from ..models import (
    Instalment,
    InstalmentStatus,
    Loan,
    LoanStatus,
    LoanTransaction,
    TransactionKind,
)
from .accrual import interest_post_to_date
from .common import (
    CASH_AT_OFFICE,
    CASH_AT_POINT,
    INTEREST_RECEIVABLE,
    accrue_to,
    loan_lock,
    loan_refs,
    principal_account,
    status_move,
    transaction_record,
)

REPAYABLE = (LoanStatus.IN_TERM, LoanStatus.OVERDUE)
MEMBER_SAVINGS = "4231"  # a payment from the member's savings (domain.md §7)


def open_instalments(loan: Loan, day: date) -> tuple[list[Instalment], int]:
    """The current schedule's unpaid instalments in the order principal pays them (overdue
    oldest first, then due at ``day``'s session or before, then the earliest not yet due), and
    the principal due at or before ``day`` that is not overdue."""
    rows = list(
        Instalment.objects.filter(schedule__loan=loan, schedule__is_current=True)
        .exclude(status=InstalmentStatus.PAID)
        .order_by("due_session", "number")
    )
    overdue = [i for i in rows if i.status == InstalmentStatus.OVERDUE]
    due = [i for i in rows if i.status == InstalmentStatus.PENDING and i.due_session <= day]
    later = [i for i in rows if i.status == InstalmentStatus.PENDING and i.due_session > day]
    return overdue + due + later, sum(i.principal_unpaid for i in due)


def owed_on(loan: Loan, day: date) -> Owed:
    """What the loan owes as posted (interest receivable split by the waterfall's parts)."""
    _ordered, principal_due = open_instalments(loan, day)
    principal_due = min(principal_due, loan.principal_in_term)
    return Owed(
        penalty=loan.penalty_receivable,
        interest_arrears=loan.interest_arrears,
        interest_current=loan.interest_current,
        principal_overdue=loan.principal_overdue,
        principal_due=principal_due,
        principal_not_due=loan.principal_in_term - principal_due,
    )


def interest_to_date(loan: Loan, day: date) -> tuple[int, int]:
    """Interest and overdue interest accrued but not posted, as they would be posted on
    ``day`` (pending plus the days since the accrual state, rounded once)."""
    interest_micro, penalty_micro = loan.interest_pending_micro, loan.penalty_pending_micro
    if loan.interest_accrued_from and day > loan.interest_accrued_from:
        accrued = accrue(
            Balances(loan.principal_in_term, loan.principal_overdue),
            loan.annual_rate,
            loan.overdue_rate,
            loan.interest_accrued_from,
            day,
        )
        interest_micro += accrued.interest_micro
        penalty_micro += accrued.penalty_micro
    return micro_to_dong(interest_micro), micro_to_dong(penalty_micro)


def _check_request(
    loan: Loan, *, paid_on: date, today: date, interest: int, principal: int, at_point
):
    problems = []
    if loan.status not in REPAYABLE:
        raise DomainError(
            E.NOT_REPAYABLE,
            _("Loan %(number)s is %(status)s; it takes no repayment.")
            % {"number": loan.number, "status": LoanStatus(loan.status).label},
            "loan",
        )
    if interest < 0 or principal < 0:
        problems.append(
            Problem(E.AMOUNT_NEGATIVE, _("An amount paid cannot be negative."), "interest")
        )
    elif interest + principal == 0:
        problems.append(
            Problem(E.NOTHING_PAID, _("Enter the interest or the principal paid."), "interest")
        )
    if paid_on > today:
        problems.append(
            Problem(
                E.DATE_FUTURE,
                _("The payment date %(day)s is after today (%(today)s).")
                % {"day": paid_on.strftime("%d/%m/%Y"), "today": today.strftime("%d/%m/%Y")},
                "paid_on",
            )
        )
    earliest = loan.interest_accrued_from or loan.disbursed_on
    if earliest and paid_on < earliest and principal:
        problems.append(
            Problem(
                E.DATE_TOO_EARLY,
                _(
                    "Principal paid on %(day)s: the loan's interest is already counted to %(earliest)s; "
                    "record the payment on or after that day."
                )
                % {"day": paid_on.strftime("%d/%m/%Y"), "earliest": earliest.strftime("%d/%m/%Y")},
                "paid_on",
            )
        )
    if at_point is not None and at_point.commune_id != loan.commune_id:
        problems.append(
            Problem(
                E.POINT_NOT_OF_COMMUNE,
                _("%(point)s is not the transaction point of the loan's commune.")
                % {"point": at_point},
                "at_point",
            )
        )
    if problems:
        raise DomainError.of(problems)


def _overpayment(part: str, paid: int, owed: int) -> DomainError:
    if part == "interest":
        return DomainError(
            E.OVERPAYMENT_INTEREST,
            _("Interest paid %(paid)s is more than the interest owed %(owed)s.")
            % {"paid": format_amount(paid), "owed": format_amount(owed)},
            "interest",
        )
    return DomainError(
        E.OVERPAYMENT_PRINCIPAL,
        _("Principal paid %(paid)s is more than the principal outstanding %(owed)s.")
        % {"paid": format_amount(paid), "owed": format_amount(owed)},
        "principal",
    )


def _replayed(
    key: str, loan: Loan, interest: int, principal: int, cash: int
) -> LoanTransaction | None:
    entry_id = JournalEntry.objects.filter(idempotency_key=key).values_list("pk", flat=True).first()
    if entry_id is None:
        return None
    earlier = LoanTransaction.objects.filter(entry_id=entry_id).first()
    if (
        earlier is None
        or earlier.loan_id != loan.pk
        or earlier.cash != cash
        or -(earlier.interest + earlier.penalty) != interest
        or -(earlier.principal_in_term + earlier.principal_overdue) != principal
    ):
        raise DomainError(
            E.KEY_REUSED,
            _("This idempotency key was already used for another payment; use a new key."),
            "idempotency_key",
        )
    earlier.replayed = True
    return earlier


def _apply_waterfall(
    loan: Loan, *, paid_on: date, interest: int, principal: int
) -> tuple[Allocation, list]:
    ordered, _due = open_instalments(loan, paid_on)
    owed = owed_on(loan, paid_on)
    if interest > owed.interest_total:
        raise _overpayment("interest", interest, owed.interest_total)
    if principal > owed.principal_total:
        raise _overpayment("principal", principal, owed.principal_total)
    allocation = allocate(owed, interest=interest, principal=principal)
    shares = principal_to_instalments(
        principal, [InstalmentOwed(i.pk, i.principal_unpaid) for i in ordered]
    )
    return allocation, [(next(i for i in ordered if i.pk == s.id), s.principal) for s in shares]


def loan_repay(
    *,
    actor,
    loan: Loan,
    paid_on: date,
    today: date,
    interest: int = 0,
    principal: int = 0,
    idempotency_key: str,
    at_point=None,
    funded_by_savings_account=None,
) -> LoanTransaction:
    """Record a repayment at the session (``at_point``) or at the office (domain.md §6.6–§6.7).

    ``funded_by_savings_account`` (a savings.SavingsAccount): the member pays from savings
    (domain.md §7): the debit is the account's member savings (4231) instead of cash, no cash
    moves, and the caller — the savings service, which owns the database transaction and keeps the
    account's balance — has locked the loan, then the account."""
    access.require(actor, Capability.COLLECT_REPAYMENTS)
    key = (idempotency_key or "").strip()
    cash = 0 if funded_by_savings_account is not None else interest + principal
    with transaction.atomic():
        loan = loan_lock(loan.pk)
        replay = _replayed(key, loan, interest, principal, cash) if key else None
        if replay is not None:
            return replay
        _check_request(
            loan,
            paid_on=paid_on,
            today=today,
            interest=interest,
            principal=principal,
            at_point=at_point,
        )
        # Settling: every dong of principal and of interest to the day. Only then is the
        # interest of the running month posted early, so an ordinary payment leaves it to the
        # month-end accrual.
        if principal == loan.principal_in_term + loan.principal_overdue:
            to_date, penalty_to_date = interest_to_date(loan, paid_on)
            if (
                interest
                == loan.interest_receivable + loan.penalty_receivable + to_date + penalty_to_date
            ):
                interest_post_to_date(actor=actor, loan=loan, day=paid_on, today=today)
        if principal:
            accrue_to(loan, paid_on)
        allocation, shares = _apply_waterfall(
            loan, paid_on=paid_on, interest=interest, principal=principal
        )
        entry = _post(
            loan,
            allocation,
            actor=actor,
            paid_on=paid_on,
            today=today,
            key=key,
            at_point=at_point,
            savings_account=funded_by_savings_account,
        )
        record = _record(
            loan, allocation, shares, entry=entry, actor=actor, paid_on=paid_on, cash=cash
        )
        loan.save()
        return record


def _post(
    loan: Loan,
    allocation: Allocation,
    *,
    actor,
    paid_on: date,
    today: date,
    key: str,
    at_point,
    savings_account=None,
) -> JournalEntry:
    refs = loan_refs(loan)
    code = loan.programme.code
    total = allocation.total
    if savings_account is not None:
        paid_from = debit(
            MEMBER_SAVINGS,
            total,
            office_id=savings_account.office_id,
            group_ref=savings_account.group_id,
            savings_account_ref=savings_account.pk,
        )
    else:
        paid_from = debit(
            CASH_AT_POINT if at_point is not None else CASH_AT_OFFICE,
            total,
            office_id=loan.office_id,
        )
    lines = [paid_from]
    interest_part = allocation.penalty + allocation.interest
    if interest_part:
        lines.append(credit(INTEREST_RECEIVABLE, interest_part, **refs))
    if allocation.principal_overdue:
        lines.append(
            credit(principal_account(code, "overdue"), allocation.principal_overdue, **refs)
        )
    in_term = allocation.principal_due + allocation.principal_not_due
    if in_term:
        lines.append(credit(principal_account(code, "in_term"), in_term, **refs))
    return journal_entry_post(
        branch=loan.branch_id,
        value_date=paid_on,
        kind=EntryKind.PRINCIPAL_REPAYMENT
        if allocation.principal
        else EntryKind.INTEREST_COLLECTION,
        memo=_("Repayment of loan %(number)s: interest %(interest)s, principal %(principal)s")
        % {
            "number": loan.number,
            "interest": format_amount(interest_part),
            "principal": format_amount(allocation.principal),
        },
        lines=lines,
        idempotency_key=key,
        maker=actor,
        today=today,
    )


def _record(
    loan: Loan, allocation: Allocation, shares, *, entry, actor, paid_on: date, cash: int
) -> LoanTransaction:
    status_before = loan.status
    current = loan.interest_current
    instalments = []
    for instalment, amount in shares:
        instalments.append(
            {"instalment": instalment.pk, "principal": amount, "status_before": instalment.status}
        )
        instalment.principal_paid += amount
        if instalment.principal_paid == instalment.principal:
            instalment.status = InstalmentStatus.PAID
        instalment.save(update_fields=["principal_paid", "status"])
    record = transaction_record(
        loan=loan,
        kind=TransactionKind.REPAYMENT,
        entry=entry,
        actor=actor,
        value_date=paid_on,
        principal_in_term=-(allocation.principal_due + allocation.principal_not_due),
        principal_overdue=-allocation.principal_overdue,
        interest=-allocation.interest,
        penalty=-allocation.penalty,
        cash=cash,
        instalments=instalments,
        status_before=status_before,
    )
    loan.interest_current = current - allocation.interest_current
    status_after_payment(loan, paid_on, actor=actor)
    return record


def status_after_payment(loan: Loan, paid_on: date, *, actor) -> None:
    """Back in term when no overdue principal is left; settled when every dong of principal
    and interest is paid (the kept balances already show the payment)."""
    if loan.status == LoanStatus.OVERDUE and loan.principal_overdue == 0:
        status_move(
            loan=loan,
            to=LoanStatus.IN_TERM,
            on=paid_on,
            actor=actor,
            reason=_("Overdue principal repaid"),
        )
    if (
        loan.principal_outstanding == 0
        and loan.interest_receivable == 0
        and loan.penalty_receivable == 0
        and loan.interest_pending_micro == 0
        and loan.penalty_pending_micro == 0
    ):
        status_move(
            loan=loan,
            to=LoanStatus.SETTLED,
            on=paid_on,
            actor=actor,
            reason=_("Principal and interest repaid"),
        )
        loan.settled_on = paid_on
