"""Association units, contracts and groups on the shared organisation of the root conftest
(branch 740; office A "Bắc Sơn" with communes 206001 Vũ Lăng / 206002 Hưng Vũ; office B
"Bình Gia" with 207001 / 207002).

The Farmers' Association (11) has a unit at every level of office A and office B; the Women's
Union (12) one in Vũ Lăng. Groups are written directly (the groups app owns their services):
these tests only need groups to exist and be managed by a unit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from django.test import Client

from conftest import TODAY


@dataclass
class Units:
    farmers: object
    women: object
    province: object  # Farmers, beside the branch
    district_a: object  # Farmers, beside office A
    commune_a1: object  # Farmers, Vũ Lăng
    commune_a2: object  # Farmers, Hưng Vũ
    district_b: object  # Farmers, beside office B
    commune_b1: object  # Farmers, 207001
    women_a1: object  # Women, Vũ Lăng


def build_units(org) -> Units:
    from policylend.associations.models import Association
    from policylend.associations.services import association_unit_create

    farmers = Association.objects.get(code="11")
    women = Association.objects.get(code="12")

    def make(association, place, name):
        return association_unit_create(actor=None, association=association, unit=place, name=name)

    return Units(
        farmers=farmers,
        women=women,
        province=make(farmers, org.branch, "Hội Nông dân tỉnh Lạng Sơn"),
        district_a=make(farmers, org.office_a, "Hội Nông dân huyện Bắc Sơn"),
        commune_a1=make(farmers, org.commune_a1, "Hội Nông dân xã Vũ Lăng"),
        commune_a2=make(farmers, org.commune_a2, "Hội Nông dân xã Hưng Vũ"),
        district_b=make(farmers, org.office_b, "Hội Nông dân huyện Bình Gia"),
        commune_b1=make(farmers, org.commune_b1, "Hội Nông dân xã Hoàng Văn Thụ"),
        women_a1=make(women, org.commune_a1, "Hội Phụ nữ xã Vũ Lăng"),
    )


@pytest.fixture
def units(org) -> Units:
    return build_units(org)


@pytest.fixture
def sysadmin(org, make_user):
    return make_user("system_admin", org.branch, username="sysadmin")


@pytest.fixture
def make_group(org):
    """A group written directly, managed by ``association_unit``, in ``village``."""
    from policylend.groups.models import SavingsGroup

    counter = {"n": 0}

    def make(association_unit, village=None, *, founded_on=date(2024, 3, 1), **extra):
        counter["n"] += 1
        village = village or org.villages[f"{association_unit.unit.code}01"]
        commune = village.parent
        return SavingsGroup.objects.create(
            code=extra.pop("code", f"{9000000 + counter['n']}"),
            name=extra.pop("name", f"Tổ {counter['n']} {village.name}"),
            branch_id=village.branch_id,
            office_id=commune.parent_id,
            commune=commune,
            village=village,
            association_unit=association_unit,
            founded_on=founded_on,
            approval_decision=f"QĐ {counter['n']}/UBND",
            approval_decision_on=founded_on,
            **extra,
        )

    return make


@pytest.fixture
def contract_of(sysadmin):
    """A contract of ``association_unit`` with the default terms (0.045 %, 3/5/8/84)."""
    from policylend.associations.models import EntrustmentTask
    from policylend.associations.rules import TermsInput
    from policylend.associations.services import contract_create
    from policylend.associations.services.contracts import expected_bank_unit

    def make(association_unit, number="01/2025/HĐUT", valid_from=date(2025, 1, 1), **terms):
        return contract_create(
            actor=sysadmin,
            association_unit=association_unit,
            bank_unit=expected_bank_unit(association_unit),
            number=number,
            signed_on=valid_from,
            valid_from=valid_from,
            tasks=list(EntrustmentTask.values),
            terms=TermsInput(**terms),
        )

    return make


@pytest.fixture
def today():
    return TODAY


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
    """A client that calls the API with the user's personal bearer token, in English."""
    from policylend.users.services import api_token_create

    def make(user) -> Client:
        _record, token = api_token_create(user=user, name="tests")
        client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
        client.cookies["policylend_language"] = "en"
        return client

    return make
