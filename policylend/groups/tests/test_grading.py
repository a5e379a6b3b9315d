"""Monthly group grading: the six criteria by hand, the grade boundaries (worked-examples.md),
properties of the sum, and the run on the books of a small group (office A, Vũ Lăng)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from policylend.core.errors import DomainError, Forbidden
from policylend.core.periods import Month
from policylend.loans.services.accrual import interest_accrual_run
from policylend.loans.services.overdue import overdue_run
from policylend.loans.services.repayment import loan_repay
from policylend.loans.tests.servicing_setup import new_loan, staff, world  # noqa: F401
from policylend.savings.services import savings_account_open, savings_deposit

from ..grading import GroupFacts, grade_of, group_points
from ..models import GroupGrade
from ..selectors_grading import grade_distribution, grading_facts
from ..services.grading import group_grading_run

TODAY = date(2026, 11, 25)
OCTOBER = Month(2026, 10)


# --- pure rules ------------------------------------------------------------------------------------


def test_the_six_criteria_by_hand():
    facts = GroupFacts(
        repayments=3,
        principal_outstanding=36_000_000,
        principal_overdue=1_000_000,  # r = 2.78 % → 30 × (1 − 0.5556) = 13.33
        principal_due=2_000_000,
        principal_repaid=1_500_000,  # 15 × 0.75 = 11.25
        interest_due=300_000,
        interest_collected=200_000,  # 20 × 0.6667 = 13.33
        members=6,
        savers=4,  # 5 × 4 / 6 = 3.33
        savings_balance=1_005_000,
        savings_balance_before=1_000_000,  # 0.5 % growth → 10 × 0.5 = 5.00
    )
    points = group_points(facts)
    assert points.session == Decimal("20.00")
    assert points.overdue == Decimal("13.33")
    assert points.principal == Decimal("11.25")
    assert points.interest == Decimal("13.33")
    assert points.savers == Decimal("3.33")
    assert points.growth == Decimal("5.00")
    assert points.total == Decimal("66.24")
    assert points.grade == "average"


def test_a_group_that_handed_over_nothing_owed_loses_the_session_points():
    owing = GroupFacts(interest_due=100_000, members=5)
    nothing_owed = GroupFacts(members=5)
    assert group_points(owing).session == Decimal("0.00")
    assert group_points(owing).interest == Decimal("0.00")
    assert group_points(nothing_owed).session == Decimal("20.00")


def test_overdue_ratio_from_five_percent_gives_nothing_and_a_falling_balance_no_growth():
    facts = GroupFacts(
        principal_outstanding=20_000_000,
        principal_overdue=1_000_000,
        savings_balance=900_000,
        savings_balance_before=1_000_000,
    )
    points = group_points(facts)
    assert points.overdue == Decimal("0.00")
    assert points.growth == Decimal("0.00")
    assert group_points(GroupFacts(savings_balance=10_000)).growth == Decimal("10.00")


@pytest.mark.parametrize(
    ("total", "grade"),
    [
        ("100", "good"),
        ("85", "good"),
        ("84.99", "fair"),
        ("70", "fair"),
        ("69.99", "average"),
        ("50", "average"),
        ("49.99", "weak"),
        ("0", "weak"),
    ],
)
def test_grade_boundaries_of_the_worked_examples(total, grade):
    assert grade_of(Decimal(total)) == grade


amounts = st.integers(min_value=0, max_value=10**11)
counts = st.integers(min_value=0, max_value=60)


@st.composite
def group_facts(draw):
    outstanding = draw(amounts)
    members = draw(counts)
    return GroupFacts(
        repayments=draw(counts),
        principal_outstanding=outstanding,
        principal_overdue=draw(st.integers(min_value=0, max_value=outstanding)),
        principal_due=draw(amounts),
        principal_repaid=draw(amounts),
        interest_due=draw(amounts),
        interest_collected=draw(amounts),
        members=members,
        savers=draw(st.integers(min_value=0, max_value=members)),
        savings_balance=draw(amounts),
        savings_balance_before=draw(amounts),
    )


@given(group_facts())
def test_total_is_the_sum_of_the_criteria_between_0_and_100_with_its_grade(facts):
    points = group_points(facts)
    parts = points.as_dict()
    assert points.total == sum(parts.values())
    assert Decimal(0) <= points.total <= Decimal(100)
    for name, maximum in zip(parts, (20, 30, 15, 20, 5, 10), strict=True):
        assert Decimal(0) <= parts[name] <= maximum
        assert parts[name] == parts[name].quantize(Decimal("0.01"))
    expected = (
        "good"
        if points.total >= 85
        else "fair"
        if points.total >= 70
        else "average"
        if points.total >= 50
        else "weak"
    )
    assert points.grade == expected


# --- on the books ----------------------------------------------------------------------------------


@pytest.fixture
def graded_world(org, staff):  # noqa: F811
    """Two loans of group 2060011: A 30,000,000 ₫ disbursed 21/09/2026, B 3,000,000 ₫ disbursed
    21/09/2025 (yearly instalments) whose first instalment (1,000,000 ₫, due at the session of
    21/09/2026) stays unpaid and goes overdue; interest accrued to 30/09/2026; in October A pays
    half its receivable interest and household 0 deposits savings."""
    loan_b = new_loan(org, staff, amount=3_000_000, disbursed_on=date(2025, 9, 21), household=1)
    loan_a = new_loan(org, staff, amount=30_000_000, disbursed_on=date(2026, 9, 21), household=0)
    month = Month(2025, 9)
    while month <= Month(2026, 9):
        interest_accrual_run(actor=staff.staff, branch=org.branch, month=month, today=TODAY)
        month = month.next()
    overdue_run(actor=staff.staff, unit=org.office_a, session_date=date(2026, 9, 21), today=TODAY)
    loan_a.refresh_from_db()
    loan_b.refresh_from_db()
    receivable = (
        loan_a.interest_receivable
        + loan_a.penalty_receivable
        + loan_b.interest_receivable
        + loan_b.penalty_receivable
    )
    paid = loan_a.interest_receivable // 2
    loan_repay(
        actor=staff.teller,
        loan=loan_a,
        paid_on=date(2026, 10, 21),
        today=TODAY,
        interest=paid,
        idempotency_key="grading-repay-a",
    )
    account = savings_account_open(
        actor=staff.teller,
        household=staff.world.households[0],
        opened_on=date(2026, 9, 1),
        today=TODAY,
        monthly_plan=50_000,
    )
    for value_date, amount in ((date(2026, 9, 21), 200_000), (date(2026, 10, 21), 100_000)):
        savings_deposit(
            actor=staff.teller,
            account=account,
            amount=amount,
            value_date=value_date,
            today=TODAY,
            idempotency_key=f"grading-deposit-{value_date}",
        )
    return {"group": staff.world.group, "receivable": receivable, "paid": paid, "staff": staff}


@pytest.mark.django_db
def test_facts_and_points_of_a_small_group_by_hand(graded_world):
    group = graded_world["group"]
    facts = grading_facts([group.pk], OCTOBER)[group.pk]
    assert facts.repayments == 1
    assert facts.principal_outstanding == 33_000_000
    assert facts.principal_overdue == 1_000_000
    assert facts.principal_due == 0
    assert facts.principal_repaid == 0
    assert facts.interest_due == graded_world["receivable"]
    assert facts.interest_collected == graded_world["paid"]
    assert facts.savers == 1
    assert (facts.savings_balance, facts.savings_balance_before) == (300_000, 200_000)

    points = group_points(facts)
    members = facts.members
    assert points.session == Decimal("20.00")
    assert points.overdue == Decimal("11.82")  # 1/33 = 3.03 %: 30 × (1 − 3.03 ÷ 5)
    assert points.principal == Decimal("15.00")  # nothing was due
    share = Decimal(graded_world["paid"]) / Decimal(graded_world["receivable"])
    assert points.interest == (20 * share).quantize(Decimal("0.01"))
    assert points.savers == (Decimal(5) / members).quantize(Decimal("0.01"))
    assert points.growth == Decimal("10.00")  # 50 % growth


@pytest.mark.django_db
def test_the_run_writes_a_grade_per_group_and_never_rewrites_it(graded_world, org):
    staff = graded_world["staff"]  # noqa: F811
    result = group_grading_run(actor=staff.staff, unit=org.office_a, month=OCTOBER, today=TODAY)
    assert (result.graded, result.already) == (1, 0)
    grade = GroupGrade.objects.get(group=graded_world["group"], month=OCTOBER.first_day)
    assert grade.total == grade.session + grade.overdue + grade.principal + grade.interest + (
        grade.savers + grade.growth
    )
    GroupGrade.objects.filter(pk=grade.pk).update(total=Decimal("42.00"), grade="weak")

    again = group_grading_run(actor=staff.staff, unit=org.branch, month=OCTOBER, today=TODAY)

    assert (again.graded, again.already) == (0, 1)
    assert GroupGrade.objects.get(pk=grade.pk).total == Decimal("42.00")  # left as it was
    rows = {row.grade: row for row in grade_distribution(staff.staff, org.office_a, OCTOBER)}
    assert rows["weak"].count == 1 and rows["weak"].percent == Decimal("100.00")
    assert rows["good"].count == 0 and rows["good"].percent == Decimal("0.00")


@pytest.mark.django_db
def test_the_run_refuses_a_month_not_ended_and_a_unit_outside_the_scope(org, make_user):
    staff_user = make_user("branch_staff", org.branch, username="grading-staff")
    officer_b = make_user("credit_officer", org.office_b, username="grading-officer-b")
    teller = make_user("teller", org.office_a, username="grading-teller")
    with pytest.raises(DomainError) as error:
        group_grading_run(actor=staff_user, unit=org.office_a, month=Month(2026, 11), today=TODAY)
    assert error.value.code == "grading_month_not_ended"
    assert (
        group_grading_run(actor=staff_user, unit=org.office_a, month=OCTOBER, today=TODAY).graded
        == 0
    )
    with pytest.raises(Forbidden):
        group_grading_run(actor=officer_b, unit=org.office_a, month=OCTOBER, today=TODAY)
    with pytest.raises(Forbidden):
        group_grading_run(actor=teller, unit=org.office_a, month=OCTOBER, today=TODAY)


# --- pages and API ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_pages_show_the_history_the_distribution_and_the_formulas(graded_world, org, client):
    staff = graded_world["staff"]  # noqa: F811
    group = graded_world["group"]
    client.cookies["policylend_language"] = "en"
    client.force_login(staff.staff)
    response = client.post(
        "/groups/grading/run/", {"unit": org.office_a.pk, "month": "10/2026"}, follow=True
    )
    assert response.status_code == 200
    grade = GroupGrade.objects.get(group=group)
    page = response.content.decode()
    assert "Distribution of grades" in page and "100.00" in page
    assert "30 × (1 − r ÷ 5 %)" in page
    assert str(grade.total) in page

    history = client.get(f"/groups/{group.pk}/grades/").content.decode()
    assert str(grade.total) in history and "10/2026" in history
    detail = client.get(f"/groups/{group.pk}/").content.decode()
    assert str(grade.total) in detail

    # A month still running is refused beside the field, and nothing is written.
    response = client.post("/groups/grading/run/", {"unit": org.office_a.pk, "month": "11/2026"})
    assert response.status_code == 200 and "has not ended" in response.content.decode()


@pytest.mark.django_db
def test_api_runs_and_reads_the_grades(graded_world, org, client):
    staff = graded_world["staff"]  # noqa: F811
    client.force_login(staff.staff)
    response = client.post(
        "/api/v1/groups/grading/run",
        {"unit_id": org.office_a.pk, "month": "2026-10"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json() == {"month": "2026-10", "graded": 1, "already": 0}
    body = client.get(
        "/api/v1/groups/grading/distribution",
        {"unit_id": org.office_a.pk, "month": "2026-10"},
    ).json()
    assert body["graded"] == 1 and body["groups"]["count"] == 1
    history = client.get(f"/api/v1/groups/{graded_world['group'].pk}/grades").json()
    assert history[0]["month"] == "2026-10"
    assert len(client.get("/api/v1/groups/grading/criteria").json()) == 6
    refused = client.post(
        "/api/v1/groups/grading/run",
        {"unit_id": org.office_a.pk, "month": "2026-11"},
        content_type="application/json",
    )
    assert refused.status_code == 422
