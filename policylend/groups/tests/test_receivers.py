"""A group follows its village when the tree changes: its commune, office and branch are kept in
step in the same transaction; members and history stay."""

from __future__ import annotations

from datetime import date

from policylend.groups import selectors
from policylend.organisation import services as organisation


def test_a_group_follows_its_village_to_another_commune(org, group_a, make_user, officer_a):
    admin = make_user("system_admin", org.branch)
    organisation.unit_move(
        unit=org.villages["20600101"],
        new_parent=org.commune_b1,
        effective_on=date(2026, 1, 1),
        reason="NQ 7",
        actor=admin,
    )
    group_a.refresh_from_db()
    assert (group_a.commune, group_a.office) == (org.commune_b1, org.office_b)
    assert group_a.memberships.filter(left_on__isnull=True).count() == 6
    # and it now lies in office B's scope, no longer in office A's
    assert not selectors.group_list(officer_a).filter(pk=group_a.pk).exists()


def test_a_group_follows_a_commune_merger(org, group_a, make_user):
    admin = make_user("system_admin", org.branch)
    organisation.commune_merge(
        source=org.commune_a1,
        target=org.commune_a2,
        effective_on=date(2026, 1, 1),
        reason="NQ 1",
        actor=admin,
    )
    group_a.refresh_from_db()
    assert (group_a.commune, group_a.office) == (org.commune_a2, org.office_a)
