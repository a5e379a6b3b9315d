"""Joining, leaving and moving: each rule's success and failure side by side."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import translation

from policylend.core.errors import DomainError, Forbidden
from policylend.groups import selectors, services
from policylend.groups.error_codes import GroupErrorCode as E
from policylend.groups.models import BoardTerm, GroupMembership, LeaveReason

from .conftest import make_household

D = date(2025, 6, 1)


def codes(error: DomainError) -> set[tuple[str, str | None]]:
    return {(p.code, p.field) for p in error.problems}


def membership(group, n=0):
    return GroupMembership.objects.filter(group=group, left_on__isnull=True).order_by("pk")[n]


# --- join -------------------------------------------------------------------------------------------


def test_join_and_the_sixty_first_household(org, found, make_households, officer_a, today):
    village = org.villages["20600101"]
    group = found("2060011", village, make_households(village, 59))
    sixtieth, sixty_first = make_households(village, 2)

    joined = services.membership_join(
        actor=officer_a, group=group, household=sixtieth, joined_on=D, today=today
    )
    assert (joined.group, joined.joined_on, joined.left_on) == (group, D, None)

    with pytest.raises(DomainError) as error, translation.override("en"):
        services.membership_join(
            actor=officer_a, group=group, household=sixty_first, joined_on=D, today=today
        )
    assert codes(error.value) == {(E.GROUP_FULL, "group")}
    assert "61" in error.value.message
    assert GroupMembership.objects.filter(group=group, left_on__isnull=True).count() == 60


def test_join_is_free_of_n_plus_one(
    org, group_a, make_households, officer_a, django_assert_max_num_queries
):
    household = make_households(org.villages["20600101"], 1)[0]
    with django_assert_max_num_queries(16):
        services.membership_join(actor=officer_a, group=group_a, household=household, joined_on=D)


def test_join_from_another_village(org, group_a, officer_a):
    village, neighbour = org.villages["20600101"], org.villages["20600102"]
    outsider = make_household(neighbour, "Nông Văn Tư")
    with pytest.raises(DomainError) as error, translation.override("en"):
        services.membership_join(actor=officer_a, group=group_a, household=outsider, joined_on=D)
    assert codes(error.value) == {(E.HOUSEHOLD_OUTSIDE_VILLAGES, "household")}
    assert neighbour.name in error.value.message and village.name in error.value.message

    services.group_update(
        actor=officer_a, group=group_a, name=group_a.name, adjacent_villages=[neighbour]
    )
    assert (
        services.membership_join(
            actor=officer_a, group=group_a, household=outsider, joined_on=D
        ).household
        == outsider
    )


def test_a_household_belongs_to_one_group(org, group_a, found, make_households, officer_a):
    household = membership(group_a).household
    other = found("2060012", org.villages["20600101"], make_households(org.villages["20600101"], 5))
    with pytest.raises(DomainError) as error, translation.override("en"):
        services.membership_join(actor=officer_a, group=other, household=household, joined_on=D)
    assert codes(error.value) == {(E.HOUSEHOLD_IN_OTHER_GROUP, "household")}
    assert str(group_a) in error.value.message

    with pytest.raises(DomainError) as error:
        services.membership_join(actor=officer_a, group=group_a, household=household, joined_on=D)
    assert codes(error.value) == {(E.HOUSEHOLD_ALREADY_MEMBER, "household")}


def test_the_database_keeps_one_open_membership_per_household(group_a, found, org, make_households):
    from django.db import IntegrityError, transaction

    household = membership(group_a).household
    other = found("2060012", org.villages["20600101"], make_households(org.villages["20600101"], 5))
    with pytest.raises(IntegrityError), transaction.atomic():
        GroupMembership.objects.create(group=other, household=household, joined_on=D)


def test_the_other_group_is_not_named_outside_the_viewer_scope(org, units, make_user, today):
    """An association officer of the women's union sees only their groups: a household in a
    farmers' group is "in another group" for them."""
    village = org.villages["20600101"]
    households = [make_household(village, f"Hộ {i}") for i in range(6)]
    staff = make_user("branch_staff", org.branch)
    farmers_group = services.group_create(
        actor=staff,
        code="2060011",
        name="Tổ Nông dân",
        village=village,
        association_unit=units.farmers_a1,
        founded_on=date(2024, 3, 1),
        approval_decision="1",
        approval_decision_on=date(2024, 3, 1),
        households=households[:5],
        today=today,
    )
    women_officer = make_user("association_officer", org.commune_a1, association_code="12")
    with translation.override("en"):
        label = selectors.group_label_for(women_officer, farmers_group.pk, str(farmers_group))
    assert label == "another group"
    assert selectors.group_label_for(staff, farmers_group.pk, str(farmers_group)) == str(
        farmers_group
    )


