"""The session calendar rule (domain.md §8), pure: no ORM, no clock.

A transaction point holds its session once a month on its fixed day (1–28). The session of a
month is held on:

1. the day a recorded *moved session* names for that month (``moved``), whatever day it is —
   the team chose it and wrote down why;
2. otherwise the fixed day, unless it is a Sunday or a public holiday: then the next working day
   (the first following day that is neither a Sunday nor a public holiday; Saturday is a working
   day). The session of 28/01 falling in Tết may so be held early in February.

``next_session_on`` returns the first such day strictly after a given day.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import date, timedelta

from policylend.core.periods import Month

SUNDAY = 6
# Tết can close a week or more; a shift longer than this means the holiday list is wrong.
SHIFT_DAYS_MAX = 31


def is_working_day(day: date, holidays: Collection[date]) -> bool:
    return day.weekday() != SUNDAY and day not in holidays


def next_working_day(day: date, holidays: Collection[date]) -> date:
    """``day`` itself when it is a working day, otherwise the first working day after it."""
    for _ in range(SHIFT_DAYS_MAX):
        if is_working_day(day, holidays):
            return day
        day += timedelta(days=1)
    raise ValueError(f"no working day within {SHIFT_DAYS_MAX} days of {day}")


def fixed_day(session_day: int, month: Month) -> date:
    """The point's fixed day in ``month`` (before any shift)."""
    return date(month.year, month.month, session_day)


def session_on(
    session_day: int,
    month: Month,
    holidays: Collection[date] = (),
    moved: Mapping[Month, date] | None = None,
) -> date:
    """The day the session of ``month`` is held (the rule in the module's docstring)."""
    if moved and month in moved:
        return moved[month]
    return next_working_day(fixed_day(session_day, month), holidays)


def session_dates(
    session_day: int,
    months: list[Month],
    holidays: Collection[date] = (),
    moved: Mapping[Month, date] | None = None,
) -> list[tuple[Month, date]]:
    """Each month with the day its session is held."""
    return [(month, session_on(session_day, month, holidays, moved)) for month in months]


def months_from(first: Month, count: int) -> list[Month]:
    months, month = [], first
    for _ in range(count):
        months.append(month)
        month = month.next()
    return months


def next_session_after(
    session_day: int,
    after: date,
    holidays: Collection[date] = (),
    moved: Mapping[Month, date] | None = None,
) -> date:
    """The first session day strictly after ``after``. The month before is looked at too: its
    session may have been shifted (or moved) past ``after``."""
    for _month, held_on in session_dates(
        session_day, months_from(Month.of(after).previous(), 4), holidays, moved
    ):
        if held_on > after:
            return held_on
    raise ValueError(f"no session within three months after {after}")  # pragma: no cover


def next_session_on(point, after: date) -> date:
    """The point's next session day strictly after ``after`` (the agreed entry point for the
    other apps). It reads the holidays and moved sessions from the database, so it lives in
    ``selectors.next_session_of``; this name delegates to it."""
    from .selectors import next_session_of

    return next_session_of(point, after)
