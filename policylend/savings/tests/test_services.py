"""Member savings through the services (domain.md §7), the books checked after each step."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import translation

from policylend.approvals.services import approval_request_approve
from policylend.core.errors import DomainError, Forbidden
from policylend.core.periods import Month
from policylend.ledger.models import JournalLine
from policylend.loans.models import LoanTransaction
from policylend.loans.services.accrual import interest_accrual_run
from policylend.loans.tests.servicing_setup import new_loan

from ..error_codes import SavingsErrorCode as E
from ..models import AccountStatus, SavingsAccount, SavingsTransaction
from ..models import SavingsTransactionKind as Kind
from ..selectors import savings_expected, savings_facts
from ..services import (
    savings_account_close,
    savings_interest_credit_run,
    savings_pay_loan_interest,
    savings_transaction_reversal_propose,
    savings_withdraw,
)
from .conftest import TODAY, assert_books_clean, deposit, key, open_account

pytestmark = pytest.mark.django_db


def lines_of(entry):
    return sorted(
        (line.account.code, line.amount, line.savings_account_ref)
        for line in JournalLine.objects.filter(entry=entry).select_related("account")
    )


def test_open_one_account_per_household_through_its_group(staff, account):
    assert account.group == staff.world.group
    assert account.number == "7401-TK-000001"
    assert (account.village_id, account.commune_id) == (
        staff.world.households[0].village_id,
        staff.world.households[0].commune_id,
    )
    with translation.override("en"), pytest.raises(DomainError) as refused:
        open_account(staff)
    assert refused.value.problems[0].code == E.ALREADY_OPEN
    # The sixth household is not a member of the group.
    with translation.override("en"), pytest.raises(DomainError) as refused:
        open_account(staff, household=5)
    assert refused.value.problems[0].code == E.NOT_GROUP_MEMBER
    with pytest.raises(DomainError) as refused:
        open_account(staff, household=1, plan=4_000)
    assert refused.value.problems[0].code == E.DEPOSIT_TOO_SMALL


def test_minimum_deposit_refused_and_accepted_side_by_side(staff, account):
    with translation.override("en"), pytest.raises(DomainError) as refused:
        deposit(staff, account, 4_999, date(2026, 1, 21))
    assert refused.value.problems[0].code == E.DEPOSIT_TOO_SMALL
    assert "5,000" in refused.value.problems[0].message.replace(".", ",")
    record = deposit(staff, account, 5_000, date(2026, 1, 21))
    account.refresh_from_db()
    assert account.balance == 5_000
    assert record.kind == Kind.DEPOSIT
    assert lines_of(record.entry) == [("1011", 5_000, None), ("4231", -5_000, account.pk)]
    assert_books_clean()


def test_deposit_is_idempotent_and_a_key_is_not_reused(staff, account):
    first = deposit(staff, account, 100_000, date(2026, 1, 21), idempotency_key="k-1")
    again = deposit(staff, account, 100_000, date(2026, 1, 21), idempotency_key="k-1")
    assert again.pk == first.pk and again.replayed
    with pytest.raises(DomainError) as refused:
        deposit(staff, account, 200_000, date(2026, 1, 21), idempotency_key="k-1")
    assert refused.value.problems[0].code == E.KEY_REUSED
    account.refresh_from_db()
    assert account.balance == 100_000
    assert_books_clean()


def test_withdrawal_over_the_balance_refused_within_accepted(staff, account):
    deposit(staff, account, 300_000, date(2026, 1, 21))
    with translation.override("en"), pytest.raises(DomainError) as refused:
        savings_withdraw(
            actor=staff.teller,
            account=account,
            amount=300_001,
            value_date=date(2026, 2, 21),
            today=TODAY,
            idempotency_key=key(),
        )
    assert refused.value.problems[0].code == E.OVER_BALANCE
    record = savings_withdraw(
        actor=staff.teller,
        account=account,
        amount=300_000,
        value_date=date(2026, 2, 21),
        today=TODAY,
        idempotency_key=key(),
    )
    account.refresh_from_db()
    assert (account.balance, record.amount) == (0, -300_000)
    assert lines_of(record.entry) == [("1011", -300_000, None), ("4231", 300_000, account.pk)]
    assert_books_clean()


def test_only_the_teller_moves_money(staff, account):
    with pytest.raises(Forbidden):
        savings_withdraw(
            actor=staff.officer,
            account=account,
            amount=5_000,
            value_date=date(2026, 2, 21),
            today=TODAY,
            idempotency_key=key(),
        )


def test_half_year_interest_worked_example_and_idempotent(org, staff):
    # 1,000,000 ₫ from 01/01 to 30/06 at 0.1 % a month: 1,000,000 × 0.012 × 180/360 = 6,000 ₫.
    account = open_account(staff, opened_on=date(2026, 1, 1))
    deposit(staff, account, 1_000_000, date(2026, 1, 1))
    other = open_account(staff, household=1, opened_on=date(2026, 1, 1))
    run = savings_interest_credit_run(
        actor=staff.staff, branch=org.branch, half_year_end=date(2026, 6, 30), today=TODAY
    )
    assert (run.accounts, run.credited, run.total) == (2, 1, 6_000)
    account.refresh_from_db()
    other.refresh_from_db()
    assert account.balance == 1_006_000
    assert account.interest_counted_from == other.interest_counted_from == date(2026, 6, 30)
    assert lines_of(run.entries[0]) == [("4231", -6_000, account.pk), ("8011", 6_000, None)]
    assert_books_clean()
    again = savings_interest_credit_run(
        actor=staff.staff, branch=org.branch, half_year_end=date(2026, 6, 30), today=TODAY
    )
    assert (again.accounts, again.total, again.entries) == (0, 0, [])
    account.refresh_from_db()
    assert account.balance == 1_006_000
    assert SavingsTransaction.objects.filter(account=account, kind=Kind.INTEREST).count() == 1
    # A deposit may no longer be dated in the credited half-year.
    with pytest.raises(DomainError) as refused:
        deposit(staff, account, 10_000, date(2026, 6, 29))
    assert refused.value.problems[0].code == E.DATE_TOO_EARLY
    with pytest.raises(DomainError) as refused:
        savings_interest_credit_run(
            actor=staff.staff, branch=org.branch, half_year_end=date(2026, 6, 29), today=TODAY
        )
    assert refused.value.problems[0].code == E.NOT_HALF_YEAR_END


def test_closing_credits_interest_to_the_day_and_pays_out(staff):
    account = open_account(staff, opened_on=date(2026, 7, 1))
    deposit(staff, account, 2_000_000, date(2026, 7, 1))
    closed = savings_account_close(
        actor=staff.teller,
        account=account,
        closed_on=date(2026, 9, 29),
        today=TODAY,
        idempotency_key="close-1",
    )
    # 2,000,000 × 0.012 × 90/360 = 6,000 ₫ of interest, then 2,006,000 paid out.
    assert (closed.status, closed.balance, closed.closed_on) == (
        AccountStatus.CLOSED,
        0,
        date(2026, 9, 29),
    )
    kinds = list(account.transactions.order_by("id").values_list("kind", "amount"))
    assert kinds == [(Kind.DEPOSIT, 2_000_000), (Kind.INTEREST, 6_000), (Kind.CLOSING, -2_006_000)]
    assert_books_clean()
    again = savings_account_close(
        actor=staff.teller,
        account=account,
        closed_on=date(2026, 9, 29),
        today=TODAY,
        idempotency_key="close-1",
    )
    assert again.replayed
    # A new account may be opened after the closing.
    assert open_account(staff, opened_on=date(2026, 10, 1)).number == "7401-TK-000002"


def test_pay_loan_interest_from_savings_moves_4231_to_3941(org, staff):
    loan = new_loan(org, staff, amount=30_000_000, disbursed_on=date(2026, 1, 21))
    interest_accrual_run(actor=staff.staff, branch=org.branch, month=Month(2026, 1), today=TODAY)
    loan.refresh_from_db()
    owed = loan.interest_receivable
    assert owed > 0
    account = open_account(staff, opened_on=date(2026, 1, 1))
    deposit(staff, account, 500_000, date(2026, 1, 21))
    with pytest.raises(DomainError) as refused:
        savings_pay_loan_interest(
            actor=staff.teller,
            account=account,
            loan=loan,
            amount=500_001,
            paid_on=date(2026, 2, 21),
            today=TODAY,
            idempotency_key=key(),
        )
    assert refused.value.problems[0].code == E.OVER_BALANCE
    record = savings_pay_loan_interest(
        actor=staff.teller,
        account=account,
        loan=loan,
        amount=owed,
        paid_on=date(2026, 2, 21),
        today=TODAY,
        idempotency_key="pay-1",
    )
    account.refresh_from_db()
    loan.refresh_from_db()
    assert account.balance == 500_000 - owed
    assert loan.interest_receivable == 0
    paid = LoanTransaction.objects.get(entry=record.entry)
    assert (paid.cash, paid.interest) == (0, -owed)
    assert lines_of(record.entry) == sorted([("4231", owed, account.pk), ("3941", -owed, None)])
    assert_books_clean()
    again = savings_pay_loan_interest(
        actor=staff.teller,
        account=account,
        loan=loan,
        amount=owed,
        paid_on=date(2026, 2, 21),
        today=TODAY,
        idempotency_key="pay-1",
    )
    assert again.pk == record.pk
    # Reversed through the savings account: both sides undone.
    request = savings_transaction_reversal_propose(
        actor=staff.officer, transaction=record, reason="Member did not ask", today=TODAY
    )
    approval_request_approve(request_id=request.pk, checker=staff.controller, today=TODAY)
    account.refresh_from_db()
    loan.refresh_from_db()
    assert (account.balance, loan.interest_receivable) == (500_000, owed)
    assert_books_clean()


def test_pay_interest_of_another_households_loan_refused(org, staff):
    loan = new_loan(org, staff, amount=30_000_000, disbursed_on=date(2026, 1, 21), household=1)
    account = open_account(staff)
    with pytest.raises(DomainError) as refused:
        savings_pay_loan_interest(
            actor=staff.teller,
            account=account,
            loan=loan,
            amount=5_000,
            paid_on=date(2026, 2, 21),
            today=TODAY,
            idempotency_key=key(),
        )
    assert refused.value.problems[0].code == E.LOAN_OTHER_HOUSEHOLD


def test_reversal_of_a_deposit(staff, account):
    record = deposit(staff, account, 80_000, date(2026, 1, 21))
    request = savings_transaction_reversal_propose(
        actor=staff.officer, transaction=record, reason="Keyed twice", today=TODAY
    )
    approval_request_approve(request_id=request.pk, checker=staff.controller, today=TODAY)
    account.refresh_from_db()
    assert account.balance == 0
    undone = SavingsTransaction.objects.get(reverses=record)
    assert (undone.kind, undone.amount, undone.value_date) == (
        Kind.REVERSAL,
        -80_000,
        date(2026, 1, 21),
    )
    assert_books_clean()
    with pytest.raises(DomainError) as refused:
        savings_transaction_reversal_propose(
            actor=staff.officer, transaction=record, reason="Again", today=TODAY
        )
    assert refused.value.problems[0].code == E.ALREADY_REVERSED


def test_agreed_selectors(staff, account):
    group = staff.world.group
    open_account(staff, household=1, plan=0)
    expected = savings_expected(group, date(2026, 1, 21))
    households = staff.world.households
    assert expected[households[0].pk] == 50_000
    assert expected[households[1].pk] == 0
    assert len(expected) == 5
    deposit(staff, account, 50_000, date(2026, 1, 21))
    deposit(staff, account, 50_000, date(2026, 2, 21))
    facts = savings_facts([group.pk], Month(2026, 2))
    assert facts[group.pk] == (5, 1, 100_000, 50_000)
    assert SavingsAccount.objects.count() == 2
