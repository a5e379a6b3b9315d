"""Reversal of a wrongly recorded savings movement (maker–checker kind ``savings.reversal``):
never an edit, a mirror entry dated today, linked to the original, and the negated change of the
kept balance. A loan-interest payment from savings is undone on both sides (the loan's reversal
and the account's). Interest credits and closings are not reversed.

For the interest, the reversal counts from the original's value date when that lies in the
half-year not yet credited (the wrong money never earned interest); otherwise from today.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from policylend.approvals.services import approval_request_create
from policylend.core.errors import DomainError, NotFound
from policylend.ledger.services import journal_entry_reverse
from policylend.ledger.services.reversal import part_of_sheet_refused
from policylend.loans.models import LoanTransaction
from policylend.loans.services.common import loan_lock
from policylend.loans.services.reversal import loan_transaction_reverse

from ..error_codes import SavingsErrorCode as E
from ..models import SavingsTransaction
from ..models import SavingsTransactionKind as Kind
from ..selectors import accounts_in_scope
from .movements import _over_balance, _record, account_lock

KIND = "savings.reversal"
REASON_LENGTH_MAX = 300
REVERSIBLE = (Kind.DEPOSIT, Kind.WITHDRAWAL, Kind.LOAN_INTEREST_PAYMENT)


def transaction_for_reversal(viewer, transaction_id: int) -> SavingsTransaction:
    found = (
        SavingsTransaction.objects.select_related("account", "entry", "loan")
        .filter(pk=transaction_id, account__in=accounts_in_scope(viewer))
        .first()
    )
    if found is None:
        raise NotFound(E.NOT_FOUND, _("No such savings transaction in your scope."))
    return found


def reversal_problems(record: SavingsTransaction) -> None:
    """Raise when ``record`` may not be reversed (now)."""
    if record.kind not in REVERSIBLE:
        raise DomainError(
            E.NOT_REVERSIBLE,
            _("Transaction #%(id)d (%(kind)s) is not reversed; record a new movement instead.")
            % {"id": record.pk, "kind": Kind(record.kind).label},
            "transaction",
        )
    if record.account.status != "open":
        raise DomainError(
            E.NOT_REVERSIBLE,
            _("Savings account %(number)s is closed.") % {"number": record.account.number},
            "transaction",
        )
    done = SavingsTransaction.objects.filter(reverses=record).values_list("pk", flat=True).first()
    if done is not None:
        raise DomainError(
            E.ALREADY_REVERSED,
            _("Transaction #%(id)d was already reversed by #%(by)d.")
            % {"id": record.pk, "by": done},
            "transaction",
        )
    if record.amount > record.account.balance:
        raise DomainError.of([_over_balance(record.account, record.amount, "transaction")])


def savings_transaction_reversal_propose(
    *, actor, transaction: SavingsTransaction, reason: str, today: date
):
    record = transaction_for_reversal(actor, transaction.pk)
    return approval_request_create(
        kind=KIND,
        payload={"transaction_id": record.pk, "reason": (reason or "").strip()},
        unit=record.account.office,
        maker=actor,
        today=today,
    )


def validate(payload: dict, maker, today: date) -> None:
    reason = (payload.get("reason") or "").strip()
    if not reason:
        raise DomainError(E.REASON_REQUIRED, _("Give the reason for the reversal."), "reason")
    if len(reason) > REASON_LENGTH_MAX:
        raise DomainError(
            E.REASON_REQUIRED,
            _("The reason may have at most %(n)d characters.") % {"n": REASON_LENGTH_MAX},
            "reason",
        )
    record = transaction_for_reversal(maker, payload["transaction_id"])
    reversal_problems(record)
    part_of_sheet_refused(record.entry, record.pk, E.NOT_REVERSIBLE)


def savings_transaction_reverse(
    *, record: SavingsTransaction, reason: str, maker, checker, today: date
) -> SavingsTransaction:
    """Carry out an approved reversal (joins the approval's transaction)."""
    with transaction.atomic():
        if record.loan_id:
            loan_lock(record.loan_id)  # household → loan → savings account
        account = account_lock(record.account_id)
        record = SavingsTransaction.objects.select_related("entry").get(pk=record.pk)
        record.account = account
        reversal_problems(record)
        if record.kind == Kind.LOAN_INTEREST_PAYMENT:
            paid = LoanTransaction.objects.get(entry_id=record.entry_id, reverses__isnull=True)
            undone = loan_transaction_reverse(
                record=paid, reason=reason, maker=maker, checker=checker, today=today
            )
            entry = undone.entry
        else:
            entry = journal_entry_reverse(
                entry_id=record.entry_id, reason=reason, maker=maker, checker=checker, today=today
            )
        counted_from = (
            record.value_date if record.value_date >= account.interest_counted_from else today
        )
        last = account.last_transaction_on
        undone_savings = _record(
            account,
            kind=Kind.REVERSAL,
            amount=-record.amount,
            value_date=counted_from,
            entry=entry,
            actor=checker,
            reverses=record,
        )
        account.last_transaction_on = max(last or today, counted_from)
        account.save()
        return undone_savings
