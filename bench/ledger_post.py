"""Benchmark: posting to the journal, on PostgreSQL 15 (a throwaway cluster) and SQLite.

(a) entries per second through ``journal_entry_post``: one two-line entry per call, each with its
    own idempotency key — what every service that moves money pays per entry;
(b) the raw limit of this machine for the same work, with the database driver alone: one entry
    row and its two line rows per database transaction (the same columns the service writes, so
    the same triggers fire), and on PostgreSQL the same rows bulk-loaded with COPY (on SQLite,
    ``executemany`` in one transaction);
(c) the ratio service / raw per-entry.

Targets (issue 2): the service reaches 600 entries/s on PostgreSQL on 2 cores, and at least 25%
of the raw per-entry rate. Run by ``make bench``; writes ``bench/results/ledger_post.json``.
Each database is migrated fresh in its own process; the measuring runs in another process with
``DATABASE_URL`` set (``python bench/ledger_post.py --measure``).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from time import perf_counter

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, child_json, fresh_database, print_figures, setup_django, write_result

NAME = "ledger_post"
ENTRIES = int(os.environ.get("BENCH_LEDGER_ENTRIES", "3000"))
BULK_ENTRIES = int(os.environ.get("BENCH_LEDGER_BULK_ENTRIES", "20000"))
WARM_UP = 100
VALUE_DATE = date(2026, 11, 25)
SERVICE_RATE_TARGET_POSTGRESQL = 600
RATIO_TARGET = 0.25
ENTRY_COLUMNS = (
    "branch_id, value_date, kind, memo, idempotency_key, content_hash, maker_id, checker_id, "
    "reverses_id, recorded_at"
)
LINE_COLUMNS = (
    "entry_id, branch_id, account_id, value_date, amount, office_id, association_id, group_ref, "
    "loan_ref, savings_account_ref, campaign_ref"
)


# --- the measuring process ------------------------------------------------------------------------


def create_books():
    from policylend.ledger.models import Account
    from policylend.organisation.services import unit_create
    from policylend.users.services import user_create

    opened = date(2020, 1, 1)
    branch = unit_create(
        kind="branch", code="740", name="Lạng Sơn", parent=None, opened_on=opened, actor=None
    )
    office = unit_create(
        kind="office", code="7401", name="Bắc Sơn", parent=branch, opened_on=opened, actor=None
    )
    maker = user_create(
        actor=None,
        username="bench.teller",
        full_name="Bench teller",
        role="teller",
        scope_unit=office,
        password="Bench-posting-2026-ledger",
    )
    accounts = dict(Account.objects.filter(code__in=["1011", "1012"]).values_list("code", "id"))
    return branch, office, maker, accounts


def measure_service(branch, office, maker, entries: int) -> float:
    from policylend.ledger.rules import credit, debit
    from policylend.ledger.services import journal_entry_post

    def post(key: str, amount: int) -> None:
        journal_entry_post(
            branch=branch,
            value_date=VALUE_DATE,
            kind="manual",
            memo="Cash from the office safe to the transaction point",
            lines=[
                debit("1011", amount, office_id=office.pk),
                credit("1012", amount, office_id=office.pk),
            ],
            idempotency_key=key,
            maker=maker,
            today=VALUE_DATE,
        )

    for number in range(WARM_UP):
        post(f"warm-up-{number}", 1_000 + number)
    start = perf_counter()
    for number in range(entries):
        post(f"service-{number}", 100_000 + number)
    return perf_counter() - start


def raw_rows(prefix: str, entries: int, branch_id: int, office_id: int, maker_id: int, accounts):
    """The rows the service would write, as tuples for the driver."""
    recorded_at = datetime.now(UTC)
    for number in range(entries):
        key = f"{prefix}-{number}"
        amount = 100_000 + number
        entry = (
            branch_id,
            VALUE_DATE,
            "manual",
            "Cash from the office safe to the transaction point",
            key,
            hashlib.sha256(key.encode()).hexdigest(),
            maker_id,
            None,
            None,
            recorded_at,
        )
        lines = [
            (
                branch_id,
                accounts["1011"],
                VALUE_DATE,
                amount,
                office_id,
                None,
                None,
                None,
                None,
                None,
            ),
            (
                branch_id,
                accounts["1012"],
                VALUE_DATE,
                -amount,
                office_id,
                None,
                None,
                None,
                None,
                None,
            ),
        ]
        yield entry, lines


def measure_raw_postgresql(url: str, rows: list) -> float:
    import psycopg

    entry_sql = f"INSERT INTO ledger_journalentry ({ENTRY_COLUMNS}) VALUES ({', '.join(['%s'] * 10)}) RETURNING id"
    line_sql = f"INSERT INTO ledger_journalline ({LINE_COLUMNS}) VALUES ({', '.join(['%s'] * 11)}), ({', '.join(['%s'] * 11)})"
    with psycopg.connect(url) as connection, connection.cursor() as cursor:
        start = perf_counter()
        for entry, (line_1, line_2) in rows:
            cursor.execute(entry_sql, entry)
            entry_id = cursor.fetchone()[0]
            cursor.execute(line_sql, (entry_id, *line_1, entry_id, *line_2))
            connection.commit()
        return perf_counter() - start


def measure_round_trip_postgresql(url: str, count: int = 2000) -> float:
    """Seconds per ``SELECT 1`` on loopback: the floor under every statement the service sends."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection, connection.cursor() as cursor:
        start = perf_counter()
        for _ in range(count):
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return (perf_counter() - start) / count


