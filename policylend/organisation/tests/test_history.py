"""The tree over time: what belonged where on any date, after moves and mergers (domain.md §1)."""

from __future__ import annotations

from datetime import date

import pytest

from policylend.core.errors import DomainError
from policylend.organisation import selectors, services
from policylend.organisation.error_codes import OrganisationErrorCode as E
from policylend.organisation.models import TransactionPoint, UnitParentPeriod
from policylend.organisation.services import day_before
from policylend.organisation.signals import unit_merged, unit_moved
from policylend.users.models import User

D = date(2025, 3, 5)


def test_village_move_keeps_what_belonged_where(org, sysadmin):
    village, x, y = org.villages["20600101"], org.commune_a1, org.commune_a2

    services.unit_move(
        unit=village, new_parent=y, effective_on=D, actor=sysadmin, reason="NQ 12/2025"
    )

    assert selectors.unit_parent_on(village, day_before(D)) == x
    assert selectors.unit_parent_on(village, D) == y
    assert selectors.unit_parent_on(village, date(2019, 12, 31)) is None
    assert village in selectors.unit_children_on(sysadmin, x, day_before(D))
    assert village not in selectors.unit_children_on(sysadmin, x, D)
    assert village in selectors.unit_children_on(sysadmin, y, D)
    assert village not in selectors.unit_children_on(sysadmin, y, day_before(D))
    periods = list(UnitParentPeriod.objects.filter(unit=village).order_by("valid_from"))
    assert [(p.parent, p.valid_from, p.valid_to) for p in periods] == [
        (x, date(2020, 1, 1), D),
        (y, D, None),
    ]
    assert periods[1].reason == "NQ 12/2025"


def test_second_move_keeps_every_period(org, sysadmin):
    village, x, y = org.villages["20600101"], org.commune_a1, org.commune_a2
    later = date(2025, 9, 1)
    services.unit_move(unit=village, new_parent=y, effective_on=D, actor=sysadmin)
    services.unit_move(unit=village, new_parent=x, effective_on=later, actor=sysadmin)

    assert [
        selectors.unit_parent_on(village, day)
        for day in (day_before(D), D, day_before(later), later)
    ] == [x, y, y, x]
    history = list(selectors.unit_history(village))
    assert len(history) == 3


def test_move_sends_unit_moved(org, sysadmin):
    received = []

    def listener(sender, **kwargs):
        received.append(kwargs)

    unit_moved.connect(listener)
    try:
        services.unit_move(
            unit=org.commune_a1, new_parent=org.office_b, effective_on=D, actor=sysadmin
        )
    finally:
        unit_moved.disconnect(listener)
    assert len(received) == 1
    assert received[0]["old_parent"] == org.office_a
    assert received[0]["new_parent"] == org.office_b
    assert received[0]["effective_on"] == D


@pytest.fixture
def merge_listener():
    received = []

    def listener(sender, **kwargs):
        received.append({"sender": sender, **kwargs})

    unit_merged.connect(listener)
    yield received
    unit_merged.disconnect(listener)


def test_commune_merge(org, sysadmin, make_user, merge_listener):
    source, target = org.commune_a2, org.commune_a1
    source_villages = [org.villages["20600201"], org.villages["20600202"]]
    leader = make_user("group_leader", source)
    board = make_user("board_member", source)
    other = make_user("group_leader", org.commune_b1)

    result = services.commune_merge(
        source=source, target=target, effective_on=D, actor=sysadmin, reason="NQ 1/2025"
    )

    assert result == target
    source.refresh_from_db()
    assert (source.status, source.merged_into, source.closed_on) == ("merged", target, D)
    # its villages belong to the target from D, and to the source before
    for village in source_villages:
        village.refresh_from_db()
        assert village.parent == target
        assert village.path == f"{target.path}{village.pk}/"
        assert selectors.unit_parent_on(village, day_before(D)) == source
        assert selectors.unit_parent_on(village, D) == target
    assert set(selectors.unit_children_on(sysadmin, source, day_before(D))) == set(source_villages)
    assert list(selectors.unit_children_on(sysadmin, source, D)) == []
    assert set(selectors.unit_children_on(sysadmin, target, D)) == {
        *source_villages,
        org.villages["20600101"],
        org.villages["20600102"],
    }
    # the source left its office on D
    assert selectors.unit_parent_on(source, day_before(D)) == org.office_a
    assert selectors.unit_parent_on(source, D) is None
    # its transaction point closed on D; the target's stays open
    point = TransactionPoint.objects.get(code="TXN206002")
    assert (point.is_active, point.closed_on) == (False, D)
    assert TransactionPoint.objects.get(code="TXN206001").is_active
    # its users now work in the target; nobody else moved
    assert User.objects.get(pk=leader.pk).scope_unit == target
    assert User.objects.get(pk=board.pk).scope_unit == target
    assert User.objects.get(pk=other.pk).scope_unit == org.commune_b1
    # the signal went out once, with the merged source
    assert len(merge_listener) == 1
    call = merge_listener[0]
    assert (call["source"], call["target"], call["effective_on"], call["actor"]) == (
        source,
        target,
        D,
        sysadmin,
    )
    assert call["source"].status == "merged"


