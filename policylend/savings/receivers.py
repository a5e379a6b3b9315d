"""Keep each savings account's commune, office and branch in step with its village when the tree
changes (a village moves, communes merge), in the same database transaction as the change."""

from __future__ import annotations

from django.dispatch import receiver

from policylend.organisation.places import place_columns_refresh
from policylend.organisation.signals import unit_merged, unit_moved

from .models import SavingsAccount


@receiver(unit_moved, dispatch_uid="savings_follow_moved_unit")
def follow_moved_unit(sender, unit, **kwargs):
    place_columns_refresh(SavingsAccount, unit)


@receiver(unit_merged, dispatch_uid="savings_follow_merged_commune")
def follow_merged_commune(sender, target, **kwargs):
    place_columns_refresh(SavingsAccount, target)
