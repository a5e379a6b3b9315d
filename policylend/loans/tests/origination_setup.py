"""Shared set-up of the origination tests: a group of commune A1 (Vũ Lăng, office A) managed by
the farmers' association of A1, its households certified poor for 2025 and 2026, the staff of
office A, and helpers that take a loan through application → reviews → decision.

The catalogue (programmes 01 …) comes from the programmes app's data migration.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from policylend.approvals.services import approval_request_approve
from policylend.associations.models import Association
from policylend.associations.services import association_unit_create
from policylend.groups.models import MeetingKind
from policylend.groups.services import group_create
from policylend.groups.services.meetings import meeting_record
from policylend.households.models import Classification
from policylend.households.rules import PersonInput
from policylend.households.services import household_create
from policylend.loans.models import ReviewDecision, ReviewStage
from policylend.loans.services.application import loan_apply
from policylend.loans.services.decision import loan_decision_propose
from policylend.loans.services.review import loan_review_record
from policylend.programmes.models import Programme

APPLIED = date(2025, 3, 3)
MEETING = date(2025, 3, 5)
ASSOCIATION = date(2025, 3, 7)
COMMUNE = date(2025, 3, 10)
NAMES = (
    "Hoàng Văn An",
    "Lộc Thị Bình",
    "Vi Văn Cường",
    "Lăng Văn Dũng",
    "Nông Thị Hà",
    "Mã Văn Khánh",
)


@dataclass
class World:
    org: object
    group: object
    households: list
    association_unit: object
    officer: object
    association_officer: object
    controller: object
    teller: object
    poor: object  # programme 01
    students: object  # programme 02


def certify(household, year: int, kind: str = "poor", actor=None) -> None:
    Classification.objects.create(
        household=household,
        year=year,
        kind=kind,
        certified_by="QĐ 5/UBND xã Vũ Lăng",
        certified_on=date(year, 1, 5),
        recorded_by=actor,
    )


@pytest.fixture
def world(org, make_user, today) -> World:
    officer = make_user("credit_officer", org.office_a, username="officer-a")
    farmers = Association.objects.get(code="11")
    unit = association_unit_create(
        actor=None, association=farmers, unit=org.commune_a1, name="Hội Nông dân xã Vũ Lăng"
    )
    village = org.villages["20600101"]
    households = [
        household_create(
            actor=officer,
            village=village,
            head=PersonInput(full_name=name, sex="male", relationship="head"),
            members=[PersonInput(full_name=f"Vợ {name}", sex="female", relationship="spouse")],
        )
        for name in NAMES
    ]
    group = group_create(
        actor=officer,
        code="2060011",
        name="Tổ Vũ Lăng Một",
        village=village,
        association_unit=unit,
        founded_on=date(2024, 3, 1),
        approval_decision="12/QĐ-UBND",
        approval_decision_on=date(2024, 2, 20),
        households=households[:5],
        today=today,
    )
    for household in households:
        for year in (2025, 2026):
            certify(household, year, actor=officer)
    certify(households[0], 2025, "student", actor=officer)
    return World(
        org=org,
        group=group,
        households=households,
        association_unit=unit,
        officer=officer,
        association_officer=make_user(
            "association_officer", org.commune_a1, "11", username="assoc-a1"
        ),
        controller=make_user("controller", org.office_a, username="controller-a"),
        teller=make_user("teller", org.office_a, username="teller-a"),
        poor=Programme.objects.get(code="01"),
        students=Programme.objects.get(code="02"),
    )


def apply(world: World, household=None, **overrides):
    values = {
        "actor": world.officer,
        "household": household or world.households[0],
        "programme": world.poor,
        "amount": 50_000_000,
        "term_months": 36,
        "purpose": "Nuôi bò sinh sản",
        "plan": "Mua 2 con bò",
        "applied_on": APPLIED,
    }
    values.update(overrides)
    return loan_apply(**values)


def review_meeting(world: World, households, held_on=MEETING):
    attendees = [h.head_id for h in households]
    return meeting_record(
        actor=world.officer,
        group=world.group,
        held_on=held_on,
        kind=MeetingKind.LOAN_REVIEW,
        attendee_ids=attendees,
        today=date(2026, 11, 25),
    )


def certify_loan(world: World, loan, meeting=None):
    """Group, association and commune all agree: the loan is certified."""
    meeting = meeting or review_meeting(world, [loan.household])
    loan_review_record(
        actor=world.officer,
        loan=loan,
        stage=ReviewStage.GROUP,
        decision=ReviewDecision.AGREED,
        decided_on=meeting.held_on,
        meeting=meeting,
    )
    loan_review_record(
        actor=world.association_officer,
        loan=loan,
        stage=ReviewStage.ASSOCIATION,
        decision=ReviewDecision.AGREED,
        decided_on=ASSOCIATION,
    )
    loan_review_record(
        actor=world.officer,
        loan=loan,
        stage=ReviewStage.COMMUNE,
        decision=ReviewDecision.AGREED,
        decided_on=COMMUNE,
        decided_by_name="Hoàng Văn Tư, Chủ tịch UBND xã",
        decision_number="25/XN-UBND",
    )
    loan.refresh_from_db()
    return loan


def approve(world: World, loan, amount=None, today=date(2025, 3, 12)):
    request = loan_decision_propose(
        actor=world.officer, loan=loan, approve=True, amount=amount, today=today
    )
    approval_request_approve(request_id=request.pk, checker=world.controller, today=today)
    loan.refresh_from_db()
    return loan


def approved_loan(world: World, **overrides):
    return approve(world, certify_loan(world, apply(world, **overrides)))
