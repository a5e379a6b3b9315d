"""A change of a programme's terms: branch staff ask, the branch manager approves, the new
version applies from its date and the history only grows (maker–checker)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from conftest import TODAY
from policylend.approvals.services import approval_request_approve, approval_request_reject
from policylend.core.errors import DomainError, Forbidden
from policylend.programmes.models import ProgrammeTerms
from policylend.programmes.rules import TermsInput, terms_problems
from policylend.programmes.selectors import annual_rate_of, terms_history, terms_on
from policylend.programmes.services import (
    AREA_KINDS,
    application_check,
    terms_change_propose,
)
from policylend.programmes.signals import terms_version_added

pytestmark = pytest.mark.django_db
NEXT_YEAR = date(2027, 1, 1)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def codes(error: DomainError) -> list[str]:
    return [problem.code for problem in error.problems]


def test_staff_propose_and_the_manager_approves_a_new_poor_rate(programme, staff, manager):
    poor, escaped = programme("01"), programme("09")
    # given
    request = terms_change_propose(
        actor=staff,
        programme=poor,
        effective_from=NEXT_YEAR,
        annual_rate=Decimal("0.06"),
        note="Quyết định giả định",
        today=TODAY,
    )
    assert ProgrammeTerms.objects.filter(programme=poor).count() == 1  # nothing yet
    # when
    approval_request_approve(request_id=request.pk, checker=manager, today=TODAY)
    # then
    history = terms_history(poor, NEXT_YEAR)
    assert [row.terms.effective_from for row in history] == [NEXT_YEAR, date(2020, 1, 1)]
    assert history[0].in_force and history[0].terms.approval_id == request.pk
    assert history[0].last_day is None and history[1].last_day == date(2026, 12, 31)
    assert history[1].terms.annual_rate == Decimal("0.066")  # never edited
    new = terms_on(poor, NEXT_YEAR)
    assert (new.annual_rate, new.amount_max, new.note) == (
        Decimal("0.06"),
        100_000_000,
        "Quyết định giả định",
    )
    assert new.recorded_by == manager
    # The multiple follows the poor rate from its date.
    assert annual_rate_of(terms_on(escaped, NEXT_YEAR), NEXT_YEAR) == Decimal("0.075")
    assert annual_rate_of(terms_on(escaped, TODAY), TODAY) == Decimal("0.0825")


def test_the_maker_cannot_check_and_other_roles_cannot_ask(programme, staff, make_user, org):
    request = terms_change_propose(
        actor=staff,
        programme=programme("19"),
        effective_from=NEXT_YEAR,
        amount_max=120_000_000,
        today=TODAY,
    )
    with pytest.raises(Forbidden) as maker:
        approval_request_approve(request_id=request.pk, checker=staff, today=TODAY)
    assert maker.value.code == "approval_maker_cannot_check"
    controller = make_user("controller", org.branch)
    with pytest.raises(Forbidden):
        approval_request_approve(request_id=request.pk, checker=controller, today=TODAY)
    officer = make_user("credit_officer", org.office_a)
    with pytest.raises(Forbidden):
        terms_change_propose(
            actor=officer, programme=programme("19"), effective_from=NEXT_YEAR, today=TODAY
        )
    assert ProgrammeTerms.objects.filter(programme=programme("19")).count() == 1


def test_a_rejected_change_leaves_the_terms(programme, staff, manager):
    request = terms_change_propose(
        actor=staff,
        programme=programme("06"),
        effective_from=NEXT_YEAR,
        amount_max=30_000_000,
        today=TODAY,
    )
    approval_request_reject(request_id=request.pk, checker=manager, reason="Chưa có quyết định")
    assert terms_on(programme("06"), NEXT_YEAR).amount_max == 25_000_000


@pytest.mark.parametrize(
    ("changes", "code", "field"),
    [
        ({"annual_rate": Decimal("0.25")}, "programmes_rate_range", "annual_rate"),
        ({"annual_rate": Decimal("-0.01")}, "programmes_rate_range", "annual_rate"),
        ({"amount_max": 0}, "programmes_amount_max_range", "amount_max"),
        ({"term_months_max": 0}, "programmes_term_range", "term_months_max"),
        ({"grace_months": 120}, "programmes_grace_range", "grace_months"),
        (
            {"repayment_interval_months": 0},
            "programmes_interval_range",
            "repayment_interval_months",
        ),
        ({"amount_basis": "contract"}, "programmes_amount_share_range", "amount_share"),
        (
            {"eligible_classifications": ["rich"]},
            "programmes_classification_unknown",
            "eligible_classifications",
        ),
        ({"eligible_areas": ["poor"]}, "programmes_area_unknown", "eligible_areas"),
        ({"rate_basis": "poor_rate_multiple"}, "programmes_rate_basis", "rate_basis"),
        ({"overdue_factor": Decimal("0.5")}, "programmes_overdue_factor_range", "overdue_factor"),
    ],
)
def test_broken_rules_are_refused_naming_the_field(programme, staff, changes, code, field):
    # The same request with a valid rate passes, so the failure is the change's own.
    fine = terms_change_propose(
        actor=staff,
        programme=programme("01"),
        effective_from=NEXT_YEAR,
        annual_rate=Decimal("0.065"),
        today=TODAY,
        idempotency_key="fine",
    )
    assert fine.pk
    fine.status = "withdrawn"
    fine.save(update_fields=["status"])
    with pytest.raises(DomainError) as error:
        terms_change_propose(
            actor=staff,
            programme=programme("01"),
            effective_from=NEXT_YEAR,
            today=TODAY,
            **{"annual_rate": Decimal("0.065"), **changes},
        )
    assert code in codes(error.value)
    assert field in [problem.field for problem in error.value.problems]


def test_a_version_starts_after_the_latest_and_changes_something(programme, staff):
    housing = programme("12")
    with pytest.raises(DomainError) as before:
        terms_change_propose(
            actor=staff,
            programme=housing,
            effective_from=date(2025, 10, 10),
            annual_rate=Decimal("0.05"),
            today=TODAY,
        )
    assert codes(before.value) == ["programmes_terms_not_after_latest"]
    assert before.value.message == (
        "The new terms must start after 10/10/2025, the start of the latest version."
    )
    with pytest.raises(DomainError) as same:
        terms_change_propose(actor=staff, programme=housing, effective_from=NEXT_YEAR, today=TODAY)
    assert codes(same.value) == ["programmes_terms_unchanged"]


def test_one_change_waits_at_a_time_per_programme(programme, staff):
    terms_change_propose(
        actor=staff,
        programme=programme("10"),
        effective_from=NEXT_YEAR,
        annual_rate=Decimal("0.08"),
        today=TODAY,
    )
    with pytest.raises(DomainError) as second:
        terms_change_propose(
            actor=staff,
            programme=programme("10"),
            effective_from=date(2027, 2, 1),
            annual_rate=Decimal("0.07"),
            today=TODAY,
        )
    assert codes(second.value) == ["approval_already_waiting"]


def test_a_version_for_existing_loans_is_announced(programme, staff, manager):
    heard = []

    def receiver(sender, version, actor, today, **kwargs):
        heard.append((sender, version.effective_from, actor, today))

    terms_version_added.connect(receiver)
    try:
        for day, existing in ((NEXT_YEAR, False), (date(2027, 7, 1), True)):
            request = terms_change_propose(
                actor=staff,
                programme=programme("12"),
                effective_from=day,
                annual_rate=Decimal("0.05") if existing else Decimal("0.052"),
                applies_to_existing=existing,
                today=TODAY,
            )
            approval_request_approve(request_id=request.pk, checker=manager, today=TODAY)
    finally:
        terms_version_added.disconnect(receiver)
    assert heard == [(ProgrammeTerms, date(2027, 7, 1), manager, TODAY)]


def test_a_failing_receiver_rolls_the_approval_back(programme, staff, manager):
    def receiver(**kwargs):
        raise DomainError("loans_reprice", "cannot reprice")

    request = terms_change_propose(
        actor=staff,
        programme=programme("12"),
        effective_from=NEXT_YEAR,
        annual_rate=Decimal("0.05"),
        applies_to_existing=True,
        today=TODAY,
    )
    terms_version_added.connect(receiver)
    try:
        with pytest.raises(DomainError):
            approval_request_approve(request_id=request.pk, checker=manager, today=TODAY)
    finally:
        terms_version_added.disconnect(receiver)
    request.refresh_from_db()
    assert request.status == "pending"
    assert ProgrammeTerms.objects.filter(programme=programme("12")).count() == 2


def test_a_change_to_a_multiple_of_the_poor_rate(programme, staff, manager):
    request = terms_change_propose(
        actor=staff,
        programme=programme("26"),
        effective_from=NEXT_YEAR,
        rate_basis="poor_rate_multiple",
        annual_rate=None,
        rate_factor=Decimal("1.1"),
        today=TODAY,
    )
    approval_request_approve(request_id=request.pk, checker=manager, today=TODAY)
    version = terms_on(programme("26"), NEXT_YEAR)
    assert annual_rate_of(version, NEXT_YEAR) == Decimal("0.0726")


def test_terms_problems_pure():
    known = {"known_classifications": {"poor", "near_poor"}, "known_areas": AREA_KINDS}
    good = TermsInput(
        annual_rate=Decimal("0.066"),
        amount_max=100_000_000,
        term_months_max=60,
        eligible_classifications=("poor",),
    )
    assert terms_problems(good, **known) == []
    assert TermsInput.from_payload(good.as_payload()) == good


def test_application_check_reads_the_programme(programme):
    jobs = programme("03")
    terms = terms_on(jobs, date(2026, 3, 1))
    ok = application_check(
        programme=jobs,
        terms=terms,
        year=2026,
        classifications=[],
        amount=400_000_000,
        term_months=120,
        workers=2,
    )
    assert ok == []
    refused = application_check(
        programme=jobs,
        terms=terms,
        year=2026,
        classifications=[],
        amount=400_000_000,
        term_months=120,
        workers=1,
    )
    assert [p.code for p in refused] == ["programmes_amount_above_max"]
    poor = programme("01")
    refused = application_check(
        programme=poor,
        terms=terms_on(poor, TODAY),
        year=2026,
        classifications=["near_poor"],
        amount=10_000_000,
        term_months=36,
    )
    assert refused[0].message == (
        "Programme 01 lends to households certified in 2026 as: Poor household. "
        "This household is certified for 2026 as: Near-poor household."
    )
