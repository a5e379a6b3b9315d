"""The posting hot path in plain SQL: one statement reads everything a posting must check, one
(PostgreSQL) or two (SQLite) statements write the entry and its lines.

Every service that moves money posts through here, so its cost is the floor of every bulk path;
the ORM's per-object work cost more than the database did (bench/ledger_post.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import connection

from .locks import LEDGER_LOCK_SPACE

ENTRY_COLUMNS = (
    "branch_id",
    "value_date",
    "kind",
    "memo",
    "idempotency_key",
    "content_hash",
    "maker_id",
    "checker_id",
    "reverses_id",
    "recorded_at",
)
LINE_COLUMNS = (
    "branch_id",
    "value_date",
    "account_id",
    "amount",
    "office_id",
    "association_id",
    "group_ref",
    "loan_ref",
    "savings_account_ref",
    "campaign_ref",
)
LINES_PER_STATEMENT = 500
ENTRY_CASTS = (
    "bigint",
    "date",
    "varchar",
    "varchar",
    "varchar",
    "varchar",
    "bigint",
    "bigint",
    "bigint",
    "timestamptz",
)
LINE_CASTS = (
    "bigint",
    "date",
    "bigint",
    "bigint",
    "bigint",
    "bigint",
    "bigint",
    "bigint",
    "bigint",
    "bigint",
)


@dataclass
class PostingFacts:
    """What the database says about a posting about to be written."""

    month_closed: bool = False
    earlier_entry: tuple[int, str] | None = None  # (id, content hash) under the same key
    accounts: dict[str, tuple[int, bool, bool]] = field(
        default_factory=dict
    )  # code → (id, postable, active)
    offices: set[int] = field(
        default_factory=set
    )  # the given office ids that are offices of the branch


def _placeholders(n: int) -> str:
    return ", ".join(["%s"] * n)


def _typed(casts: tuple[str, ...]) -> str:
    """Placeholders with their types: server-side binding needs them for NULLs."""
    if connection.vendor == "postgresql":
        return ", ".join(f"%s::{cast}" for cast in casts)
    return _placeholders(len(casts))


@contextmanager
def _cursor() -> Iterator:
    """On PostgreSQL, a cursor that binds on the server, so the statements every posting repeats
    can be prepared (``_execute``); Django's own cursor binds on the client and has each one
    parsed and planned again, which costs more than running it. Errors still come out as
    Django's (IntegrityError …)."""
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            yield cursor
        return
    import psycopg

    connection.ensure_connection()
    raw = connection.connection
    if raw.prepare_threshold is None:
        # Django turns preparation off for its client-side cursors; server-side cursors such as
        # this one may prepare (only when asked to, see _execute).
        raw.prepare_threshold = 1_000_000
    with connection.wrap_database_errors, psycopg.Cursor(raw) as cursor:
        yield cursor


def _execute(cursor, sql: str, params: list) -> None:
    """Run a hot statement, prepared once per connection on PostgreSQL (Django turns psycopg's
    automatic preparation off; behind PgBouncer this needs its prepared-statement support)."""
    if connection.vendor == "postgresql":
        cursor.execute(sql, params, prepare=True)
    else:
        cursor.execute(sql, params)


