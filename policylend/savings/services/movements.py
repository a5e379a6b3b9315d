"""Writes of member savings (domain.md §7): opening, deposits through the group leader,
withdrawals asked through the leader, the half-year interest crediting, closing, paying a loan's
interest from savings. Every money movement posts one journal entry on account 4231 (the member's
savings) with ``savings_account_ref`` and updates the kept balance in the same transaction; every
one carries an idempotency key (the same key with other content is refused).

Locks are taken in the project's order: household → loan → savings account.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from policylend.core.errors import DomainError, NotFound, Problem
from policylend.core.money import AMOUNT_MAX, format_amount
from policylend.core.periods import day_text
from policylend.groups.models import GroupMembership
from policylend.ledger.models import EntryKind, JournalEntry
from policylend.ledger.rules import credit, debit
from policylend.ledger.services import journal_entry_post
from policylend.organisation.models import OrganisationUnit
from policylend.users import access
from policylend.users.roles import Capability

from .. import rules
from ..error_codes import SavingsErrorCode as E
from ..models import AccountStatus, SavingsAccount, SavingsTransaction
from ..models import SavingsTransactionKind as Kind

SAVINGS = "4231"
CASH_AT_POINT = "1011"
CASH_AT_OFFICE = "1012"
INTEREST_EXPENSE = "8011"
SEQUENCE_DIGITS = 6


def annual_rate_default() -> Decimal:
    return Decimal(
        str(getattr(settings, "POLICYLEND_SAVINGS_ANNUAL_RATE", rules.DEFAULT_ANNUAL_RATE))
    )


def account_refs(account: SavingsAccount) -> dict:
    return {
        "office_id": account.office_id,
        "group_ref": account.group_id,
        "savings_account_ref": account.pk,
    }


def account_lock(account_id: int) -> SavingsAccount:
    account = (
        SavingsAccount.objects.select_for_update()
        .select_related("household", "group")
        .filter(pk=account_id)
        .first()
    )
    if account is None:
        raise NotFound(E.NOT_FOUND, _("No such savings account."))
    return account


def _account_number_next(office: OrganisationUnit) -> str:
    list(OrganisationUnit.objects.select_for_update().filter(pk=office.pk))
    prefix = f"{office.code}-TK-"
    last = SavingsAccount.objects.filter(number__startswith=prefix).aggregate(m=Max("number"))["m"]
    sequence = int(last[len(prefix) :]) + 1 if last else 1
    return f"{prefix}{sequence:0{SEQUENCE_DIGITS}d}"


def _plan_problem(monthly_plan: int) -> Problem | None:
    if isinstance(monthly_plan, bool) or not isinstance(monthly_plan, int) or monthly_plan < 0:
        return Problem(
            E.PLAN_INVALID,
            _("The monthly plan must be a whole amount of dong, 0 or more."),
            "monthly_plan",
        )
    if monthly_plan > AMOUNT_MAX:
        return Problem(E.PLAN_INVALID, _("The monthly plan is too large."), "monthly_plan")
    if 0 < monthly_plan < rules.DEPOSIT_MIN:
        return Problem(
            E.DEPOSIT_TOO_SMALL,
            _("The monthly plan %(plan)s is less than the minimum deposit %(min)s.")
            % {"plan": format_amount(monthly_plan), "min": format_amount(rules.DEPOSIT_MIN)},
            "monthly_plan",
        )
    return None


def savings_account_open(
    *, actor, household, opened_on: date, today: date, monthly_plan: int = 0
) -> SavingsAccount:
    """Open the household's savings account through the group it belongs to (domain.md §7)."""
    access.require(actor, Capability.OPEN_SAVINGS_ACCOUNTS)
    access.require_unit(actor, household.village)
    problems = []
    plan_problem = _plan_problem(monthly_plan)
    if plan_problem:
        problems.append(plan_problem)
    if opened_on > today:
        problems.append(_future("opened_on", opened_on, today))
    with transaction.atomic(durable=True):
        membership = (
            GroupMembership.objects.select_related("group")
            .filter(household=household, left_on__isnull=True, joined_on__lte=opened_on)
            .first()
        )
        if membership is None:
            problems.append(
                Problem(
                    E.NOT_GROUP_MEMBER,
                    _(
                        "Household %(code)s is not a member of a savings-and-loan group on %(day)s; "
                        "savings are kept through the group."
                    )
                    % {"code": household.code, "day": day_text(opened_on)},
                    "household",
                )
            )
        if SavingsAccount.objects.filter(household=household, status=AccountStatus.OPEN).exists():
            problems.append(
                Problem(
                    E.ALREADY_OPEN,
                    _("Household %(code)s already has an open savings account.")
                    % {"code": household.code},
                    "household",
                )
            )
        if problems:
            raise DomainError.of(problems)
        office = OrganisationUnit.objects.get(pk=household.office_id)
        return SavingsAccount.objects.create(
            number=_account_number_next(office),
            household=household,
            group=membership.group,
            branch_id=household.branch_id,
            office_id=household.office_id,
            commune_id=household.commune_id,
            village_id=household.village_id,
            opened_on=opened_on,
            monthly_plan=monthly_plan,
            annual_rate=annual_rate_default(),
            interest_counted_from=opened_on,
            created_by=actor,
        )


