"""Reversal of a wrongly posted collection sheet (maker–checker kind
``transaction_sessions.sheet_reversal``): never an edit. The sheet's entry is mirrored (dated
today), every loan step it made is undone as a loan reversal undoes it (kept balances,
instalments, status, interest accrual state — ``loans.services.reversal``), every deposit is
taken back from its savings account (refused when the account no longer holds it), and the sheet
is marked reversed with the reason.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from policylend.approvals.services import approval_request_create
from policylend.core.errors import DomainError
from policylend.core.money import format_amount
from policylend.ledger.services import journal_entry_reverse
from policylend.loans.models import LoanTransaction, TransactionKind
from policylend.loans.services.common import loan_lock
from policylend.loans.services.reversal import loan_transaction_reverse
from policylend.loans.services.reversal import reversal_problems as loan_reversal_problems
from policylend.savings.models import AccountStatus, SavingsTransaction
from policylend.savings.models import SavingsTransactionKind as SavingsKind
from policylend.savings.services.movements import _record as savings_record
from policylend.savings.services.movements import account_lock

from ..error_codes import SheetError as E
from ..models import CashRole, CollectionSheet, SessionStatus, SheetStatus
from ..selectors.sheets import sheet_get
from .sessions import session_entry_link

KIND = "transaction_sessions.sheet_reversal"
REASON_LENGTH_MAX = 300


def _reason(payload_reason: str) -> str:
    reason = (payload_reason or "").strip()
    if not reason:
        raise DomainError(E.REASON_REQUIRED, _("Give the reason for the reversal."), "reason")
    if len(reason) > REASON_LENGTH_MAX:
        raise DomainError(
            E.REASON_REQUIRED,
            _("The reason may have at most %(n)d characters.") % {"n": REASON_LENGTH_MAX},
            "reason",
        )
    return reason


def _loan_steps(sheet: CollectionSheet) -> list[LoanTransaction]:
    """The sheet's loan steps not yet reversed, latest first (repayment before the interest
    posted to the day on the same loan)."""
    return list(
        LoanTransaction.objects.select_related("loan", "entry")
        .filter(entry_id=sheet.entry_id, reversed_by__isnull=True)
        .exclude(kind=TransactionKind.REVERSAL)
        .order_by("-pk")
    )


def sheet_reversal_problems(sheet: CollectionSheet) -> None:
    """Raise when the sheet may not be reversed (now)."""
    if sheet.status == SheetStatus.REVERSED:
        raise DomainError(
            E.ALREADY_REVERSED,
            _("Collection sheet no. %(receipt)s was already reversed.")
            % {"receipt": sheet.receipt_number},
            "sheet",
        )
    latest_of_loan = {}
    for record in _loan_steps(sheet):
        latest_of_loan.setdefault(record.loan_id, record)
    for record in latest_of_loan.values():
        loan_reversal_problems(record)
    for record in SavingsTransaction.objects.select_related("account").filter(
        entry_id=sheet.entry_id, kind=SavingsKind.DEPOSIT
    ):
        account = record.account
        if account.status != AccountStatus.OPEN or record.amount > account.balance:
            raise DomainError(
                E.SAVINGS_SPENT,
                _(
                    "Savings account %(number)s no longer holds the deposit %(amount)s of this "
                    "sheet (balance %(balance)s); the sheet cannot be reversed."
                )
                % {
                    "number": account.number,
                    "amount": format_amount(record.amount),
                    "balance": format_amount(account.balance),
                },
                "sheet",
            )


def sheet_reversal_propose(*, actor, sheet: CollectionSheet, reason: str, today: date):
    """A maker's request to reverse a posted sheet, with the reason."""
    sheet = sheet_get(actor, sheet.pk)
    return approval_request_create(
        kind=KIND,
        payload={"sheet_id": sheet.pk, "reason": (reason or "").strip()},
        unit=sheet.session.commune,
        maker=actor,
        today=today,
    )


def validate(payload: dict, maker, today: date) -> None:
    _reason(payload.get("reason"))
    sheet_reversal_problems(sheet_get(maker, payload["sheet_id"]))


def sheet_reverse(
    *, sheet: CollectionSheet, reason: str, maker, checker, today: date
) -> CollectionSheet:
    """Carry out an approved reversal (joins the approval's transaction)."""
    reason = _reason(reason)
    with transaction.atomic():
        sheet = (
            CollectionSheet.objects.select_for_update(of=("self",))
            .select_related("session")
            .get(pk=sheet.pk)
        )
        steps = _loan_steps(sheet)
        for loan_id in sorted({record.loan_id for record in steps}):
            loan_lock(loan_id)
        deposits = list(
            SavingsTransaction.objects.filter(entry_id=sheet.entry_id, kind=SavingsKind.DEPOSIT)
            .filter(reversed_by__isnull=True)
            .order_by("account_id", "pk")
        )
        for account_id in sorted({record.account_id for record in deposits}):
            account_lock(account_id)
        sheet_reversal_problems(sheet)
        entry = journal_entry_reverse(
            entry_id=sheet.entry_id, reason=reason, maker=maker, checker=checker, today=today
        )
        for record in steps:
            loan_transaction_reverse(
                record=record,
                reason=reason,
                maker=maker,
                checker=checker,
                today=today,
                mirror_entry=entry,
            )
        for record in deposits:
            account = account_lock(record.account_id)
            counted_from = (
                record.value_date if record.value_date >= account.interest_counted_from else today
            )
            last = account.last_transaction_on
            savings_record(
                account,
                kind=SavingsKind.REVERSAL,
                amount=-record.amount,
                value_date=counted_from,
                entry=entry,
                actor=checker,
                reverses=record,
            )
            account.last_transaction_on = max(last or today, counted_from)
            account.save()
        sheet.status = SheetStatus.REVERSED
        sheet.reversal_entry = entry
        sheet.reversal_reason = reason
        sheet.save(update_fields=["status", "reversal_entry", "reversal_reason"])
        if sheet.session.status == SessionStatus.OPEN:
            session_entry_link(session=sheet.session, entry=entry, role=CashRole.REVERSAL)
        return sheet