def read_facts(
    *, branch_id: int, month_first_day: date, key: str, codes: list[str], office_ids: list[int]
) -> PostingFacts:
    """Read, in one statement, whether the month is closed, any entry already posted under
    ``key``, the accounts and the offices; on PostgreSQL the same statement takes the branch's
    books lock in shared mode.

    A statement sees the data as of its start, so this statement may miss a close that committed
    while it waited for the lock: the insert (a later statement) checks the month again."""
    ops = connection.ops
    with _cursor() as cursor:
        sql = [
            # The first branch names the column types: PostgreSQL resolves UNION types pairwise.
            "SELECT 'closed', CAST(NULL AS TEXT), CAST(NULL AS BIGINT), CAST(NULL AS INTEGER), "
            "CAST(NULL AS INTEGER) WHERE EXISTS (SELECT 1 FROM ledger_accountingperiod "
            "WHERE branch_id = %s AND month >= %s AND status = 'closed')",
            "SELECT 'entry', content_hash, id, NULL, NULL FROM ledger_journalentry "
            "WHERE idempotency_key = %s",
            "SELECT 'account', code, id, CASE WHEN is_postable THEN 1 ELSE 0 END, "
            f"CASE WHEN is_active THEN 1 ELSE 0 END FROM ledger_account WHERE code IN ({_placeholders(len(codes))})",
        ]
        params: list = [branch_id, ops.adapt_datefield_value(month_first_day), key, *codes]
        if connection.vendor == "postgresql":
            sql.append(
                "SELECT 'lock', NULL, NULL, NULL, NULL FROM (SELECT pg_advisory_xact_lock_shared(%s::integer, %s::integer)) AS books"
            )
            params += [LEDGER_LOCK_SPACE, branch_id]
        if office_ids:
            sql.append(
                "SELECT 'office', NULL, id, NULL, NULL FROM organisation_organisationunit "
                f"WHERE id IN ({_placeholders(len(office_ids))}) AND kind = 'office' AND branch_id = %s"
            )
            params += [*office_ids, branch_id]
        _execute(cursor, " UNION ALL ".join(sql), params)
        facts = PostingFacts()
        for tag, text, number, flag_1, flag_2 in cursor.fetchall():
            if tag == "closed":
                facts.month_closed = True
            elif tag == "entry":
                facts.earlier_entry = (number, text)
            elif tag == "lock":
                pass
            elif tag == "account":
                facts.accounts[text] = (number, bool(flag_1), bool(flag_2))
            else:
                facts.offices.add(number)
        return facts


def insert_entry(entry: dict, lines: list[tuple], month_first_day: date) -> int | None:
    """Write one entry and its lines; return the entry's id, or None when the month was closed
    meanwhile (then nothing is written). ``lines`` hold LINE_COLUMNS values."""
    ops = connection.ops
    entry_values = [entry[column] for column in ENTRY_COLUMNS]
    entry_values[1] = ops.adapt_datefield_value(entry_values[1])
    entry_values[-1] = ops.adapt_datetimefield_value(entry_values[-1])
    lines = [(line[0], ops.adapt_datefield_value(line[1]), *line[2:]) for line in lines]
    entry_sql = (
        f"INSERT INTO ledger_journalentry ({', '.join(ENTRY_COLUMNS)}) "
        f"SELECT {_typed(ENTRY_CASTS)} WHERE NOT EXISTS (SELECT 1 FROM "
        f"ledger_accountingperiod WHERE branch_id = {_typed(('bigint',))} "
        f"AND month >= {_typed(('date',))} AND status = 'closed') RETURNING id"
    )
    entry_values += [entry["branch_id"], ops.adapt_datefield_value(month_first_day)]
    with _cursor() as cursor:
        if connection.vendor == "postgresql" and len(lines) <= LINES_PER_STATEMENT:
            row = f"({_typed(LINE_CASTS)})"
            _execute(
                cursor,
                f"WITH entry AS ({entry_sql}) "
                f"INSERT INTO ledger_journalline (entry_id, {', '.join(LINE_COLUMNS)}) "
                f"SELECT entry.id, line.* FROM entry, (VALUES {', '.join([row] * len(lines))}) AS line "
                "RETURNING entry_id",
                [*entry_values, *(value for line in lines for value in line)],
            )
            row = cursor.fetchone()
            return row[0] if row else None
        cursor.execute(entry_sql, entry_values)
        row = cursor.fetchone()
        if row is None:
            return None
        entry_id = row[0]
        row = f"({_typed(('bigint', *LINE_CASTS))})"
        # Both databases cap the parameters of one statement, so long entries go in slices.
        for start in range(0, len(lines), LINES_PER_STATEMENT):
            batch = lines[start : start + LINES_PER_STATEMENT]
            cursor.execute(
                f"INSERT INTO ledger_journalline (entry_id, {', '.join(LINE_COLUMNS)}) "
                f"VALUES {', '.join([row] * len(batch))}",
                [value for line in batch for value in (entry_id, *line)],
            )
        return entry_id


def now() -> datetime:
    from django.utils import timezone

    return timezone.now()
