"""Month-end accrual (domain.md §6.6, worked-examples.md): interest rounded half up once per
month, posted Dr 3941 per loan / Cr 7021-7022 per office, idempotent per loan and month."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from policylend.core.errors import DomainError
from policylend.core.periods import Month
from policylend.ledger.models import JournalLine

from ..models import AccrualRun, LoanStatus
from ..services.accrual import interest_accrual_run
from ..services.repayment import loan_repay
from .servicing_setup import assert_books_clean, new_loan, staff, world  # noqa: F401

JULY = Month(2026, 7)


def run(org, staff, month, today=date(2026, 11, 25)):  # noqa: F811
    return interest_accrual_run(actor=staff.staff, branch=org.branch, month=month, today=today)


@pytest.mark.django_db
def test_thirty_million_for_31_days_is_170500(org, staff):  # noqa: F811
    loan = new_loan(org, staff, amount=30_000_000, disbursed_on=date(2026, 7, 1))

    accrual = run(org, staff, JULY)

    loan.refresh_from_db()
    assert (accrual.loans, accrual.interest, accrual.penalty) == (1, 170_500, 0)
    assert loan.interest_receivable == 170_500
    assert loan.interest_current == 170_500
    assert loan.interest_pending_micro == 0
    assert loan.interest_accrued_from == date(2026, 8, 1)
    assert loan.interest_posted_through == date(2026, 7, 31)
    lines = JournalLine.objects.filter(entry=accrual.entry).select_related("account")
    assert sorted((line.account.code, line.amount, line.loan_ref) for line in lines) == [
        ("3941", 170_500, loan.pk),
        ("7021", -170_500, None),
    ]
    assert_books_clean()


@pytest.mark.django_db
def test_running_twice_posts_nothing_the_second_time(org, staff):  # noqa: F811
    loan = new_loan(org, staff, amount=30_000_000, disbursed_on=date(2026, 7, 1))
    run(org, staff, JULY)

    again = run(org, staff, JULY)

    loan.refresh_from_db()
    assert (again.loans, again.interest, again.entry) == (0, 0, None)
    assert loan.interest_receivable == 170_500
    assert AccrualRun.objects.count() == 2
    assert_books_clean()


@pytest.mark.django_db
def test_a_month_not_ended_is_refused(org, staff):  # noqa: F811
    new_loan(org, staff, amount=30_000_000, disbursed_on=date(2026, 7, 1))
    with translation.override("en"), pytest.raises(DomainError) as refused:
        run(org, staff, Month(2026, 11))
    assert "30/11/2026" in refused.value.problems[0].message


@pytest.mark.django_db
def test_repayment_mid_month_interest_is_the_segments_rounded_once(org, staff):  # noqa: F811
    # given 50,000,000 for 10 days, then 33,400,000 for 21 days, at 6.6 %
    loan = new_loan(org, staff, amount=50_000_000, disbursed_on=date(2026, 7, 1))
    loan_repay(
        actor=staff.teller,
        loan=loan,
        paid_on=date(2026, 7, 11),
        today=date(2026, 11, 25),
        principal=16_600_000,
        idempotency_key="early-1",
    )

    accrual = run(org, staff, JULY)

    loan.refresh_from_db()
    assert accrual.interest == 220_257
    assert loan.interest_receivable == 220_257
    assert loan.principal_in_term == 33_400_000
    assert_books_clean()


@pytest.mark.django_db
def test_arrears_and_current_after_two_months(org, staff):  # noqa: F811
    loan = new_loan(org, staff, amount=30_000_000, disbursed_on=date(2026, 7, 1))
    run(org, staff, JULY)

    run(org, staff, Month(2026, 8))

    loan.refresh_from_db()
    assert loan.interest_current == 170_500  # August: 31 days again
    assert loan.interest_arrears == 170_500  # July, unpaid
    assert loan.interest_receivable == 341_000


@pytest.mark.django_db
def test_frozen_and_settled_loans_are_not_read(org, staff):  # noqa: F811
    loan = new_loan(org, staff, amount=30_000_000, disbursed_on=date(2026, 7, 1))
    type(loan).objects.filter(pk=loan.pk).update(status=LoanStatus.FROZEN)

    accrual = run(org, staff, JULY)

    assert (accrual.loans, accrual.interest) == (0, 0)


@pytest.mark.django_db
def test_many_loans_make_several_entries_and_stay_clean(org, staff, monkeypatch):  # noqa: F811
    from ..services import accrual as module

    monkeypatch.setattr(module, "LOANS_PER_ENTRY", 2)
    loans = [
        new_loan(org, staff, amount=30_000_000, disbursed_on=date(2026, 7, 1), household=n)
        for n in range(5)
    ]

    accrual = run(org, staff, JULY)

    assert (accrual.loans, accrual.interest) == (5, 5 * 170_500)
    for loan in loans:
        loan.refresh_from_db()
        assert loan.interest_receivable == 170_500
    assert_books_clean()


@given(
    principal=st.integers(min_value=0, max_value=10**12),
    rate=st.decimals(min_value=0, max_value=Decimal("0.5"), places=10),
    days=st.integers(min_value=0, max_value=4000),
)
def test_integer_interest_equals_the_rule(principal, rate, days):
    from ..interest import interest_micro, micro_to_dong
    from ..services.accrual import _dong, _micro, _rate_units

    micro = _micro(principal, _rate_units(rate), days)
    assert micro == interest_micro(principal, rate, days)
    assert _dong(micro) == micro_to_dong(micro)
