"""Interest on member savings (domain.md §7): from the day the bank receives the money, credited
on 30 June and 31 December (the half-year run, set-wise and idempotent per account and period)
and on closing. Dr 8011 (savings interest expense) / Cr 4231 (the member's savings)."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from policylend.core.errors import DomainError
from policylend.core.money import format_amount
from policylend.core.periods import day_text
from policylend.ledger.models import EntryKind, JournalEntry
from policylend.ledger.rules import credit, debit
from policylend.ledger.services import journal_entry_post
from policylend.users import access
from policylend.users.roles import Capability

from .. import rules
from ..error_codes import SavingsErrorCode as E
from ..models import AccountStatus, SavingsAccount, SavingsTransaction
from ..models import SavingsTransactionKind as Kind
from .movements import INTEREST_EXPENSE, SAVINGS, _record, account_refs

ACCOUNTS_PER_ENTRY = 2_000  # an entry has at most 5,000 lines (ledger.rules.LINES_MAX)


def movements_of(account_ids: list[int], before: date) -> dict[int, list[rules.Movement]]:
    """Every account's movements dated before ``before``, in one query."""
    found: dict[int, list[rules.Movement]] = defaultdict(list)
    rows = SavingsTransaction.objects.filter(
        account_id__in=account_ids, value_date__lt=before
    ).values_list("account_id", "value_date", "amount")
    for account_id, value_date, amount in rows.iterator(chunk_size=5_000):
        found[account_id].append(rules.Movement(value_date, amount))
    return found


def interest_due(account: SavingsAccount, end: date) -> int:
    """The interest of the days from ``interest_counted_from`` to ``end`` (excluded)."""
    movements = movements_of([account.pk], end).get(account.pk, [])
    return rules.interest_between(
        movements, account.annual_rate, account.interest_counted_from, end
    )


def interest_credit_to(
    account: SavingsAccount, *, day: date, actor, today: date, key: str
) -> SavingsTransaction | None:
    """Credit the interest to ``day`` on one locked account (closing). The caller saves it."""
    amount = interest_due(account, day)
    account.interest_counted_from = max(account.interest_counted_from, day)
    if amount == 0:
        return None
    entry = journal_entry_post(
        branch=account.branch_id,
        value_date=day,
        kind=EntryKind.SAVINGS_INTEREST,
        memo=_("Savings interest of %(number)s to %(day)s: %(amount)s")
        % {"number": account.number, "day": day_text(day), "amount": format_amount(amount)},
        lines=[
            debit(INTEREST_EXPENSE, amount, office_id=account.office_id),
            credit(SAVINGS, amount, **account_refs(account)),
        ],
        idempotency_key=key,
        maker=actor,
        today=today,
    )
    return _record(
        account,
        kind=Kind.INTEREST,
        amount=amount,
        value_date=day,
        entry=entry,
        actor=actor,
        period_end=day,
    )


@dataclass
class InterestRun:
    half_year_end: date
    accounts: int = 0  # accounts whose interest was counted to the half-year end
    credited: int = 0  # of which with interest above 0
    total: int = 0
    entries: list[JournalEntry] = field(default_factory=list)


def savings_interest_credit_run(*, actor, branch, half_year_end: date, today: date) -> InterestRun:
    """Credit the half-year's interest to every open account of the branch (domain.md §7).

    Idempotent per account and period: an account whose interest is already counted to the
    half-year end is skipped, so a second run (or a retry) credits nothing twice."""
    access.require(actor, Capability.RUN_SAVINGS_JOBS)
    access.require_unit(actor, branch)
    if not rules.is_half_year_end(half_year_end):
        raise DomainError(
            E.NOT_HALF_YEAR_END,
            _("Interest is credited on 30 June and 31 December; %(day)s is neither.")
            % {"day": day_text(half_year_end)},
            "half_year_end",
        )
    if half_year_end > today:
        raise DomainError(
            E.DATE_FUTURE,
            _("The date %(day)s is after today (%(today)s).")
            % {"day": day_text(half_year_end), "today": day_text(today)},
            "half_year_end",
        )
    run = InterestRun(half_year_end=half_year_end)
    with transaction.atomic(durable=True):
        accounts = list(
            SavingsAccount.objects.select_for_update()
            .filter(
                branch=branch,
                status=AccountStatus.OPEN,
                interest_counted_from__lt=half_year_end,
                opened_on__lte=half_year_end,
            )
            .order_by("pk")
        )
        run.accounts = len(accounts)
        if not accounts:
            return run
        movements = movements_of([a.pk for a in accounts], half_year_end)
        amounts = {
            a.pk: rules.interest_between(
                movements.get(a.pk, []), a.annual_rate, a.interest_counted_from, half_year_end
            )
            for a in accounts
        }
        credited = [a for a in accounts if amounts[a.pk] > 0]
        for start in range(0, len(credited), ACCOUNTS_PER_ENTRY):
            chunk = credited[start : start + ACCOUNTS_PER_ENTRY]
            run.entries.append(
                _post_chunk(
                    chunk, amounts, branch=branch, day=half_year_end, actor=actor, today=today
                )
            )
        records = []
        for account in accounts:
            account.interest_counted_from = half_year_end
        for account, entry in _entries_of(credited, run.entries):
            amount = amounts[account.pk]
            account.balance += amount
            account.last_transaction_on = max(
                account.last_transaction_on or half_year_end, half_year_end
            )
            records.append(
                SavingsTransaction(
                    account=account,
                    kind=Kind.INTEREST,
                    value_date=half_year_end,
                    amount=amount,
                    entry=entry,
                    period_end=half_year_end,
                    recorded_by=actor,
                )
            )
            run.total += amount
        SavingsTransaction.objects.bulk_create(records, batch_size=2_000)
        SavingsAccount.objects.bulk_update(
            accounts, ["interest_counted_from", "balance", "last_transaction_on"], batch_size=2_000
        )
        run.credited = len(credited)
        return run


def _entries_of(credited: list[SavingsAccount], entries: list[JournalEntry]):
    for index, account in enumerate(credited):
        yield account, entries[index // ACCOUNTS_PER_ENTRY]


def _post_chunk(chunk, amounts, *, branch, day: date, actor, today: date) -> JournalEntry:
    by_office: dict[int, int] = defaultdict(int)
    lines = []
    for account in chunk:
        by_office[account.office_id] += amounts[account.pk]
        lines.append(credit(SAVINGS, amounts[account.pk], **account_refs(account)))
    lines = [
        debit(INTEREST_EXPENSE, amount, office_id=office_id)
        for office_id, amount in sorted(by_office.items())
    ] + lines
    # The key names the accounts it credits: a retry of the same run replays; a later run for
    # accounts the first did not cover posts its own entry.
    digest = hashlib.sha256(",".join(str(a.pk) for a in chunk).encode()).hexdigest()[:24]
    return journal_entry_post(
        branch=branch.pk,
        value_date=day,
        kind=EntryKind.SAVINGS_INTEREST,
        memo=_("Savings interest of the half-year to %(day)s: %(n)d accounts")
        % {"day": day_text(day), "n": len(chunk)},
        lines=lines,
        idempotency_key=f"savings-interest-{branch.pk}-{day:%Y%m%d}-{digest}",
        maker=actor,
        today=today,
    )