def savings_plan_set(*, actor, account: SavingsAccount, monthly_plan: int) -> SavingsAccount:
    access.require(actor, Capability.OPEN_SAVINGS_ACCOUNTS)
    problem = _plan_problem(monthly_plan)
    if problem:
        raise DomainError.of([problem])
    with transaction.atomic(durable=True):
        account = account_lock(account.pk)
        account.monthly_plan = monthly_plan
        account.save(update_fields=["monthly_plan"])
        return account


# --- checks shared by the movements --------------------------------------------------------------


def _future(field: str, day: date, today: date) -> Problem:
    return Problem(
        E.DATE_FUTURE,
        _("The date %(day)s is after today (%(today)s).")
        % {"day": day_text(day), "today": day_text(today)},
        field,
    )


def _movement_problems(
    account: SavingsAccount, *, amount: int, value_date: date, today: date, field: str
) -> list[Problem]:
    problems = []
    if account.status != AccountStatus.OPEN:
        raise DomainError(
            E.ACCOUNT_CLOSED,
            _("Savings account %(number)s is closed.") % {"number": account.number},
            "account",
        )
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        problems.append(
            Problem(
                E.AMOUNT_INVALID, _("The amount must be a whole number of dong above 0."), field
            )
        )
    elif amount > AMOUNT_MAX:
        problems.append(Problem(E.AMOUNT_INVALID, _("The amount is too large."), field))
    if value_date > today:
        problems.append(_future("value_date", value_date, today))
    # Interest is worked out from the movements in date order: a movement may not go before the
    # account's latest one or into a half-year already credited.
    earliest = max(account.interest_counted_from, account.last_transaction_on or account.opened_on)
    if value_date < earliest:
        problems.append(
            Problem(
                E.DATE_TOO_EARLY,
                _(
                    "The date %(day)s is before %(earliest)s, the account's last movement or "
                    "interest crediting; record it on or after that day."
                )
                % {"day": day_text(value_date), "earliest": day_text(earliest)},
                "value_date",
            )
        )
    return problems


def _over_balance(account: SavingsAccount, amount: int, field: str) -> Problem:
    return Problem(
        E.OVER_BALANCE,
        _("The amount %(amount)s is more than the balance %(balance)s of account %(number)s.")
        % {
            "amount": format_amount(amount),
            "balance": format_amount(account.balance),
            "number": account.number,
        },
        field,
    )


def _replayed(key: str, account: SavingsAccount, kind: str, amount: int):
    entry_id = JournalEntry.objects.filter(idempotency_key=key).values_list("pk", flat=True).first()
    if entry_id is None:
        return None
    earlier = SavingsTransaction.objects.filter(entry_id=entry_id).first()
    if (
        earlier is None
        or earlier.account_id != account.pk
        or earlier.kind != kind
        or earlier.amount != amount
    ):
        raise DomainError(
            E.KEY_REUSED,
            _("This idempotency key was already used for another operation; use a new key."),
            "idempotency_key",
        )
    earlier.replayed = True
    return earlier


def _record(
    account: SavingsAccount,
    *,
    kind: str,
    amount: int,
    value_date: date,
    entry: JournalEntry,
    actor,
    loan=None,
    period_end: date | None = None,
    reverses: SavingsTransaction | None = None,
) -> SavingsTransaction:
    """Apply a signed change to the kept balance and record it (the caller saves the account)."""
    account.balance += amount
    account.last_transaction_on = max(account.last_transaction_on or value_date, value_date)
    record = SavingsTransaction.objects.create(
        account=account,
        kind=kind,
        value_date=value_date,
        amount=amount,
        entry=entry,
        loan=loan,
        period_end=period_end,
        reverses=reverses,
        recorded_by=actor,
    )
    record.replayed = False
    return record


