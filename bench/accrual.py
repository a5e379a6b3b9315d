"""Benchmark: the month-end accrual of a province (≈ 90,000 loans) on PostgreSQL 15 (a
throwaway cluster).

(a) seconds and peak memory of ``loans.services.accrual.interest_accrual_run`` for one branch
    and month: it reads the loans set-wise, computes each loan's interest, posts the journal
    entries (a Dr 3941 line per loan, Cr 7021/7022 per office) and updates the loans;
(b) the raw limit of this machine for the same lines: the entries and lines the run wrote,
    written again with ``COPY`` in one transaction (the deferred balance triggers included,
    then rolled back), measured in the same run;
(c) the ratio service / COPY.

The 90,000 loans (10 offices, one loan in ten overdue) are a bench-only fixture written in bulk
in a process of their own, with their disbursement entries, so the measuring process holds only
what the run itself needs (its peak memory is the run's). Targets (issue 4): ≤ 5 s and ≤ 1 GB on
PostgreSQL. Run by ``make bench``; writes ``bench/results/accrual.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from time import perf_counter

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, child_json, fresh_database, print_figures, setup_django, write_result

NAME = "accrual"
LOANS = int(os.environ.get("BENCH_ACCRUAL_LOANS", "90000"))
OFFICES = 10
TODAY = date(2026, 11, 25)
DISBURSED_ON = date(2026, 3, 15)
MONTH = (2026, 10)  # the month measured: every loan's interest is posted through September
SECONDS_TARGET = 5.0
MEMORY_TARGET_MB = 1024
LOANS_PER_ENTRY = 120
OVERDUE_EVERY = 10


def peak_memory_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


# --- the fixture (its own process) ------------------------------------------------------------------


def build_loans(count: int, *, status: str = "in_term", offices: int = OFFICES) -> dict:
    """A branch with ``offices`` offices, a household in each, and ``count`` loans of programme
    01 spread over them. ``in_term``: disbursed on DISBURSED_ON with their disbursement entries,
    interest posted through the end of the month before MONTH; ``approved``: waiting to be
    disbursed. Returns the ids the measuring process needs."""
    from django.db import transaction

    from policylend.households.services import HouseholdInput, PersonInput, households_create_bulk
    from policylend.loans.models import Loan
    from policylend.organisation.services import transaction_point_create, unit_create
    from policylend.programmes.models import Programme
    from policylend.users.services import user_create

    opened = date(2020, 1, 1)
    with transaction.atomic():
        branch = unit_create(
            kind="branch", code="740", name="Lạng Sơn", parent=None, opened_on=opened, actor=None
        )
        staff = user_create(
            actor=None,
            username="bench.staff",
            full_name="Bench staff",
            role="branch_staff",
            scope_unit=branch,
            password="Bench-accrual-2026-loans",
        )
        programme = Programme.objects.get(code="01")
        terms = programme.terms.order_by("effective_from").first()
        places = []
        for number in range(offices):
            office = unit_create(
                kind="office",
                code=f"74{number + 1:02d}",
                name=f"Phòng giao dịch {number + 1}",
                parent=branch,
                opened_on=opened,
                actor=None,
            )
            commune = unit_create(
                kind="commune",
                code=f"2{number + 1:02d}001",
                name=f"Xã {number + 1}",
                parent=office,
                opened_on=opened,
                actor=None,
            )
            village = unit_create(
                kind="village",
                code=f"2{number + 1:02d}00101",
                name=f"Thôn {number + 1}",
                parent=commune,
                opened_on=opened,
                actor=None,
            )
            point = transaction_point_create(
                commune=commune,
                code=f"TXN2{number + 1:02d}001",
                name=f"Điểm giao dịch xã {number + 1}",
                session_day=15,
                address=f"UBND xã {number + 1}",
                opened_on=opened,
                actor=None,
            )
            household = households_create_bulk(
                actor=staff,
                rows=[
                    HouseholdInput(
                        village=village,
                        head=PersonInput(
                            full_name="Hoàng Văn "
                            + (
                                "Bền",
                                "Lâm",
                                "Tuấn",
                                "Hùng",
                                "Dũng",
                                "Sơn",
                                "Hải",
                                "Nam",
                                "Minh",
                                "Long",
                            )[number % 10],
                            sex="male",
                            relationship="head",
                            birth_date=date(1980, 1, 1),
                            national_id=None,
                        ),
                        members=(),
                    )
                ],
                today=TODAY,
            )[0]
            places.append((office, commune, village, point, household))
        loans = []
        for n in range(count):
            office, commune, village, point, household = places[n * offices // count]
            amount = 10_000_000 + (n % 90) * 1_000_000
            overdue = status == "in_term" and n % OVERDUE_EVERY == 0
            disbursed = status == "in_term"
            loans.append(
                Loan(
                    number=f"{office.code}-26-{n:06d}",
                    household_id=household.pk,
                    borrower_id=household.head_id,
                    programme=programme,
                    terms=terms,
                    branch=branch,
                    office=office,
                    commune=commune,
                    village=village,
                    amount_requested=amount,
                    amount_approved=amount,
                    term_months=36,
                    repayment_interval_months=12,
                    purpose="Chăn nuôi",
                    applied_on=DISBURSED_ON - timedelta(days=30),
                    approved_on=DISBURSED_ON - timedelta(days=5),
                    disbursed_on=DISBURSED_ON if disbursed else None,
                    disbursed_at_point=point if disbursed else None,
                    session_day=15 if disbursed else None,
                    maturity_on=date(2029, 3, 15) if disbursed else None,
                    annual_rate=terms.annual_rate if disbursed else None,
                    overdue_rate=terms.annual_rate * terms.overdue_factor if disbursed else None,
                    status=("overdue" if overdue else "in_term") if disbursed else "approved",
                    status_changed_on=DISBURSED_ON,
                    principal_in_term=0 if overdue or not disbursed else amount,
                    principal_overdue=amount if overdue else 0,
                    interest_accrued_from=date(*MONTH, 1) if disbursed else None,
                    interest_posted_through=date(*MONTH, 1) - timedelta(days=1)
                    if disbursed
                    else None,
                    created_by=staff,
                )
            )
        Loan.objects.bulk_create(loans, batch_size=5_000)
        if status == "in_term":
            _disbursement_entries(branch, staff, loans)
    return {"branch": branch.pk, "staff": staff.pk}


def _disbursement_entries(branch, staff, loans) -> None:
    """The loans' principal on the books (Dr 2111/2112.01 per loan, Cr 1011 per office), so
    the kept balances equal their lines."""
    from django.db import connection

    from policylend.ledger.models import Account, JournalEntry

    accounts = dict(Account.objects.values_list("code", "id"))
    recorded = datetime.now(UTC)
    chunks = [loans[i : i + LOANS_PER_ENTRY] for i in range(0, len(loans), LOANS_PER_ENTRY)]
    entries = JournalEntry.objects.bulk_create(
        [
            JournalEntry(
                branch=branch,
                value_date=DISBURSED_ON,
                kind="disbursement",
                memo="Bench loans disbursed",
                idempotency_key=f"bench.disbursement:{number}",
                content_hash="bench",
                maker=staff,
                recorded_at=recorded,
            )
            for number in range(len(chunks))
        ]
    )
    rows = []
    for entry, chunk in zip(entries, chunks, strict=True):
        per_office: dict[int, int] = {}
        for loan in chunk:
            account = "2112.01" if loan.principal_overdue else "2111.01"
            amount = loan.principal_in_term + loan.principal_overdue
            rows.append(
                (
                    entry.pk,
                    branch.pk,
                    DISBURSED_ON,
                    accounts[account],
                    amount,
                    loan.office_id,
                    None,
                    None,
                    loan.pk,
                )
            )
            per_office[loan.office_id] = per_office.get(loan.office_id, 0) + amount
        for office_id, amount in per_office.items():
            rows.append(
                (
                    entry.pk,
                    branch.pk,
                    DISBURSED_ON,
                    accounts["1011"],
                    -amount,
                    office_id,
                    None,
                    None,
                    None,
                )
            )
    columns = "entry_id, branch_id, value_date, account_id, amount, office_id, association_id, group_ref, loan_ref"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY ledger_journalline ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            cursor.executemany(
                f"INSERT INTO ledger_journalline ({columns}) VALUES ({', '.join(['%s'] * 9)})",
                [(*row[:2], row[2].isoformat(), *row[3:]) for row in rows],
            )


# --- the measuring process ------------------------------------------------------------------------


def measure() -> dict:
    setup_django()
    from django.db import connection

    from policylend.core.periods import Month
    from policylend.ledger.models import JournalEntry, JournalLine
    from policylend.ledger.verification import verify_ledger
    from policylend.loans.models import Loan
    from policylend.loans.services.accrual import interest_accrual_run
    from policylend.organisation.models import OrganisationUnit
    from policylend.users.models import User

    branch = OrganisationUnit.objects.get(code="740")
    staff = User.objects.get(username="bench.staff")
    loans = Loan.objects.count()
    memory_before = peak_memory_mb()
    start = perf_counter()
    run = interest_accrual_run(actor=staff, branch=branch, month=Month(*MONTH), today=TODAY)
    service_seconds = perf_counter() - start
    memory_peak = peak_memory_mb()
    entries = list(
        JournalEntry.objects.filter(kind="interest_accrual").values_list(
            "id", "branch_id", "value_date", "kind", "memo", "maker_id"
        )
    )
    lines = list(
        JournalLine.objects.filter(entry__kind="interest_accrual").values_list(
            "entry_id",
            "branch_id",
            "account_id",
            "value_date",
            "amount",
            "office_id",
            "association_id",
            "group_ref",
            "loan_ref",
        )
    )
    verification = verify_ledger()
    copy_seconds = (
        measure_copy(os.environ["DATABASE_URL"], entries, lines)
        if connection.vendor == "postgresql"
        else None
    )
    return {
        "vendor": connection.vendor,
        "loans": loans,
        "loans_posted": run.loans,
        "interest": run.interest,
        "penalty": run.penalty,
        "entries": len(entries),
        "lines": len(lines),
        "service_seconds": service_seconds,
        "copy_seconds": copy_seconds,
        "peak_memory_mb": memory_peak,
        "peak_memory_before_mb": memory_before,
        "ledger_clean": verification.ok,
        "problems": verification.problems[:3],
    }


def measure_copy(url: str, entries: list, lines: list) -> float:
    """The same entries and lines with COPY in one transaction; the deferred balance checks run
    (SET CONSTRAINTS ALL IMMEDIATE) before the clock stops; then everything is rolled back."""
    import psycopg

    recorded = datetime.now(UTC)
    with psycopg.connect(url) as connection, connection.cursor() as cursor:
        start = perf_counter()
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence('ledger_journalentry', 'id')) "
            "FROM generate_series(1, %s)",
            [len(entries)],
        )
        ids = dict(zip((e[0] for e in entries), (row[0] for row in cursor.fetchall()), strict=True))
        with cursor.copy(
            "COPY ledger_journalentry (id, branch_id, value_date, kind, memo, idempotency_key, "
            "content_hash, maker_id, recorded_at) FROM STDIN"
        ) as copy:
            for entry_id, branch_id, value_date, kind, memo, maker_id in entries:
                copy.write_row(
                    (
                        ids[entry_id],
                        branch_id,
                        value_date,
                        kind,
                        memo,
                        f"copy:{entry_id}",
                        "copy",
                        maker_id,
                        recorded,
                    )
                )
        with cursor.copy(
            "COPY ledger_journalline (entry_id, branch_id, account_id, value_date, amount, "
            "office_id, association_id, group_ref, loan_ref) FROM STDIN"
        ) as copy:
            for line in lines:
                copy.write_row((ids[line[0]], *line[1:]))
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        seconds = perf_counter() - start
        connection.rollback()
        return seconds


def setup() -> dict:
    setup_django()
    start = perf_counter()
    build_loans(LOANS)
    return {"setup_seconds": perf_counter() - start}


# --- the driving process -----------------------------------------------------------------------------


def figures_of(run: dict) -> list[dict]:
    vendor = run["vendor"]
    judged = vendor == "postgresql" and run["loans"] >= 90_000
    figures = [
        {
            "database": vendor,
            "figure": f"month-end accrual of {run['loans']:,} loans (service)",
            "value": round(run["service_seconds"], 2),
            "unit": "s",
            "target": f"<= {SECONDS_TARGET:g}" if judged else None,
            "pass": run["service_seconds"] <= SECONDS_TARGET if judged else None,
        },
        {
            "database": vendor,
            "figure": "month-end accrual: peak memory of the process",
            "value": round(run["peak_memory_mb"]),
            "unit": "MB",
            "target": f"<= {MEMORY_TARGET_MB}" if judged else None,
            "pass": run["peak_memory_mb"] <= MEMORY_TARGET_MB if judged else None,
        },
        {
            "database": vendor,
            "figure": "month-end accrual: ledger verified clean after the run",
            "value": 1 if run["ledger_clean"] else 0,
            "unit": "yes=1",
            "target": "1",
            "pass": run["ledger_clean"],
        },
    ]
    if run["copy_seconds"]:
        figures += [
            {
                "database": vendor,
                "figure": f"raw limit: the same {run['lines']:,} lines with COPY",
                "value": round(run["copy_seconds"], 2),
                "unit": "s",
                "target": None,
                "pass": None,
            },
            {
                "database": vendor,
                "figure": "service / COPY",
                "value": round(run["service_seconds"] / run["copy_seconds"], 2),
                "unit": "ratio",
                "target": None,
                "pass": None,
            },
        ]
    return figures


def _child(environment, flag: str) -> dict:
    return child_json(__file__, [flag], environment, NAME)


def run_on(vendor: str) -> dict:
    with fresh_database(vendor) as environment:
        prepared = _child(environment, "--setup")
        return {**_child(environment, "--measure"), **prepared}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--setup", action="store_true", help="write the loans on DATABASE_URL")
    parser.add_argument("--measure", action="store_true", help="measure on DATABASE_URL")
    parser.add_argument("--only", choices=["postgresql", "sqlite"], help="one database only")
    args = parser.parse_args()
    if args.setup:
        print(json.dumps(setup()))
        return 0
    if args.measure:
        print(json.dumps(measure()))
        return 0
    runs = [run_on(vendor) for vendor in ([args.only] if args.only else ["postgresql"])]
    figures = [figure for run in runs for figure in figures_of(run)]
    path = write_result(NAME, {"runs": runs, "figures": figures})
    print_figures(figures)
    print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