def test_second_merge_of_a_merged_commune_is_refused(org, sysadmin, merge_listener):
    services.commune_merge(
        source=org.commune_a2, target=org.commune_a1, effective_on=D, actor=sysadmin
    )

    with pytest.raises(DomainError) as error:
        services.commune_merge(
            source=org.commune_a2,
            target=org.commune_b1,
            effective_on=date(2025, 6, 1),
            actor=sysadmin,
        )

    assert (E.UNIT_INACTIVE, "source") in {(p.code, p.field) for p in error.value.problems}
    assert len(merge_listener) == 1
    org.commune_a2.refresh_from_db()
    assert org.commune_a2.merged_into == org.commune_a1


def test_second_merge_with_a_stale_copy_is_refused(org, sysadmin):
    """Two administrators open the same page: the second one's copy of the commune is stale."""
    from policylend.organisation.models import OrganisationUnit

    stale = OrganisationUnit.objects.get(pk=org.commune_a2.pk)
    services.commune_merge(
        source=org.commune_a2, target=org.commune_a1, effective_on=D, actor=sysadmin
    )
    assert stale.status == "active"
    with pytest.raises(DomainError):
        services.commune_merge(source=stale, target=org.commune_b1, effective_on=D, actor=sysadmin)


@pytest.mark.parametrize(
    ("source", "target", "day", "expected"),
    [
        ("commune_a1", "commune_a1", D, (E.MERGE_SELF, "target")),
        ("commune_a1", "office_a", D, (E.NOT_A_COMMUNE, "target")),
        ("commune_a1", "commune_a2", date(2020, 1, 1), (E.DATE_BEFORE_HISTORY, "effective_on")),
        ("commune_a1", "commune_a2", date(2019, 1, 1), (E.DATE_BEFORE_PARENT, "effective_on")),
    ],
)
def test_merge_refusals_change_nothing(
    org, sysadmin, merge_listener, source, target, day, expected
):
    source, target = getattr(org, source), getattr(org, target)
    periods = UnitParentPeriod.objects.count()
    with pytest.raises(DomainError) as error:
        services.commune_merge(source=source, target=target, effective_on=day, actor=sysadmin)
    assert expected in {(p.code, p.field) for p in error.value.problems}
    source.refresh_from_db()
    assert source.status == "active"
    assert UnitParentPeriod.objects.count() == periods
    assert merge_listener == []


def test_merge_across_branches_is_refused(org, sysadmin):
    other = services.unit_create(
        kind="branch",
        code="741",
        name="Cao Bằng",
        parent=None,
        opened_on=date(2019, 1, 1),
        actor=None,
    )
    office = services.unit_create(
        kind="office",
        code="7411",
        name="Hòa An",
        parent=other,
        opened_on=date(2019, 1, 1),
        actor=None,
    )
    commune = services.unit_create(
        kind="commune",
        code="300001",
        name="Xã",
        parent=office,
        opened_on=date(2019, 1, 1),
        actor=None,
    )
    superuser = User.objects.create_superuser(
        "root", password="Correct-horse-battery-9", role="system_admin"
    )
    with pytest.raises(DomainError) as error:
        services.commune_merge(
            source=org.commune_a1, target=commune, effective_on=D, actor=superuser
        )
    assert (E.MERGE_OTHER_BRANCH, "target") in {(p.code, p.field) for p in error.value.problems}


def test_merge_keeps_closed_villages_where_they_were(org, sysadmin):
    closed = org.villages["20600201"]
    services.unit_close(unit=closed, closed_on=date(2024, 1, 1), actor=sysadmin)
    services.commune_merge(
        source=org.commune_a2, target=org.commune_a1, effective_on=D, actor=sysadmin
    )
    closed.refresh_from_db()
    assert closed.parent == org.commune_a2
    assert selectors.unit_parent_on(closed, date(2023, 12, 31)) == org.commune_a2


def test_moves_mergers_and_closures_leave_audit_records(org, sysadmin):
    from auditlog.models import LogEntry

    village = org.villages["20600101"]
    services.unit_move(unit=village, new_parent=org.commune_b1, effective_on=D, actor=sysadmin)
    services.commune_merge(
        source=org.commune_a2, target=org.commune_a1, effective_on=D, actor=sysadmin
    )
    services.unit_close(unit=org.villages["20700201"], closed_on=D, actor=sysadmin)

    def changes(unit):
        return [
            entry.changes_dict
            for entry in LogEntry.objects.get_for_object(unit).filter(action=LogEntry.Action.UPDATE)
        ]

    assert any("parent" in change for change in changes(village))
    assert any(change.get("status") == ["active", "merged"] for change in changes(org.commune_a2))
    assert any(
        change.get("status") == ["active", "closed"] for change in changes(org.villages["20700201"])
    )
