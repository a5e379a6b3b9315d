"""The pure rules of the associations: fee, split, percents, effective dates, contracts and
inspections. Success and failure of each rule side by side."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from policylend.associations import rules
from policylend.associations.error_codes import AssociationErrorCode as E
from policylend.associations.rules import Reduction, TermsInput

YOUTH_SPLIT = (300, 500, 800, 8400)


def codes(problems):
    return [p.code for p in problems]


# --- the fee and its split (worked-examples.md) -----------------------------------------------------


def test_the_fee_of_the_worked_example():
    assert rules.fee_amount(2_000_000_000, Decimal("0.00045")) == 900_000
    assert rules.fee_split(900_000, YOUTH_SPLIT) == [27_000, 45_000, 72_000, 756_000]


def test_the_split_worked_example_gives_the_remainder_to_the_largest_share():
    assert rules.fee_split(1_000_001, YOUTH_SPLIT) == [30_000, 50_000, 80_000, 840_001]


def test_a_fee_is_rounded_half_up_once():
    assert rules.fee_amount(1_111, Decimal("0.00045")) == 0  # 0.49995
    assert rules.fee_amount(1_112, Decimal("0.00045")) == 1  # 0.5004


@given(
    amount=st.integers(min_value=0, max_value=10**12),
    split=st.lists(st.integers(min_value=0, max_value=10_000), min_size=4, max_size=4).filter(
        lambda s: sum(s) > 0
    ),
)
def test_a_split_never_loses_a_dong_and_each_share_is_within_one_dong(amount, split):
    parts = rules.fee_split(amount, split)
    assert sum(parts) == amount
    for part, share in zip(parts, split, strict=True):
        exact = Decimal(amount) * share / sum(split)
        assert abs(part - exact) < 1


def test_split_validation_success_and_failure_side_by_side():
    assert rules.split_problems(YOUTH_SPLIT) == []
    assert rules.split_problems((0, 0, 0, 10_000)) == []
    with translation.override("vi"):
        problems = rules.split_problems((300, 500, 800, 8350))
    assert codes(problems) == [E.SPLIT_SUM]
    assert "99,5" in problems[0].message and problems[0].field == "split"
    with translation.override("en"):
        problems = rules.split_problems((300, 500, -800, 9_000))
    assert codes(problems) == [E.SPLIT_NEGATIVE, E.SPLIT_SUM]
    assert problems[0].field == "split_district" and "-8" in problems[0].message
    assert "add up to 90 %" in problems[1].message and "100 %" in problems[1].message
    assert codes(rules.split_problems((5000, 5000))) == [E.SPLIT_SHARES]
    assert codes(rules.split_problems((300, 500, 800, 8400.0))) == [E.SPLIT_SHARES]


def test_fee_rate_success_and_failure_side_by_side():
    assert rules.fee_rate_problems(Decimal("0.00045")) == []
    assert rules.fee_rate_problems(Decimal("0.01")) == []
    with translation.override("vi"):
        too_big = rules.fee_rate_problems(Decimal("0.045"))
    assert codes(too_big) == [E.FEE_RATE_RANGE]
    assert "4,5" in too_big[0].message and "1 %" in too_big[0].message
    assert codes(rules.fee_rate_problems(Decimal(0))) == [E.FEE_RATE_RANGE]
    assert codes(rules.fee_rate_problems(Decimal("-0.0001"))) == [E.FEE_RATE_RANGE]
    assert codes(rules.fee_rate_problems(Decimal("NaN"))) == [E.FEE_RATE_RANGE]


def test_reductions_success_and_failure_side_by_side():
    good = (Reduction("overdue_ratio_above", Decimal("0.02"), Decimal("0.2")),)
    assert rules.reduction_problems(good) == []
    assert rules.reduction_problems(()) == []
    bad = (
        Reduction("weather", Decimal("0.02"), Decimal("0.2")),
        Reduction("interest_collection_below", Decimal("1.5"), Decimal("0")),
    )
    problems = rules.reduction_problems(bad)
    assert codes(problems) == [E.REDUCTION_CONDITION, E.REDUCTION_RANGE, E.REDUCTION_RANGE]
    assert [p.field for p in problems] == [
        "reductions[1]",
        "reductions[2].threshold",
        "reductions[2].reduce_by",
    ]
    assert codes(rules.reduction_problems(good * 6)) == [E.REDUCTIONS_TOO_MANY]


def test_the_largest_applicable_reduction_applies_none_by_default():
    reductions = (
        Reduction("overdue_ratio_above", Decimal("0.02"), Decimal("0.1")),
        Reduction("interest_collection_below", Decimal("0.95"), Decimal("0.3")),
    )
    assert rules.reduction_applicable((), overdue_ratio=Decimal("0.5")) == 0
    assert rules.reduction_applicable(reductions, overdue_ratio=Decimal("0.02")) == 0
    assert rules.reduction_applicable(reductions, overdue_ratio=Decimal("0.021")) == Decimal("0.1")
    assert rules.reduction_applicable(
        reductions, overdue_ratio=Decimal("0.03"), interest_collection_rate=Decimal("0.9")
    ) == Decimal("0.3")


def test_terms_round_trip_through_a_payload():
    terms = TermsInput(
        fee_rate_monthly=Decimal("0.0004"),
        split_bp=(250, 750, 1000, 8000),
        reductions=(Reduction("overdue_ratio_above", Decimal("0.02"), Decimal("0.2")),),
    )
    payload = terms.as_payload()
    assert payload == {
        "fee_rate_monthly": "0.0004",
        "split_bp": [250, 750, 1000, 8000],
        "reductions": [{"overdue_ratio_above": "0.02", "reduce_by": "0.2"}],
    }
    assert TermsInput.from_payload(payload) == terms
    assert TermsInput().fee_rate_monthly == Decimal("0.00045")
    assert TermsInput().split_bp == YOUTH_SPLIT


# --- percents as people type them -------------------------------------------------------------------


def test_a_percent_in_the_readers_convention():
    assert rules.parse_percent("0,045", "vi") == Decimal("0.045")
    assert rules.parse_percent("0.045", "en") == Decimal("0.045")
    assert rules.parse_percent(" 84 %", "vi") == Decimal(84)
    assert rules.parse_percent("2,5", "vi", decimals_max=2) == Decimal("2.5")
    assert rules.rate_from_percent(rules.parse_percent("0,045", "vi")) == Decimal("0.00045")
    assert rules.basis_points_from_percent(Decimal("2.5")) == 250
    assert rules.basis_points_from_percent(Decimal("84")) == 8400


@pytest.mark.parametrize(
    ("text", "language", "code"),
    [
        ("0.045", "vi", E.PERCENT_FORMAT),  # the English decimal mark in Vietnamese
        ("0,045", "en", E.PERCENT_FORMAT),
        ("abc", "vi", E.PERCENT_FORMAT),
        ("-1", "vi", E.PERCENT_FORMAT),
        ("1000", "vi", E.PERCENT_FORMAT),
        ("2,555", "vi", E.PERCENT_DECIMALS),
    ],
)
def test_a_percent_that_cannot_be_read_names_the_rule(text, language, code):
    with translation.override("en"), pytest.raises(rules.PercentError) as caught:
        rules.parse_percent(text, language, decimals_max=2)
    assert caught.value.problem.code == code
    assert text in caught.value.problem.message


def test_a_share_must_be_whole_basis_points():
    with pytest.raises(ValueError):
        rules.basis_points_from_percent(Decimal("2.555"))


def test_percents_are_written_in_the_readers_convention():
    assert rules.format_percent(Decimal("0.045"), "vi") == "0,045"
    assert rules.format_percent(Decimal("0.045"), "en") == "0.045"
    assert rules.format_percent(Decimal("84.00"), "vi") == "84"
    assert rules.format_percent(Decimal("1E+1"), "en") == "10"
    assert rules.format_basis_points(250, "vi") == "2,5"
    assert rules.format_basis_points(8400, "en") == "84"


# --- effective dates --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Version:
    effective_from: date
    label: str = ""


def test_terms_in_force_on_a_date():
    versions = [
        Version(date(2025, 1, 1), "a"),
        Version(date(2026, 7, 1), "c"),
        Version(date(2026, 1, 1), "b"),
    ]
    assert rules.terms_in_force(versions, date(2024, 12, 31)) is None
    assert rules.terms_in_force(versions, date(2025, 1, 1)).label == "a"
    assert rules.terms_in_force(versions, date(2025, 12, 31)).label == "a"
    assert rules.terms_in_force(versions, date(2026, 1, 1)).label == "b"
    assert rules.terms_in_force(versions, date(2026, 6, 30)).label == "b"
    assert rules.terms_in_force(versions, date(2030, 1, 1)).label == "c"
    assert rules.terms_in_force([], date(2030, 1, 1)) is None


@given(
    days=st.sets(st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31)), max_size=12),
    on=st.dates(min_value=date(1999, 1, 1), max_value=date(2041, 12, 31)),
)
def test_terms_in_force_is_the_latest_version_on_or_before_the_day(days, on):
    versions = [Version(day) for day in days]
    found = rules.terms_in_force(versions, on)
    earlier = [day for day in days if day <= on]
    if not earlier:
        assert found is None
    else:
        assert found.effective_from == max(earlier)
        # and no version starts between it and the day
        assert not any(found.effective_from < day <= on for day in days)


@given(
    days=st.sets(
        st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31)), min_size=1, max_size=12
    )
)
def test_the_periods_of_the_history_touch_and_do_not_overlap(days):
    periods = rules.terms_periods([Version(day) for day in days])
    assert [version.effective_from for version, _ in periods] == sorted(days)
    for (version, last_day), (following, _) in itertools.pairwise(periods):
        assert last_day == following.effective_from - timedelta(days=1)
        assert rules.terms_in_force([v for v, _ in periods], last_day) is version
    assert periods[-1][1] is None


def test_a_change_of_terms_applies_inside_the_contract_after_the_latest_version():
    dates = {"valid_from": date(2025, 1, 1), "valid_to": date(2027, 12, 31)}
    latest = date(2025, 1, 1)
    assert rules.terms_date_problems(date(2026, 1, 1), **dates, latest_effective_from=latest) == []
    assert (
        rules.terms_date_problems(date(2027, 12, 31), **dates, latest_effective_from=latest) == []
    )
    before = rules.terms_date_problems(date(2024, 12, 31), **dates, latest_effective_from=None)
    after = rules.terms_date_problems(date(2028, 1, 1), **dates, latest_effective_from=latest)
    same = rules.terms_date_problems(date(2025, 1, 1), **dates, latest_effective_from=latest)
    assert codes(before) == [E.TERMS_DATE_BEFORE_CONTRACT]
    assert codes(after) == [E.TERMS_DATE_AFTER_CONTRACT]
    assert codes(same) == [E.TERMS_DATE_NOT_AFTER_CURRENT]
    with translation.override("vi"):
        message = rules.terms_date_problems(
            date(2025, 6, 1), **dates, latest_effective_from=date(2025, 7, 1)
        )[0].message
    assert "01/07/2025" in message


# --- contracts --------------------------------------------------------------------------------------

KNOWN = ["communicate", "form_groups"]


def contract(**changes):
    values = {
        "number": "01/2025/HĐUT",
        "signed_on": date(2025, 1, 1),
        "valid_from": date(2025, 1, 1),
        "valid_to": None,
        "tasks": ["communicate"],
        "known_tasks": KNOWN,
    }
    return codes(rules.contract_problems(**(values | changes)))


def test_contract_rules_success_and_failure_side_by_side():
    assert contract() == []
    assert contract(valid_to=date(2027, 12, 31), signed_on=date(2024, 12, 20)) == []
    assert contract(number="") == [E.NUMBER_REQUIRED]
    assert contract(number="x" * 41) == [E.NUMBER_TOO_LONG]
    assert contract(signed_on=date(2025, 1, 2)) == [E.SIGNED_AFTER_START]
    assert contract(valid_to=date(2025, 1, 1)) == [E.DATES_ORDER]
    assert contract(tasks=[]) == [E.TASKS_REQUIRED]
    assert contract(tasks=["communicate", "sing"]) == [E.TASK_UNKNOWN]


# --- supervision and inspections --------------------------------------------------------------------

TODAY = date(2026, 11, 25)


def inspection(**changes):
    values = {
        "inspector_name": "Hoàng Thị Lan, chủ tịch hội",
        "checked": ["loan_use", "savings"],
        "findings": "Vốn vay sử dụng đúng mục đích.",
        "inspected_on": date(2026, 11, 20),
        "reported_on": date(2026, 11, 23),
        "today": TODAY,
    }
    return codes(rules.inspection_problems(**(values | changes)))


def test_inspection_rules_success_and_failure_side_by_side():
    assert inspection() == []
    assert inspection(reported_on=None, inspected_on=TODAY) == []
    assert inspection(inspector_name="") == [E.INSPECTOR_REQUIRED]
    assert inspection(inspector_name="x" * 121) == [E.INSPECTOR_TOO_LONG]
    assert inspection(checked=[]) == [E.CHECKED_REQUIRED]
    assert inspection(checked=["loan_use", "weather"]) == [E.CHECK_UNKNOWN]
    assert inspection(findings="") == [E.FINDINGS_REQUIRED]
    assert inspection(findings="x" * 4001) == [E.FINDINGS_TOO_LONG]
    assert inspection(inspected_on=TODAY + timedelta(days=1), reported_on=None) == [
        E.INSPECTED_IN_FUTURE
    ]
    assert inspection(reported_on=date(2026, 11, 19)) == [E.REPORTED_BEFORE_INSPECTED]
    assert inspection(reported_on=TODAY + timedelta(days=1)) == [E.REPORTED_IN_FUTURE]


def test_an_inspection_is_reported_within_three_working_days():
    assert rules.report_due_by(date(2026, 11, 25)) == date(2026, 11, 30)  # Wednesday → Monday
    assert rules.report_due_by(date(2026, 11, 27)) == date(2026, 12, 2)  # Friday → Wednesday
    assert rules.report_due_by(date(2026, 11, 28)) == date(2026, 12, 2)  # Saturday → Wednesday


def test_every_group_once_a_year_by_31_12_and_years_in_range():
    assert rules.group_yearly_due_by(2026) == date(2026, 12, 31)
    assert rules.year_problems(2026) == []
    assert codes(rules.year_problems(1999)) == [E.YEAR_RANGE]
    assert codes(rules.year_problems(True)) == [E.YEAR_RANGE]
