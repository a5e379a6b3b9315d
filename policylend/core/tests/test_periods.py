from datetime import date

import pytest

from policylend.core.periods import Month, add_months, month_end


def test_add_months_clamps_to_the_month_end():
    assert add_months(date(2025, 8, 31), 6) == date(2026, 2, 28)
    assert add_months(date(2024, 8, 31), 6) == date(2025, 2, 28)
    assert add_months(date(2023, 8, 31), 6) == date(2024, 2, 29)
    assert add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert add_months(date(2025, 3, 20), 12) == date(2026, 3, 20)
    assert add_months(date(2025, 3, 20), -3) == date(2024, 12, 20)


def test_month_end_and_month_navigation():
    assert month_end(date(2024, 2, 10)) == date(2024, 2, 29)
    assert Month(2025, 12).next() == Month(2026, 1)
    assert Month(2026, 1).previous() == Month(2025, 12)
    assert Month.of(date(2025, 3, 5)).last_day == date(2025, 3, 31)
    assert str(Month(2025, 3)) == "03/2025"


def test_month_parse_accepts_both_spellings_and_refuses_nonsense():
    assert Month.parse("2025-03") == Month(2025, 3)
    assert Month.parse("03/2025") == Month(2025, 3)
    for text in ("2025-13", "00/2025", "abc"):
        with pytest.raises(ValueError):
            Month.parse(text)
