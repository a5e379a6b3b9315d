"""Founding a group: each rule's success and failure side by side, on the real database."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import translation

from policylend.core.errors import DomainError, Forbidden
from policylend.groups import services
from policylend.groups.error_codes import GroupErrorCode as E
from policylend.groups.models import GroupMembership, SavingsGroup

from .conftest import DECIDED, FOUNDED, make_household


def codes(error: DomainError) -> set[tuple[str, str | None]]:
    return {(p.code, p.field) for p in error.problems}


def test_found_a_group(org, found, make_households, units):
    village = org.villages["20600101"]
    households = make_households(village, 5)

    group = found("2060011", village, households, name="Tổ Nà Lầu")

    assert (group.code, group.name, group.search_name) == ("2060011", "Tổ Nà Lầu", "to na lau")
    assert (group.commune, group.office, group.branch) == (org.commune_a1, org.office_a, org.branch)
    assert group.association_unit == units.farmers_a1
    assert set(group.villages.all()) == {village}
    memberships = GroupMembership.objects.filter(group=group)
    assert {m.household_id for m in memberships} == {h.pk for h in households}
    assert {m.joined_on for m in memberships} == {FOUNDED}


@pytest.mark.parametrize(("size", "ok"), [(4, False), (5, True), (60, True), (61, False)])
def test_founding_needs_5_to_60_households(org, found, make_households, size, ok):
    village = org.villages["20600101"]
    households = make_households(village, size)
    if ok:
        assert found("2060011", village, households).memberships.count() == size
        return
    with pytest.raises(DomainError) as error, translation.override("en"):
        found("2060011", village, households)
    assert codes(error.value) == {(E.FOUNDING_SIZE, "households")}
    assert f"{size} were chosen" in error.value.message
    assert not SavingsGroup.objects.exists() and not GroupMembership.objects.exists()


def test_founding_is_free_of_n_plus_one(org, found, make_households, django_assert_max_num_queries):
    village = org.villages["20600101"]
    households = make_households(village, 60)
    with django_assert_max_num_queries(20):
        found("2060011", village, households)


def test_code_is_seven_digits_and_unique(org, found, make_households):
    village = org.villages["20600101"]
    found("2060011", village, make_households(village, 5))
    with pytest.raises(DomainError) as error:
        found("206001", village, make_households(village, 5))
    assert codes(error.value) == {(E.CODE_FORMAT, "code")}
    with pytest.raises(DomainError) as error, translation.override("en"):
        found("2060011", village, make_households(village, 5))
    assert codes(error.value) == {(E.CODE_TAKEN, "code")}
    assert "2060011" in error.value.message


def test_name_required(org, found, make_households):
    village = org.villages["20600101"]
    with pytest.raises(DomainError) as error:
        found("2060011", village, make_households(village, 5), name="  ")
    assert codes(error.value) == {(E.NAME_REQUIRED, "name")}


def test_founding_date_and_decision(org, found, make_households, today):
    village = org.villages["20600101"]
    households = make_households(village, 5)
    # founded today, decided the same day: accepted
    group = found("2060011", village, households, founded_on=today, approval_decision_on=today)
    assert group.founded_on == today

    others = make_households(village, 5)
    with pytest.raises(DomainError) as error:
        found(
            "2060012",
            village,
            others,
            founded_on=date(2026, 11, 26),
            approval_decision="",
            approval_decision_on=date(2026, 11, 27),
        )
    assert codes(error.value) == {
        (E.FOUNDED_IN_FUTURE, "founded_on"),
        (E.DECISION_REQUIRED, "approval_decision"),
        (E.DECISION_AFTER_FOUNDING, "approval_decision_on"),
    }


def test_members_live_in_the_village_or_adjacent_villages(org, found, make_households):
    village, neighbour = org.villages["20600101"], org.villages["20600102"]
    households = make_households(village, 4) + make_households(neighbour, 1)

    # without the adjacent village, the neighbour's household is refused naming both villages
    with pytest.raises(DomainError) as error, translation.override("en"):
        found("2060011", village, households)
    assert codes(error.value) == {(E.HOUSEHOLD_OUTSIDE_VILLAGES, "households")}
    assert neighbour.name in error.value.message and village.name in error.value.message

    # declaring it adjacent lets it in
    group = found("2060011", village, households, adjacent_villages=[neighbour])
    assert set(group.villages.all()) == {village, neighbour}


def test_adjacent_villages_are_of_the_same_commune(org, found, make_households):
    village, other_commune = org.villages["20600101"], org.villages["20600201"]
    with pytest.raises(DomainError) as error:
        found("2060011", village, make_households(village, 5), adjacent_villages=[other_commune])
    assert codes(error.value) == {(E.VILLAGE_OTHER_COMMUNE, "adjacent_villages")}
    with pytest.raises(DomainError) as error:
        found("2060011", org.commune_a1, make_households(village, 5))
    assert (E.NOT_A_VILLAGE, "village") in codes(error.value)


def test_managed_by_a_commune_unit_of_the_commune(org, found, make_households, units):
    village = org.villages["20600101"]
    assert (
        found(
            "2060011", village, make_households(village, 5), association_unit=units.women_a1
        ).association_unit
        == units.women_a1
    )

    for unit, code in (
        (units.farmers_office_a, E.ASSOCIATION_UNIT_LEVEL),
        (units.farmers_a2, E.ASSOCIATION_UNIT_OTHER_COMMUNE),
    ):
        with pytest.raises(DomainError) as error:
            found("2060012", village, make_households(village, 5), association_unit=unit)
        assert codes(error.value) == {(code, "association_unit")}


def test_a_household_in_another_group_is_refused_naming_it(org, found, make_households):
    village = org.villages["20600101"]
    first = make_households(village, 5)
    found("2060011", village, first, name="Tổ Một")
    with pytest.raises(DomainError) as error, translation.override("en"):
        found("2060012", village, [first[0], *make_households(village, 4)])
    assert codes(error.value) == {(E.HOUSEHOLD_IN_OTHER_GROUP, "households")}
    assert "2060011 Tổ Một" in error.value.message


def test_household_named_twice_or_inactive(org, found, make_households):
    village = org.villages["20600101"]
    households = make_households(village, 5)
    with pytest.raises(DomainError) as error:
        found("2060011", village, [*households, households[0]])
    assert codes(error.value) == {(E.HOUSEHOLD_REPEATED, "households")}
    gone = make_household(village, "Đã chuyển", status="moved_away")
    with pytest.raises(DomainError) as error:
        found("2060011", village, [*households[:4], gone])
    assert codes(error.value) == {(E.HOUSEHOLD_INACTIVE, "households")}


def test_only_group_managers_found_groups_in_their_scope(org, found, make_households, make_user):
    village = org.villages["20600101"]
    households = make_households(village, 5)
    teller = make_user("teller", org.office_a)
    with pytest.raises(Forbidden):
        found("2060011", village, households, actor=teller)
    officer_b = make_user("credit_officer", org.office_b)
    with pytest.raises(Forbidden):
        found("2060011", village, households, actor=officer_b)
    assert not SavingsGroup.objects.exists()


def test_update_name_and_villages(org, group_a, officer_a, make_households):
    village, neighbour = org.villages["20600101"], org.villages["20600102"]
    services.group_update(
        actor=officer_a, group=group_a, name="Tổ Đồng Tâm", adjacent_villages=[neighbour]
    )
    group_a.refresh_from_db()
    assert (group_a.name, group_a.search_name) == ("Tổ Đồng Tâm", "to dong tam")
    assert set(group_a.villages.all()) == {village, neighbour}

    newcomer = make_households(neighbour, 1)[0]
    services.membership_join(
        actor=officer_a, group=group_a, household=newcomer, joined_on=date(2025, 1, 2)
    )
    with pytest.raises(DomainError) as error, translation.override("en"):
        services.group_update(
            actor=officer_a, group=group_a, name="Tổ Đồng Tâm", adjacent_villages=[]
        )
    assert codes(error.value) == {(E.VILLAGE_HAS_MEMBERS, "adjacent_villages")}
    assert neighbour.name in error.value.message


# --- many groups at once ----------------------------------------------------------------------------


def _spec(code, village, households, unit, **extra):
    return services.GroupSpec(
        code=code,
        name=f"Tổ {code}",
        village=village,
        association_unit=unit,
        founded_on=FOUNDED,
        approval_decision="1/QĐ",
        approval_decision_on=DECIDED,
        households=households,
        **extra,
    )


def test_bulk_founding(org, units, make_households, today, django_assert_max_num_queries):
    village = org.villages["20600101"]
    specs = []
    for n in range(10):
        households = make_households(village, 6)
        leader = households[0].head
        deputy = households[1].head
        specs.append(
            _spec(
                f"20600{n:02d}", village, households, units.farmers_a1, leader=leader, deputy=deputy
            )
        )
    with django_assert_max_num_queries(12):
        groups = services.groups_create_bulk(actor=None, specs=specs, today=today)
    assert len(groups) == 10
    assert GroupMembership.objects.count() == 60
    group = SavingsGroup.objects.get(code="2060003")
    assert group.search_name == "to 2060003" and group.office == org.office_a
    assert {t.role for t in group.board_terms.all()} == {"leader", "deputy"}
    assert set(group.villages.all()) == {village}


def test_bulk_founding_refuses_all_when_one_is_wrong(org, units, make_households, today):
    village = org.villages["20600101"]
    shared = make_households(village, 6)
    specs = [
        _spec("2060001", village, shared, units.farmers_a1),
        _spec("2060002", village, [shared[0], *make_households(village, 5)], units.farmers_a1),
        _spec("2060001", village, make_households(village, 3), units.farmers_a2),
    ]
    with pytest.raises(DomainError) as error:
        services.groups_create_bulk(actor=None, specs=specs, today=today)
    assert codes(error.value) >= {
        (E.HOUSEHOLD_IN_OTHER_GROUP, "groups[1].households"),
        (E.CODE_TAKEN, "groups[2].code"),
        (E.FOUNDING_SIZE, "groups[2].households"),
        (E.ASSOCIATION_UNIT_OTHER_COMMUNE, "groups[2].association_unit"),
    }
    assert not SavingsGroup.objects.exists()


def test_bulk_founding_checks_the_board(org, units, today):
    village = org.villages["20600101"]
    family = make_household(village, "Hoàng Văn An", [("Lý Thị Bình", "spouse")])
    households = [family, *(make_household(village, f"Hộ {i}") for i in range(4))]
    wife = family.members.get(relationship="spouse")
    spec = _spec("2060001", village, households, units.farmers_a1, leader=family.head, deputy=wife)
    with pytest.raises(DomainError) as error:
        services.groups_create_bulk(actor=None, specs=[spec], today=today)
    assert codes(error.value) == {(E.BOARD_RELATIVES, "groups[0].person")}
