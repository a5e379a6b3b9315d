"""Keep each household's commune, office and branch in step with its village when the tree
changes (a village moves to another commune, a commune to another office, communes merge), in the
same database transaction as the change. The customer code stays: it is the household's name in
the core system."""

from __future__ import annotations

from django.dispatch import receiver

from policylend.organisation.places import place_columns_refresh
from policylend.organisation.signals import unit_merged, unit_moved

from .models import Household


@receiver(unit_moved, dispatch_uid="households_follow_moved_unit")
def follow_moved_unit(sender, unit, **kwargs):
    place_columns_refresh(Household, unit)


@receiver(unit_merged, dispatch_uid="households_follow_merged_commune")
def follow_merged_commune(sender, target, **kwargs):
    place_columns_refresh(Household, target)
