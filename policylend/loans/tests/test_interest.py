"""Interest (domain.md §6.6) as a pure rule: the worked examples, then properties — carried in
millionths of a dong, a posting rounds once, so splitting a period moves the total by at most
one dong per posting."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from policylend.loans.interest import (
    MICRO,
    NOTHING,
    Accrued,
    Balances,
    Segment,
    accrue,
    accrue_segments,
    interest_for_days,
    interest_micro,
    micro_to_dong,
    overdue_rate,
)

RATE = Decimal("0.066")

# --- worked examples ----------------------------------------------------------------------------


def test_30_million_at_0_55_percent_a_month_for_31_days_is_170_500():
    assert interest_for_days(30_000_000, RATE, 31) == 170_500
    # the same as the monthly rate over 30 days
    assert interest_micro(30_000_000, Decimal("0.0055") * 12, 31) == 170_500 * MICRO


def test_a_split_period_is_summed_and_rounded_once_220_257():
    # 50,000,000 for 10 days (91,666.67) then 33,400,000 for 21 days (128,590)
    accrued = accrue_segments(
        [
            Segment(date(2026, 3, 5), Balances(50_000_000, 0), RATE, overdue_rate(RATE)),
            Segment(date(2026, 3, 15), Balances(33_400_000, 0), RATE, overdue_rate(RATE)),
        ],
        date(2026, 4, 5),
    )
    assert micro_to_dong(accrued.interest_micro) == 220_257
    assert accrued.penalty_micro == 0
    # rounding each part on its own would give 220,257 here too, but from 91,667 + 128,590
    assert interest_for_days(50_000_000, RATE, 10) == 91_667


def test_overdue_principal_bears_130_percent_of_the_rate_118_690():
    assert overdue_rate(RATE) == Decimal("0.0858")
    assert interest_for_days(16_600_000, overdue_rate(RATE), 30) == 118_690
    accrued = accrue(
        Balances(in_term=0, overdue=16_600_000),
        RATE,
        overdue_rate(RATE),
        date(2026, 3, 16),
        date(2026, 4, 15),
    )
    assert accrued == Accrued(0, 118_690 * MICRO)


def test_frozen_principal_bears_no_interest():
    accrued = accrue(
        Balances(in_term=0, overdue=0, frozen=16_600_000),
        RATE,
        overdue_rate(RATE),
        date(2025, 1, 1),
        date(2027, 1, 1),
    )
    assert accrued == NOTHING


def test_in_term_and_overdue_principal_accrue_side_by_side():
    accrued = accrue(
        Balances(in_term=30_000_000, overdue=16_600_000, frozen=5_000_000),
        RATE,
        overdue_rate(RATE),
        date(2026, 1, 1),
        date(2026, 1, 31),
    )
    assert micro_to_dong(accrued.interest_micro) == 165_000
    assert micro_to_dong(accrued.penalty_micro) == 118_690


def test_half_a_dong_rounds_up_once_when_posted():
    assert micro_to_dong(500_000) == 1
    assert micro_to_dong(499_999) == 0
    assert micro_to_dong(1_500_000) == 2


def test_no_days_no_interest_and_negative_stretches_are_refused():
    assert accrue(Balances(1_000_000, 0), RATE, RATE, date(2026, 1, 1), date(2026, 1, 1)) == NOTHING
    with pytest.raises(ValueError):
        accrue(Balances(1_000_000, 0), RATE, RATE, date(2026, 1, 2), date(2026, 1, 1))
    with pytest.raises(ValueError):
        interest_micro(-1, RATE, 1)
    with pytest.raises(ValueError):
        interest_micro(1, RATE, -1)


# --- properties ---------------------------------------------------------------------------------

principals = st.integers(min_value=0, max_value=10_000_000_000)
rates = st.sampled_from(
    [Decimal(r) for r in ("0", "0.012", "0.03", "0.033", "0.048", "0.054", "0.066", "0.0792")]
    + [Decimal("0.066") * Decimal("1.25"), Decimal("0.09")]
)


def exact(principal: int, rate: Decimal, days: int) -> Decimal:
    return Decimal(principal) * rate * days / 360


@given(principals, rates, st.integers(min_value=0, max_value=3_000))
def test_interest_micro_is_the_exact_interest_to_half_a_millionth(principal, rate, days):
    micro = interest_micro(principal, rate, days)
    assert abs(Decimal(micro) - exact(principal, rate, days) * MICRO) <= Decimal("0.5")
    assert micro >= 0


@given(principals, rates, st.lists(st.integers(min_value=0, max_value=62), min_size=1, max_size=24))
def test_a_split_period_posts_within_one_dong_per_posting_of_the_whole(principal, rate, parts):
    """Posting each part separately (rounded each time) against one posting of the whole."""
    whole = micro_to_dong(interest_micro(principal, rate, sum(parts)))
    per_part = [interest_micro(principal, rate, days) for days in parts]
    # summed in millionths, then rounded once: the same as the whole to the dong
    assert abs(micro_to_dong(sum(per_part)) - whole) <= 1
    # rounded at every posting: off by at most one dong per posting
    assert abs(sum(micro_to_dong(m) for m in per_part) - whole) <= len(parts)


@given(
    st.lists(
        st.tuples(principals, principals, principals, st.integers(min_value=0, max_value=62)),
        min_size=1,
        max_size=12,
    ),
    rates,
)
def test_accrue_segments_is_the_sum_of_its_segments(stretches, rate):
    start = date(2026, 1, 1)
    segments, day = [], start
    expected = NOTHING
    for in_term, overdue, frozen, days in stretches:
        segments.append(Segment(day, Balances(in_term, overdue, frozen), rate, overdue_rate(rate)))
        expected += accrue(
            Balances(in_term, overdue, frozen), rate, overdue_rate(rate), day, day + timedelta(days)
        )
        day += timedelta(days)
    assert accrue_segments(segments, day) == expected
    # frozen principal never counts
    unfrozen = [
        Segment(
            s.start,
            Balances(s.balances.in_term, s.balances.overdue, 0),
            rate,
            s.overdue_annual_rate,
        )
        for s in segments
    ]
    assert accrue_segments(unfrozen, day) == expected


@given(
    principals,
    rates,
    st.integers(min_value=1, max_value=400),
    st.integers(min_value=0, max_value=400),
)
def test_splitting_a_balance_in_two_stretches_loses_at_most_a_millionth_a_stretch(
    principal, rate, first, second
):
    start = date(2026, 1, 1)
    middle, end = start + timedelta(first), start + timedelta(first + second)
    whole = accrue(Balances(principal, principal), rate, overdue_rate(rate), start, end)
    split = accrue_segments(
        [
            Segment(start, Balances(principal, principal), rate, overdue_rate(rate)),
            Segment(middle, Balances(principal, principal), rate, overdue_rate(rate)),
        ],
        end,
    )
    assert abs(whole.interest_micro - split.interest_micro) <= 1
    assert abs(whole.penalty_micro - split.penalty_micro) <= 1
    # the overdue rate is 130 % of the rate: never less than the interest on the same balance
    assert split.penalty_micro >= split.interest_micro
