"""Dates and accounting periods. The month is the accounting period; the clock is always passed in."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta


def day_text(day: date) -> str:
    """A day as the bank writes it in messages and memos: dd/mm/yyyy."""
    return day.strftime("%d/%m/%Y")


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def add_months(day: date, months: int) -> date:
    """Same day ``months`` later, clamped to the month's last day (31/08 + 6 → 28/02)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


@dataclass(frozen=True, order=True)
class Month:
    """A calendar month, the accounting period."""

    year: int
    month: int

    @classmethod
    def of(cls, day: date) -> Month:
        return cls(day.year, day.month)

    @classmethod
    def parse(cls, text: str) -> Month:
        """``2025-03`` or ``03/2025``."""
        text = text.strip()
        if "/" in text:
            month_text, year_text = text.split("/", 1)
        else:
            year_text, month_text = text.split("-", 1)
        month = cls(int(year_text), int(month_text))
        if not 1 <= month.month <= 12 or not 1900 <= month.year <= 9999:
            raise ValueError(text)
        return month

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def last_day(self) -> date:
        return month_end(self.first_day)

    def previous(self) -> Month:
        return Month.of(self.first_day - timedelta(days=1))

    def next(self) -> Month:
        return Month.of(self.last_day + timedelta(days=1))

    def __str__(self) -> str:
        return f"{self.month:02d}/{self.year}"
