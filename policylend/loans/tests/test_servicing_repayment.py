"""Repayment, overdue, settlement and reversal through the services (domain.md §6.6–§6.11), with
the books checked after each step (verify_ledger clean)."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import translation

from policylend.approvals.services import approval_request_approve
from policylend.core.errors import DomainError
from policylend.core.periods import Month

from ..error_codes import ServicingErrorCode as E
from ..models import Instalment, InstalmentStatus, LoanStatus, LoanTransaction, TransactionKind
from ..services.accrual import interest_accrual_run
from ..services.overdue import overdue_run
from ..services.repayment import loan_repay
from ..services.reversal import loan_transaction_reversal_propose
from .servicing_setup import assert_books_clean, new_loan, staff, world  # noqa: F401

TODAY = date(2026, 11, 25)
_keys = {"n": 0}


def repay(staff, loan, paid_on, *, interest=0, principal=0, today=TODAY, key=None):  # noqa: F811
    _keys["n"] += 1
    return loan_repay(
        actor=staff.teller,
        loan=loan,
        paid_on=paid_on,
        today=today,
        interest=interest,
        principal=principal,
        idempotency_key=key or f"repay-{_keys['n']}",
    )


def accrue(org, staff, month, today=TODAY):  # noqa: F811
    return interest_accrual_run(actor=staff.staff, branch=org.branch, month=month, today=today)


def reverse(staff, record, reason="Wrong amount keyed", today=TODAY):  # noqa: F811
    request = loan_transaction_reversal_propose(
        actor=staff.officer, transaction=record, reason=reason, today=today
    )
    approval_request_approve(request_id=request.pk, checker=staff.controller, today=today)


@pytest.fixture
def overdue_loan(org, staff):  # noqa: F811
    """49,800,000 over 36 months, yearly: three instalments of 16,600,000; the first, collected
    at the session of 21/10/2026, is not paid and is overdue from 22/10/2026."""
    loan = new_loan(org, staff, amount=49_800_000, disbursed_on=date(2025, 10, 21))
    moved = overdue_run(
        actor=staff.officer, unit=org.office_a, session_date=date(2026, 10, 21), today=TODAY
    )
    assert moved == 1
    loan.refresh_from_db()
    return loan


@pytest.mark.django_db
def test_overdue_run_moves_the_unpaid_instalment(org, staff, overdue_loan):  # noqa: F811
    loan = overdue_loan
    first = Instalment.objects.filter(loan=loan).order_by("number").first()
    assert (first.principal, first.status, first.overdue_from) == (
        16_600_000,
        InstalmentStatus.OVERDUE,
        date(2026, 10, 22),
    )
    assert loan.status == LoanStatus.OVERDUE
    assert (loan.principal_in_term, loan.principal_overdue) == (33_200_000, 16_600_000)
    assert loan.interest_accrued_from == date(2026, 10, 22)
    assert_books_clean()
    # Running it again moves nothing.
    assert (
        overdue_run(
            actor=staff.officer, unit=org.office_a, session_date=date(2026, 10, 21), today=TODAY
        )
        == 0
    )


@pytest.mark.django_db
def test_overdue_principal_bears_130_percent(org, staff, overdue_loan):  # noqa: F811
    loan = overdue_loan
    accrue(org, staff, Month(2026, 10))
    loan.refresh_from_db()
    penalty_october = loan.penalty_receivable

    november = accrue(org, staff, Month(2026, 11), today=date(2026, 12, 1))

    loan.refresh_from_db()
    # 16,600,000 overdue for 30 days at 130 % × 6.6 % = 8.58 %: 118,690 (worked-examples.md);
    # 33,200,000 in term for 30 days at 6.6 %: 182,600.
    assert loan.penalty_receivable - penalty_october == 118_690
    assert november.penalty == 118_690
    assert loan.interest_current == 182_600
    assert_books_clean()


@pytest.mark.django_db
def test_waterfall_penalty_then_arrears_then_current_then_overdue_principal(
    org,
    staff,  # noqa: F811
    overdue_loan,
):
    loan = overdue_loan
    accrue(org, staff, Month(2026, 10))
    accrue(org, staff, Month(2026, 11), today=date(2026, 12, 1))
    loan.refresh_from_db()
    penalty, arrears, current = (
        loan.penalty_receivable,
        loan.interest_arrears,
        loan.interest_current,
    )
    assert penalty and arrears and current

    record = repay(
        staff,
        loan,
        date(2026, 12, 1),
        interest=penalty + arrears + 1_000,
        principal=16_600_000 + 100_000,
        today=date(2026, 12, 1),
    )

    loan.refresh_from_db()
    assert (loan.penalty_receivable, loan.interest_arrears) == (0, 0)
    assert loan.interest_current == current - 1_000
    assert (loan.principal_overdue, loan.principal_in_term) == (0, 33_100_000)
    assert loan.status == LoanStatus.IN_TERM
    first, second, _third = Instalment.objects.filter(loan=loan).order_by("number")
    assert (first.status, first.principal_paid) == (InstalmentStatus.PAID, 16_600_000)
    assert (second.status, second.principal_paid) == (InstalmentStatus.PENDING, 100_000)
    assert record.cash == penalty + arrears + 1_000 + 16_700_000
    assert [share["principal"] for share in record.instalments] == [16_600_000, 100_000]
    assert_books_clean()


@pytest.mark.django_db
def test_overpayment_is_refused_with_the_numbers(org, staff):  # noqa: F811
    loan = new_loan(org, staff, amount=30_000_000, disbursed_on=date(2026, 7, 1))
    accrue(org, staff, Month(2026, 7))

    with translation.override("en"), pytest.raises(DomainError) as refused:
        repay(staff, loan, date(2026, 8, 11), interest=170_501)
    assert refused.value.problems[0].code == E.OVERPAYMENT_INTEREST
    assert "170,501" in refused.value.problems[0].message
    assert "170,500" in refused.value.problems[0].message

    with pytest.raises(DomainError) as refused:
        repay(staff, loan, date(2026, 8, 11), principal=30_000_001)
    assert refused.value.problems[0].code == E.OVERPAYMENT_PRINCIPAL
    # Paying what is owed is accepted.
    repay(staff, loan, date(2026, 8, 11), interest=170_500)
    assert_books_clean()


@pytest.mark.django_db
def test_settlement_posts_interest_to_the_day_and_closes(org, staff):  # noqa: F811
    loan = new_loan(org, staff, amount=30_000_000, disbursed_on=date(2026, 7, 1))
    accrue(org, staff, Month(2026, 7))
    # 1/8–10/8: 30,000,000 × 6.6 % × 10 / 360 = 55,000 accrued, not yet posted.
    with pytest.raises(DomainError):
        repay(staff, loan, date(2026, 8, 11), interest=225_499, principal=30_000_000)

    repay(staff, loan, date(2026, 8, 11), interest=225_500, principal=30_000_000)

    loan.refresh_from_db()
    assert loan.status == LoanStatus.SETTLED
    assert loan.settled_on == date(2026, 8, 11)
    assert loan.principal_outstanding == loan.interest_receivable == 0
    to_date = LoanTransaction.objects.get(loan=loan, kind=TransactionKind.INTEREST_TO_DATE)
    assert to_date.interest == 55_000
    assert_books_clean()
    # A settled loan takes no more payments, and later month ends pass it by.
    with pytest.raises(DomainError):
        repay(staff, loan, date(2026, 8, 12), interest=1)
    assert accrue(org, staff, Month(2026, 8)).loans == 0


@pytest.mark.django_db
def test_repayment_is_idempotent_by_key(org, staff):  # noqa: F811
    loan = new_loan(org, staff, amount=30_000_000, disbursed_on=date(2026, 7, 1))
    first = repay(staff, loan, date(2026, 7, 21), principal=1_000_000, key="same")

    again = repay(staff, loan, date(2026, 7, 21), principal=1_000_000, key="same")

    assert again.pk == first.pk
    loan.refresh_from_db()
    assert loan.principal_in_term == 29_000_000
    with pytest.raises(DomainError) as refused:
        repay(staff, loan, date(2026, 7, 21), principal=2_000_000, key="same")
    assert refused.value.problems[0].code == E.KEY_REUSED


@pytest.mark.django_db
def test_reversal_of_settlement_restores_balances_and_status(org, staff):  # noqa: F811
    loan = new_loan(org, staff, amount=30_000_000, disbursed_on=date(2026, 7, 1))
    accrue(org, staff, Month(2026, 7))
    record = repay(staff, loan, date(2026, 8, 11), interest=225_500, principal=30_000_000)

    reverse(staff, record)

    loan.refresh_from_db()
    assert loan.status == LoanStatus.IN_TERM
    assert loan.settled_on is None
    assert loan.principal_in_term == 30_000_000
    assert loan.interest_receivable == 225_500
    assert not Instalment.objects.filter(loan=loan, principal_paid__gt=0).exists()
    undone = LoanTransaction.objects.get(loan=loan, kind=TransactionKind.REVERSAL)
    assert (undone.reverses_id, undone.principal_in_term, undone.cash) == (
        record.pk,
        30_000_000,
        -30_225_500,
    )
    assert_books_clean()
    # August's interest is then posted from the day of the reversed payment on.
    august = accrue(org, staff, Month(2026, 8))
    assert august.interest == 115_500  # 30,000,000 × 6.6 % × 21 / 360


@pytest.mark.django_db
def test_reversal_is_refused_when_a_later_step_depends_on_it(org, staff):  # noqa: F811
    loan = new_loan(org, staff, amount=30_000_000, disbursed_on=date(2026, 7, 1))
    first = repay(staff, loan, date(2026, 7, 21), principal=1_000_000)
    later = repay(staff, loan, date(2026, 7, 22), principal=1_000_000)

    with translation.override("en"), pytest.raises(DomainError) as refused:
        reverse(staff, first)
    assert refused.value.problems[0].code == E.LATER_DEPENDS
    assert f"#{later.pk}" in refused.value.problems[0].message

    reverse(staff, later)
    reverse(staff, first)
    loan.refresh_from_db()
    assert loan.principal_in_term == 30_000_000
    assert_books_clean()


@pytest.mark.django_db
def test_reversal_of_the_overdue_transfer(org, staff, overdue_loan):  # noqa: F811
    record = LoanTransaction.objects.get(loan=overdue_loan, kind=TransactionKind.OVERDUE_TRANSFER)

    reverse(staff, record)

    loan = overdue_loan
    loan.refresh_from_db()
    assert loan.status == LoanStatus.IN_TERM
    assert (loan.principal_in_term, loan.principal_overdue) == (49_800_000, 0)
    first = Instalment.objects.filter(loan=loan).order_by("number").first()
    assert (first.status, first.overdue_from) == (InstalmentStatus.PENDING, None)
    assert_books_clean()


@pytest.mark.django_db
def test_reversal_of_a_disbursement_with_nothing_after_it(org, staff):  # noqa: F811
    loan = new_loan(org, staff, amount=30_000_000, disbursed_on=date(2026, 11, 20))
    record = LoanTransaction.objects.get(loan=loan, kind=TransactionKind.DISBURSEMENT)

    reverse(staff, record, reason="Paid to the wrong household")

    loan.refresh_from_db()
    assert loan.status == LoanStatus.APPROVED
    assert (loan.principal_in_term, loan.disbursed_on, loan.interest_accrued_from) == (
        0,
        None,
        None,
    )
    assert not loan.schedule_versions.filter(is_current=True).exists()
    assert_books_clean()