def measure_copy_postgresql(url: str, rows: list, *, triggers: bool = True) -> float:
    """COPY the entries and their lines in one transaction. With ``triggers=False`` the session
    skips every trigger, foreign keys included (``session_replication_role = replica``): what the
    machine can load at all, for comparison with what the journal's invariants cost."""
    import psycopg

    with psycopg.connect(url) as connection, connection.cursor() as cursor:
        if not triggers:
            cursor.execute("SET session_replication_role = replica")
        start = perf_counter()
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence('ledger_journalentry', 'id')) "
            "FROM generate_series(1, %s)",
            [len(rows)],
        )
        ids = [row[0] for row in cursor.fetchall()]
        with cursor.copy(f"COPY ledger_journalentry (id, {ENTRY_COLUMNS}) FROM STDIN") as copy:
            for entry_id, (entry, _) in zip(ids, rows, strict=True):
                copy.write_row((entry_id, *entry))
        with cursor.copy(f"COPY ledger_journalline ({LINE_COLUMNS}) FROM STDIN") as copy:
            for entry_id, (_, lines) in zip(ids, rows, strict=True):
                for line in lines:
                    copy.write_row((entry_id, *line))
        # The deferred balance triggers run here, once per line row.
        connection.commit()
        return perf_counter() - start


def sqlite_connect(path: str):
    import sqlite3

    connection = sqlite3.connect(path, isolation_level=None)
    # The same pragmas the application's connections use (config/settings.py).
    for pragma in (
        "journal_mode=WAL",
        "synchronous=NORMAL",
        "foreign_keys=ON",
        "busy_timeout=30000",
    ):
        connection.execute(f"PRAGMA {pragma}")
    return connection


def sqlite_values(entry, lines):
    def text(value):
        if isinstance(value, datetime):
            return value.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ")
        if isinstance(value, date):
            return value.isoformat()
        return value

    return tuple(map(text, entry)), [tuple(map(text, line)) for line in lines]


def measure_raw_sqlite(path: str, rows: list) -> float:
    entry_sql = (
        f"INSERT INTO ledger_journalentry ({ENTRY_COLUMNS}) VALUES ({', '.join(['?'] * 10)})"
    )
    line_sql = f"INSERT INTO ledger_journalline ({LINE_COLUMNS}) VALUES ({', '.join(['?'] * 11)}), ({', '.join(['?'] * 11)})"
    rows = [sqlite_values(entry, lines) for entry, lines in rows]
    connection = sqlite_connect(path)
    try:
        start = perf_counter()
        for entry, (line_1, line_2) in rows:
            connection.execute("BEGIN IMMEDIATE")
            entry_id = connection.execute(entry_sql, entry).lastrowid
            connection.execute(line_sql, (entry_id, *line_1, entry_id, *line_2))
            connection.execute("COMMIT")
        return perf_counter() - start
    finally:
        connection.close()


def measure_bulk_sqlite(path: str, rows: list) -> float:
    rows = [sqlite_values(entry, lines) for entry, lines in rows]
    connection = sqlite_connect(path)
    try:
        start = perf_counter()
        connection.execute("BEGIN IMMEDIATE")
        first_id = connection.execute(
            "SELECT COALESCE(MAX(id), 0) + 1 FROM ledger_journalentry"
        ).fetchone()[0]
        ids = range(first_id, first_id + len(rows))
        connection.executemany(
            f"INSERT INTO ledger_journalentry (id, {ENTRY_COLUMNS}) VALUES ({', '.join(['?'] * 11)})",
            ((entry_id, *entry) for entry_id, (entry, _) in zip(ids, rows, strict=True)),
        )
        connection.executemany(
            f"INSERT INTO ledger_journalline ({LINE_COLUMNS}) VALUES ({', '.join(['?'] * 11)})",
            (
                (entry_id, *line)
                for entry_id, (_, lines) in zip(ids, rows, strict=True)
                for line in lines
            ),
        )
        connection.execute("COMMIT")
        return perf_counter() - start
    finally:
        connection.close()


def check_books(expected_entries: int) -> None:
    """The benchmark must have written what it says, balanced."""
    from django.db.models import Count, Sum

    from policylend.ledger.models import JournalEntry, JournalLine

    entries = JournalEntry.objects.count()
    lines = JournalLine.objects.aggregate(total=Sum("amount"), n=Count("id"))
    if entries != expected_entries or lines["n"] != 2 * expected_entries or lines["total"] != 0:
        raise SystemExit(f"ledger_post: the books are wrong: {entries} entries, {lines}")


