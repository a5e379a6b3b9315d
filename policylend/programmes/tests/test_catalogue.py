"""The catalogue the data migration loads: the 19 programmes of domain.md §5 and their terms,
with the rates a banker would check by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from policylend.ledger.chart import PROGRAMMES as CHART_PROGRAMMES
from policylend.programmes import catalogue
from policylend.programmes.catalogue_seed import seed_catalogue
from policylend.programmes.models import Programme, ProgrammeTerms
from policylend.programmes.selectors import annual_rate_of, overdue_rate_of, terms_on
from policylend.programmes.services import AREA_KINDS

pytestmark = pytest.mark.django_db


def rate(code: str, day: date) -> Decimal:
    programme = Programme.objects.get(code=code)
    return annual_rate_of(terms_on(programme, day), day)


def test_nineteen_programmes_with_the_chart_of_accounts_codes_and_names():
    assert Programme.objects.count() == 19
    assert set(Programme.objects.values_list("code", flat=True)) == {
        code for code, *_ in CHART_PROGRAMMES
    }
    poor = Programme.objects.get(code="01")
    assert (poor.name_vi, poor.name_en) == ("Hộ nghèo", "Poor households")
    assert poor.legal_basis == "Nghị định 78/2002/NĐ-CP"


def test_every_programme_has_terms_from_2020_on():
    for programme in Programme.objects.all():
        assert terms_on(programme, date(2020, 1, 1)) is not None, programme.code


@pytest.mark.parametrize(
    ("code", "day", "expected"),
    [
        ("01", date(2025, 6, 1), "0.066"),
        ("19", date(2025, 6, 1), "0.0792"),
        ("09", date(2025, 6, 1), "0.0825"),  # 125 % of 6.6 %
        ("03", date(2025, 12, 31), "0.066"),
        ("03", date(2026, 1, 1), "0.08382"),  # 127 % of 6.6 % (Decree 338/2025)
        ("04", date(2026, 3, 1), "0.066"),  # the poor rate
        ("02", date(2024, 1, 1), "0.066"),
        ("02S", date(2026, 1, 1), "0.048"),
        ("06", date(2024, 1, 1), "0.09"),
        ("12", date(2025, 10, 9), "0.066"),
        ("12", date(2025, 10, 10), "0.054"),
        ("10", date(2024, 1, 1), "0.09"),
        ("15", date(2024, 1, 1), "0.09"),
        ("26", date(2024, 1, 1), "0.066"),
        ("25", date(2024, 1, 1), "0.03"),
        ("25L", date(2024, 1, 1), "0.03"),
        ("07", date(2024, 1, 1), "0.03"),
        ("17", date(2024, 1, 1), "0"),
        ("21", date(2024, 1, 1), "0"),
        ("31", date(2024, 1, 1), "0.012"),
        ("99", date(2024, 1, 1), "0.066"),
    ],
)
def test_rates_on_a_day(code, day, expected):
    assert rate(code, day) == Decimal(expected)


def test_job_creation_rate_is_127_percent_of_the_poor_rate_from_2026():
    assert rate("03", date(2026, 1, 1)) == Decimal("1.27") * Decimal("0.066")


def test_social_housing_5_4_percent_applies_to_existing_loans():
    housing = Programme.objects.get(code="12")
    new = terms_on(housing, date(2025, 10, 10))
    old = terms_on(housing, date(2025, 10, 9))
    assert new.applies_to_existing and not old.applies_to_existing
    assert (new.amount_basis, new.amount_share, new.amount_max) == (
        "contract",
        Decimal("0.8"),
        1_000_000_000,
    )
    assert new.repayment_interval_months == 6


def test_overdue_rate_is_130_percent_of_the_loan_rate():
    poor = Programme.objects.get(code="01")
    assert overdue_rate_of(terms_on(poor, date(2026, 1, 1)), date(2026, 1, 1)) == Decimal("0.0858")


def test_limits_and_lists_of_a_few_programmes():
    day = date(2026, 6, 1)
    jobs = terms_on(Programme.objects.get(code="03"), day)
    assert (jobs.amount_max, jobs.amount_basis, jobs.term_months_max) == (
        200_000_000,
        "worker",
        120,
    )
    students = terms_on(Programme.objects.get(code="02"), day)
    assert (students.amount_max, students.amount_basis, students.repayment_mode) == (
        4_000_000,
        "study_month",
        "after_course",
    )
    assert students.grace_months == 12
    water = terms_on(Programme.objects.get(code="06"), day)
    assert (water.amount_max, water.amount_basis) == (25_000_000, "facility")
    housing = terms_on(Programme.objects.get(code="07"), day)
    assert (housing.term_months_max, housing.grace_months) == (180, 60)
    assert terms_on(Programme.objects.get(code="17"), day).eligible_classifications == [
        "ethnic_minority+poor"
    ]
    assert terms_on(Programme.objects.get(code="10"), day).eligible_areas == ["disadvantaged_area"]
    assert Programme.objects.get(code="04").extra_fields == [
        "workers",
        "contract_number",
        "employer",
        "country",
        "contract_value",
    ]
    assert Programme.objects.get(code="99").funding_sources == ["local"]


def test_catalogue_lists_are_known_to_the_households_register():
    from policylend.households.models import ClassificationKind

    for spec in catalogue.PROGRAMMES:
        for terms in spec.terms:
            for entry in terms.eligible_classifications:
                assert set(entry.split("+")) <= set(ClassificationKind.values)
            assert set(terms.eligible_areas) <= AREA_KINDS


def test_loading_again_changes_nothing():
    from django.apps import apps

    before = list(ProgrammeTerms.objects.order_by("pk").values())
    seed_catalogue(apps)
    assert list(ProgrammeTerms.objects.order_by("pk").values()) == before
    assert Programme.objects.count() == 19
