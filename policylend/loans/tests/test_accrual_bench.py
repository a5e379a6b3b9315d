"""The month-end accrual at the province scale (issue 4: ≈ 90,000 loans on PostgreSQL in ≤ 5 s).
Skipped unless POLICYLEND_BENCH_LOANS is set (e.g. 90000): it builds that many in-term loans
directly and times ``interest_accrual_run``; ``make bench`` has the full benchmark."""

from __future__ import annotations

import os
import time
from datetime import date
from decimal import Decimal

import pytest

from policylend.core.periods import Month
from policylend.households.rules import PersonInput
from policylend.households.services import household_create

from ..models import Loan, LoanStatus
from ..services.accrual import interest_accrual_run

LOANS = int(os.environ.get("POLICYLEND_BENCH_LOANS", "0"))


@pytest.mark.skipif(not LOANS, reason="set POLICYLEND_BENCH_LOANS to run")
@pytest.mark.django_db(transaction=True)
def test_month_end_accrual_at_scale(org, make_user):
    from policylend.programmes.models import Programme

    staff = make_user("branch_staff", org.branch)
    programme = Programme.objects.get(code="01")
    terms = programme.terms.order_by("effective_from").first()
    households = [
        household_create(
            actor=None,
            village=org.villages[village],
            head=PersonInput(full_name="Hoàng Văn An", sex="male", relationship="head"),
        )
        for village in ("20600101", "20700101")
    ]
    rate = Decimal("0.066")
    if os.environ.get("POLICYLEND_BENCH_FILLFACTOR"):
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(
                f"ALTER TABLE loans_loan SET (fillfactor = {int(os.environ['POLICYLEND_BENCH_FILLFACTOR'])})"
            )
    Loan.objects.bulk_create(
        (
            Loan(
                number=f"B-{n:08d}",
                household=household,
                borrower_id=household.head_id,
                programme=programme,
                terms=terms,
                branch_id=household.branch_id,
                office_id=household.office_id,
                commune_id=household.commune_id,
                village_id=household.village_id,
                amount_requested=30_000_000,
                term_months=36,
                repayment_interval_months=12,
                purpose="bench",
                applied_on=date(2026, 6, 1),
                disbursed_on=date(2026, 7, 1),
                annual_rate=rate,
                overdue_rate=rate * Decimal("1.3"),
                status=LoanStatus.IN_TERM,
                status_changed_on=date(2026, 7, 1),
                principal_in_term=30_000_000 - (n % 7) * 1_000_000,
                principal_overdue=(n % 11 == 0) * 5_000_000,
                interest_accrued_from=date(2026, 10, 1),
                created_by=staff,
            )
            for n, household in ((n, households[n % 2]) for n in range(LOANS))
        ),
        batch_size=5_000,
    )

    started = time.perf_counter()
    if os.environ.get("POLICYLEND_BENCH_PROFILE"):
        import cProfile
        import pstats

        profile = cProfile.Profile()
        run = profile.runcall(
            interest_accrual_run,
            actor=staff,
            branch=org.branch,
            month=Month(2026, 10),
            today=date(2026, 11, 25),
        )
        pstats.Stats(profile).sort_stats("cumulative").print_stats(30)
    else:
        run = interest_accrual_run(
            actor=staff, branch=org.branch, month=Month(2026, 10), today=date(2026, 11, 25)
        )
    seconds = time.perf_counter() - started

    print(f"\naccrual of {run.loans} loans: {seconds:.2f} s")
    assert run.loans == LOANS
