"""Keep each group's commune, office and branch in step with its own village when the tree
changes (a village moves to another commune, a commune to another office, communes merge), in the
same database transaction as the change. Members, board and history stay as they are; the
group's managing association unit is the associations' business (a merged commune's unit)."""

from __future__ import annotations

from django.db.models import Q
from django.dispatch import receiver

from policylend.organisation.models import OrganisationUnit, UnitKind
from policylend.organisation.signals import unit_merged, unit_moved

from .models import SavingsGroup


def refresh_places(root: OrganisationUnit) -> int:
    """Re-derive the places of the groups of every village under ``root`` (itself a village or
    above) from the villages' paths; one UPDATE per village whose groups are stale."""
    updated = 0
    villages = OrganisationUnit.objects.filter(path__startswith=root.path, kind=UnitKind.VILLAGE)
    for village in villages.only("pk", "path"):
        branch_id, office_id, commune_id, _village_id = village.ancestor_ids()
        stale = ~Q(commune_id=commune_id) | ~Q(office_id=office_id) | ~Q(branch_id=branch_id)
        updated += SavingsGroup.objects.filter(stale, village_id=village.pk).update(
            commune_id=commune_id, office_id=office_id, branch_id=branch_id
        )
    return updated


@receiver(unit_moved, dispatch_uid="groups_follow_moved_unit")
def follow_moved_unit(sender, unit, **kwargs):
    refresh_places(unit)


@receiver(unit_merged, dispatch_uid="groups_follow_merged_commune")
def follow_merged_commune(sender, target, **kwargs):
    refresh_places(target)
