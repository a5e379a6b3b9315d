"""Households on the shared organisation of the root conftest (office A "Bắc Sơn": communes 206001
Vũ Lăng and 206002 Hưng Vũ; office B "Bình Gia": 207001, 207002; villages <commune>01/02).

National IDs used here are valid (12 digits, province 020 = Lạng Sơn) and distinct; no page of a
user who may not see IDs may contain any of them."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.test import Client

from policylend.households.rules import PersonInput
from policylend.households.services import household_create

ID_HEAD_A = "020085001234"
ID_SPOUSE_A = "020187005678"
ID_HEAD_B = "020079009999"
TWELVE_DIGITS = re.compile(r"(?<!\d)\d{12}(?!\d)")


def head(name: str = "Nguyễn Văn Đức", national_id: str | None = None, **extra) -> PersonInput:
    return PersonInput(
        full_name=name,
        sex=extra.pop("sex", "male"),
        relationship="head",
        birth_date=extra.pop("birth_date", date(1985, 4, 2)),
        national_id=national_id,
    )


def member(name: str, relationship: str = "spouse", national_id: str | None = None, **extra):
    return PersonInput(
        full_name=name,
        sex=extra.pop("sex", "female"),
        relationship=relationship,
        birth_date=extra.pop("birth_date", date(1987, 9, 1)),
        national_id=national_id,
    )


@pytest.fixture
def officer_a(org, make_user):
    """A credit officer of office A: keeps the register of A and may see IDs."""
    return make_user("credit_officer", org.office_a, username="officer-a")


@pytest.fixture
def officer_b(org, make_user):
    return make_user("credit_officer", org.office_b, username="officer-b")


@pytest.fixture
def association_officer_a(org, make_user):
    """Reads A's households but may not see national IDs nor change anything."""
    return make_user("association_officer", org.office_a, "11", username="assoc-a")


@pytest.fixture
def household_a(org, officer_a):
    """Nguyễn Văn Đức's household in village 20600101, with his wife Hoàng Thị Lan."""
    return household_create(
        actor=officer_a,
        village=org.villages["20600101"],
        head=head(national_id=ID_HEAD_A),
        members=[member("Hoàng Thị Lan", national_id=ID_SPOUSE_A)],
        phone="0912345678",
        ethnicity="Tày",
        address="Thôn 1, Vũ Lăng",
    )


@pytest.fixture
def household_b(org, officer_b):
    """A household of office B, outside office A's scope."""
    return household_create(
        actor=officer_b,
        village=org.villages["20700101"],
        head=head("Lộc Văn Bình", national_id=ID_HEAD_B),
        phone="0987654321",
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
    """A client that calls the API with the user's personal bearer token."""
    from policylend.users.services import api_token_create

    def make(user) -> Client:
        _record, token = api_token_create(user=user, name="tests")
        client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
        client.cookies["policylend_language"] = "en"
        return client

    return make
