"""Benchmark: searching a province's 90,000 households, on PostgreSQL 15 (a throwaway cluster)
and SQLite.

The households (the same deterministic province as ``bench/import_households.py``: 90,000 heads
with national IDs and phones, 60,000 more members, in 900 villages of 10 transaction offices)
are registered through ``households_create_bulk``. Then the household list's search — the
``households.selectors.household_list`` selector, counted and its first page of 50 read, as the
list page does — is timed for the queries a branch officer types: a name without accents, a
name with accents, a given name alone, the last four digits of a national ID, part of a phone
number, a customer code and its commune prefix; as an office user (one office: 9,000 households)
and as a branch user (all 90,000).

Target (issue 3): p95 ≤ 100 ms. Run by ``make bench``; writes
``bench/results/search_households.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
from pathlib import Path
from time import perf_counter

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, child_json, fresh_database, print_figures, setup_django, write_result

NAME = "search_households"
HOUSEHOLDS = int(os.environ.get("BENCH_SEARCH_HOUSEHOLDS", "90000"))
REPEATS = 15
P95_TARGET_MS = 100
PAGE = 50
BATCH = 5_000


def load_households(count: int):
    """The import benchmark's province, registered in bulk by the households service; returns
    the branch staff user it creates."""
    from datetime import date

    from bench.import_households import GROUP_SIZE, build_organisation, name_of, village_codes
    from policylend.households.services import HouseholdInput, PersonInput, households_create_bulk
    from policylend.organisation.models import OrganisationUnit

    staff = build_organisation()
    villages = {
        u.code: u for u in OrganisationUnit.objects.filter(kind="village").select_related("parent")
    }
    codes = village_codes()
    rows = []
    for n in range(count):
        sex = "male" if n % 3 else "female"
        head = PersonInput(
            full_name=name_of(n, "Nam" if sex == "male" else "Nữ"),
            sex=sex,
            relationship="head",
            birth_date=date(1950 + n % 50, 1 + n % 12, 1 + n % 28),
            national_id=f"0{20 + n % 10}{n:09d}",
        )
        members = ()
        if n % 3 != 2:
            members = (
                PersonInput(
                    full_name=name_of(n + 7, "Nữ" if sex == "male" else "Nam"),
                    sex="female" if sex == "male" else "male",
                    relationship="spouse",
                    national_id=f"0{30 + n % 10}{n:09d}" if n % 2 else None,
                ),
            )
        rows.append(
            HouseholdInput(
                village=villages[codes[n // (2 * GROUP_SIZE)]],
                head=head,
                members=members,
                phone=f"09{n:08d}",
                ethnicity=("Tày", "Nùng", "Kinh", "Dao")[n % 4],
            )
        )
        if len(rows) == BATCH:
            households_create_bulk(actor=None, rows=rows)
            rows = []
    if rows:
        households_create_bulk(actor=None, rows=rows)
    return staff


def queries() -> list[tuple[str, str]]:
    """What an officer types, taken from the register itself so that each query finds what
    it should (a name typed without accents finds the name written with them)."""
    from policylend.core.text import fold
    from policylend.households.models import Household

    households = Household.objects.order_by("pk").select_related("head")
    sample = households[4321]
    first, second, third = (households[n].head.full_name.split() for n in (1234, 56789, 77777))
    return [
        ("name without accents", fold(" ".join(first[:3]))),
        ("name with accents", " ".join(second[:3])),
        ("surname and given name", fold(f"{third[0]} {third[-1]}")),
        ("given name alone", fold(third[-1])),
        ("national ID, last 4 digits", sample.head.national_id[-4:]),
        ("phone, 7 digits", sample.phone[:7]),
        ("phone, all 10 digits", sample.phone),
        ("customer code", sample.code),
        ("commune prefix of codes", sample.code[:6]),
    ]


def measure(count: int) -> dict:
    setup_django()
    from django.core.paginator import Paginator
    from django.db import connection

    from policylend.households.selectors import household_list
    from policylend.organisation.models import OrganisationUnit
    from policylend.users.services import user_create

    start = perf_counter()
    staff = load_households(count)
    load_seconds = perf_counter() - start
    if connection.vendor == "postgresql":
        # What autovacuum does soon after a bulk load: statistics for the planner.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    office = OrganisationUnit.objects.get(code="7401")
    viewers = {
        "office": user_create(
            actor=None,
            username="bench.officer",
            full_name="Bench officer",
            role="credit_officer",
            scope_unit=office,
            password="Bench-search-2026-households",
        ),
        "branch": staff,
    }
    timings: dict[str, list[float]] = {}
    per_query: list[dict] = []
    for scope, viewer in viewers.items():
        for label, text in queries():
            found = None
            times = []
            for _ in range(REPEATS):
                start = perf_counter()
                paginator = Paginator(household_list(viewer, search=text), PAGE)
                page = paginator.get_page(1)
                rows = list(page)
                found = paginator.count
                times.append((perf_counter() - start) * 1000)
                assert len(rows) <= PAGE
            timings.setdefault(scope, []).extend(times[1:])  # the first run warms the caches
            per_query.append(
                {
                    "scope": scope,
                    "query": label,
                    "found": found,
                    "median_ms": round(statistics.median(times[1:]), 2),
                    "max_ms": round(max(times[1:]), 2),
                }
            )
    return {
        "vendor": connection.vendor,
        "households": count,
        "load_seconds": load_seconds,
        "timings": {scope: sorted(values) for scope, values in timings.items()},
        "queries": per_query,
    }


def percentile(values: list[float], fraction: float) -> float:
    values = sorted(values)
    index = min(len(values) - 1, max(0, round(fraction * (len(values) - 1))))
    return values[index]


def figures_of(run: dict, full: bool) -> list[dict]:
    figures = []
    for scope, values in run["timings"].items():
        p50, p95 = percentile(values, 0.5), percentile(values, 0.95)
        figures += [
            {
                "database": run["vendor"],
                "figure": f"household search as a {scope} user, p50",
                "value": round(p50, 1),
                "unit": "ms",
                "target": None,
                "pass": None,
            },
            {
                "database": run["vendor"],
                "figure": f"household search as a {scope} user, p95",
                "value": round(p95, 1),
                "unit": "ms",
                "target": f"<= {P95_TARGET_MS}" if full else None,
                "pass": p95 <= P95_TARGET_MS if full else None,
            },
        ]
    return figures


def run_on(vendor: str, count: int) -> dict:
    with fresh_database(vendor) as environment:
        return child_json(__file__, ["--measure", "--households", str(count)], environment, NAME)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--measure", action="store_true", help="measure on DATABASE_URL, print JSON"
    )
    parser.add_argument("--households", type=int, default=HOUSEHOLDS)
    parser.add_argument("--only", choices=["postgresql", "sqlite"], help="one database only")
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.households)))
        return 0
    runs = [
        run_on(vendor, args.households)
        for vendor in ([args.only] if args.only else ["postgresql", "sqlite"])
    ]
    full = args.households >= 90_000
    figures = [figure for run in runs for figure in figures_of(run, full)]
    for run in runs:
        run.pop("timings")
    if full:
        path = write_result(NAME, {"runs": runs, "figures": figures})
        print(f"wrote {path.relative_to(ROOT)}")
    for run in runs:
        for query in run["queries"]:
            print(
                f"{run['vendor']:<11} {query['scope']:<7} {query['query']:<30} "
                f"{query['found']:>7} found  median {query['median_ms']:>7.1f} ms  max {query['max_ms']:>7.1f} ms"
            )
    print_figures(figures, width=44)
    return 0


if __name__ == "__main__":
    sys.exit(main())
