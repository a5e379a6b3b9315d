# ruff: noqa: F811 (the ``world`` fixture is imported from origination_setup)
"""Origination services on the real database: application, reviews, decision, disbursement."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from policylend.approvals.services import approval_request_approve, approval_request_reject
from policylend.core.errors import DomainError, Forbidden
from policylend.groups.models import GroupStatus, MeetingKind, SavingsGroup
from policylend.groups.services.meetings import meeting_record
from policylend.households.models import Classification
from policylend.ledger.models import JournalEntry, JournalLine
from policylend.loans.models import (
    Instalment,
    LoanRate,
    LoanStatus,
    LoanTransaction,
    ReviewDecision,
    ReviewStage,
    ScheduleVersion,
)
from policylend.loans.schedule import build_schedule
from policylend.loans.services.decision import loan_decision_propose
from policylend.loans.services.disbursement import loan_disburse, schedule_terms_of
from policylend.loans.services.review import loan_review_record
from policylend.organisation.models import TransactionPoint

from .origination_setup import (  # noqa: F401 (fixtures)
    APPLIED,
    ASSOCIATION,
    MEETING,
    apply,
    approve,
    approved_loan,
    certify_loan,
    review_meeting,
    world,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def problems(error: DomainError) -> str:
    return " | ".join(p.message for p in error.problems)


# --- application ----------------------------------------------------------------------------------


def test_application_through_the_group_is_numbered_and_copies_the_scope(world):
    loan = apply(world)
    household = world.households[0]
    assert loan.number == "7401-25-000001"
    assert loan.status == LoanStatus.APPLIED
    assert loan.group == world.group
    assert loan.association_unit == world.association_unit
    assert loan.borrower_id == household.head_id
    assert (loan.branch_id, loan.office_id, loan.commune_id, loan.village_id) == (
        household.branch_id,
        household.office_id,
        household.commune_id,
        household.village_id,
    )
    assert loan.terms.programme == world.poor
    assert apply(world, household=world.households[1]).number == "7401-25-000002"


def test_household_outside_a_group_is_refused(world):
    # given the sixth household, which is in no group
    with pytest.raises(DomainError) as error:
        apply(world, household=world.households[5])
    assert error.value.code == "loans_not_group_member"
    assert "not a member of a savings-and-loan group on 03/03/2025" in problems(error.value)


def test_closed_group_is_refused(world):
    SavingsGroup.objects.filter(pk=world.group.pk).update(status=GroupStatus.DISSOLVED)
    with pytest.raises(DomainError) as error:
        apply(world)
    assert error.value.code == "loans_group_closed"


def test_missing_classification_is_refused_naming_the_list_and_year(world):
    household = world.households[1]
    Classification.objects.filter(household=household, year=2025).delete()
    with pytest.raises(DomainError) as error:
        apply(world, household=household)
    text = problems(error.value)
    assert "2025" in text and "Poor household" in text
    # the same household with its certification for the year applies
    assert apply(world, household=world.households[0]).status == LoanStatus.APPLIED


def test_amount_over_the_limit_counts_the_households_other_loans(world):
    apply(world, amount=60_000_000)
    with pytest.raises(DomainError) as error:
        apply(world, amount=50_000_000)
    text = problems(error.value)
    assert "60.000.000" in text or "60,000,000" in text
    assert "40,000,000" in text or "40.000.000" in text
    assert apply(world, amount=40_000_000).amount_requested == 40_000_000


def test_rejected_loans_do_not_count_toward_the_limit(world):
    first = apply(world, amount=100_000_000)
    type(first).objects.filter(pk=first.pk).update(status=LoanStatus.REJECTED)
    assert apply(world, amount=100_000_000).amount_requested == 100_000_000


def test_missing_programme_field_is_refused(world):
    with pytest.raises(DomainError) as error:
        apply(world, programme=world.students, amount=20_000_000, term_months=60)
    fields = {p.field for p in error.value.problems}
    assert "programme_fields.school" in fields and "programme_fields.course_end" in fields
    loan = apply(
        world,
        programme=world.students,
        amount=20_000_000,
        term_months=60,
        programme_fields={
            "school": "Đại học Nông Lâm",
            "course": "Thú y",
            "course_end": "2027-06-30",
            "study_months": "10",
        },
    )
    assert loan.programme_fields["study_months"] == 10


# --- reviews --------------------------------------------------------------------------------------


def test_reviews_in_order_certify_the_loan(world):
    loan = certify_loan(world, apply(world))
    assert loan.status == LoanStatus.CERTIFIED
    assert [r.stage for r in loan.reviews.order_by("id")] == ["group", "association", "commune"]


def test_association_review_before_the_group_is_refused(world):
    loan = apply(world)
    with pytest.raises(DomainError) as error:
        loan_review_record(
            actor=world.association_officer,
            loan=loan,
            stage=ReviewStage.ASSOCIATION,
            decision=ReviewDecision.AGREED,
            decided_on=ASSOCIATION,
        )
    assert error.value.code == "loans_review_order"


def test_group_review_needs_the_household_present(world):
    loan = apply(world)
    meeting = review_meeting(world, [world.households[1]])
    with pytest.raises(DomainError) as error:
        loan_review_record(
            actor=world.officer,
            loan=loan,
            stage=ReviewStage.GROUP,
            decision=ReviewDecision.AGREED,
            decided_on=MEETING,
            meeting=meeting,
        )
    assert error.value.code == "loans_review_absent"


def test_regular_meeting_is_not_a_review(world):
    loan = apply(world)
    meeting = meeting_record(
        actor=world.officer,
        group=world.group,
        held_on=MEETING,
        kind=MeetingKind.REGULAR,
        attendee_ids=[loan.household.head_id],
        today=date(2026, 11, 25),
    )
    with pytest.raises(DomainError) as error:
        loan_review_record(
            actor=world.officer,
            loan=loan,
            stage=ReviewStage.GROUP,
            decision=ReviewDecision.AGREED,
            decided_on=MEETING,
            meeting=meeting,
        )
    assert "not a loan-review meeting" in problems(error.value)


def test_commune_certification_needs_who_and_number(world):
    loan = apply(world)
    meeting = review_meeting(world, [loan.household])
    loan_review_record(
        actor=world.officer,
        loan=loan,
        stage="group",
        decision="agreed",
        decided_on=MEETING,
        meeting=meeting,
    )
    loan_review_record(
        actor=world.association_officer,
        loan=loan,
        stage="association",
        decision="agreed",
        decided_on=ASSOCIATION,
    )
    loan.refresh_from_db()
    assert loan.status == LoanStatus.REVIEWED
    with pytest.raises(DomainError) as error:
        loan_review_record(
            actor=world.officer,
            loan=loan,
            stage="commune",
            decision="agreed",
            decided_on=ASSOCIATION,
        )
    assert {p.field for p in error.value.problems} == {"decided_by_name", "decision_number"}


def test_a_refusal_rejects_with_its_reason(world):
    loan = apply(world)
    meeting = review_meeting(world, [loan.household])
    loan_review_record(
        actor=world.officer,
        loan=loan,
        stage="group",
        decision="refused",
        decided_on=MEETING,
        meeting=meeting,
        note="Chưa có phương án",
    )
    loan.refresh_from_db()
    assert loan.status == LoanStatus.REJECTED
    assert "Chưa có phương án" in loan.rejection_reason


def test_association_officer_of_another_association_may_not_review(world, make_user):
    loan = apply(world)
    women = make_user("association_officer", world.org.commune_a1, "12")
    certify_loan
    meeting = review_meeting(world, [loan.household])
    loan_review_record(
        actor=world.officer,
        loan=loan,
        stage="group",
        decision="agreed",
        decided_on=MEETING,
        meeting=meeting,
    )
    with pytest.raises(DomainError):
        loan_review_record(
            actor=women, loan=loan, stage="association", decision="agreed", decided_on=ASSOCIATION
        )


# --- decision -------------------------------------------------------------------------------------


def test_decision_approves_by_maker_checker(world):
    loan = certify_loan(world, apply(world))
    request = loan_decision_propose(
        actor=world.officer, loan=loan, approve=True, amount=45_000_000, today=date(2025, 3, 12)
    )
    with pytest.raises(Forbidden):
        approval_request_approve(
            request_id=request.pk, checker=world.officer, today=date(2025, 3, 12)
        )
    approval_request_approve(
        request_id=request.pk, checker=world.controller, today=date(2025, 3, 12)
    )
    loan.refresh_from_db()
    assert (loan.status, loan.amount_approved, loan.approved_on) == (
        LoanStatus.APPROVED,
        45_000_000,
        date(2025, 3, 12),
    )


def test_decision_amount_above_the_request_is_refused(world):
    loan = certify_loan(world, apply(world))
    with pytest.raises(DomainError) as error:
        loan_decision_propose(
            actor=world.officer, loan=loan, approve=True, amount=50_000_001, today=date(2025, 3, 12)
        )
    assert error.value.code == "loans_decision_amount"


def test_decision_rejects_with_a_reason(world):
    loan = certify_loan(world, apply(world))
    with pytest.raises(DomainError):
        loan_decision_propose(
            actor=world.officer, loan=loan, approve=False, today=date(2025, 3, 12)
        )
    request = loan_decision_propose(
        actor=world.officer,
        loan=loan,
        approve=False,
        reason="Hết nguồn vốn",
        today=date(2025, 3, 12),
    )
    approval_request_approve(
        request_id=request.pk, checker=world.controller, today=date(2025, 3, 12)
    )
    loan.refresh_from_db()
    assert loan.status == LoanStatus.REJECTED and loan.rejection_reason == "Hết nguồn vốn"


def test_rejected_request_leaves_the_loan_certified(world):
    loan = certify_loan(world, apply(world))
    request = loan_decision_propose(
        actor=world.officer, loan=loan, approve=True, today=date(2025, 3, 12)
    )
    approval_request_reject(request_id=request.pk, checker=world.controller, reason="Sai số tiền")
    loan.refresh_from_db()
    assert loan.status == LoanStatus.CERTIFIED


def test_decision_only_on_a_certified_loan(world):
    loan = apply(world)
    with pytest.raises(DomainError) as error:
        loan_decision_propose(actor=world.officer, loan=loan, approve=True, today=date(2025, 3, 12))
    assert error.value.code == "loans_decision_status"


# --- disbursement ---------------------------------------------------------------------------------


@pytest.fixture
def point_day_15(world):
    TransactionPoint.objects.filter(commune=world.org.commune_a1).update(session_day=15)
    return TransactionPoint.objects.get(commune=world.org.commune_a1)


def test_disbursement_worked_example(world, point_day_15, today):
    # 50,000,000 at 36 months, yearly, session day 15, disbursed 20/03/2025 (worked-examples.md)
    loan = approved_loan(world)
    assert loan.repayment_interval_months == 12
    tx = loan_disburse(
        actor=world.teller,
        loan=loan,
        disbursed_on=date(2025, 3, 20),
        today=today,
        idempotency_key="d-1",
    )
    loan.refresh_from_db()
    assert loan.status == LoanStatus.IN_TERM
    assert loan.principal_in_term == 50_000_000
    assert (tx.principal_in_term, tx.cash) == (50_000_000, -50_000_000)
    rows = list(
        Instalment.objects.filter(loan=loan).values_list("principal", "due_contract", "due_session")
    )
    assert rows == [
        (16_600_000, date(2026, 3, 20), date(2026, 3, 15)),
        (16_600_000, date(2027, 3, 20), date(2027, 3, 15)),
        (16_800_000, date(2028, 3, 20), date(2028, 3, 15)),
    ]
    planned = build_schedule(schedule_terms_of(loan, date(2025, 3, 20), 15))
    assert [(p.principal, p.due_contract, p.due_session) for p in planned] == rows
    assert ScheduleVersion.objects.get(loan=loan).kind == "initial"
    assert loan.session_day == 15 and loan.maturity_on == date(2028, 3, 20)
    assert loan.annual_rate == Decimal("0.066") and loan.overdue_rate == Decimal("0.0858")
    assert LoanRate.objects.get(loan=loan).annual_rate == Decimal("0.066")
    assert loan.interest_accrued_from == date(2025, 3, 20)
    assert loan.interest_posted_through == date(2025, 3, 19)
    assert loan.last_transaction_on == date(2025, 3, 20)


def test_disbursement_at_the_office_posts_balanced_entry(world, today):
    loan = approved_loan(world)
    tx = loan_disburse(
        actor=world.teller,
        loan=loan,
        disbursed_on=date(2025, 3, 20),
        today=today,
        idempotency_key="k",
    )
    lines = {
        (line.account.code, line.amount, line.loan_ref)
        for line in JournalLine.objects.filter(entry=tx.entry).select_related("account")
    }
    assert lines == {("2111.01", 50_000_000, loan.pk), ("1012", -50_000_000, loan.pk)}


def test_disbursement_at_the_point_on_its_session_day_only(world, point_day_15, today):
    loan = approved_loan(world)
    with pytest.raises(DomainError) as error:
        loan_disburse(
            actor=world.teller,
            loan=loan,
            disbursed_on=date(2025, 3, 20),
            today=today,
            idempotency_key="p-1",
            at_point=point_day_15,
        )
    assert error.value.code == "loans_disburse_day"
    tx = loan_disburse(
        actor=world.teller,
        loan=loan,
        disbursed_on=date(2025, 4, 15),
        today=today,
        idempotency_key="p-1",
        at_point=point_day_15,
    )
    accounts = {line.account.code for line in JournalLine.objects.filter(entry=tx.entry)}
    assert accounts == {"2111.01", "1011"}


def test_disbursement_is_idempotent(world, today):
    loan = approved_loan(world)
    first = loan_disburse(
        actor=world.teller,
        loan=loan,
        disbursed_on=date(2025, 3, 20),
        today=today,
        idempotency_key="same",
    )
    again = loan_disburse(
        actor=world.teller,
        loan=loan,
        disbursed_on=date(2025, 3, 20),
        today=today,
        idempotency_key="same",
    )
    assert again.pk == first.pk and again.replayed
    assert LoanTransaction.objects.filter(loan=loan).count() == 1
    assert JournalEntry.objects.filter(idempotency_key="loans.disburse:same").count() == 1
    assert Instalment.objects.filter(loan=loan).count() == 3
    # another key: the loan is no longer approved
    with pytest.raises(DomainError) as error:
        loan_disburse(
            actor=world.teller,
            loan=loan,
            disbursed_on=date(2025, 3, 20),
            today=today,
            idempotency_key="other",
        )
    assert error.value.code == "loans_disburse_status"


def test_only_a_teller_disburses(world, today):
    loan = approved_loan(world)
    with pytest.raises(Forbidden):
        loan_disburse(
            actor=world.officer,
            loan=loan,
            disbursed_on=date(2025, 3, 20),
            today=today,
            idempotency_key="x",
        )


def test_student_schedule_starts_a_year_after_the_course(world, today):
    fields = {"school": "ĐH", "course": "Thú y", "course_end": "2027-06-30", "study_months": "10"}
    loan = approved_loan(
        world, programme=world.students, amount=20_000_000, term_months=60, programme_fields=fields
    )
    loan_disburse(
        actor=world.teller,
        loan=loan,
        disbursed_on=date(2025, 3, 20),
        today=today,
        idempotency_key="s",
    )
    first = Instalment.objects.filter(loan=loan).order_by("number").first()
    assert first.due_contract == date(2028, 6, 30)
