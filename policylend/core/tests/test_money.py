from decimal import Decimal

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from policylend.core.money import (
    AMOUNT_MAX,
    MoneyError,
    allocate,
    format_amount,
    parse_amount,
    round_down_to,
    round_half_up,
)


class TestFormat:
    def test_vietnamese_uses_dots_and_the_dong_sign(self):
        assert format_amount(1234567, "vi") == "1.234.567\u00a0₫"

    def test_english_uses_commas(self):
        assert format_amount(1234567, "en") == "1,234,567\u00a0₫"

    def test_hindi_groups_by_lakh_and_crore(self):
        assert format_amount(123456789, "hi") == "12,34,56,789\u00a0₫"

    def test_small_and_negative_amounts(self):
        assert format_amount(0, "vi") == "0\u00a0₫"
        assert format_amount(999, "vi") == "999\u00a0₫"
        assert format_amount(-1000, "vi") == "-1.000\u00a0₫"

    def test_follows_the_active_language_when_none_is_given(self):
        with translation.override("en"):
            assert format_amount(1000) == "1,000\u00a0₫"
        with translation.override("vi"):
            assert format_amount(1000) == "1.000\u00a0₫"

    def test_refuses_a_float(self):
        with pytest.raises(MoneyError):
            format_amount(1.5, "vi")


class TestParse:
    def test_vietnamese_dots_are_thousands(self):
        assert parse_amount("1.234.567", "vi") == 1234567

    def test_plain_digits_and_the_currency_sign(self):
        assert parse_amount("1234567", "vi") == 1234567
        assert parse_amount("1.234.567 ₫", "vi") == 1234567
        assert parse_amount(" 50.000 đ ", "vi") == 50000

    def test_a_decimal_part_is_refused_because_dong_has_no_minor_unit(self):
        with pytest.raises(MoneyError) as error:
            parse_amount("80,5", "vi")
        assert error.value.code == "amount_has_fraction"

    def test_english_commas_are_thousands_and_a_point_is_a_fraction(self):
        assert parse_amount("1,234,567", "en") == 1234567
        with pytest.raises(MoneyError):
            parse_amount("80.5", "en")

    def test_misplaced_separators_are_refused(self):
        for text in ("1.23.4", "12.34", "1..000", ".500"):
            with pytest.raises(MoneyError):
                parse_amount(text, "vi")

    def test_words_and_empty_are_refused(self):
        for text in ("abc", "", "   ", "1e6"):
            with pytest.raises(MoneyError):
                parse_amount(text, "vi")

    def test_the_ceiling(self):
        assert parse_amount(str(AMOUNT_MAX), "vi") == AMOUNT_MAX
        with pytest.raises(MoneyError) as error:
            parse_amount(str(AMOUNT_MAX + 1), "vi")
        assert error.value.code == "amount_too_large"

    @given(st.integers(min_value=0, max_value=AMOUNT_MAX), st.sampled_from(["vi", "en", "hi"]))
    def test_what_is_printed_reads_back(self, amount, language):
        assert parse_amount(format_amount(amount, language), language) == amount


class TestRounding:
    def test_half_up_to_the_dong(self):
        assert round_half_up(Decimal("220256.67")) == 220257
        assert round_half_up(Decimal("170500.5")) == 170501
        assert round_half_up(Decimal("170500.49")) == 170500

    def test_round_down_to_a_hundred_thousand(self):
        assert round_down_to(16_666_666, 100_000) == 16_600_000
        assert round_down_to(99_999, 100_000) == 0


class TestAllocate:
    def test_worked_example_split_of_the_entrustment_fee(self):
        assert allocate(900_000, [3, 5, 8, 84]) == [27_000, 45_000, 72_000, 756_000]

    def test_worked_example_largest_remainder(self):
        assert allocate(1_000_001, [3, 5, 8, 84]) == [30_000, 50_000, 80_000, 840_001]

    def test_ties_go_to_the_earlier_share(self):
        assert allocate(1, [1, 1]) == [1, 0]
        assert allocate(5, [1, 1, 1]) == [2, 2, 1]

    def test_refuses_nonsense(self):
        for total, ratios in ((10, []), (10, [0, 0]), (10, [1, -1]), (-1, [1])):
            with pytest.raises(ValueError):
                allocate(total, ratios)

    @given(
        st.integers(min_value=0, max_value=10**13),
        st.lists(st.integers(min_value=0, max_value=10_000), min_size=1, max_size=12).filter(any),
    )
    def test_never_loses_or_creates_a_dong(self, total, ratios):
        parts = allocate(total, ratios)
        assert sum(parts) == total
        assert all(part >= 0 for part in parts)
        weight = sum(ratios)
        for part, ratio in zip(parts, ratios, strict=True):
            exact = Decimal(total) * ratio / weight
            assert abs(Decimal(part) - exact) < 1
