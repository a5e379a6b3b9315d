"""The demo's loans as a plan (pure): who borrows what within the programmes' terms, and each
loan's history through the services' rules — schedules by the rule, every entry balanced, the
kept balances equal to the loan's lines, statuses by the table."""

import itertools
from collections import Counter, defaultdict
from datetime import date, timedelta

import pytest

from policylend.demo import loans_plan as lp
from policylend.loans.schedule import build_schedule
from policylend.loans.status import may_move
from policylend.programmes.catalogue import BY_CODE

TODAY = date(2026, 11, 25)
LISTS = (
    ("poor", "ethnic_minority"),
    ("near_poor",),
    ("escaped_poverty",),
    ("poor",),
    (),
    (),
    (),
    (),
)


def households(count: int = 900) -> list[lp.HouseholdFacts]:
    return [
        lp.HouseholdFacts(
            code=f"185008{number:04d}",
            office_code="74001",
            commune_code="185008",
            session_day=6 + number % 17,
            member_since=None if number % 60 == 0 else date(2012 + number % 12, 3, 1),
            kinds=frozenset(LISTS[number % len(LISTS)]),
            list_year=2025,
            exit_year=2024,
        )
        for number in range(count)
    ]


@pytest.fixture(scope="module")
def plan() -> lp.DemoLoansPlan:
    return lp.loans_plan(households(), seed=1, today=TODAY)


@pytest.fixture(scope="module")
def histories(plan) -> list[lp.LoanHistory]:
    return [lp.loan_history(loan, today=TODAY) for loan in plan.loans]


def test_the_same_seed_gives_the_same_loans_another_seed_others(plan):
    assert lp.loans_plan(households(), seed=1, today=TODAY) == plan
    assert lp.loans_plan(households(), seed=2, today=TODAY).loans != plan.loans


def test_a_mix_of_programmes_like_a_branch(plan):
    programmes = Counter(loan.programme_code for loan in plan.loans)
    assert {"01", "19", "09", "03", "02", "06", "10", "07"} <= set(programmes)
    assert programmes["01"] > programmes["07"]
    assert 0.4 < len({loan.household_code for loan in plan.loans}) / 900 < 0.9


def test_amounts_and_terms_stay_within_the_programme_terms(plan):
    for loan in plan.loans:
        terms = lp.terms_version(loan.programme_code, loan.applied_on)
        assert loan.amount % 100_000 == 0 and loan.amount > 0
        basis = {"worker": loan.workers, "facility": dict(loan.programme_fields).get("facilities")}
        basis["study_month"] = dict(loan.programme_fields).get("study_months")
        assert loan.amount <= terms.amount_max * (basis.get(terms.amount_basis) or 1)
        assert loan.term_months <= terms.term_months_max
        assert loan.interval_months == terms.repayment_interval_months
        if loan.programme_code == "03":
            assert 1 <= loan.workers <= 3
        if loan.programme_code == "02":
            fields = dict(loan.programme_fields)
            assert fields["school"] and fields["course"]
            assert fields["course_end"] == loan.course_end.isoformat()


def test_dates_run_from_2021_and_disbursement_is_on_a_session_day_after_approval(plan):
    for loan in plan.loans:
        assert lp.HISTORY_FROM <= loan.applied_on < TODAY
        assert (
            loan.applied_on
            < loan.group_review_on
            < loan.association_review_on
            < loan.certified_on
            < loan.approved_on
        )
        if loan.disbursed_on is not None:
            assert loan.approved_on < loan.disbursed_on < TODAY
            assert loan.disbursed_on.day == loan.session_day


def test_loans_under_one_programme_never_overlap(plan, histories):
    ends = defaultdict(list)
    for history in histories:
        loan = history.plan
        end = history.settled_on or history.maturity_on or TODAY
        ends[loan.household_code, loan.programme_code].append((loan.applied_on, end, history))
    for loans in ends.values():
        loans.sort(key=lambda item: item[0])
        for (_start, _end, first), (start, _end2, _second) in itertools.pairwise(loans):
            assert first.status == lp.SETTLED and start > first.settled_on


