"""Groups on the shared organisation of the root conftest (office A "Bắc Sơn": communes 206001 Vũ
Lăng and 206002 Hưng Vũ; office B "Bình Gia": 207001, 207002; villages <commune>01/02).

``make_households`` registers households through the households service; ``found`` founds a group of office A with a board, the shape most tests start from.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from django.test import Client

from policylend.associations.models import Association
from policylend.associations.services import association_unit_create
from policylend.households.models import Household

FOUNDED = date(2024, 3, 1)
DECIDED = date(2024, 2, 20)


DIGITS = ("Không", "Một", "Hai", "Ba", "Bốn", "Năm", "Sáu", "Bảy", "Tám", "Chín")


def spelled(name: str) -> str:
    """A name has no digits: "Hộ 01 số 3" becomes "Hộ Không Một số Ba"."""
    words = []
    for word in name.split():
        words.append(" ".join(DIGITS[int(c)] for c in word) if word.isdigit() else word)
    return " ".join(words)


def make_household(village, head_name: str, others=(), *, status="active") -> Household:
    """A household of ``village`` registered through the households service, whose head is
    ``head_name``; ``others`` are (name, relationship) pairs of the other members. A household
    that is not active is marked so directly (its own rules are the households app's)."""
    from policylend.households.rules import PersonInput
    from policylend.households.services import household_create

    household = household_create(
        actor=None,
        village=village,
        head=PersonInput(full_name=spelled(head_name), sex="male", relationship="head"),
        members=[
            PersonInput(full_name=name, sex="female", relationship=relationship)
            for name, relationship in others
        ],
    )
    if status != "active":
        Household.objects.filter(pk=household.pk).update(status=status)
        household.refresh_from_db()
    return household


@pytest.fixture
def make_households():
    def make(village, n: int, prefix: str = "Hộ") -> list[Household]:
        return [make_household(village, f"{prefix} {village.code[-2:]} số {i}") for i in range(n)]

    return make


@pytest.fixture
def farmers(db):
    return Association.objects.get(code="11")


@pytest.fixture
def women(db):
    return Association.objects.get(code="12")


@dataclass
class Units:
    """Association units: farmers and women of commune A1, farmers of A2 and B1, farmers of office A."""

    farmers_a1: object
    women_a1: object
    farmers_a2: object
    farmers_b1: object
    farmers_office_a: object


@pytest.fixture
def units(org, farmers, women) -> Units:
    def make(association, place, name):
        return association_unit_create(actor=None, association=association, unit=place, name=name)

    return Units(
        farmers_office_a=make(farmers, org.office_a, "Hội Nông dân huyện Bắc Sơn"),
        farmers_a1=make(farmers, org.commune_a1, "Hội Nông dân xã Vũ Lăng"),
        women_a1=make(women, org.commune_a1, "Hội LHPN xã Vũ Lăng"),
        farmers_a2=make(farmers, org.commune_a2, "Hội Nông dân xã Hưng Vũ"),
        farmers_b1=make(farmers, org.commune_b1, "Hội Nông dân xã Hoàng Văn Thụ"),
    )


@pytest.fixture
def officer_a(org, make_user):
    """A credit officer of office A: manages office A's groups."""
    return make_user("credit_officer", org.office_a, username="officer-a")


@pytest.fixture
def officer_b(org, make_user):
    return make_user("credit_officer", org.office_b, username="officer-b")


@pytest.fixture
def found(officer_a, units, today):
    """Found a group through the service: ``found(code, village, households, ...)``."""
    from policylend.groups import services

    def make(
        code, village, households, *, name=None, association_unit=None, actor=officer_a, **extra
    ):
        return services.group_create(
            actor=actor,
            code=code,
            name=name or f"Tổ {code}",
            village=village,
            association_unit=association_unit or units.farmers_a1,
            founded_on=extra.pop("founded_on", FOUNDED),
            approval_decision=extra.pop("approval_decision", "12/QĐ-UBND"),
            approval_decision_on=extra.pop("approval_decision_on", DECIDED),
            households=households,
            today=today,
            **extra,
        )

    return make


@pytest.fixture
def group_a(org, found, make_households):
    """Group 2060011 of village 20600101 (commune A1) with six households, managed by the
    farmers of A1."""
    return found("2060011", org.villages["20600101"], make_households(org.villages["20600101"], 6))


@pytest.fixture
def group_b(org, units, make_households, make_user, today):
    """A group of office B (commune B1)."""
    from policylend.groups import services

    officer = make_user("credit_officer", org.office_b)
    village = org.villages["20700101"]
    return services.group_create(
        actor=officer,
        code="2070011",
        name="Tổ Hoàng Văn Thụ 1",
        village=village,
        association_unit=units.farmers_b1,
        founded_on=FOUNDED,
        approval_decision="7/QĐ-UBND",
        approval_decision_on=DECIDED,
        households=make_households(village, 5),
        today=today,
    )


@pytest.fixture
def client_of():
    def make(user, language: str | None = "en") -> Client:
        client = Client()
        if language:
            client.cookies["policylend_language"] = language
        client.force_login(user)
        return client

    return make


@pytest.fixture
def api_of():
    from policylend.users.services import api_token_create

    def make(user) -> Client:
        _record, token = api_token_create(user=user, name="tests")
        return Client(HTTP_AUTHORIZATION=f"Bearer {token}")

    return make
