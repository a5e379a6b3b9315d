"""Rows that carry the places they belong to (``branch``, ``office``, ``commune`` columns beside
their ``village``: households, groups, loans, savings accounts) follow their village when the
tree changes, in the same database transaction as the change (receivers of ``unit_moved`` and
``unit_merged`` in each app call this)."""

from __future__ import annotations

from django.db.models import Model, Q

from .models import OrganisationUnit, UnitKind


def place_columns_refresh(model: type[Model], root: OrganisationUnit) -> int:
    """Re-derive the branch, office and commune of ``model``'s rows in every village under
    ``root`` (itself a village or above) from the villages' paths; one UPDATE per village whose
    rows are stale. Returns the rows updated."""
    updated = 0
    villages = OrganisationUnit.objects.filter(path__startswith=root.path, kind=UnitKind.VILLAGE)
    for village in villages.only("pk", "path"):
        branch_id, office_id, commune_id, _village_id = village.ancestor_ids()
        stale = ~Q(commune_id=commune_id) | ~Q(office_id=office_id) | ~Q(branch_id=branch_id)
        updated += model.objects.filter(stale, village_id=village.pk).update(
            commune_id=commune_id, office_id=office_id, branch_id=branch_id
        )
    return updated
