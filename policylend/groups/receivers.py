"""Keep each group's commune, office and branch in step with its own village when the tree
changes (a village moves to another commune, a commune to another office, communes merge), in the
same database transaction as the change. Members, board and history stay as they are; the
group's managing association unit is the associations' business (a merged commune's unit)."""

from __future__ import annotations

from django.dispatch import receiver

from policylend.organisation.places import place_columns_refresh
from policylend.organisation.signals import unit_merged, unit_moved

from .models import SavingsGroup


@receiver(unit_moved, dispatch_uid="groups_follow_moved_unit")
def follow_moved_unit(sender, unit, **kwargs):
    place_columns_refresh(SavingsGroup, unit)


@receiver(unit_merged, dispatch_uid="groups_follow_merged_commune")
def follow_merged_commune(sender, target, **kwargs):
    place_columns_refresh(SavingsGroup, target)