def test_join_dates(org, group_a, officer_a, make_households, today):
    household = make_households(org.villages["20600101"], 1)[0]
    with pytest.raises(DomainError) as error:
        services.membership_join(
            actor=officer_a, group=group_a, household=household, joined_on=date(2024, 2, 1)
        )
    assert codes(error.value) == {(E.DATE_BEFORE_JOINING, "joined_on")}
    with pytest.raises(DomainError) as error:
        services.membership_join(
            actor=officer_a,
            group=group_a,
            household=household,
            joined_on=date(2026, 11, 26),
            today=today,
        )
    assert codes(error.value) == {(E.DATE_IN_FUTURE, "joined_on")}


def test_join_after_leaving_another_group(org, group_a, found, officer_a, make_households):
    village = org.villages["20600101"]
    other = found("2060012", village, make_households(village, 6))
    leaving = membership(group_a)
    services.membership_leave(
        actor=officer_a, membership=leaving, left_on=D, reason="no_longer_borrowing"
    )
    with pytest.raises(DomainError) as error:
        services.membership_join(
            actor=officer_a, group=other, household=leaving.household, joined_on=date(2025, 5, 31)
        )
    assert codes(error.value) == {(E.DATE_BEFORE_JOINING, "joined_on")}
    assert (
        services.membership_join(
            actor=officer_a, group=other, household=leaving.household, joined_on=D
        ).group
        == other
    )


# --- leave ------------------------------------------------------------------------------------------


def test_leave_with_a_reason(group_a, officer_a):
    leaving = membership(group_a)
    services.membership_leave(
        actor=officer_a, membership=leaving, left_on=D, reason="excluded", note="Không họp 6 tháng"
    )
    leaving.refresh_from_db()
    assert (leaving.left_on, leaving.leave_reason, leaving.leave_note) == (
        D,
        "excluded",
        "Không họp 6 tháng",
    )
    with pytest.raises(DomainError) as error:
        services.membership_leave(actor=officer_a, membership=leaving, left_on=D, reason="other")
    assert (E.MEMBERSHIP_CLOSED, "membership") in codes(error.value)


def test_leave_reason_must_be_a_member_reason(group_a, officer_a):
    with pytest.raises(DomainError) as error:
        services.membership_leave(
            actor=officer_a, membership=membership(group_a), left_on=D, reason="merged"
        )
    assert codes(error.value) == {(E.LEAVE_REASON, "reason")}


@pytest.mark.parametrize("reason", ["no_longer_borrowing", "excluded", "other"])
def test_a_choice_cannot_bring_the_group_below_five(group_a, officer_a, reason):
    # six members: the sixth may leave, the fifth may not
    services.membership_leave(
        actor=officer_a, membership=membership(group_a), left_on=D, reason=reason
    )
    with pytest.raises(DomainError) as error, translation.override("en"):
        services.membership_leave(
            actor=officer_a, membership=membership(group_a), left_on=D, reason=reason
        )
    assert codes(error.value) == {(E.GROUP_BELOW_MINIMUM, "reason")}
    assert "merge" in error.value.message.lower()


@pytest.mark.parametrize("reason", ["moved_away", "deceased"])
def test_a_fact_is_recorded_and_the_group_is_marked_below_minimum(group_a, officer_a, reason):
    services.membership_leave(
        actor=officer_a, membership=membership(group_a), left_on=D, reason=reason
    )
    services.membership_leave(
        actor=officer_a, membership=membership(group_a), left_on=D, reason=reason
    )
    assert GroupMembership.objects.filter(group=group_a, left_on__isnull=True).count() == 4
    assert list(selectors.group_list(officer_a, below_minimum=True)) == [group_a]
    assert selectors.group_dossier(officer_a, group_a.pk).below_minimum