def test_every_application_gets_the_certified_lists_its_programme_asks_for(plan):
    facts = {household.code: household for household in households()}
    granted = {(need.household_code, need.kind, need.year) for need in plan.classifications}
    for loan in plan.loans:
        terms = lp.terms_version(loan.programme_code, loan.applied_on)
        year = loan.applied_on.year - 1
        held = {kind for (code, kind, y) in granted if code == loan.household_code and y == year}
        if year == facts[loan.household_code].list_year:
            held |= facts[loan.household_code].kinds
        if terms.eligible_classifications:
            assert any(set(o.split("+")) <= held for o in terms.eligible_classifications)
        assert set(terms.eligible_areas) <= held


def test_schedules_are_the_rule_and_instalments_sum_to_the_amount(histories):
    for history in histories:
        if history.plan.disbursed_on is None:
            continue
        planned = build_schedule(history.plan.schedule_terms())
        assert [(i.number, i.principal, i.due_contract, i.due_session) for i in planned] == [
            (i.number, i.principal, i.due_contract, i.due_session) for i in history.instalments
        ]
        assert sum(i.principal for i in history.instalments) == history.plan.amount


def test_every_entry_share_balances_and_the_lines_are_the_kept_balances(histories):
    for history in histories:
        kept = Counter()
        for step in history.steps:
            assert sum(a for _acc, a in step.lines) + sum(a for _acc, a in step.counter) == 0
            assert step.entry[1] < TODAY
            for account, amount in step.lines:
                kept[account[:4] if account.startswith("211") else account] += amount
        assert kept["2111"] == history.principal_in_term
        assert kept["2112"] == history.principal_overdue
        assert kept["2113"] == history.principal_frozen
        assert kept["3941"] == history.interest_receivable + history.penalty_receivable
        assert (
            min(
                history.principal_in_term,
                history.principal_overdue,
                history.interest_receivable,
                history.penalty_receivable,
            )
            >= 0
        )


def test_loan_transactions_add_up_to_the_kept_balances(histories):
    for history in histories:
        moves = [s.transaction for s in history.steps if s.transaction]
        assert sum(t["principal_in_term"] for t in moves) == history.principal_in_term
        assert sum(t["principal_overdue"] for t in moves) == history.principal_overdue
        accrued = sum(a for s in history.steps if s.transaction is None for _acc, a in s.lines)
        assert (
            sum(t["interest"] + t["penalty"] for t in moves) + accrued
            == history.interest_receivable + history.penalty_receivable
        )


def test_statuses_follow_the_table(histories):
    seen = Counter()
    for history in histories:
        first, *rest = history.status_changes
        assert first[:2] == ("", lp.APPLIED)
        for from_status, to_status, _day, _reason in rest:
            assert may_move(from_status, to_status), (from_status, to_status)
        assert rest[-1][1] == history.status if rest else True
        seen[history.status] += 1
        if history.status == lp.SETTLED:
            assert history.principal_in_term == history.interest_receivable == 0
            assert history.settled_on is not None
    assert {lp.IN_TERM, lp.SETTLED, lp.OVERDUE} <= set(seen)


def test_interest_is_posted_through_the_last_month_end(histories):
    last_month_end = TODAY.replace(day=1) - timedelta(days=1)
    for history in histories:
        if history.status in (lp.IN_TERM, lp.OVERDUE):
            # Posted through October; a loan disbursed in November starts from its day.
            start = history.plan.disbursed_on
            assert history.interest_posted_through == max(last_month_end, start - timedelta(days=1))
            assert history.interest_accrued_from >= min(last_month_end + timedelta(days=1), start)


def test_rates_are_the_programme_rates_and_housing_moves_to_54_percent():
    assert lp.annual_rate(lp.terms_version("09", date(2022, 1, 1)), date(2022, 1, 1)) == (
        BY_CODE["01"].terms[0].annual_rate * BY_CODE["09"].terms[0].rate_factor
    )
    periods = lp.rate_periods("12", lp.terms_version("12", date(2023, 5, 1)), date(2023, 5, 15))
    assert [(p.effective_from, str(p.annual_rate)) for p in periods] == [
        (date(2023, 5, 15), "0.066"),
        (date(2025, 10, 10), "0.054"),
    ]
