"""Pure rules of member savings (domain.md §7). No ORM, no clock: dates are passed in.

- A deposit is at least 5,000 ₫ (``DEPOSIT_MIN``).
- A withdrawal (or a payment from savings) is at most the balance.
- Interest runs from the day the bank receives the money, at an annual rate (default 0.1 % a
  month = 0.012 a year), on a 360-day year: interest = Σ over days of balance × rate / 360,
  rounded half up once, when credited.
- Interest is credited on 30 June and 31 December and on closing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from policylend.core.money import round_half_up

DEPOSIT_MIN = 5_000
DEFAULT_ANNUAL_RATE = Decimal("0.012")  # 0.1 % a month
DAYS_IN_YEAR = 360


@dataclass(frozen=True)
class Movement:
    """A change of the balance on a value date (signed, whole dong)."""

    value_date: date
    amount: int


def deposit_too_small(amount: int) -> bool:
    return amount < DEPOSIT_MIN


def withdrawal_too_large(amount: int, balance: int) -> bool:
    return amount > balance


def half_year_end(day: date) -> date:
    """The crediting day of the half-year that ``day`` belongs to: 30 June or 31 December."""
    return date(day.year, 6, 30) if day.month <= 6 else date(day.year, 12, 31)


def is_half_year_end(day: date) -> bool:
    return (day.month, day.day) in ((6, 30), (12, 31))


def balance_segments(
    movements: Iterable[Movement], start: date, end: date
) -> list[tuple[int, int]]:
    """The balance held on each day of [start, end) as (balance, days) runs.

    Every movement counts from its value date on (money received on a day earns that day);
    movements before ``start`` make the opening balance, those on or after ``end`` are ignored.
    """
    ordered = sorted(movements, key=lambda m: m.value_date)
    balance = sum(m.amount for m in ordered if m.value_date < start)
    segments: list[tuple[int, int]] = []
    cursor = start
    for movement in ordered:
        if movement.value_date < start:
            continue
        if movement.value_date >= end:
            break
        if movement.value_date > cursor:
            segments.append((balance, (movement.value_date - cursor).days))
            cursor = movement.value_date
        balance += movement.amount
    if end > cursor:
        segments.append((balance, (end - cursor).days))
    return segments


def interest_exact(segments: Iterable[tuple[int, int]], annual_rate: Decimal) -> Decimal:
    return (
        sum((Decimal(balance) * days for balance, days in segments if balance > 0), Decimal(0))
        * annual_rate
        / DAYS_IN_YEAR
    )


def interest_between(
    movements: Iterable[Movement], annual_rate: Decimal, start: date, end: date
) -> int:
    """Interest for the days of [start, end), in whole dong (half up, once)."""
    if end <= start:
        return 0
    return round_half_up(interest_exact(balance_segments(movements, start, end), annual_rate))
