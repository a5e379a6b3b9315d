"""Checks of every invariant of the books (ARCHITECTURE.md, The ledger), run by
``manage.py verify_ledger``.

Each check is one set-wise query (GROUP BY in the database, never a loop over lines in Python)
and returns a list of problems in words a person can act on. Later apps register a check that
their kept balances (a loan's principal outstanding, a savings balance) equal their lines.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection

from policylend.core.periods import Month

from . import triggers
from .models import AccountingPeriod, BalanceSnapshot, JournalEntry, JournalLine, PeriodStatus

SUBLEDGER = (
    "account_id, office_id, association_id, group_ref, loan_ref, savings_account_ref, campaign_ref"
)
SHOWN_MAX = 20  # problems of one kind listed in full; the rest are counted

# name → function(branch_id or None) → list of problems.
KeptBalanceCheck = Callable[[int | None], list[str]]
_KEPT_BALANCE_CHECKS: dict[str, KeptBalanceCheck] = {}


def register_kept_balance_check(name: str, function: KeptBalanceCheck) -> None:
    """Register ``function(branch_id)`` that returns a problem for every kept balance (loan,
    savings account, campaign …) that differs from the sum of its lines. ``branch_id`` is None
    for every branch."""
    _KEPT_BALANCE_CHECKS[name] = function


def kept_balance_checks() -> dict[str, KeptBalanceCheck]:
    return dict(_KEPT_BALANCE_CHECKS)


@dataclass
class Verification:
    entries: int = 0
    lines: int = 0
    snapshots: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _rows(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _branch_sql(branch_id: int | None, column: str) -> tuple[str, list]:
    return (f" AND {column} = %s", [branch_id]) if branch_id is not None else ("", [])


def _listed(rows: list, describe: Callable[[tuple], str], kind: str) -> list[str]:
    problems = [describe(row) for row in rows[:SHOWN_MAX]]
    if len(rows) > SHOWN_MAX:
        problems.append(f"… and {len(rows) - SHOWN_MAX} more {kind}")
    return problems


# The SQL below is built from constant column names and a constant branch condition; every
# value is a query parameter.

# --- entries and lines --------------------------------------------------------------------------


def unbalanced_entries(branch_id: int | None = None) -> list[str]:
    where, params = _branch_sql(branch_id, "l.branch_id")
    rows = _rows(
        f"""SELECT l.entry_id, SUM(l.amount) FROM ledger_journalline l WHERE 1 = 1{where}
        GROUP BY l.entry_id HAVING SUM(l.amount) <> 0 ORDER BY l.entry_id""",  # noqa: S608
        params,
    )
    return _listed(
        rows, lambda r: f"entry #{r[0]}: lines sum to {r[1]}, not 0", "unbalanced entries"
    )


def entries_with_too_few_lines(branch_id: int | None = None) -> list[str]:
    where, params = _branch_sql(branch_id, "e.branch_id")
    rows = _rows(
        f"""SELECT e.id, COUNT(l.id) FROM ledger_journalentry e
        LEFT JOIN ledger_journalline l ON l.entry_id = e.id WHERE 1 = 1{where}
        GROUP BY e.id HAVING COUNT(l.id) < 2 ORDER BY e.id""",  # noqa: S608
        params,
    )
    return _listed(
        rows, lambda r: f"entry #{r[0]}: has {r[1]} line(s), needs at least 2", "entries"
    )


def zero_lines(branch_id: int | None = None) -> list[str]:
    where, params = _branch_sql(branch_id, "branch_id")
    rows = _rows(
        f"SELECT id, entry_id FROM ledger_journalline WHERE amount = 0{where} ORDER BY id",  # noqa: S608
        params,
    )
    return _listed(rows, lambda r: f"line #{r[0]} of entry #{r[1]}: amount is 0", "zero lines")


def lines_unlike_their_entry(branch_id: int | None = None) -> list[str]:
    where, params = _branch_sql(branch_id, "e.branch_id")
    rows = _rows(
        f"""SELECT l.id, e.id FROM ledger_journalline l JOIN ledger_journalentry e ON e.id = l.entry_id
        WHERE (l.branch_id <> e.branch_id OR l.value_date <> e.value_date){where}
        ORDER BY l.id""",  # noqa: S608
        params,
    )
    return _listed(
        rows,
        lambda r: f"line #{r[0]}: branch or value date differs from its entry #{r[1]}",
        "lines",
    )


def reversals_not_mirrored(branch_id: int | None = None) -> list[str]:
    """A reversal's lines are exactly the original's with the sign turned: the same account,
    sub-ledger and amount, line for line (as a multiset)."""
    where, params = _branch_sql(branch_id, "r.branch_id")
    cols = ", ".join(f"l.{c.strip()}" for c in SUBLEDGER.split(","))
    rows = _rows(
        f"""
        SELECT pair_id, original_id FROM (
            SELECT r.id AS pair_id, r.reverses_id AS original_id, {cols}, l.amount AS amount, 1 AS n
            FROM ledger_journalentry r JOIN ledger_journalline l ON l.entry_id = r.reverses_id
            WHERE r.reverses_id IS NOT NULL{where}
            UNION ALL
            SELECT r.id, r.reverses_id, {cols}, -l.amount, -1
            FROM ledger_journalentry r JOIN ledger_journalline l ON l.entry_id = r.id
            WHERE r.reverses_id IS NOT NULL{where}
        ) AS mirrored
        GROUP BY pair_id, original_id, {SUBLEDGER}, amount
        HAVING SUM(n) <> 0
        ORDER BY pair_id
        """,  # noqa: S608 (column names are constants)
        params + params,
    )
    pairs = sorted(set(rows))
    return _listed(
        pairs,
        lambda r: f"entry #{r[0]}: its lines are not the exact mirror of entry #{r[1]}",
        "reversals",
    )


# --- periods and snapshots ----------------------------------------------------------------------


def _closed_periods(branch_id: int | None) -> list[AccountingPeriod]:
    periods = AccountingPeriod.objects.filter(status=PeriodStatus.CLOSED).order_by(
        "branch_id", "month"
    )
    if branch_id is not None:
        periods = periods.filter(branch_id=branch_id)
    return list(periods)


def snapshot_differences(period: AccountingPeriod, previous: AccountingPeriod | None) -> int:
    """How many (account, sub-ledger) balances of ``period``'s snapshot differ from the
    previous closed month's snapshot plus the lines between the two month ends."""
    since = Month.of(previous.month).last_day if previous else None
    since_sql = " AND value_date > %s" if since else ""
    rows = _rows(
        f"""
        SELECT COUNT(*) FROM (
            SELECT {SUBLEDGER} FROM (
                SELECT {SUBLEDGER}, -balance AS amount FROM ledger_balancesnapshot WHERE period_id = %s
                UNION ALL
                SELECT {SUBLEDGER}, balance FROM ledger_balancesnapshot WHERE period_id = %s
                UNION ALL
                SELECT {SUBLEDGER}, amount FROM ledger_journalline
                WHERE branch_id = %s AND value_date <= %s{since_sql}
            ) AS moves
            GROUP BY {SUBLEDGER}
            HAVING SUM(amount) <> 0
        ) AS differing
        """,  # noqa: S608 (column names are constants)
        [
            period.pk,
            previous.pk if previous else None,
            period.branch_id,
            Month.of(period.month).last_day,
        ]
        + ([since] if since else []),
    )
    return rows[0][0]


