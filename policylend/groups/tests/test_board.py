"""The board: leader and deputy are members, not close relatives of each other, and a person leads
one group at most."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import IntegrityError, transaction
from django.utils import translation

from policylend.core.errors import DomainError
from policylend.groups import services
from policylend.groups.error_codes import GroupErrorCode as E
from policylend.groups.models import BoardTerm
from policylend.households.models import Kinship

from .conftest import make_household

D = date(2025, 6, 1)


def codes(error: DomainError) -> set[tuple[str, str | None]]:
    return {(p.code, p.field) for p in error.problems}


@pytest.fixture
def family_group(org, found):
    """A group whose first household has every relationship to the head."""
    village = org.villages["20600101"]
    family = make_household(
        village,
        "Hoàng Văn An",
        [
            ("Lý Thị Bình", "spouse"),
            ("Hoàng Văn Cường", "child"),
            ("Hoàng Thị Dung", "child"),
            ("Hoàng Văn Em", "parent"),
            ("Hoàng Thị Gấm", "parent"),
            ("Hoàng Văn Hải", "sibling"),
            ("Hoàng Văn Khánh", "grandchild"),
            ("Nông Thị Lan", "child_in_law"),
            ("Triệu Văn Minh", "other"),
        ],
    )
    others = [make_household(village, f"Hộ khác {i}") for i in range(5)]
    group = found("2060011", village, [family, *others])
    return group, family, others


def member(family, name):
    return family.members.get(full_name=name)


def elect(actor, group, person, role, day=D):
    return services.board_elect(actor=actor, group=group, person=person, role=role, started_on=day)


# (leader, deputy, refused?) — pairs from one household, with the tie the rule derives
PAIRS = [
    ("Hoàng Văn An", "Lý Thị Bình", True),  # head–spouse
    ("Hoàng Văn An", "Hoàng Văn Cường", True),  # head–child
    ("Hoàng Văn An", "Hoàng Văn Em", True),  # head–parent
    ("Hoàng Văn An", "Hoàng Văn Hải", True),  # head–sibling
    ("Lý Thị Bình", "Hoàng Thị Dung", True),  # spouse–child
    ("Hoàng Văn Cường", "Hoàng Thị Dung", True),  # child–child
    ("Hoàng Văn Em", "Hoàng Thị Gấm", True),  # parent–parent
    ("Hoàng Văn Em", "Hoàng Văn Hải", True),  # parent–sibling of the head
    ("Hoàng Văn An", "Hoàng Văn Khánh", False),  # head–grandchild
    ("Hoàng Văn An", "Nông Thị Lan", False),  # head–child-in-law
    ("Lý Thị Bình", "Hoàng Văn Em", False),  # spouse–parent (in-laws)
    ("Hoàng Văn Cường", "Hoàng Văn Em", False),  # child–grandparent
    ("Hoàng Văn Hải", "Hoàng Thị Dung", False),  # uncle–niece
    ("Hoàng Văn An", "Triệu Văn Minh", False),  # head–other
]


@pytest.mark.parametrize(("leader", "deputy", "refused"), PAIRS)
def test_leader_and_deputy_of_one_household(family_group, officer_a, leader, deputy, refused):
    group, family, _ = family_group
    elect(officer_a, group, member(family, leader), "leader")
    if not refused:
        term = elect(officer_a, group, member(family, deputy), "deputy")
        assert (term.role, term.ended_on) == ("deputy", None)
        return
    with pytest.raises(DomainError) as error, translation.override("en"):
        elect(officer_a, group, member(family, deputy), "deputy")
    assert codes(error.value) == {(E.BOARD_RELATIVES, "person")}
    assert leader in error.value.message and deputy in error.value.message
    assert not BoardTerm.objects.filter(role="deputy").exists()


@pytest.mark.parametrize("tie", ["spouse", "parent_of", "sibling"])
def test_relatives_across_households_from_kinship_rows(family_group, officer_a, tie):
    group, _family, others = family_group
    leader, deputy = others[0].head, others[1].head
    unrelated = others[2].head
    elect(officer_a, group, leader, "leader")
    Kinship.objects.create(person=deputy, relative=leader, tie=tie)  # recorded either way round
    with pytest.raises(DomainError) as error:
        elect(officer_a, group, deputy, "deputy")
    assert codes(error.value) == {(E.BOARD_RELATIVES, "person")}
    assert elect(officer_a, group, unrelated, "deputy").person == unrelated


def test_a_kinship_row_inside_a_household_settles_what_the_records_cannot(family_group, officer_a):
    group, family, _ = family_group
    son, his_wife = member(family, "Hoàng Văn Cường"), member(family, "Nông Thị Lan")
    elect(officer_a, group, son, "leader")
    Kinship.objects.create(person=son, relative=his_wife, tie="spouse")
    with pytest.raises(DomainError) as error:
        elect(officer_a, group, his_wife, "deputy")
    assert codes(error.value) == {(E.BOARD_RELATIVES, "person")}


def test_board_members_are_members(org, family_group, officer_a):
    group, _family, others = family_group
    outsider = make_household(org.villages["20600101"], "Người ngoài")
    with pytest.raises(DomainError) as error, translation.override("en"):
        elect(officer_a, group, outsider.head, "leader")
    assert codes(error.value) == {(E.BOARD_NOT_A_MEMBER, "person")}
    assert "Người ngoài" in error.value.message
    assert elect(officer_a, group, others[0].head, "leader").person == others[0].head


def test_a_person_leads_one_group(org, family_group, found, officer_a):
    group, _family, others = family_group
    leader = others[0].head
    elect(officer_a, group, leader, "leader")
    # a second group cannot take the same person (whose household moved there while still sitting)
    second = found(
        "2060012",
        org.villages["20600101"],
        [make_household(org.villages["20600101"], f"B {i}") for i in range(5)],
    )
    term = BoardTerm.objects.get(person=leader)
    with pytest.raises(IntegrityError), transaction.atomic():
        BoardTerm.objects.create(group=second, person=leader, role="leader", started_on=D)
    assert term.ended_on is None


def test_leading_another_group_is_refused_naming_it(org, family_group, found, officer_a):
    group, _family, others = family_group
    leader = others[0].head
    elect(officer_a, group, leader, "leader")
    second = found(
        "2060012",
        org.villages["20600101"],
        [make_household(org.villages["20600101"], f"B {i}") for i in range(5)],
    )
    # the household leaves on paper without the term being ended (old data): the rule still holds
    from policylend.groups.models import GroupMembership

    GroupMembership.objects.filter(household=others[0]).update(left_on=D, leave_reason="other")
    GroupMembership.objects.create(group=second, household=others[0], joined_on=D)
    with pytest.raises(DomainError) as error, translation.override("en"):
        elect(officer_a, second, leader, "leader", day=date(2025, 7, 1))
    assert codes(error.value) == {(E.BOARD_LEADS_OTHER_GROUP, "person")}
    assert str(group) in error.value.message


def test_a_new_election_ends_the_sitting_term(family_group, officer_a):
    group, _family, others = family_group
    first = elect(officer_a, group, others[0].head, "leader")
    second = elect(officer_a, group, others[1].head, "leader", day=date(2025, 8, 1))
    first.refresh_from_db()
    assert first.ended_on == date(2025, 8, 1) and second.ended_on is None
    with pytest.raises(DomainError) as error:
        elect(officer_a, group, others[2].head, "leader", day=date(2025, 7, 1))
    assert codes(error.value) == {(E.BOARD_DATE_BEFORE_TERM, "started_on")}


def test_a_deputy_becomes_leader(family_group, officer_a):
    group, _family, others = family_group
    deputy = elect(officer_a, group, others[0].head, "deputy")
    leader = elect(officer_a, group, others[0].head, "leader", day=date(2025, 9, 1))
    deputy.refresh_from_db()
    assert deputy.ended_on == date(2025, 9, 1)
    assert list(BoardTerm.objects.filter(group=group, ended_on__isnull=True)) == [leader]


def test_end_a_term(family_group, officer_a):
    group, _family, others = family_group
    term = elect(officer_a, group, others[0].head, "leader")
    with pytest.raises(DomainError) as error:
        services.board_term_end(actor=officer_a, term=term, ended_on=date(2025, 5, 1))
    assert codes(error.value) == {(E.DATE_BEFORE_JOINING, "ended_on")}
    services.board_term_end(actor=officer_a, term=term, ended_on=date(2025, 10, 1))
    term.refresh_from_db()
    assert term.ended_on == date(2025, 10, 1)
    with pytest.raises(DomainError) as error:
        services.board_term_end(actor=officer_a, term=term, ended_on=date(2025, 10, 2))
    assert codes(error.value) == {(E.BOARD_TERM_ENDED, "term")}


def test_role_must_be_leader_or_deputy(family_group, officer_a):
    group, _family, others = family_group
    with pytest.raises(DomainError) as error:
        elect(officer_a, group, others[0].head, "treasurer")
    assert codes(error.value) == {(E.BOARD_ROLE, "role")}
