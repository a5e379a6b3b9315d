"""A programme version that applies to loans already disbursed (social housing 5.4 % from
10/10/2025, domain.md §5) reprices them from its date: the month that holds the date accrues
each stretch at its own rate."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from policylend.core.periods import Month
from policylend.ledger.verification import verify_ledger
from policylend.programmes.models import Programme

from ..interest import interest_micro, micro_to_dong
from ..models import Loan
from ..services.accrual import interest_accrual_run
from ..services.disbursement import loan_disburse
from .origination_setup import approved_loan, world  # noqa: F401

pytestmark = pytest.mark.django_db

OLD, NEW = Decimal("0.066"), Decimal("0.054")


@pytest.fixture
def housing_loan(world, make_user):  # noqa: F811
    loan = approved_loan(
        world,
        programme=Programme.objects.get(code="12"),
        amount=100_000_000,
        term_months=60,
        programme_fields={"contract_value": 200_000_000},
    )
    loan_disburse(
        actor=world.teller,
        loan=loan,
        disbursed_on=date(2025, 6, 2),
        today=date(2026, 11, 25),
        idempotency_key="reprice-housing",
    )
    return Loan.objects.get(pk=loan.pk)


def test_a_housing_loan_of_june_2025_bears_5_4_percent_from_10_october(
    housing_loan,
    world,  # noqa: F811
    make_user,
):
    # given a loan disbursed at 6.6 % before the version of 10/10/2025 that applies to it
    staff = make_user("branch_staff", world.org.branch, username="reprice-staff")
    assert housing_loan.annual_rate == OLD
    assert list(housing_loan.rates.values_list("effective_from", "annual_rate")) == [
        (date(2025, 6, 2), OLD),
        (date(2025, 10, 10), NEW),
    ]
    # when September and October are accrued
    for month in (Month(2025, 6), Month(2025, 7), Month(2025, 8), Month(2025, 9)):
        interest_accrual_run(
            actor=staff, branch=world.org.branch, month=month, today=date(2026, 11, 25)
        )
    before = Loan.objects.get(pk=housing_loan.pk).interest_receivable
    interest_accrual_run(
        actor=staff, branch=world.org.branch, month=Month(2025, 10), today=date(2026, 11, 25)
    )
    # then October is 9 days at 6.6 % and 22 days at 5.4 %, rounded once
    loan = Loan.objects.get(pk=housing_loan.pk)
    expected = micro_to_dong(
        interest_micro(100_000_000, OLD, 9) + interest_micro(100_000_000, NEW, 22)
    )
    assert loan.interest_receivable - before == expected == 165_000 + 330_000
    assert loan.annual_rate == NEW
    # and November is all at the new rate
    interest_accrual_run(
        actor=staff, branch=world.org.branch, month=Month(2025, 11), today=date(2026, 11, 25)
    )
    november = Loan.objects.get(pk=housing_loan.pk).interest_receivable - loan.interest_receivable
    assert november == micro_to_dong(interest_micro(100_000_000, NEW, 30)) == 450_000
    assert verify_ledger().problems == []
