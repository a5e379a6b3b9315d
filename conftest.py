"""Shared fixtures: a small organisation with two transaction offices, and users of every role.

Office A (Bắc Sơn) and office B (Bình Gia) sit under one branch, each with two communes, each
commune with two villages and a transaction point. Scope tests use A and B: a user of A must
never see B's objects.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

TODAY = date(2026, 11, 25)
PASSWORD = "Correct-horse-battery-9"


@dataclass
class Org:
    branch: object
    office_a: object
    office_b: object
    commune_a1: object
    commune_a2: object
    commune_b1: object
    commune_b2: object
    villages: dict
    points: dict


def build_org() -> Org:
    from policylend.organisation.services import transaction_point_create, unit_create

    opened = date(2020, 1, 1)
    branch = unit_create(kind="branch", code="740", name="Lạng Sơn", parent=None, opened_on=opened, actor=None)
    office_a = unit_create(kind="office", code="7401", name="Bắc Sơn", parent=branch, opened_on=opened, actor=None)
    office_b = unit_create(kind="office", code="7402", name="Bình Gia", parent=branch, opened_on=opened, actor=None)
    communes, villages, points = {}, {}, {}
    for office, codes in ((office_a, [("206001", "Vũ Lăng", 21), ("206002", "Hưng Vũ", 6)]),
                          (office_b, [("207001", "Hoàng Văn Thụ", 10), ("207002", "Tân Văn", 15)])):
        for code, name, day in codes:
            commune = unit_create(kind="commune", code=code, name=name, parent=office, opened_on=opened, actor=None)
            communes[code] = commune
            for n in (1, 2):
                villages[f"{code}{n:02d}"] = unit_create(
                    kind="village", code=f"{code}{n:02d}", name=f"Thôn {n} {name}", parent=commune,
                    opened_on=opened, actor=None,
                )
            points[code] = transaction_point_create(
                commune=commune, code=f"TXN{code}", name=f"Điểm giao dịch xã {name}", session_day=day,
                address=f"UBND xã {name}", opened_on=opened, actor=None,
            )
    return Org(branch, office_a, office_b, communes["206001"], communes["206002"], communes["207001"],
               communes["207002"], villages, points)


@pytest.fixture
def today() -> date:
    return TODAY


@pytest.fixture
def org(db) -> Org:
    return build_org()


@pytest.fixture
def make_user(db):
    from policylend.users.models import User

    counter = {"n": 0}

    def make(role: str, unit, association_code: str | None = None, username: str | None = None, **extra):
        from policylend.associations.models import Association

        counter["n"] += 1
        association = Association.objects.get(code=association_code) if association_code else None
        user = User(
            username=username or f"{role}-{counter['n']}", full_name=f"{role} {counter['n']}", role=role,
            scope_unit=unit, scope_association=association, **extra,
        )
        user.set_password(PASSWORD)
        user.save()
        return user

    return make
