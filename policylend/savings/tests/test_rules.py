"""The pure rules of member savings (domain.md §7), with worked examples and properties."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from .. import rules
from ..rules import Movement

RATE = rules.DEFAULT_ANNUAL_RATE


def test_minimum_deposit_side_by_side():
    assert rules.deposit_too_small(4_999)
    assert not rules.deposit_too_small(5_000)


def test_withdrawal_at_most_the_balance():
    assert not rules.withdrawal_too_large(100_000, 100_000)
    assert rules.withdrawal_too_large(100_001, 100_000)


def test_worked_example_a_million_for_the_first_half_year():
    # 1,000,000 ₫ from 01/01 to 30/06 at 0.1 % a month: 1,000,000 × 0.012 × 180 / 360 = 6,000 ₫.
    movements = [Movement(date(2026, 1, 1), 1_000_000)]
    assert rules.interest_between(movements, RATE, date(2026, 1, 1), date(2026, 6, 30)) == 6_000


def test_money_counts_from_the_day_received_and_withdrawals_stop_it():
    movements = [
        Movement(date(2026, 1, 1), 1_000_000),
        Movement(date(2026, 4, 1), 500_000),  # 90 days at 1,000,000, then 90 at 1,500,000
    ]
    # 1,000,000 × 0.012 × 90/360 + 1,500,000 × 0.012 × 90/360 = 3,000 + 4,500
    assert rules.interest_between(movements, RATE, date(2026, 1, 1), date(2026, 6, 30)) == 7_500
    movements.append(Movement(date(2026, 6, 1), -1_500_000))
    # 29 days (01/06 → 30/06) without the 1,500,000: 7,500 − 1,500,000 × 0.012 × 29/360 = 6,050.
    assert rules.interest_between(movements, RATE, date(2026, 1, 1), date(2026, 6, 30)) == 6_050


def test_rounded_once_half_up():
    # 10,000 ₫ for 15 days: 10,000 × 0.012 × 15 / 360 = 5 ₫; for 1 day 0.333… → 0; 45 days 15.
    movements = [Movement(date(2026, 1, 1), 10_000)]
    assert rules.interest_between(movements, RATE, date(2026, 1, 1), date(2026, 1, 16)) == 5
    assert rules.interest_between(movements, RATE, date(2026, 1, 1), date(2026, 1, 2)) == 0
    # 45,000 for 1 day: 1.5 → 2 (half up).
    assert (
        rules.interest_between(
            [Movement(date(2026, 1, 1), 45_000)], RATE, date(2026, 1, 1), date(2026, 1, 2)
        )
        == 2
    )


def test_half_year_ends():
    assert rules.half_year_end(date(2026, 3, 4)) == date(2026, 6, 30)
    assert rules.half_year_end(date(2026, 7, 1)) == date(2026, 12, 31)
    assert rules.is_half_year_end(date(2026, 6, 30)) and rules.is_half_year_end(date(2026, 12, 31))
    assert not rules.is_half_year_end(date(2026, 6, 29))


movements_strategy = st.lists(
    st.tuples(st.integers(0, 365), st.integers(5_000, 50_000_000)), min_size=0, max_size=20
)


@given(movements_strategy, st.integers(1, 365))
def test_splitting_the_period_never_changes_the_exact_interest(deposits, split):
    """Σ balance × days is additive: crediting at a split day moves at most a rounding dong."""
    start = date(2026, 1, 1)
    end = start + timedelta(days=365)
    middle = start + timedelta(days=split)
    movements = [Movement(start + timedelta(days=d), a) for d, a in deposits]

    def balance_days(segments):
        return sum(balance * days for balance, days in segments)

    whole = balance_days(rules.balance_segments(movements, start, end))
    parts = balance_days(rules.balance_segments(movements, start, middle)) + balance_days(
        rules.balance_segments(movements, middle, end)
    )
    assert whole == parts
    rounded = rules.interest_between(movements, RATE, start, middle) + rules.interest_between(
        movements, RATE, middle, end
    )
    assert abs(rounded - rules.interest_between(movements, RATE, start, end)) <= 1


@settings(deadline=None)
@given(movements_strategy)
def test_segments_cover_every_day_once(deposits):
    start = date(2026, 1, 1)
    end = date(2026, 12, 31)
    movements = [Movement(start + timedelta(days=d), a) for d, a in deposits]
    segments = rules.balance_segments(movements, start, end)
    assert sum(days for _balance, days in segments) == (end - start).days
    exact = (
        sum(
            (
                Decimal(
                    sum(m.amount for m in movements if m.value_date <= start + timedelta(days=i))
                )
                for i in range((end - start).days)
            ),
            Decimal(0),
        )
        * RATE
        / 360
    )
    assert rules.interest_exact(segments, RATE) == exact
