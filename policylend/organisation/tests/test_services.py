"""Rules of the organisation services: each rule's success and failure side by side."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import translation

from policylend.core.errors import DomainError, Forbidden
from policylend.organisation import services
from policylend.organisation.error_codes import OrganisationErrorCode as E
from policylend.organisation.models import OrganisationUnit, TransactionPoint, UnitParentPeriod

D = date(2025, 3, 5)


def codes(error: DomainError) -> set[tuple[str, str | None]]:
    return {(p.code, p.field) for p in error.problems}


@pytest.mark.parametrize(
    ("kind", "parent_name", "good", "bad"),
    [
        ("commune", "office_a", "206009", "20609"),
        ("commune", "office_a", "206010", "2060100"),
        ("village", "commune_a1", "20600109", "2060019"),
        ("village", "commune_a1", "20600110", "20600A10"),
    ],
)
def test_unit_code_format(org, sysadmin, kind, parent_name, good, bad):
    parent = getattr(org, parent_name)

    # when the code has the right number of digits, the unit is added
    unit = services.unit_create(
        kind=kind, code=good, name="Mới", parent=parent, opened_on=D, actor=sysadmin
    )
    assert (unit.kind, unit.code, unit.parent_id) == (kind, good, parent.pk)

    # and when it has not, it is refused naming the field and nothing is added
    before = OrganisationUnit.objects.count()
    with pytest.raises(DomainError) as error:
        services.unit_create(
            kind=kind, code=bad, name="Mới", parent=parent, opened_on=D, actor=sysadmin
        )
    assert codes(error.value) == {(E.CODE_FORMAT, "code")}
    assert OrganisationUnit.objects.count() == before


def test_unit_parent_kind(org, sysadmin):
    village = services.unit_create(
        kind="village",
        code="20600199",
        name="Thôn mới",
        parent=org.commune_a1,
        opened_on=D,
        actor=sysadmin,
    )
    assert village.path == f"{org.commune_a1.path}{village.pk}/"
    assert (village.depth, village.branch_id) == (3, org.branch.pk)
    assert UnitParentPeriod.objects.get(unit=village).parent == org.commune_a1

    with pytest.raises(DomainError) as error, translation.override("en"):
        services.unit_create(
            kind="village",
            code="20600198",
            name="Thôn sai",
            parent=org.office_a,
            opened_on=D,
            actor=sysadmin,
        )
    assert codes(error.value) == {(E.PARENT_KIND, "parent")}
    assert "commune" in error.value.message


def test_unit_without_parent_is_refused_unless_branch(org, sysadmin):
    with pytest.raises(DomainError) as error:
        services.unit_create(
            kind="commune", code="206099", name="Xã", parent=None, opened_on=D, actor=None
        )
    assert codes(error.value) == {(E.PARENT_KIND, "parent")}
    branch = services.unit_create(
        kind="branch", code="741", name="Cao Bằng", parent=None, opened_on=D, actor=None
    )
    assert (branch.path, branch.depth, branch.branch_id) == (f"/{branch.pk}/", 0, branch.pk)


def test_unit_code_taken(org, sysadmin):
    services.unit_create(
        kind="commune", code="206050", name="A", parent=org.office_a, opened_on=D, actor=sysadmin
    )
    with pytest.raises(DomainError) as error:
        services.unit_create(
            kind="commune",
            code="206050",
            name="B",
            parent=org.office_b,
            opened_on=D,
            actor=sysadmin,
        )
    assert codes(error.value) == {(E.CODE_TAKEN, "code")}


def test_unit_name_required_and_several_problems_at_once(org, sysadmin):
    with pytest.raises(DomainError) as error:
        services.unit_create(
            kind="commune", code="1", name="  ", parent=org.commune_a1, opened_on=D, actor=sysadmin
        )
    assert codes(error.value) == {
        (E.CODE_FORMAT, "code"),
        (E.NAME_REQUIRED, "name"),
        (E.PARENT_KIND, "parent"),
    }


def test_unit_cannot_open_before_its_parent(org, sysadmin):
    services.unit_create(
        kind="commune",
        code="206051",
        name="A",
        parent=org.office_a,
        opened_on=date(2020, 1, 1),
        actor=sysadmin,
    )
    with pytest.raises(DomainError) as error:
        services.unit_create(
            kind="commune",
            code="206052",
            name="B",
            parent=org.office_a,
            opened_on=date(2019, 12, 31),
            actor=sysadmin,
        )
    assert codes(error.value) == {(E.DATE_BEFORE_PARENT, "opened_on")}


def test_only_system_admin_may_change_the_tree(org, sysadmin, make_user):
    for role in ("branch_manager", "branch_staff", "auditor", "controller"):
        user = make_user(role, org.branch)
        with pytest.raises(Forbidden):
            services.unit_update(unit=org.commune_a1, name="Đổi", address="", actor=user)
        with pytest.raises(Forbidden):
            services.unit_create(
                kind="commune",
                code="206060",
                name="X",
                parent=org.office_a,
                opened_on=D,
                actor=user,
            )
    services.unit_update(unit=org.commune_a1, name="Vũ Lăng mới", address="UBND", actor=sysadmin)
    org.commune_a1.refresh_from_db()
    assert (org.commune_a1.name, org.commune_a1.address) == ("Vũ Lăng mới", "UBND")


def test_system_admin_of_office_a_may_not_change_office_b(org, make_user):
    admin_a = make_user("system_admin", org.office_a)
    services.unit_update(unit=org.commune_a1, name="Được", address="", actor=admin_a)
    with pytest.raises(Forbidden):
        services.unit_update(unit=org.commune_b1, name="Không được", address="", actor=admin_a)
    with pytest.raises(Forbidden):
        services.unit_move(
            unit=org.villages["20600101"], new_parent=org.commune_b1, effective_on=D, actor=admin_a
        )
    org.commune_b1.refresh_from_db()
    assert org.commune_b1.name == "Hoàng Văn Thụ"


# --- moving and path maintenance ------------------------------------------------------------------


def test_move_commune_rewrites_paths_of_everything_under_it(org, sysadmin):
    commune = org.commune_a1
    villages = [org.villages["20600101"], org.villages["20600102"]]

    services.unit_move(
        unit=commune, new_parent=org.office_b, effective_on=D, actor=sysadmin, reason="QĐ 1/2025"
    )

    commune.refresh_from_db()
    assert commune.parent == org.office_b
    assert commune.path == f"{org.office_b.path}{commune.pk}/"
    assert (commune.depth, commune.branch_id) == (2, org.branch.pk)
    for village in villages:
        village.refresh_from_db()
        assert village.path == f"{org.office_b.path}{commune.pk}/{village.pk}/"
        assert (village.depth, village.branch_id, village.parent_id) == (
            3,
            org.branch.pk,
            commune.pk,
        )
    # nothing else moved
    org.commune_a2.refresh_from_db()
    assert org.commune_a2.path.startswith(org.office_a.path)


def test_move_office_to_another_branch_updates_branch_below(org, sysadmin):
    other = services.unit_create(
        kind="branch",
        code="741",
        name="Cao Bằng",
        parent=None,
        opened_on=date(2019, 1, 1),
        actor=None,
    )
    superuser = type(sysadmin).objects.create_superuser(
        "root", password="Correct-horse-battery-9", role="system_admin"
    )

    services.unit_move(unit=org.office_a, new_parent=other, effective_on=D, actor=superuser)

    for unit in (org.office_a, org.commune_a1, org.villages["20600101"]):
        unit.refresh_from_db()
        assert unit.branch_id == other.pk
        assert unit.path.startswith(f"/{other.pk}/{org.office_a.pk}/")
    assert org.villages["20600101"].depth == 3
    assert TransactionPoint.objects.get(code="TXN206001").branch_id == other.pk
    assert TransactionPoint.objects.get(code="TXN207001").branch_id == org.branch.pk


def test_move_refusals(org, sysadmin):
    village = org.villages["20600101"]
    cases = [
        (org.commune_a1, E.MOVE_SAME_PARENT, "new_parent"),
        (org.office_b, E.PARENT_KIND, "new_parent"),
        (village, E.MOVE_TO_SELF, "new_parent"),
    ]
    for new_parent, code, field in cases:
        with pytest.raises(DomainError) as error:
            services.unit_move(unit=village, new_parent=new_parent, effective_on=D, actor=sysadmin)
        assert codes(error.value) == {(code, field)}
    with pytest.raises(DomainError) as error:
        services.unit_move(
            unit=org.office_a, new_parent=org.commune_b1, effective_on=D, actor=sysadmin
        )
    assert codes(error.value) == {(E.PARENT_KIND, "new_parent")}
    # a date on or before the day it joined its current parent
    with pytest.raises(DomainError) as error:
        services.unit_move(
            unit=village, new_parent=org.commune_a2, effective_on=date(2020, 1, 1), actor=sysadmin
        )
    assert codes(error.value) == {(E.DATE_BEFORE_HISTORY, "effective_on")}
    village.refresh_from_db()
    assert village.parent_id == org.commune_a1.pk
    assert UnitParentPeriod.objects.filter(unit=village).count() == 1


def test_move_under_its_own_descendant_is_refused(org, sysadmin):
    with pytest.raises(DomainError) as error:
        services.unit_move(unit=org.branch, new_parent=org.office_a, effective_on=D, actor=sysadmin)
    assert codes(error.value) in ({(E.MOVE_TO_SELF, "new_parent")}, {(E.PARENT_KIND, "new_parent")})


# --- closing ----------------------------------------------------------------------------------------


def test_close_unit_with_active_units_under_it_is_refused(org, sysadmin):
    with pytest.raises(DomainError) as error:
        services.unit_close(unit=org.commune_a1, closed_on=D, actor=sysadmin)
    assert codes(error.value) == {(E.HAS_CHILDREN, "unit")}

    for code in ("20600101", "20600102"):
        services.unit_close(unit=org.villages[code], closed_on=D, actor=sysadmin)
    commune = services.unit_close(unit=org.commune_a1, closed_on=D, actor=sysadmin)

    assert (commune.status, commune.closed_on) == ("closed", D)
    point = TransactionPoint.objects.get(code="TXN206001")
    assert (point.is_active, point.closed_on) == (False, D)
    assert UnitParentPeriod.objects.get(unit=commune).valid_to == D


def test_close_twice_or_before_opening_is_refused(org, sysadmin):
    village = org.villages["20600101"]
    with pytest.raises(DomainError) as error:
        services.unit_close(unit=village, closed_on=date(2019, 5, 1), actor=sysadmin)
    assert codes(error.value) == {(E.DATE_BEFORE_HISTORY, "closed_on")}
    services.unit_close(unit=village, closed_on=D, actor=sysadmin)
    with pytest.raises(DomainError) as error:
        services.unit_close(unit=village, closed_on=D, actor=sysadmin)
    assert codes(error.value) == {(E.UNIT_INACTIVE, "unit")}


# --- transaction points -----------------------------------------------------------------------------


def new_commune(org, sysadmin, code="206070"):
    return services.unit_create(
        kind="commune", code=code, name="Xã mới", parent=org.office_a, opened_on=D, actor=sysadmin
    )


@pytest.mark.parametrize(("good", "bad"), [(1, 0), (28, 29)])
def test_session_day_1_to_28(org, sysadmin, good, bad):
    commune = new_commune(org, sysadmin)
    point = TransactionPoint.objects.get(code="TXN206001")

    with pytest.raises(DomainError) as error:
        services.transaction_point_create(
            commune=commune,
            code="TXN206070",
            name="Điểm",
            session_day=bad,
            address="UBND",
            opened_on=D,
            actor=sysadmin,
        )
    assert codes(error.value) == {(E.SESSION_DAY_RANGE, "session_day")}
    assert str(bad) in error.value.message
    with pytest.raises(DomainError) as error:
        services.transaction_point_update(
            point=point, name=point.name, session_day=bad, address="UBND", actor=sysadmin
        )
    assert codes(error.value) == {(E.SESSION_DAY_RANGE, "session_day")}
    point.refresh_from_db()
    assert point.session_day == 21

    created = services.transaction_point_create(
        commune=commune,
        code="TXN206070",
        name="Điểm",
        session_day=good,
        address="UBND",
        opened_on=D,
        actor=sysadmin,
    )
    assert (created.session_day, created.branch_id, created.is_active) == (
        good,
        org.branch.pk,
        True,
    )
    services.transaction_point_update(
        point=point, name=point.name, session_day=good, address="UBND", actor=sysadmin
    )
    point.refresh_from_db()
    assert point.session_day == good


def test_one_active_point_per_commune(org, sysadmin):
    commune = org.commune_a1
    with pytest.raises(DomainError) as error:
        services.transaction_point_create(
            commune=commune,
            code="TXN206999",
            name="Điểm 2",
            session_day=5,
            address="Thôn 1",
            opened_on=D,
            actor=sysadmin,
        )
    assert codes(error.value) == {(E.POINT_EXISTS, "commune")}

    # a commune without an active point may get one
    other = new_commune(org, sysadmin, "206071")
    point = services.transaction_point_create(
        commune=other,
        code="TXN206071",
        name="Điểm",
        session_day=5,
        address="Thôn 1",
        opened_on=D,
        actor=sysadmin,
    )
    assert point.commune == other


def test_point_code_and_commune_rules(org, sysadmin):
    commune = new_commune(org, sysadmin)
    with pytest.raises(DomainError) as error:
        services.transaction_point_create(
            commune=org.villages["20600101"],
            code="PT1",
            name="",
            session_day=5,
            address="",
            opened_on=D,
            actor=sysadmin,
        )
    assert codes(error.value) == {
        (E.POINT_CODE_FORMAT, "code"),
        (E.NAME_REQUIRED, "name"),
        (E.ADDRESS_REQUIRED, "address"),
        (E.NOT_A_COMMUNE, "commune"),
    }
    with pytest.raises(DomainError) as error:
        services.transaction_point_create(
            commune=commune,
            code="TXN206001",
            name="Điểm",
            session_day=5,
            address="UBND",
            opened_on=D,
            actor=sysadmin,
        )
    assert codes(error.value) == {(E.CODE_TAKEN, "code")}


def test_closed_point_cannot_be_changed(org, sysadmin):
    services.commune_merge(
        source=org.commune_a2, target=org.commune_a1, effective_on=D, actor=sysadmin
    )
    point = TransactionPoint.objects.get(code="TXN206002")
    with pytest.raises(DomainError) as error:
        services.transaction_point_update(
            point=point, name="X", session_day=7, address="Y", actor=sysadmin
        )
    assert codes(error.value) == {(E.POINT_CLOSED, "point")}
