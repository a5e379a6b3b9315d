"""Benchmark: disbursing through the service, one loan per call, on PostgreSQL 15 (a throwaway
cluster) and SQLite.

Each call of ``loans.services.disbursement.loan_disburse`` checks the loan and the place, posts
Dr 2111.01 / Cr 1011 with its own idempotency key, builds schedule version 1 and its instalments
by the rule, records the rate, the loan transaction and the status change — what a teller's
click costs. The approved loans are a bench-only fixture (``bench.accrual.build_loans``).
Figure: loans disbursed per second. Run by ``make bench``; writes ``bench/results/disburse.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import date
from pathlib import Path
from time import perf_counter

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, child_json, fresh_database, print_figures, setup_django, write_result

NAME = "disburse"
LOANS = int(os.environ.get("BENCH_DISBURSE_LOANS", "1000"))
WARM_UP = 50
DISBURSED_ON = date(2026, 3, 15)
TODAY = date(2026, 11, 25)


def measure(count: int) -> dict:
    setup_django()
    from django.db import connection

    from bench.accrual import build_loans
    from policylend.ledger.verification import verify_ledger
    from policylend.loans.models import Instalment, Loan
    from policylend.loans.services.disbursement import loan_disburse
    from policylend.organisation.models import TransactionPoint
    from policylend.users.services import user_create

    start = perf_counter()
    ids = build_loans(WARM_UP + count, status="approved", offices=1)
    setup_seconds = perf_counter() - start
    office_loans = list(Loan.objects.order_by("pk"))
    point = TransactionPoint.objects.get(commune_id=office_loans[0].commune_id)
    teller = user_create(
        actor=None,
        username="bench.teller",
        full_name="Bench teller",
        role="teller",
        scope_unit=office_loans[0].office,
        password="Bench-disburse-2026-loans",
    )

    def disburse(loan) -> None:
        loan_disburse(
            actor=teller,
            loan=loan,
            disbursed_on=DISBURSED_ON,
            today=TODAY,
            idempotency_key=f"bench-{loan.pk}",
            at_point=point,
        )

    for loan in office_loans[:WARM_UP]:
        disburse(loan)
    start = perf_counter()
    for loan in office_loans[WARM_UP:]:
        disburse(loan)
    seconds = perf_counter() - start
    verification = verify_ledger()
    return {
        "vendor": connection.vendor,
        "loans": count,
        "seconds": seconds,
        "loans_per_second": count / seconds,
        "setup_seconds": setup_seconds,
        "instalments": Instalment.objects.count(),
        "in_term": Loan.objects.filter(status="in_term").count(),
        "ledger_clean": verification.ok,
        "problems": verification.problems[:3],
        "branch": ids["branch"],
    }


def figures_of(run: dict) -> list[dict]:
    vendor = run["vendor"]
    return [
        {
            "database": vendor,
            "figure": "loans disbursed per second (service, one per call)",
            "value": round(run["loans_per_second"], 1),
            "unit": "loans/s",
            "target": None,
            "pass": None,
        },
        {
            "database": vendor,
            "figure": "disbursement: ledger verified clean after the run",
            "value": 1 if run["ledger_clean"] else 0,
            "unit": "yes=1",
            "target": "1",
            "pass": run["ledger_clean"] and run["in_term"] == run["loans"] + WARM_UP,
        },
    ]


def run_on(vendor: str) -> dict:
    with fresh_database(vendor) as environment:
        return child_json(__file__, ["--measure", "--loans", str(LOANS)], environment, NAME)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--measure", action="store_true", help="measure on DATABASE_URL")
    parser.add_argument("--loans", type=int, default=LOANS)
    parser.add_argument("--only", choices=["postgresql", "sqlite"], help="one database only")
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.loans)))
        return 0
    runs = [run_on(vendor) for vendor in ([args.only] if args.only else ["postgresql", "sqlite"])]
    figures = [figure for run in runs for figure in figures_of(run)]
    path = write_result(NAME, {"runs": runs, "figures": figures})
    print_figures(figures, width=52)
    print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