def measure(entries: int, bulk_entries: int) -> dict:
    setup_django()
    from django.conf import settings
    from django.db import connection

    vendor = connection.vendor
    branch, office, maker, accounts = create_books()
    service_seconds = measure_service(branch, office, maker, entries)
    connection.close()

    ids = (branch.pk, office.pk, maker.pk, accounts)
    extra = {}
    expected = WARM_UP + 2 * entries + bulk_entries
    raw = list(raw_rows("raw", entries, *ids))
    bulk = list(raw_rows("bulk", bulk_entries, *ids))
    if vendor == "postgresql":
        url = os.environ["DATABASE_URL"]
        extra["round_trip_seconds"] = measure_round_trip_postgresql(url)
        raw_seconds = measure_raw_postgresql(url, raw)
        bulk_seconds = measure_copy_postgresql(url, bulk)
        bulk_method = "COPY, one transaction"
        untriggered = list(raw_rows("untriggered", bulk_entries, *ids))
        extra["copy_without_triggers_seconds"] = measure_copy_postgresql(
            url, untriggered, triggers=False
        )
        expected += bulk_entries
    else:
        path = str(settings.DATABASES["default"]["NAME"])
        raw_seconds = measure_raw_sqlite(path, raw)
        bulk_seconds = measure_bulk_sqlite(path, bulk)
        bulk_method = "executemany, one transaction"
    check_books(expected)
    return {
        "vendor": vendor,
        "entries": entries,
        "bulk_entries": bulk_entries,
        "service_seconds": service_seconds,
        "raw_seconds": raw_seconds,
        "bulk_seconds": bulk_seconds,
        "bulk_method": bulk_method,
        **extra,
    }


# --- the driving process --------------------------------------------------------------------------


def figures_of(run: dict) -> list[dict]:
    vendor = run["vendor"]
    service_rate = run["entries"] / run["service_seconds"]
    raw_rate = run["entries"] / run["raw_seconds"]
    bulk_rate = run["bulk_entries"] / run["bulk_seconds"]
    ratio = service_rate / raw_rate
    service_target = SERVICE_RATE_TARGET_POSTGRESQL if vendor == "postgresql" else None
    limit = []
    if "round_trip_seconds" in run:
        limit.append(
            {
                "database": vendor,
                "figure": "one round trip (SELECT 1, loopback)",
                "value": round(run["round_trip_seconds"] * 1e6, 1),
                "unit": "µs",
                "target": None,
                "pass": None,
            }
        )
    if "copy_without_triggers_seconds" in run:
        lines_rate = 2 * run["bulk_entries"] / run["copy_without_triggers_seconds"]
        limit.append(
            {
                "database": vendor,
                "figure": "COPY with triggers and foreign keys off",
                "value": round(lines_rate, 1),
                "unit": "lines/s",
                "target": None,
                "pass": None,
            }
        )
    return [
        {
            "database": vendor,
            "figure": "journal_entry_post, one 2-line entry per call",
            "value": round(service_rate, 1),
            "unit": "entries/s",
            "target": f">= {service_target}" if service_target else None,
            "pass": service_rate >= service_target if service_target else None,
        },
        {
            "database": vendor,
            "figure": "raw driver, one 2-line entry per transaction",
            "value": round(raw_rate, 1),
            "unit": "entries/s",
            "target": None,
            "pass": None,
        },
        {
            "database": vendor,
            "figure": f"raw bulk load ({run['bulk_method']})",
            "value": round(bulk_rate, 1),
            "unit": "entries/s",
            "target": None,
            "pass": None,
        },
        {
            "database": vendor,
            "figure": f"raw bulk load ({run['bulk_method']})",
            "value": round(2 * bulk_rate, 1),
            "unit": "lines/s",
            "target": None,
            "pass": None,
        },
        *limit,
        {
            "database": vendor,
            "figure": "service / raw per-entry",
            "value": round(ratio, 3),
            "unit": "ratio",
            "target": f">= {RATIO_TARGET}",
            "pass": ratio >= RATIO_TARGET,
        },
    ]


def run_on(vendor: str) -> dict:
    arguments = ["--measure", "--entries", str(ENTRIES), "--bulk-entries", str(BULK_ENTRIES)]
    with fresh_database(vendor) as environment:
        return child_json(__file__, arguments, environment, NAME)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--measure", action="store_true", help="measure on DATABASE_URL and print JSON"
    )
    parser.add_argument("--entries", type=int, default=ENTRIES)
    parser.add_argument("--bulk-entries", type=int, default=BULK_ENTRIES)
    parser.add_argument("--only", choices=["postgresql", "sqlite"], help="one database only")
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.entries, args.bulk_entries)))
        return 0

    runs = [run_on(vendor) for vendor in ([args.only] if args.only else ["postgresql", "sqlite"])]
    figures = [figure for run in runs for figure in figures_of(run)]
    path = write_result(NAME, {"runs": runs, "figures": figures})
    print_figures(figures, width=48)
    print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
