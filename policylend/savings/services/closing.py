"""Closing an account and paying a loan's interest from savings (domain.md §7)."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from policylend.core.errors import DomainError
from policylend.core.money import format_amount
from policylend.ledger.models import EntryKind, JournalEntry
from policylend.loans.services.common import loan_lock
from policylend.loans.services.repayment import loan_repay
from policylend.users import access
from policylend.users.roles import Capability

from .. import rules
from ..error_codes import SavingsErrorCode as E
from ..models import AccountStatus, SavingsAccount, SavingsTransaction
from ..models import SavingsTransactionKind as Kind
from .interest import interest_credit_to
from .movements import (
    _key,
    _movement_problems,
    _over_balance,
    _post_payout,
    _record,
    _replayed,
    account_lock,
)


def savings_account_close(
    *,
    actor,
    account: SavingsAccount,
    closed_on: date,
    today: date,
    idempotency_key: str,
    at_session: bool = True,
) -> SavingsAccount:
    """Close an account: credit the interest to the closing day, pay out the whole balance
    (Dr 4231 / Cr 1011), mark it closed. A retry with the same key returns the closed account."""
    access.require(actor, Capability.RECORD_SAVINGS)
    key = _key(idempotency_key)
    with transaction.atomic(durable=True):
        account = account_lock(account.pk)
        if account.status == AccountStatus.CLOSED and (
            JournalEntry.objects.filter(idempotency_key=key).exists()
            or account.closed_on == closed_on
        ):
            account.replayed = True
            return account
        problems = _movement_problems(
            account, amount=1, value_date=closed_on, today=today, field="closed_on"
        )
        if problems:
            raise DomainError.of(problems)
        interest_credit_to(account, day=closed_on, actor=actor, today=today, key=f"{key}:interest")
        if account.balance:
            amount = account.balance
            entry = _post_payout(
                account,
                amount,
                kind=EntryKind.SAVINGS_WITHDRAWAL,
                value_date=closed_on,
                today=today,
                key=key,
                actor=actor,
                at_session=at_session,
                memo=_("Closing of savings account %(number)s: %(amount)s paid out")
                % {"number": account.number, "amount": format_amount(amount)},
            )
            _record(
                account,
                kind=Kind.CLOSING,
                amount=-amount,
                value_date=closed_on,
                entry=entry,
                actor=actor,
            )
        account.status = AccountStatus.CLOSED
        account.closed_on = closed_on
        account.save()
        account.replayed = False
        return account


def savings_pay_loan_interest(
    *,
    actor,
    account: SavingsAccount,
    loan,
    amount: int,
    paid_on: date,
    today: date,
    idempotency_key: str,
) -> SavingsTransaction:
    """Pay a loan's interest from the member's savings, on the member's request through the
    leader (domain.md §7). The loan side is exactly a repayment of interest (the waterfall,
    kept balances, a LoanTransaction without cash); the money comes from 4231 instead of cash:
    Dr 4231 (the account) / Cr 3941 (the loan)."""
    access.require(actor, Capability.RECORD_SAVINGS)
    key = _key(idempotency_key)
    if loan.household_id != account.household_id:
        raise DomainError(
            E.LOAN_OTHER_HOUSEHOLD,
            _("Loan %(loan)s is not a loan of the household of savings account %(number)s.")
            % {"loan": loan.number, "number": account.number},
            "loan",
        )
    with transaction.atomic(durable=True):
        loan = loan_lock(loan.pk)  # household → loan → savings account
        account = account_lock(account.pk)
        replay = _replayed(key, account, Kind.LOAN_INTEREST_PAYMENT, -amount)
        if replay is not None:
            return replay
        problems = _movement_problems(
            account, amount=amount, value_date=paid_on, today=today, field="amount"
        )
        if not problems and rules.withdrawal_too_large(amount, account.balance):
            problems.append(_over_balance(account, amount, "amount"))
        if problems:
            raise DomainError.of(problems)
        paid = loan_repay(
            actor=actor,
            loan=loan,
            paid_on=paid_on,
            today=today,
            interest=amount,
            idempotency_key=key,
            funded_by_savings_account=account,
        )
        record = _record(
            account,
            kind=Kind.LOAN_INTEREST_PAYMENT,
            amount=-amount,
            value_date=paid_on,
            entry=paid.entry,
            actor=actor,
            loan=loan,
        )
        account.save()
        return record