def _cash_account(at_session: bool) -> str:
    return CASH_AT_POINT if at_session else CASH_AT_OFFICE


# --- deposits and withdrawals --------------------------------------------------------------------


def savings_deposit(
    *,
    actor,
    account: SavingsAccount,
    amount: int,
    value_date: date,
    today: date,
    idempotency_key: str,
    at_session: bool = True,
) -> SavingsTransaction:
    """A deposit handed over by the group leader at the session (Dr 1011 / Cr 4231); at least
    5,000 ₫ (domain.md §7). ``at_session=False`` takes it at the office (Dr 1012)."""
    access.require(actor, Capability.RECORD_SAVINGS)
    key = _key(idempotency_key)
    with transaction.atomic(durable=True):
        account = account_lock(account.pk)
        replay = _replayed(key, account, Kind.DEPOSIT, amount)
        if replay is not None:
            return replay
        problems = _movement_problems(
            account, amount=amount, value_date=value_date, today=today, field="amount"
        )
        if not problems and rules.deposit_too_small(amount):
            problems.append(
                Problem(
                    E.DEPOSIT_TOO_SMALL,
                    _("The deposit %(amount)s is less than the minimum deposit %(min)s.")
                    % {"amount": format_amount(amount), "min": format_amount(rules.DEPOSIT_MIN)},
                    "amount",
                )
            )
        if problems:
            raise DomainError.of(problems)
        refs = account_refs(account)
        entry = journal_entry_post(
            branch=account.branch_id,
            value_date=value_date,
            kind=EntryKind.SAVINGS_DEPOSIT,
            memo=_("Savings deposit to %(number)s (group %(group)s): %(amount)s")
            % {
                "number": account.number,
                "group": account.group.code,
                "amount": format_amount(amount),
            },
            lines=[
                debit(_cash_account(at_session), amount, office_id=account.office_id),
                credit(SAVINGS, amount, **refs),
            ],
            idempotency_key=key,
            maker=actor,
            today=today,
        )
        record = _record(
            account,
            kind=Kind.DEPOSIT,
            amount=amount,
            value_date=value_date,
            entry=entry,
            actor=actor,
        )
        account.save()
        return record


def savings_withdraw(
    *,
    actor,
    account: SavingsAccount,
    amount: int,
    value_date: date,
    today: date,
    idempotency_key: str,
    at_session: bool = True,
) -> SavingsTransaction:
    """A withdrawal asked through the group leader, paid at the session (Dr 4231 / Cr 1011); at
    most the balance."""
    access.require(actor, Capability.RECORD_SAVINGS)
    key = _key(idempotency_key)
    with transaction.atomic():
        account = account_lock(account.pk)
        replay = _replayed(key, account, Kind.WITHDRAWAL, -amount)
        if replay is not None:
            return replay
        problems = _movement_problems(
            account, amount=amount, value_date=value_date, today=today, field="amount"
        )
        if not problems and rules.withdrawal_too_large(amount, account.balance):
            problems.append(_over_balance(account, amount, "amount"))
        if problems:
            raise DomainError.of(problems)
        entry = _post_payout(
            account,
            amount,
            kind=EntryKind.SAVINGS_WITHDRAWAL,
            value_date=value_date,
            today=today,
            key=key,
            actor=actor,
            at_session=at_session,
            memo=_("Savings withdrawal from %(number)s: %(amount)s")
            % {"number": account.number, "amount": format_amount(amount)},
        )
        record = _record(
            account,
            kind=Kind.WITHDRAWAL,
            amount=-amount,
            value_date=value_date,
            entry=entry,
            actor=actor,
        )
        account.save()
        return record


def _post_payout(account, amount, *, kind, value_date, today, key, actor, at_session, memo):
    return journal_entry_post(
        branch=account.branch_id,
        value_date=value_date,
        kind=kind,
        memo=memo[:300],
        lines=[
            debit(SAVINGS, amount, **account_refs(account)),
            credit(_cash_account(at_session), amount, office_id=account.office_id),
        ],
        idempotency_key=key,
        maker=actor,
        today=today,
    )


def _key(idempotency_key: str) -> str:
    key = (idempotency_key or "").strip()
    if not key:
        raise DomainError(E.KEY_REUSED, _("An idempotency key is required."), "idempotency_key")
    return key
