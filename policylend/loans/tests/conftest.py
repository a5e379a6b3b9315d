"""Loans on the shared organisation of the root conftest (office A "Bắc Sơn", commune 206001 Vũ
Lăng whose transaction point TXN206001 holds its session on ``session_day``; office B "Bình Gia").

``loan_world``: users of every role that takes part in a loan, the farmers' association unit of
Vũ Lăng, and group 2060011 of village 20600101 founded on 02/01/2020 with six households; the
first household (``world.borrower``) is the applicant. ``certify(household, *kinds)`` puts a
household on certified lists for a year. ``loan_applied``: a poor household's application under
programme 01 recorded on 06/01/2020 (the applied status).

The stable names other test modules may use: LOAN_DAYS, LoanUsers, LoanWorld, loan_users,
session_day, loan_world, certify, loan_applied.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from policylend.associations.models import Association
from policylend.associations.services import association_unit_create
from policylend.households.models import Household


@dataclass(frozen=True)
class LoanDays:
    founded: date = date(2020, 1, 2)
    certified: date = date(2020, 1, 3)
    applied: date = date(2020, 1, 6)


LOAN_DAYS = LoanDays()


@dataclass
class LoanUsers:
    officer: object  # credit officer of office A: applications, reviews, proposals, jobs
    staff: object  # branch staff: jobs for the branch, proposals
    controller: object  # controller of office A: approves decisions
    manager: object  # branch manager: approves decisions and batches
    teller: object  # teller of office A: disburses and collects
    association_officer: object  # farmers' association officer of office A
    officer_b: object  # credit officer of office B: out of scope


@dataclass
class LoanWorld:
    org: object
    users: LoanUsers
    association_unit: object
    group: object
    households: list
    point: object
    session_day: int

    @property
    def borrower(self) -> Household:
        return self.households[0]


@pytest.fixture
def loan_users(org, make_user) -> LoanUsers:
    return LoanUsers(
        officer=make_user("credit_officer", org.office_a, username="loan-officer"),
        staff=make_user("branch_staff", org.branch, username="loan-staff"),
        controller=make_user("controller", org.office_a, username="loan-controller"),
        manager=make_user("branch_manager", org.branch, username="loan-manager"),
        teller=make_user("teller", org.office_a, username="loan-teller"),
        association_officer=make_user(
            "association_officer", org.office_a, "11", username="loan-assoc"
        ),
        officer_b=make_user("credit_officer", org.office_b, username="loan-officer-b"),
    )


@pytest.fixture
def session_day() -> int:
    """The session day of Vũ Lăng's transaction point; override the fixture to choose another."""
    return 21


def _household(actor, village, name: str) -> Household:
    from policylend.households.rules import PersonInput
    from policylend.households.services import household_create

    return household_create(
        actor=actor,
        village=village,
        head=PersonInput(
            full_name=name, sex="male", relationship="head", birth_date=date(1980, 5, 1)
        ),
        members=[
            PersonInput(
                full_name=f"Vợ {name}",
                sex="female",
                relationship="spouse",
                birth_date=date(1982, 7, 9),
            )
        ],
        ethnicity="Tày",
        address="Thôn 1, Vũ Lăng",
    )


@pytest.fixture
def loan_world(org, loan_users, session_day, today) -> LoanWorld:
    from policylend.groups.services import group_create
    from policylend.organisation.models import TransactionPoint

    point = org.points["206001"]
    if point.session_day != session_day:
        TransactionPoint.objects.filter(pk=point.pk).update(session_day=session_day)
        point.refresh_from_db()
    unit = association_unit_create(
        actor=None,
        association=Association.objects.get(code="11"),
        unit=org.commune_a1,
        name="Hội Nông dân xã Vũ Lăng",
    )
    village = org.villages["20600101"]
    names = ["Hoàng Văn An", "Lương Văn Bình", "Nông Văn Cường", "Vi Văn Dũng", "Lộc Văn Hải"]
    households = [
        _household(loan_users.officer, village, name) for name in [*names, "Mã Văn Khánh"]
    ]
    group = group_create(
        actor=loan_users.officer,
        code="2060011",
        name="Tổ Thôn Một",
        village=village,
        association_unit=unit,
        founded_on=LOAN_DAYS.founded,
        approval_decision="3/QĐ-UBND",
        approval_decision_on=LOAN_DAYS.founded,
        households=households,
        today=today,
    )
    return LoanWorld(org, loan_users, unit, group, households, point, session_day)


@pytest.fixture
def certify(loan_world, today):
    """``certify(household, "poor", "ethnic_minority", year=2020)``: the commune's certified
    lists for that year (just escaped poverty leaves poverty the year before)."""
    from policylend.households.services import classification_add

    def make(household: Household, *kinds: str, year: int = LOAN_DAYS.applied.year):
        for kind in kinds:
            classification_add(
                actor=loan_world.users.officer,
                household=household,
                year=year,
                kind=kind,
                certified_by="Quyết định 12/QĐ-UBND, Chủ tịch UBND xã Vũ Lăng",
                certified_on=date(year, 1, 3),
                exit_year=year - 1 if kind == "escaped_poverty" else None,
                today=today,
            )
        return household

    return make


@dataclass
class Applied:
    loan: object
    world: LoanWorld
    users: LoanUsers


@pytest.fixture
def loan_applied(loan_world, certify) -> Applied:
    """A poor household's application for 30,000,000 ₫ over 36 months under programme 01."""
    from policylend.loans.services.application import loan_apply
    from policylend.programmes.models import Programme

    household = certify(loan_world.borrower, "poor")
    loan = loan_apply(
        actor=loan_world.users.officer,
        household=household,
        programme=Programme.objects.get(code="01"),
        amount=30_000_000,
        term_months=36,
        purpose="Nuôi hai con bò sinh sản",
        plan="Mua hai con bò cái, làm chuồng",
        applied_on=LOAN_DAYS.applied,
    )
    return Applied(loan, loan_world, loan_world.users)
