"""Eligibility of an application, as a pure rule: success and failure side by side, each
refusal naming the rule and the numbers."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from policylend.programmes.eligibility import (
    EligibilityFacts,
    TermsLimits,
    ceiling,
    eligibility_problems,
)

M = 1_000_000
POOR = TermsLimits(amount_max=100 * M, term_months_max=120, eligible_classifications=("poor",))
LABELS = {"poor": "Poor household", "near_poor": "Near-poor household"}


def facts(**changes) -> EligibilityFacts:
    base = EligibilityFacts(
        programme_code="01",
        year=2026,
        amount=50 * M,
        term_months=60,
        classifications=frozenset({"poor"}),
    )
    return replace(base, **changes)


def codes(problems) -> list[str]:
    return [problem.code for problem in problems]


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def test_a_poor_household_within_the_limits_may_borrow():
    assert eligibility_problems(facts(), POOR) == []


def test_the_certified_list_for_the_year_is_needed():
    problems = eligibility_problems(facts(classifications=frozenset({"near_poor"})), POOR, LABELS)
    assert codes(problems) == ["programmes_not_classified"]
    assert problems[0].message == (
        "Programme 01 lends to households certified in 2026 as: Poor household. "
        "This household is certified for 2026 as: Near-poor household."
    )
    assert problems[0].field == "programme"


def test_every_list_joined_by_plus_is_needed():
    limits = TermsLimits(5 * M, 60, eligible_classifications=("ethnic_minority+poor",))
    both = facts(amount=5 * M, classifications=frozenset({"ethnic_minority", "poor"}))
    assert eligibility_problems(both, limits) == []
    only_poor = facts(amount=5 * M, classifications=frozenset({"poor"}))
    assert codes(eligibility_problems(only_poor, limits)) == ["programmes_not_classified"]


def test_areas_that_qualify():
    limits = TermsLimits(100 * M, 60, eligible_areas=("disadvantaged_area",))
    inside = facts(classifications=frozenset({"disadvantaged_area"}))
    assert eligibility_problems(inside, limits) == []
    problems = eligibility_problems(facts(classifications=frozenset()), limits)
    assert codes(problems) == ["programmes_area_not_eligible"]


def test_the_maximum_counts_what_the_household_already_owes_and_asks():
    within = facts(amount=70 * M, outstanding=20 * M, other_applications=10 * M)
    assert eligibility_problems(within, POOR) == []
    above = facts(amount=120 * M, outstanding=30 * M)
    problems = eligibility_problems(above, POOR)
    assert codes(problems) == ["programmes_amount_above_max"]
    assert problems[0].message == (
        "The amount 120,000,000\u00a0₫ is above the maximum 100,000,000\u00a0₫ (per household): "
        "the household already owes or asks 30,000,000\u00a0₫ under the same programme, so at "
        "most 70,000,000\u00a0₫ more."
    )


def test_the_maximum_message_in_vietnamese():
    with translation.override("vi"):
        problems = eligibility_problems(facts(amount=120 * M), POOR)
    assert "120.000.000\u00a0₫" in problems[0].message
    assert "100.000.000\u00a0₫" in problems[0].message


def test_the_maximum_per_worker():
    limits = TermsLimits(200 * M, 120, amount_basis="worker")
    assert eligibility_problems(facts(amount=400 * M, fields={"workers": 2}), limits) == []
    problems = eligibility_problems(facts(amount=401 * M, fields={"workers": 2}), limits)
    assert codes(problems) == ["programmes_amount_above_max"]
    assert "200,000,000\u00a0₫ per worker × 2 workers" in problems[0].message
    missing = eligibility_problems(facts(amount=M), limits)
    assert codes(missing) == ["programmes_basis_count_required"]
    assert missing[0].field == "workers"


def test_the_maximum_per_month_of_study_and_per_facility():
    study = TermsLimits(4 * M, 144, amount_basis="study_month")
    assert eligibility_problems(facts(amount=40 * M, fields={"study_months": 10}), study) == []
    assert codes(
        eligibility_problems(facts(amount=40 * M + 1, fields={"study_months": 10}), study)
    ) == ["programmes_amount_above_max"]
    water = TermsLimits(25 * M, 60, amount_basis="facility")
    assert eligibility_problems(facts(amount=50 * M, fields={"facilities": 2}), water) == []
    assert codes(eligibility_problems(facts(amount=50 * M, fields={"facilities": 1}), water)) == [
        "programmes_amount_above_max"
    ]


def test_the_maximum_as_a_share_of_the_contract_capped():
    housing = TermsLimits(1000 * M, 300, amount_basis="contract", amount_share=Decimal("0.8"))
    assert ceiling(facts(fields={"contract_value": 500 * M}), housing).amount == 400 * M
    assert ceiling(facts(fields={"contract_value": 2000 * M}), housing).amount == 1000 * M
    assert (
        eligibility_problems(facts(amount=400 * M, fields={"contract_value": 500 * M}), housing)
        == []
    )
    problems = eligibility_problems(
        facts(amount=400 * M + 1, fields={"contract_value": 500 * M}), housing
    )
    assert "80 % of the contract value 500,000,000\u00a0₫" in problems[0].message


def test_the_term():
    assert eligibility_problems(facts(term_months=120), POOR) == []
    problems = eligibility_problems(facts(term_months=121), POOR)
    assert codes(problems) == ["programmes_term_above_max"]
    assert problems[0].message == (
        "The term of 121 months is longer than the programme's maximum of 120 months."
    )
    assert codes(eligibility_problems(facts(term_months=0), POOR)) == [
        "programmes_term_not_positive"
    ]


def test_the_amount_must_be_positive():
    assert codes(eligibility_problems(facts(amount=0), POOR)) == ["programmes_amount_not_positive"]


def test_the_group_must_exist_for_group_programmes_and_be_active():
    assert eligibility_problems(facts(group_active=None, channel="group_or_direct"), POOR) == []
    assert codes(eligibility_problems(facts(group_active=None, channel="group"), POOR)) == [
        "programmes_no_group"
    ]
    assert codes(eligibility_problems(facts(group_active=False), POOR)) == [
        "programmes_group_inactive"
    ]


def test_a_closed_programme_and_missing_programme_fields():
    assert codes(eligibility_problems(facts(programme_open=False), POOR)) == [
        "programmes_programme_closed"
    ]
    asks = facts(required_fields=("school", "course"), fields={"school": "ĐH Nông Lâm"})
    problems = eligibility_problems(asks, POOR)
    assert [(p.code, p.field) for p in problems] == [("programmes_field_required", "course")]


def test_every_problem_at_once():
    problems = eligibility_problems(
        facts(
            classifications=frozenset(),
            amount=150 * M,
            term_months=200,
            group_active=False,
            programme_open=False,
        ),
        POOR,
    )
    assert codes(problems) == [
        "programmes_programme_closed",
        "programmes_not_classified",
        "programmes_group_inactive",
        "programmes_term_above_max",
        "programmes_amount_above_max",
    ]


@settings(max_examples=200)
@given(
    amount=st.integers(min_value=1, max_value=300 * M),
    taken=st.integers(min_value=0, max_value=300 * M),
    count=st.integers(min_value=1, max_value=10),
    basis=st.sampled_from(["household", "worker", "study_month", "facility"]),
)
def test_the_maximum_is_exactly_the_ceiling(amount, taken, count, basis):
    """An amount passes exactly when it and what is taken fit under the basis's ceiling."""
    field = {"worker": "workers", "study_month": "study_months", "facility": "facilities"}
    limits = TermsLimits(25 * M, 60, amount_basis=basis)
    case = facts(
        amount=amount,
        outstanding=taken,
        classifications=frozenset(),
        fields={field[basis]: count} if basis in field else {},
    )
    limit = 25 * M * (count if basis != "household" else 1)
    refused = "programmes_amount_above_max" in codes(eligibility_problems(case, limits))
    assert refused == (amount + taken > limit)


@given(
    value=st.integers(min_value=1, max_value=10**12),
    share=st.decimals(min_value=Decimal("0.01"), max_value=1, places=2),
)
def test_the_contract_ceiling_never_exceeds_the_share_or_the_cap(value, share):
    limits = TermsLimits(1000 * M, 300, amount_basis="contract", amount_share=share)
    reached = ceiling(facts(fields={"contract_value": value}), limits).amount
    assert reached <= 1000 * M
    assert reached <= value * share < reached + 1 or reached == 1000 * M