def test_leave_date_not_before_joining(group_a, officer_a):
    with pytest.raises(DomainError) as error:
        services.membership_leave(
            actor=officer_a,
            membership=membership(group_a),
            left_on=date(2024, 2, 1),
            reason="other",
        )
    assert codes(error.value) == {(E.DATE_BEFORE_JOINING, "left_on")}


def test_leaving_ends_the_board_terms_of_the_household(group_a, officer_a):
    leaving = membership(group_a)
    term = services.board_elect(
        actor=officer_a, group=group_a, person=leaving.household.head, role="deputy", started_on=D
    )
    services.membership_leave(
        actor=officer_a, membership=leaving, left_on=date(2025, 7, 1), reason="moved_away"
    )
    term.refresh_from_db()
    assert term.ended_on == date(2025, 7, 1)
    assert not BoardTerm.objects.filter(group=group_a, ended_on__isnull=True).exists()


# --- move -------------------------------------------------------------------------------------------


def test_move_to_another_group_keeps_history(org, group_a, found, officer_a, make_households):
    village = org.villages["20600101"]
    other = found("2060012", village, make_households(village, 5))
    moving = membership(group_a)

    new = services.membership_move(actor=officer_a, membership=moving, to_group=other, moved_on=D)

    moving.refresh_from_db()
    assert (moving.left_on, moving.leave_reason, moving.moved_to) == (
        D,
        LeaveReason.TRANSFERRED,
        other,
    )
    assert (new.group, new.household, new.joined_on, new.left_on) == (
        other,
        moving.household,
        D,
        None,
    )
    history = list(GroupMembership.objects.filter(household=moving.household).order_by("pk"))
    assert [(m.group_id, m.left_on) for m in history] == [(group_a.pk, D), (other.pk, None)]


def test_move_respects_both_sizes_and_the_village(org, found, officer_a, make_households):
    village, neighbour = org.villages["20600101"], org.villages["20600102"]
    small = found("2060011", village, make_households(village, 5))
    full = found("2060012", village, make_households(village, 60))
    roomy = found("2060013", neighbour, make_households(neighbour, 5))
    bigger = found("2060014", village, make_households(village, 6))

    with pytest.raises(DomainError) as error:
        services.membership_move(
            actor=officer_a, membership=membership(small), to_group=bigger, moved_on=D
        )
    assert codes(error.value) == {(E.GROUP_BELOW_MINIMUM, "to_group")}
    with pytest.raises(DomainError) as error:
        services.membership_move(
            actor=officer_a, membership=membership(bigger), to_group=full, moved_on=D
        )
    assert codes(error.value) == {(E.GROUP_FULL, "to_group")}
    with pytest.raises(DomainError) as error:
        services.membership_move(
            actor=officer_a, membership=membership(bigger), to_group=roomy, moved_on=D
        )
    assert codes(error.value) == {(E.HOUSEHOLD_OUTSIDE_VILLAGES, "to_group")}
    with pytest.raises(DomainError) as error:
        services.membership_move(
            actor=officer_a, membership=membership(bigger), to_group=bigger, moved_on=D
        )
    assert codes(error.value) == {(E.MOVE_TO_SAME_GROUP, "to_group")}
    # and the move that breaks no rule goes through
    assert (
        services.membership_move(
            actor=officer_a, membership=membership(bigger), to_group=small, moved_on=D
        ).group
        == small
    )


def test_only_managers_of_the_scope_change_members(org, group_a, group_b, make_user):
    teller = make_user("teller", org.office_a)
    officer_b = make_user("credit_officer", org.office_b)
    with pytest.raises(Forbidden):
        services.membership_leave(
            actor=teller, membership=membership(group_a), left_on=D, reason="other"
        )
    with pytest.raises(Forbidden):
        services.membership_leave(
            actor=officer_b, membership=membership(group_a), left_on=D, reason="other"
        )
    with pytest.raises(DomainError) as error:
        services.membership_join(
            actor=officer_b, group=group_b, household=membership(group_a).household, joined_on=D
        )
    assert codes(error.value) == {(E.HOUSEHOLD_UNKNOWN, "household")}
