"""Repayment schedules (domain.md §6.5) as a pure rule: the worked examples of
worked-examples.md, then properties over random loans (hypothesis prints the falsifying example
and how to reproduce it when one fails)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from policylend.core.periods import add_months
from policylend.loans.schedule import (
    INSTALMENT_UNIT,
    Mode,
    ScheduleTerms,
    build_schedule,
    contract_due_dates,
    maturity,
    respread,
    session_date,
    split_principal,
)

# --- worked examples ----------------------------------------------------------------------------


def test_yearly_loan_of_50_million_over_36_months_with_session_day_15():
    terms = ScheduleTerms(
        amount=50_000_000,
        disbursed_on=date(2025, 3, 20),
        term_months=36,
        interval_months=12,
        session_day=15,
    )
    plan = build_schedule(terms)
    assert [(i.number, i.principal, i.due_contract, i.due_session) for i in plan] == [
        (1, 16_600_000, date(2026, 3, 20), date(2026, 3, 15)),
        (2, 16_600_000, date(2027, 3, 20), date(2027, 3, 15)),
        (3, 16_800_000, date(2028, 3, 20), date(2028, 3, 15)),
    ]
    assert maturity(terms) == date(2028, 3, 20)


def test_six_monthly_loan_of_30_million_over_24_months_with_session_day_21():
    plan = build_schedule(
        ScheduleTerms(
            amount=30_000_000,
            disbursed_on=date(2025, 1, 31),
            term_months=24,
            interval_months=6,
            session_day=21,
        )
    )
    assert [(i.principal, i.due_contract, i.due_session) for i in plan] == [
        (7_500_000, date(2025, 7, 31), date(2025, 7, 21)),
        (7_500_000, date(2026, 1, 31), date(2026, 1, 21)),
        (7_500_000, date(2026, 7, 31), date(2026, 7, 21)),
        (7_500_000, date(2027, 1, 31), date(2027, 1, 21)),
    ]


@pytest.mark.parametrize(
    ("due", "collected"),
    [
        # the March session would be late: collected at the February one
        (date(2026, 3, 10), date(2026, 2, 15)),
        (date(2026, 3, 15), date(2026, 3, 15)),
        (date(2026, 3, 20), date(2026, 3, 15)),
        # across a year end
        (date(2026, 1, 5), date(2025, 12, 15)),
    ],
)
def test_an_instalment_is_collected_at_the_last_session_on_or_before_its_due_date(due, collected):
    assert session_date(due, 15) == collected


def test_a_session_is_never_on_or_before_the_disbursement():
    # due 20/03 would be collected 15/03, but the loan was paid out on 15/03: the next session
    assert session_date(date(2026, 3, 20), 15, after=date(2026, 3, 15)) == date(2026, 4, 15)
    assert session_date(date(2026, 3, 20), 15, after=date(2026, 3, 14)) == date(2026, 3, 15)


def test_the_contractual_due_date_clamps_to_the_month_end():
    terms = ScheduleTerms(
        amount=10_000_000,
        disbursed_on=date(2025, 8, 31),
        term_months=24,
        interval_months=6,
        session_day=15,
    )
    dues = contract_due_dates(terms)
    assert dues[0] == date(2026, 2, 28)
    # every due date counts from the disbursement, not from the clamped one before it
    assert dues == [date(2026, 2, 28), date(2026, 8, 31), date(2027, 2, 28), date(2027, 8, 31)]


def test_split_principal_rounds_down_to_100_000_and_puts_the_rest_last():
    assert split_principal(50_000_000, 3) == [16_600_000, 16_600_000, 16_800_000]
    assert split_principal(30_000_000, 4) == [7_500_000] * 4
    assert split_principal(1_050_000, 2) == [500_000, 550_000]


def test_an_amount_too_small_to_split_is_repaid_at_maturity_in_one_instalment():
    assert split_principal(150_000, 3) == [150_000]
    plan = build_schedule(
        ScheduleTerms(
            amount=150_000,
            disbursed_on=date(2025, 1, 10),
            term_months=36,
            interval_months=12,
            session_day=15,
        )
    )
    assert [(i.principal, i.due_contract) for i in plan] == [(150_000, date(2028, 1, 10))]


@pytest.mark.parametrize(("amount", "count"), [(0, 3), (-100_000, 3), (1_000_000, 0)])
def test_split_principal_refuses_nothing_to_split(amount, count):
    with pytest.raises(ValueError):
        split_principal(amount, count)


def test_a_lump_sum_loan_has_one_instalment_at_maturity():
    plan = build_schedule(
        ScheduleTerms(
            amount=20_000_000,
            disbursed_on=date(2025, 5, 2),
            term_months=18,
            interval_months=12,
            session_day=6,
            mode=Mode.LUMP_SUM,
        )
    )
    assert [(i.principal, i.due_contract, i.due_session) for i in plan] == [
        (20_000_000, date(2026, 11, 2), date(2026, 10, 6))
    ]


def test_a_student_loan_is_repaid_from_12_months_after_the_course():
    terms = ScheduleTerms(
        amount=40_000_000,
        disbursed_on=date(2022, 9, 5),
        term_months=72,
        interval_months=12,
        session_day=21,
        mode=Mode.AFTER_COURSE,
        course_end=date(2025, 6, 30),
    )
    plan = build_schedule(terms)
    assert [i.due_contract for i in plan] == [
        date(2026, 6, 30),
        date(2027, 6, 30),
        date(2028, 9, 5),
    ]
    assert sum(i.principal for i in plan) == 40_000_000
    with pytest.raises(ValueError):
        build_schedule(
            ScheduleTerms(
                amount=1_000_000,
                disbursed_on=date(2022, 9, 5),
                term_months=72,
                interval_months=12,
                session_day=21,
                mode=Mode.AFTER_COURSE,
            )
        )


def test_grace_months_delay_the_first_instalment():
    plan = build_schedule(
        ScheduleTerms(
            amount=25_000_000,
            disbursed_on=date(2025, 4, 10),
            term_months=180,
            interval_months=12,
            session_day=21,
            grace_months=60,
        )
    )
    assert plan[0].due_contract == date(2031, 4, 10)
    assert plan[-1].due_contract == date(2040, 4, 10)
    assert len(plan) == 10


def test_a_last_period_shorter_than_half_an_interval_is_folded_into_the_one_before():
    # 13 months, yearly: not an instalment at 12 months and another a month later
    terms = ScheduleTerms(
        amount=10_000_000,
        disbursed_on=date(2025, 1, 10),
        term_months=25,
        interval_months=12,
        session_day=15,
    )
    assert contract_due_dates(terms) == [date(2026, 1, 10), date(2027, 2, 10)]


def test_respread_spreads_the_unpaid_principal_to_the_new_maturity():
    plan = respread(
        unpaid=33_400_000,
        starting_after=date(2026, 3, 20),
        new_maturity=date(2029, 3, 20),
        interval_months=12,
        session_day=15,
    )
    assert [(i.principal, i.due_contract, i.due_session) for i in plan] == [
        (11_100_000, date(2027, 3, 20), date(2027, 3, 15)),
        (11_100_000, date(2028, 3, 20), date(2028, 3, 15)),
        (11_200_000, date(2029, 3, 20), date(2029, 3, 15)),
    ]


# --- properties ---------------------------------------------------------------------------------

days = st.dates(min_value=date(2015, 1, 1), max_value=date(2035, 12, 31))
session_days = st.integers(min_value=1, max_value=28)
intervals = st.sampled_from([1, 3, 6, 12])


@st.composite
def schedule_terms(draw) -> ScheduleTerms:
    mode = draw(st.sampled_from([Mode.EQUAL_PRINCIPAL] * 4 + [Mode.LUMP_SUM, Mode.AFTER_COURSE]))
    disbursed_on = draw(days)
    interval = draw(intervals)
    term = draw(st.integers(min_value=max(1, interval), max_value=300))
    grace = (
        draw(st.integers(min_value=0, max_value=term // 2)) if mode == Mode.EQUAL_PRINCIPAL else 0
    )
    course_end = None
    if mode == Mode.AFTER_COURSE:
        interval = 12
        term = draw(st.integers(min_value=24, max_value=180))
        course_end = add_months(disbursed_on, draw(st.integers(min_value=1, max_value=term - 12)))
    return ScheduleTerms(
        amount=draw(st.integers(min_value=1, max_value=10_000_000_000)),
        disbursed_on=disbursed_on,
        term_months=term,
        interval_months=interval,
        session_day=draw(session_days),
        mode=mode,
        grace_months=grace,
        course_end=course_end,
    )


@given(schedule_terms())
def test_instalments_sum_to_the_amount_and_all_but_the_last_are_whole_100_000(terms):
    plan = build_schedule(terms)
    assert sum(i.principal for i in plan) == terms.amount
    assert all(i.principal > 0 for i in plan)
    assert all(i.principal % INSTALMENT_UNIT == 0 for i in plan[:-1])
    # the last carries the remainder: never less than the others
    assert all(plan[-1].principal >= i.principal for i in plan)
    assert [i.number for i in plan] == list(range(1, len(plan) + 1))


@given(schedule_terms())
def test_every_instalment_is_collected_on_a_session_day_after_the_disbursement_never_late(terms):
    plan = build_schedule(terms)
    assert plan[-1].due_contract == maturity(terms)
    for instalment in plan:
        assert instalment.due_session.day == terms.session_day
        assert terms.disbursed_on < instalment.due_session <= instalment.due_contract
        # the last session on or before the due date: the next one would be late
        assert add_months(instalment.due_session, 1) > instalment.due_contract
    contract = [i.due_contract for i in plan]
    sessions = [i.due_session for i in plan]
    assert contract == sorted(set(contract))
    assert sessions == sorted(set(sessions))


@given(days, session_days)
def test_session_date_is_the_last_session_day_on_or_before_the_due_date(due, day):
    collected = session_date(due, day)
    assert collected.day == day
    assert collected <= due
    assert due - collected < timedelta(days=31)


@given(
    st.integers(min_value=1, max_value=10_000_000_000),
    days,
    st.integers(min_value=1, max_value=120),
    intervals,
    session_days,
)
def test_respread_sums_to_the_unpaid_principal_on_session_days(
    unpaid, starting_after, months, interval, day
):
    new_maturity = add_months(starting_after, months)
    plan = respread(
        unpaid=unpaid,
        starting_after=starting_after,
        new_maturity=new_maturity,
        interval_months=interval,
        session_day=day,
    )
    assert sum(i.principal for i in plan) == unpaid
    assert all(i.principal % INSTALMENT_UNIT == 0 for i in plan[:-1])
    assert plan[-1].due_contract == new_maturity
    for instalment in plan:
        assert instalment.due_session.day == day
        assert starting_after < instalment.due_session <= instalment.due_contract
