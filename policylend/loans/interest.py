"""Interest (domain.md §6.6), as pure functions: no Django, no clock.

Interest accrues daily on principal outstanding: ``outstanding × annual rate / 360`` a day.
Between postings it is carried exactly in millionths of a dong (``micro``); a month's interest
is rounded half up to the whole dong once, when it is posted. Overdue principal bears the
overdue rate (130 % of the loan's rate); frozen principal bears nothing.

Worked examples (worked-examples.md): 30,000,000 at 6.6 % for 31 days = 170,500;
50,000,000 for 10 days then 33,400,000 for 21 days at 6.6 % = 220,257;
16,600,000 overdue for 30 days at 8.58 % = 118,690.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from policylend.core.money import round_half_up

MICRO = 1_000_000
DAYS_IN_YEAR = 360


def interest_micro(principal: int, annual_rate: Decimal, days: int) -> int:
    """Interest on ``principal`` for ``days`` days, in millionths of a dong (half up)."""
    if principal < 0 or days < 0:
        raise ValueError("principal and days must not be negative")
    exact = Decimal(principal) * annual_rate * days * MICRO / DAYS_IN_YEAR
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def micro_to_dong(micro: int) -> int:
    """Round accrued millionths to the whole dong, half up (done once, when posted)."""
    return round_half_up(Decimal(micro) / MICRO)


def overdue_rate(annual_rate: Decimal, factor: Decimal = Decimal("1.3")) -> Decimal:
    """The overdue rate: 130 % of the loan's rate (domain.md §5)."""
    return annual_rate * factor


@dataclass(frozen=True)
class Balances:
    """The principal a loan carries over a stretch of days."""

    in_term: int
    overdue: int
    frozen: int = 0


@dataclass(frozen=True)
class Accrued:
    interest_micro: int
    penalty_micro: int

    def __add__(self, other: Accrued) -> Accrued:
        return Accrued(
            self.interest_micro + other.interest_micro, self.penalty_micro + other.penalty_micro
        )


NOTHING = Accrued(0, 0)


def accrue(
    balances: Balances, annual_rate: Decimal, overdue_annual_rate: Decimal, start: date, end: date
) -> Accrued:
    """Interest on the balances for the days from ``start`` up to (not including) ``end``:
    in-term principal at the loan's rate, overdue principal at the overdue rate (posted as
    overdue interest), frozen principal at nothing."""
    days = (end - start).days
    if days < 0:
        raise ValueError("end before start")
    return Accrued(
        interest_micro(balances.in_term, annual_rate, days),
        interest_micro(balances.overdue, overdue_annual_rate, days),
    )


@dataclass(frozen=True)
class Segment:
    """Balances and rates in force from ``start`` (until the next segment or the end)."""

    start: date
    balances: Balances
    annual_rate: Decimal
    overdue_annual_rate: Decimal


def accrue_segments(segments: list[Segment], end: date) -> Accrued:
    """Interest over consecutive segments up to ``end`` (exclusive), still in millionths."""
    total = NOTHING
    for index, segment in enumerate(segments):
        stop = segments[index + 1].start if index + 1 < len(segments) else end
        total += accrue(
            segment.balances, segment.annual_rate, segment.overdue_annual_rate, segment.start, stop
        )
    return total


def interest_for_days(principal: int, annual_rate: Decimal, days: int) -> int:
    """Whole-dong interest for one balance and one stretch (the worked example's shape)."""
    return micro_to_dong(interest_micro(principal, annual_rate, days))
