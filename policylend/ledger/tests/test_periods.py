from collections import defaultdict
from datetime import date

import pytest
from django.db.models import Sum

from conftest import TODAY
from policylend.core.errors import DomainError
from policylend.core.periods import Month
from policylend.ledger.error_codes import LedgerErrorCode as E
from policylend.ledger.models import AccountingPeriod, BalanceSnapshot, JournalLine
from policylend.ledger.selectors import LedgerScope, balances_at, trial_balance
from policylend.ledger.services import journal_entry_reverse, period_close


def close(org, clerk, year, month, today=TODAY):
    return period_close(
        branch_id=org.branch.pk,
        month=Month(year, month),
        closed_by=clerk,
        requested_by=clerk,
        today=today,
    )


def line_sums(org, until):
    sums = defaultdict(int)
    for account_id, total in (
        JournalLine.objects.filter(branch=org.branch, value_date__lte=until)
        .values("account_id")
        .annotate(t=Sum("amount"))
        .values_list("account_id", "t")
    ):
        if total:
            sums[account_id] = total
    return dict(sums)


class TestClose:
    def test_writes_the_month_end_balances_per_account_and_sub_ledger(self, org, clerk, post):
        post(amount=1_000_000, value_date=date(2026, 9, 3), office=org.office_a, loan_ref=11)
        post(amount=2_000_000, value_date=date(2026, 9, 30), office=org.office_b)
        post(amount=4_000_000, value_date=date(2026, 10, 1), office=org.office_a)
        period = close(org, clerk, 2026, 9)
        rows = set(
            period.snapshots.values_list("account__code", "office_id", "loan_ref", "balance")
        )
        assert rows == {
            ("1011", org.office_a.pk, 11, 1_000_000),
            ("1012", org.office_a.pk, 11, -1_000_000),
            ("1011", org.office_b.pk, None, 2_000_000),
            ("1012", org.office_b.pk, None, -2_000_000),
        }

    def test_the_next_month_builds_on_the_previous_snapshot(self, org, clerk, post):
        post(amount=1_000_000, value_date=date(2026, 9, 3))
        close(org, clerk, 2026, 9)
        post(amount=500_000, value_date=date(2026, 10, 3))
        entry = post(
            amount=250_000,
            value_date=date(2026, 10, 4),
            debit_account="1012",
            credit_account="1011",
        )
        october = close(org, clerk, 2026, 10)
        balances = dict(october.snapshots.values_list("account__code", "balance"))
        assert balances == {"1011": 1_250_000, "1012": -1_250_000}
        assert entry.pk

    def test_a_zero_balance_is_not_stored(self, org, clerk, post):
        post(amount=700, value_date=date(2026, 9, 3))
        post(amount=700, value_date=date(2026, 9, 4), debit_account="1012", credit_account="1011")
        assert close(org, clerk, 2026, 9).snapshots.count() == 0

    def test_a_closed_month_accepts_no_posting_and_a_correction_is_dated_today(
        self, org, clerk, post
    ):
        entry = post(value_date=date(2026, 9, 3))
        close(org, clerk, 2026, 9)
        with pytest.raises(DomainError) as error:
            post(value_date=date(2026, 9, 20))
        assert error.value.code == E.PERIOD_CLOSED and error.value.field == "value_date"
        reversal = journal_entry_reverse(
            entry_id=entry.pk, reason="Wrong", maker=clerk, today=TODAY
        )
        assert reversal.value_date == TODAY

    def test_an_earlier_month_cannot_be_posted_once_a_later_one_is_closed(self, org, clerk, post):
        close(org, clerk, 2026, 10)
        with pytest.raises(DomainError) as error:
            post(value_date=date(2026, 9, 20))
        assert error.value.code == E.PERIOD_CLOSED

    def test_months_close_in_order_once_ended_and_once_only(self, org, clerk, post):
        post(value_date=date(2026, 8, 3))
        with pytest.raises(DomainError) as error:
            close(org, clerk, 2026, 9)
        assert error.value.code == E.EARLIER_PERIOD_OPEN and "08/2026" in error.value.message
        close(org, clerk, 2026, 8)
        close(org, clerk, 2026, 9)
        with pytest.raises(DomainError) as error:
            close(org, clerk, 2026, 9)
        assert error.value.code == E.PERIOD_ALREADY_CLOSED
        with pytest.raises(DomainError) as error:
            close(org, clerk, 2026, 11)
        assert error.value.code == E.PERIOD_NOT_ENDED
        assert AccountingPeriod.objects.filter(status="closed").count() == 2

    def test_a_month_without_postings_may_be_skipped(self, org, clerk, post):
        post(value_date=date(2026, 10, 3))
        close(org, clerk, 2026, 10)
        assert BalanceSnapshot.objects.count() == 2


class TestBalancesFromSnapshots:
    def test_balances_equal_the_lines_before_and_after_closing(self, org, clerk, post):
        scope = LedgerScope(branch=org.branch)
        for day, amount in (
            (date(2026, 8, 5), 300),
            (date(2026, 9, 7), 5_000),
            (date(2026, 10, 9), 70_000),
        ):
            post(amount=amount, value_date=day)
        expected = {d: line_sums(org, d) for d in (date(2026, 8, 31), date(2026, 9, 15), TODAY)}
        for when, sums in expected.items():
            assert {k: v for k, v in balances_at(scope, when).items() if v} == sums
        close(org, clerk, 2026, 8)
        close(org, clerk, 2026, 9)
        for when, sums in expected.items():
            assert {k: v for k, v in balances_at(scope, when).items() if v} == sums

    def test_an_office_scope_sees_only_its_own_lines(self, org, clerk, post):
        post(amount=1_000, value_date=date(2026, 9, 7), office=org.office_a)
        post(amount=20_000, value_date=date(2026, 9, 8), office=org.office_b)
        close(org, clerk, 2026, 9)
        post(amount=300_000, value_date=date(2026, 10, 8), office=org.office_b)
        office_a = LedgerScope(branch=org.branch, office=org.office_a)
        office_b = LedgerScope(branch=org.branch, office=org.office_b)
        assert sorted(v for v in balances_at(office_a, TODAY).values() if v) == [-1_000, 1_000]
        assert sorted(v for v in balances_at(office_b, TODAY).values() if v) == [-320_000, 320_000]


class TestTrialBalance:
    def test_opening_movements_and_closing_for_a_period(self, org, clerk, post):
        post(amount=1_000_000, value_date=date(2026, 9, 7))
        close(org, clerk, 2026, 9)
        post(amount=400_000, value_date=date(2026, 10, 7))
        post(
            amount=100_000,
            value_date=date(2026, 10, 8),
            debit_account="1012",
            credit_account="1011",
        )
        report = trial_balance(
            LedgerScope(branch=org.branch), start=date(2026, 10, 1), end=date(2026, 10, 31)
        )
        rows = {
            row.account.code: (row.opening, row.debits, row.credits, row.closing)
            for row in report.rows
        }
        assert rows == {
            "1011": (1_000_000, 400_000, 100_000, 1_300_000),
            "1012": (-1_000_000, 100_000, 400_000, -1_300_000),
        }
        assert report.is_balanced
        assert report.totals["closing_debit"] == report.totals["closing_credit"] == 1_300_000
