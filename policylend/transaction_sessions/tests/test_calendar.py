"""The calendar rule: a session on a Sunday or a public holiday moves to the next working day,
unless a moved session says otherwise."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from policylend.core.periods import Month

from ..calendar import (
    SUNDAY,
    next_session_after,
    next_working_day,
    session_dates,
    session_on,
)


def test_an_ordinary_day_is_kept():
    # 21/12/2026 is a Monday
    assert session_on(21, Month(2026, 12)) == date(2026, 12, 21)


def test_a_sunday_moves_to_monday():
    # 21/02/2027 is a Sunday
    assert date(2027, 2, 21).weekday() == SUNDAY
    assert session_on(21, Month(2027, 2)) == date(2027, 2, 22)


def test_a_holiday_moves_to_the_next_working_day_skipping_a_sunday():
    # 2/9/2027 (Thursday) and 3/9 are holidays; 4/9 is a Saturday (a working day).
    holidays = {date(2027, 9, 2), date(2027, 9, 3)}
    assert session_on(2, Month(2027, 9), holidays) == date(2027, 9, 4)
    # Saturday 4/9 also a holiday: Sunday 5/9 is skipped, Monday 6/9.
    assert session_on(2, Month(2027, 9), holidays | {date(2027, 9, 4)}) == date(2027, 9, 6)


def test_tet_shifts_a_late_january_session_into_february():
    tet = {date(2028, 1, 24) + timedelta(days=n) for n in range(9)}  # 24/01 … 01/02
    assert session_on(28, Month(2028, 1), tet) == date(2028, 2, 2)
    # The next session after 30/01 is that shifted one, not February's.
    assert next_session_after(28, date(2028, 1, 30), tet) == date(2028, 2, 2)


def test_a_moved_session_wins_over_the_rule():
    moved = {Month(2027, 2): date(2027, 2, 25)}
    assert session_on(21, Month(2027, 2), (), moved) == date(2027, 2, 25)
    # …even on a day the rule would avoid: the team chose it.
    holidays = {date(2027, 3, 15)}
    assert session_on(21, Month(2027, 3), holidays, {Month(2027, 3): date(2027, 3, 15)}) == date(
        2027, 3, 15
    )


def test_next_session_is_strictly_after():
    assert next_session_after(21, date(2026, 12, 21)) == date(2027, 1, 21)
    assert next_session_after(21, date(2026, 12, 20)) == date(2026, 12, 21)
    moved = {Month(2027, 1): date(2027, 1, 19)}
    assert next_session_after(21, date(2027, 1, 19), (), moved) == date(2027, 2, 22)


def test_session_dates_give_twelve_months():
    from ..calendar import months_from

    dates = session_dates(6, months_from(Month(2026, 12), 12))
    assert len(dates) == 12
    assert dates[0] == (Month(2026, 12), date(2026, 12, 7))  # 6/12/2026 is a Sunday


@given(
    day=st.integers(1, 28),
    year=st.integers(2020, 2035),
    month=st.integers(1, 12),
    holidays=st.sets(st.dates(date(2019, 12, 1), date(2036, 2, 28)), max_size=20),
)
def test_the_day_held_is_a_working_day_on_or_after_the_fixed_day(day, year, month, holidays):
    held = session_on(day, Month(year, month), holidays)
    fixed = date(year, month, day)
    assert held >= fixed
    assert held.weekday() != SUNDAY and held not in holidays
    # no working day was skipped
    between = [fixed + timedelta(days=n) for n in range((held - fixed).days)]
    assert all(d.weekday() == SUNDAY or d in holidays for d in between)
    assert next_working_day(held, holidays) == held
