"""Amounts in words, as the receipts and lists print them (worked cases of issue 5)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from policylend.core.money_words import amount_in_words

CASES = [
    (0, "Không đồng", "Zero dong", "शून्य डोंग"),
    (5, "Năm đồng", "Five dong", "पाँच डोंग"),
    (15, "Mười lăm đồng", "Fifteen dong", "पंद्रह डोंग"),
    (21, "Hai mươi mốt đồng", "Twenty-one dong", "इक्कीस डोंग"),
    (105, "Một trăm linh năm đồng", "One hundred and five dong", "एक सौ पाँच डोंग"),
    (
        1_000_001,
        "Một triệu không trăm linh một đồng",
        "One million and one dong",
        "दस लाख एक डोंग",
    ),
    (
        150_000,
        "Một trăm năm mươi nghìn đồng",
        "One hundred and fifty thousand dong",
        "एक लाख पचास हज़ार डोंग",
    ),
    (
        1_250_000_000,
        "Một tỷ hai trăm năm mươi triệu đồng",
        "One billion two hundred and fifty million dong",
        "एक सौ पच्चीस करोड़ डोंग",
    ),
]


@pytest.mark.parametrize(("amount", "vi", "en", "hi"), CASES)
def test_worked_cases(amount, vi, en, hi):
    assert amount_in_words(amount, "vi") == vi
    assert amount_in_words(amount, "en") == en
    assert amount_in_words(amount, "hi") == hi


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        (11, "Mười một đồng"),
        (25, "Hai mươi lăm đồng"),
        (31, "Ba mươi mốt đồng"),
        (110, "Một trăm mười đồng"),
        (2_015_000, "Hai triệu không trăm mười lăm nghìn đồng"),
        (1_000_000_000_000, "Một nghìn tỷ đồng"),
    ],
)
def test_vietnamese_rules(amount, words):
    assert amount_in_words(amount, "vi") == words


def test_hindi_never_says_rupees():
    assert "रुपये" not in amount_in_words(12_34_567, "hi")
    assert amount_in_words(12_34_567, "hi") == "बारह लाख चौंतीस हज़ार पाँच सौ सड़सठ डोंग"


@given(st.integers(min_value=0, max_value=10**15))
def test_every_amount_has_words_ending_in_the_currency(amount):
    assert amount_in_words(amount, "vi").endswith("đồng")
    assert amount_in_words(amount, "en").endswith("dong")
    assert amount_in_words(amount, "hi").endswith("डोंग")
    assert "  " not in amount_in_words(amount, "vi")