def snapshots_unlike_lines(branch_id: int | None = None) -> list[str]:
    """Every closed month's snapshot equals the lines up to its month end. Checked month by
    month: the first against all lines up to its end, each later one against the one before plus
    the lines in between — by induction the same thing, reading every line once."""
    problems = []
    previous = None
    for period in _closed_periods(branch_id):
        if previous is not None and previous.branch_id != period.branch_id:
            previous = None
        differing = snapshot_differences(period, previous)
        if differing:
            base = (
                f"the snapshot of {Month.of(previous.month)} plus the lines since"
                if previous
                else "the lines up to its month end"
            )
            problems.append(
                f"branch {period.branch_id}, {Month.of(period.month)}: {differing} balance(s) of the "
                f"month-end snapshot differ from {base}"
            )
        previous = period
    return problems


def postings_after_close(branch_id: int | None = None) -> list[str]:
    """No line dated in a closed month was recorded after the month was closed."""
    problems = []
    for period in _closed_periods(branch_id):
        late = (
            JournalLine.objects.filter(
                branch_id=period.branch_id,
                value_date__lte=Month.of(period.month).last_day,
                entry__recorded_at__gt=period.closed_at,
            )
            .values_list("entry_id", flat=True)
            .distinct()
            .order_by("entry_id")
        )
        ids = list(late[: SHOWN_MAX + 1])
        if ids:
            shown = ", ".join(f"#{i}" for i in ids[:SHOWN_MAX]) + (
                " …" if len(ids) > SHOWN_MAX else ""
            )
            problems.append(
                f"branch {period.branch_id}, {Month.of(period.month)}: closed at "
                f"{period.closed_at:%d/%m/%Y %H:%M:%S}, yet entries {shown} dated in it were recorded later"
            )
    return problems


def missing_triggers() -> list[str]:
    missing = sorted(
        set(triggers.expected_names(connection)) - triggers.installed_names(connection)
    )
    return [f"immutability trigger {name} is not installed" for name in missing]


# --- all together -------------------------------------------------------------------------------

CHECKS: list[Callable[[int | None], list[str]]] = [
    unbalanced_entries,
    entries_with_too_few_lines,
    zero_lines,
    lines_unlike_their_entry,
    reversals_not_mirrored,
    snapshots_unlike_lines,
    postings_after_close,
]


def verify_ledger(branch_id: int | None = None) -> Verification:
    """Run every check on one branch's books (or all branches) and count what was checked."""
    result = Verification()
    for check in CHECKS:
        result.problems.extend(check(branch_id))
    result.problems.extend(missing_triggers())
    for name, check in kept_balance_checks().items():
        result.problems.extend(f"{name}: {problem}" for problem in check(branch_id))
    entries = JournalEntry.objects.all()
    lines = JournalLine.objects.all()
    snapshots = BalanceSnapshot.objects.all()
    if branch_id is not None:
        entries, lines = entries.filter(branch_id=branch_id), lines.filter(branch_id=branch_id)
        snapshots = snapshots.filter(branch_id=branch_id)
    result.entries, result.lines, result.snapshots = (
        entries.count(),
        lines.count(),
        snapshots.count(),
    )
    return result
