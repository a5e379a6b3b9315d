"""Signals of the associations app.

``supervision_plan_built(sender=AssociationUnit, association_unit, year, today)`` is sent inside
the transaction that builds a unit's supervision plan, so the loans app can add the loans the
association must inspect (new loans, loans with no transaction for three months)."""

from django.dispatch import Signal

supervision_plan_built = Signal()
