"""Reads of the books, always scoped by the viewer.

A branch-level viewer reads the branch's books; a transaction-office viewer reads the lines of
their office only. Balances at a past date start from the last month-end snapshot on or before
that date and add the lines since (ARCHITECTURE.md, The ledger).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Sum, When
from django.db.models.functions import Coalesce, TruncMonth
from django.utils.translation import gettext as _

from policylend.core.errors import Forbidden, NotFound
from policylend.core.periods import Month, add_months
from policylend.organisation.models import OrganisationUnit, UnitKind
from policylend.users import access
from policylend.users.roles import Capability

from .models import (
    Account,
    AccountingPeriod,
    BalanceSnapshot,
    JournalEntry,
    JournalLine,
    PeriodStatus,
)


@dataclass(frozen=True)
class LedgerScope:
    """Which part of the books a viewer reads: a branch, and optionally one office in it."""

    branch: OrganisationUnit
    office: OrganisationUnit | None = None

    def line_q(self, prefix: str = "") -> Q:
        q = Q(**{f"{prefix}branch_id": self.branch.pk})
        if self.office is not None:
            q &= Q(**{f"{prefix}office_id": self.office.pk})
        return q


def ledger_scope(
    viewer, *, branch_id: int | None = None, office_id: int | None = None
) -> LedgerScope:
    """The part of the books ``viewer`` reads; a branch-level viewer may narrow it to an office."""
    access.require(viewer, Capability.VIEW_LEDGER)
    scope = access.scope_of(viewer)
    units = access.units_visible_to(viewer)
    if scope.kind == UnitKind.OFFICE:
        office = viewer.scope_unit
        if office_id is not None and office_id != office.pk:
            raise NotFound("not_found", _("No such transaction office in your scope."))
        return LedgerScope(branch=office.branch, office=office)
    if scope.kind not in (UnitKind.BRANCH, None):
        raise Forbidden("forbidden", _("Your scope does not include the books."))
    if branch_id is None:
        branch_id = scope.branch_id
    branch = (
        units.filter(kind=UnitKind.BRANCH, pk=branch_id).first()
        if branch_id
        else (units.filter(kind=UnitKind.BRANCH).first())
    )
    if branch is None:
        raise NotFound("not_found", _("No such branch in your scope."))
    office = None
    if office_id is not None:
        office = units.filter(kind=UnitKind.OFFICE, pk=office_id, branch=branch).first()
        if office is None:
            raise NotFound("not_found", _("No such transaction office in your scope."))
    return LedgerScope(branch=branch, office=office)


def month_is_closed(branch_id: int, month: Month) -> bool:
    return AccountingPeriod.objects.filter(
        branch_id=branch_id, month__gte=month.first_day, status=PeriodStatus.CLOSED
    ).exists()


# --- balances ----------------------------------------------------------------------------------


def balances_at(scope: LedgerScope, on: date) -> dict[int, int]:
    """Balance per account id at the end of ``on``: last snapshot on or before it + lines since."""
    period = (
        AccountingPeriod.objects.filter(
            branch=scope.branch, status=PeriodStatus.CLOSED, month__lte=on
        )
        .order_by("-month")
        .first()
    )
    balances: dict[int, int] = defaultdict(int)
    since = date(1, 1, 1)
    if period is not None and Month.of(period.month).last_day <= on:
        since = Month.of(period.month).last_day
        snapshots = BalanceSnapshot.objects.filter(period=period)
        if scope.office is not None:
            snapshots = snapshots.filter(office=scope.office)
        for account_id, total in (
            snapshots.values("account_id").annotate(t=Sum("balance")).values_list("account_id", "t")
        ):
            balances[account_id] += total
    lines = JournalLine.objects.filter(scope.line_q(), value_date__gt=since, value_date__lte=on)
    for account_id, total in (
        lines.values("account_id").annotate(t=Sum("amount")).values_list("account_id", "t")
    ):
        balances[account_id] += total
    return balances


def turnover(scope: LedgerScope, start: date, end: date) -> dict[int, tuple[int, int]]:
    """(debits, credits) per account id for lines dated from ``start`` to ``end``."""
    rows = (
        JournalLine.objects.filter(scope.line_q(), value_date__gte=start, value_date__lte=end)
        .values("account_id")
        .annotate(
            debits=Coalesce(
                Sum(
                    Case(When(amount__gt=0, then="amount"), default=0, output_field=IntegerField())
                ),
                0,
            ),
            credits=Coalesce(
                Sum(
                    Case(When(amount__lt=0, then="amount"), default=0, output_field=IntegerField())
                ),
                0,
            ),
        )
        .values_list("account_id", "debits", "credits")
    )
    return {account_id: (debits, -credits) for account_id, debits, credits in rows}


@dataclass
class TrialBalanceRow:
    account: Account
    opening: int
    debits: int
    credits: int
    closing: int

    @property
    def opening_debit(self) -> int:
        return max(self.opening, 0)

    @property
    def opening_credit(self) -> int:
        return max(-self.opening, 0)

    @property
    def closing_debit(self) -> int:
        return max(self.closing, 0)

    @property
    def closing_credit(self) -> int:
        return max(-self.closing, 0)


@dataclass
class TrialBalance:
    scope: LedgerScope
    start: date
    end: date
    rows: list[TrialBalanceRow] = field(default_factory=list)
    off_balance_rows: list[TrialBalanceRow] = field(default_factory=list)

    def _total(self, rows, attribute: str) -> int:
        return sum(getattr(row, attribute) for row in rows)

    @property
    def totals(self) -> dict[str, int]:
        names = [
            "opening_debit",
            "opening_credit",
            "debits",
            "credits",
            "closing_debit",
            "closing_credit",
        ]
        return {name: self._total(self.rows, name) for name in names}

    @property
    def is_balanced(self) -> bool:
        t = self.totals
        return (
            t["opening_debit"] == t["opening_credit"]
            and t["debits"] == t["credits"]
            and t["closing_debit"] == t["closing_credit"]
        )


def trial_balance(scope: LedgerScope, *, start: date, end: date) -> TrialBalance:
    """Opening balance, debits, credits and closing balance of every account for ``start``–``end``.

    Balances sit in the debit or credit column by their sign; with the whole branch in scope the
    two columns' totals are equal. An office's trial balance need not balance: entries that move
    money between offices are balanced only across the branch.
    """
    opening = balances_at(scope, start - timedelta(days=1))
    moves = turnover(scope, start, end)
    ids = {i for i, v in opening.items() if v} | set(moves)
    report = TrialBalance(scope=scope, start=start, end=end)
    for account in Account.objects.filter(pk__in=ids).order_by("code"):
        debits, credits = moves.get(account.pk, (0, 0))
        row = TrialBalanceRow(
            account=account,
            opening=opening.get(account.pk, 0),
            debits=debits,
            credits=credits,
            closing=opening.get(account.pk, 0) + debits - credits,
        )
        (report.off_balance_rows if account.off_balance else report.rows).append(row)
    return report


# --- entries, accounts, periods ------------------------------------------------------------------


def journal_entry_list(
    viewer, *, branch_id: int | None = None, office_id: int | None = None
) -> QuerySet:
    scope = ledger_scope(viewer, branch_id=branch_id, office_id=office_id)
    entries = JournalEntry.objects.filter(branch=scope.branch)
    if scope.office is not None:
        entries = entries.filter(
            pk__in=JournalLine.objects.filter(office=scope.office).values("entry_id")
        )
    return entries.select_related("maker", "checker", "reverses")


def journal_entry_get(viewer, entry_id: int) -> JournalEntry:
    entry = journal_entry_list(viewer).filter(pk=entry_id).first()
    if entry is None:
        raise NotFound(
            "not_found", _("There is no journal entry #%(id)s in your scope.") % {"id": entry_id}
        )
    return entry


def journal_lines_of(entry: JournalEntry) -> QuerySet:
    return entry.lines.select_related("account", "office", "association").order_by("id")


def account_list(*, active_only: bool = False) -> QuerySet:
    accounts = Account.objects.select_related("parent")
    return accounts.filter(is_active=True) if active_only else accounts


def period_list(scope: LedgerScope, *, today: date, months: int = 24) -> list[dict]:
    """The last ``months`` months of a branch with their status and how many lines each holds."""
    closed = {
        p.month: p
        for p in AccountingPeriod.objects.filter(branch=scope.branch).select_related(
            "closed_by", "requested_by"
        )
    }
    current = Month.of(today)
    oldest = Month.of(add_months(current.first_day, -(months - 1)))
    counts = dict(
        JournalLine.objects.filter(scope.line_q(), value_date__gte=oldest.first_day)
        .annotate(month=TruncMonth("value_date"))
        .values("month")
        .annotate(n=Count("id"))
        .values_list("month", "n")
    )
    result = []
    for _month in range(months):
        result.append(
            {
                "month": current,
                "period": closed.get(current.first_day),
                "lines": counts.get(current.first_day, 0),
                "ended": current.last_day < today,
            }
        )
        current = current.previous()
    return result
