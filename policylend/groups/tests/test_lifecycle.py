"""Dissolution, merger and split keep every household's history; a closed group accepts nothing."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import translation

from policylend.core.errors import DomainError
from policylend.groups import selectors, services
from policylend.groups.error_codes import GroupErrorCode as E
from policylend.groups.models import BoardTerm, GroupMembership, GroupStatus, LeaveReason

D = date(2025, 6, 1)


def codes(error: DomainError) -> set[tuple[str, str | None]]:
    return {(p.code, p.field) for p in error.problems}


def open_of(group):
    return GroupMembership.objects.filter(group=group, left_on__isnull=True)


# --- dissolve ---------------------------------------------------------------------------------------


def test_dissolve(group_a, officer_a):
    head = open_of(group_a).first().household.head
    services.board_elect(actor=officer_a, group=group_a, person=head, role="leader", started_on=D)

    services.group_dissolve(
        actor=officer_a, group=group_a, dissolved_on=date(2025, 9, 1), reason="Hộ chuyển đi hết"
    )

    group_a.refresh_from_db()
    assert (group_a.status, group_a.closed_on, group_a.closed_reason) == (
        GroupStatus.DISSOLVED,
        date(2025, 9, 1),
        "Hộ chuyển đi hết",
    )
    closed = GroupMembership.objects.filter(group=group_a)
    assert {(m.left_on, m.leave_reason) for m in closed} == {
        (date(2025, 9, 1), LeaveReason.DISSOLVED)
    }
    assert not BoardTerm.objects.filter(ended_on__isnull=True).exists()


def test_dissolve_needs_a_reason_and_a_date_after_the_last_join(
    org, group_a, officer_a, make_households
):
    services.membership_join(
        actor=officer_a,
        group=group_a,
        household=make_households(org.villages["20600101"], 1)[0],
        joined_on=D,
    )
    with pytest.raises(DomainError) as error:
        services.group_dissolve(actor=officer_a, group=group_a, dissolved_on=D, reason="")
    assert codes(error.value) == {(E.REASON_REQUIRED, "reason")}
    with pytest.raises(DomainError) as error, translation.override("en"):
        services.group_dissolve(
            actor=officer_a, group=group_a, dissolved_on=date(2025, 5, 31), reason="x"
        )
    assert codes(error.value) == {(E.DATE_BEFORE_JOINING, "dissolved_on")}
    assert "01/06/2025" in error.value.message


def test_a_closed_group_accepts_nothing(org, group_a, found, officer_a, make_households):
    village = org.villages["20600101"]
    household = open_of(group_a).first().household
    person = household.head
    services.group_dissolve(actor=officer_a, group=group_a, dissolved_on=D, reason="x")
    newcomer = make_households(village, 1)[0]
    other = found("2060012", village, make_households(village, 5))
    attempts = [
        lambda: services.membership_join(
            actor=officer_a, group=group_a, household=newcomer, joined_on=D
        ),
        lambda: services.board_elect(
            actor=officer_a, group=group_a, person=person, role="leader", started_on=D
        ),
        lambda: services.meeting_record(
            actor=officer_a, group=group_a, held_on=D, kind="regular", attendee_ids=[]
        ),
        lambda: services.group_dissolve(actor=officer_a, group=group_a, dissolved_on=D, reason="x"),
        lambda: services.group_merge(actor=officer_a, source=group_a, target=other, merged_on=D),
        lambda: services.group_merge(actor=officer_a, source=other, target=group_a, merged_on=D),
        lambda: services.group_update(
            actor=officer_a, group=group_a, name="x", adjacent_villages=[]
        ),
    ]
    for attempt in attempts:
        with pytest.raises(DomainError) as error, translation.override("en"):
            attempt()
        assert E.GROUP_CLOSED in {p.code for p in error.value.problems}
        assert "dissolved on 01/06/2025" in error.value.message
    # and the group that is still active accepts the same
    assert (
        services.membership_join(
            actor=officer_a, group=other, household=newcomer, joined_on=D
        ).group
        == other
    )


# --- merge ------------------------------------------------------------------------------------------


def test_merge_moves_every_member_with_history(org, group_a, found, officer_a, make_households):
    neighbour = org.villages["20600102"]
    source = found("2060012", neighbour, make_households(neighbour, 5))
    leader = open_of(source).first().household.head
    services.board_elect(actor=officer_a, group=source, person=leader, role="leader", started_on=D)
    households = set(open_of(source).values_list("household_id", flat=True))

    target = services.group_merge(
        actor=officer_a, source=source, target=group_a, merged_on=date(2025, 9, 1)
    )

    source.refresh_from_db()
    assert target == group_a
    assert (source.status, source.merged_into, source.closed_on) == (
        GroupStatus.MERGED,
        group_a,
        date(2025, 9, 1),
    )
    assert not open_of(source).exists()
    old = GroupMembership.objects.filter(group=source)
    assert {(m.leave_reason, m.moved_to_id, m.left_on) for m in old} == {
        (LeaveReason.MERGED, group_a.pk, date(2025, 9, 1))
    }
    assert households <= set(open_of(group_a).values_list("household_id", flat=True))
    assert open_of(group_a).count() == 11
    assert neighbour in group_a.villages.all()
    assert BoardTerm.objects.get(person=leader).ended_on == date(2025, 9, 1)
    dossier = selectors.group_dossier(officer_a, group_a.pk)
    assert dossier.merged_from == [source]


def test_merge_rules(org, group_a, found, officer_a, make_households, units):
    village = org.villages["20600101"]
    big = found("2060012", village, make_households(village, 55))
    small = found("2060013", village, make_households(village, 5))
    with pytest.raises(DomainError) as error, translation.override("en"):
        services.group_merge(actor=officer_a, source=group_a, target=big, merged_on=D)
    assert codes(error.value) == {(E.GROUP_FULL, "target")}
    assert "61" in error.value.message
    with pytest.raises(DomainError) as error:
        services.group_merge(actor=officer_a, source=group_a, target=group_a, merged_on=D)
    assert codes(error.value) == {(E.MERGE_SELF, "target")}
    other_commune = found(
        "2060021",
        org.villages["20600201"],
        make_households(org.villages["20600201"], 5),
        association_unit=units.farmers_a2,
    )
    with pytest.raises(DomainError) as error:
        services.group_merge(actor=officer_a, source=group_a, target=other_commune, merged_on=D)
    assert codes(error.value) == {(E.MERGE_OTHER_COMMUNE, "target")}
    with pytest.raises(DomainError) as error:
        services.group_merge(
            actor=officer_a, source=group_a, target=small, merged_on=date(2024, 2, 1)
        )
    assert codes(error.value) == {(E.DATE_BEFORE_JOINING, "merged_on")}
    assert services.group_merge(actor=officer_a, source=group_a, target=small, merged_on=D) == small


# --- split ------------------------------------------------------------------------------------------


def test_split_moves_the_chosen_households_to_a_new_group(org, found, officer_a, make_households):
    village, neighbour = org.villages["20600101"], org.villages["20600102"]
    source = found(
        "2060011",
        village,
        make_households(village, 6) + make_households(neighbour, 5),
        adjacent_villages=[neighbour],
    )
    moving = [m.household for m in open_of(source).filter(household__village=neighbour)]
    deputy = moving[0].head
    services.board_elect(actor=officer_a, group=source, person=deputy, role="deputy", started_on=D)

    new = services.group_split(
        actor=officer_a,
        source=source,
        new_code="2060019",
        new_name="Tổ Pác Ve",
        households=moving,
        split_on=date(2025, 9, 1),
        new_village=neighbour,
        approval_decision="45/QĐ-UBND",
        approval_decision_on=date(2025, 8, 20),
    )

    assert (new.code, new.split_from, new.village, new.founded_on) == (
        "2060019",
        source,
        neighbour,
        date(2025, 9, 1),
    )
    assert new.association_unit == source.association_unit
    assert set(new.villages.all()) == {neighbour}
    assert set(open_of(new).values_list("household_id", flat=True)) == {h.pk for h in moving}
    assert open_of(source).count() == 6
    old = GroupMembership.objects.filter(group=source, left_on__isnull=False)
    assert {(m.leave_reason, m.moved_to_id) for m in old} == {(LeaveReason.SPLIT, new.pk)}
    assert BoardTerm.objects.get(person=deputy).ended_on == date(2025, 9, 1)
    assert selectors.group_dossier(officer_a, source.pk).split_into == [new]


def test_split_keeps_both_groups_within_5_to_60(org, found, officer_a, make_households):
    village = org.villages["20600101"]
    source = found("2060011", village, make_households(village, 9))
    households = [m.household for m in open_of(source)]

    def split(chosen):
        return services.group_split(
            actor=officer_a,
            source=source,
            new_code="2060019",
            new_name="Tổ mới",
            households=chosen,
            split_on=D,
        )

    with pytest.raises(DomainError) as error:
        split(households[:4])
    assert codes(error.value) == {(E.FOUNDING_SIZE, "households")}
    with pytest.raises(DomainError) as error:
        split(households[:5])
    assert codes(error.value) == {(E.GROUP_BELOW_MINIMUM, "households")}
    assert open_of(source).count() == 9

    outsider = make_households(village, 1)[0]
    with pytest.raises(DomainError) as error:
        split([*households[:4], outsider])
    assert (E.SPLIT_HOUSEHOLD_NOT_MEMBER, "households") in codes(error.value)

    bigger = found("2060012", village, make_households(village, 10))
    chosen = [m.household for m in open_of(bigger)][:5]
    new = services.group_split(
        actor=officer_a,
        source=bigger,
        new_code="2060019",
        new_name="Tổ mới",
        households=chosen,
        split_on=D,
    )
    # without a decision of its own, the new group carries the source's
    assert (new.approval_decision, open_of(new).count(), open_of(bigger).count()) == (
        bigger.approval_decision,
        5,
        5,
    )
