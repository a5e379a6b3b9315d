"""The pure rules of rescheduling, extension and risk handling (domain.md §6.8, §6.10)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from policylend.loans import changes_rules as rules
from policylend.loans.error_codes import ChangeErrorCode as E


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def codes(problems):
    return [problem.code for problem in problems]


# --- working days ------------------------------------------------------------------------------

MONDAY = date(2027, 5, 17)
FRIDAY = date(2027, 5, 21)


def test_monday_to_friday_is_four_working_days_and_to_next_monday_five():
    assert working(MONDAY, FRIDAY) == 4
    assert working(MONDAY, MONDAY + timedelta(days=7)) == 5
    assert working(FRIDAY, MONDAY + timedelta(days=7)) == 1
    assert working(FRIDAY, FRIDAY) == 0


def working(start, end):
    return rules.working_days_between(start, end)


@given(
    st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 1, 1)),
    st.integers(min_value=0, max_value=400),
)
def test_working_days_equal_a_day_by_day_count(start, days):
    end = start + timedelta(days=days)
    expected = sum(1 for n in range(1, days + 1) if (start + timedelta(days=n)).weekday() < 5)
    assert rules.working_days_between(start, end) == expected


# --- rescheduling ------------------------------------------------------------------------------


def instalment(number=1, status="pending", paid=0, due=FRIDAY, session=FRIDAY):
    return rules.InstalmentFacts(number, 8_300_000, paid, status, due, session)


NEXT = rules.InstalmentFacts(2, 8_300_000, 0, "pending", date(2027, 11, 21), date(2027, 11, 21))


def reschedule(asked_on=MONDAY - timedelta(days=7), new_due=date(2027, 8, 21), amount=None, **kw):
    return rules.reschedule_problems(
        instalment=kw.get("instalment", instalment()),
        following=kw.get("following", NEXT),
        new_due=new_due,
        new_due_session=kw.get("new_due_session", new_due),
        amount=amount,
        asked_on=asked_on,
    )


def test_five_working_days_before_the_session_is_accepted_four_refused():
    # Asked on the Monday before: Tue–Fri is 4 working days.
    assert codes(reschedule(asked_on=MONDAY)) == [E.TOO_LATE]
    # Asked on the Friday before: Mon–Fri is 5.
    assert reschedule(asked_on=FRIDAY - timedelta(days=7)) == []


def test_new_date_up_to_the_next_instalment_accepted_past_it_refused():
    assert reschedule(new_due=NEXT.due) == []
    assert codes(reschedule(new_due=NEXT.due + timedelta(days=1))) == [E.PAST_NEXT_INSTALMENT]
    assert codes(reschedule(new_due=FRIDAY)) == [E.NEW_DUE_NOT_LATER]


def test_the_last_instalment_cannot_move():
    assert codes(reschedule(following=None)) == [E.LAST_INSTALMENT]


def test_paid_and_overdue_instalments_cannot_move_pending_can():
    assert reschedule(instalment=instalment(status="pending")) == []
    assert codes(reschedule(instalment=instalment(status="overdue"))) == [E.INSTALMENT_OVERDUE]
    assert codes(reschedule(instalment=instalment(status="paid", paid=8_300_000))) == [
        E.INSTALMENT_PAID
    ]


def test_part_of_the_unpaid_principal_may_move_not_more():
    partly_paid = instalment(paid=3_000_000)
    assert reschedule(instalment=partly_paid, amount=5_300_000) == []
    problems = reschedule(instalment=partly_paid, amount=5_300_001)
    assert codes(problems) == [E.AMOUNT]
    assert "5,300,000" in problems[0].message or "5.300.000" in problems[0].message


def test_a_date_collected_at_the_same_session_is_refused():
    assert codes(reschedule(new_due=date(2027, 5, 25), new_due_session=FRIDAY)) == [E.SAME_SESSION]


# --- extension ---------------------------------------------------------------------------------


def extension(months, extended=0, asked_on=date(2027, 1, 10), status="in_term"):
    return rules.extension_problems(
        status=status,
        asked_on=asked_on,
        maturity=date(2029, 9, 21),
        term_months=36,
        extended_months=extended,
        months=months,
    )


def test_extension_up_to_half_the_term_accepted_beyond_refused():
    assert extension(18) == []
    problems = extension(19)
    assert codes(problems) == [E.EXTENSION_TOO_LONG]
    assert "36 months (18 months)" in problems[0].message
    assert extension(6, extended=12) == []
    assert codes(extension(7, extended=12)) == [E.EXTENSION_TOO_LONG]


def test_extension_before_maturity_only_and_only_in_term_or_overdue():
    assert extension(6, status="overdue") == []
    assert codes(extension(6, asked_on=date(2029, 9, 21))) == [E.AFTER_MATURITY]
    assert codes(extension(6, status="frozen")) == [E.NOT_EXTENDABLE]


# --- risk handling -----------------------------------------------------------------------------


def dossier(loss, treatment, freeze=None, extension=None, cause="natural_disaster", ended=False):
    return rules.dossier_problems(
        loss_percent=loss,
        cause=cause,
        treatment=treatment,
        freeze_months=freeze,
        extension_months=extension,
        freeze_ended=ended,
        occurred_on=date(2026, 9, 1),
        today=date(2026, 11, 25),
    )


def test_below_40_percent_extension_only():
    assert dossier(39, "extension", extension=6) == []
    assert codes(dossier(39, "freeze", freeze=12)) == [E.TREATMENT_NOT_ALLOWED]
    assert codes(dossier(40, "extension", extension=6)) == [E.TREATMENT_NOT_ALLOWED]


def test_40_to_80_percent_freeze_up_to_36_months():
    assert dossier(40, "freeze", freeze=36) == []
    assert dossier(79, "freeze", freeze=36) == []
    assert codes(dossier(79, "freeze", freeze=37)) == [E.FREEZE_TOO_LONG]


def test_80_to_100_percent_freeze_up_to_60_months():
    assert dossier(80, "freeze", freeze=60) == []
    assert codes(dossier(100, "freeze", freeze=61)) == [E.FREEZE_TOO_LONG]


def test_write_off_after_a_freeze_or_for_death_with_total_loss():
    assert dossier(100, "write_off", cause="death") == []
    assert dossier(100, "write_off", cause="missing") == []
    assert codes(dossier(90, "write_off", cause="death")) == [E.TREATMENT_NOT_ALLOWED]
    assert codes(dossier(100, "write_off", cause="natural_disaster")) == [E.TREATMENT_NOT_ALLOWED]
    assert dossier(60, "write_off", ended=True) == []


@given(st.integers(min_value=0, max_value=100))
def test_every_loss_band_allows_exactly_one_of_extension_or_freeze(loss):
    allowed = rules.treatments_allowed(loss_percent=loss, cause="fire", freeze_ended=False)
    assert allowed == (["extension"] if loss < 40 else ["freeze"])
    limit = rules.freeze_months_max(loss)
    assert limit == (None if loss < 40 else 36 if loss < 80 else 60)
