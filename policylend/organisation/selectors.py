"""Reads of the organisation tree, scoped by the viewer."""

from __future__ import annotations

from datetime import date

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from policylend.core.errors import NotFound
from policylend.users import access

from .models import OrganisationUnit, TransactionPoint, UnitParentPeriod


def unit_list(viewer, *, kind: str | None = None, status: str | None = None, search: str = "",
              parent_id: int | None = None) -> QuerySet[OrganisationUnit]:
    units = access.units_visible_to(viewer).select_related("parent")
    if kind:
        units = units.filter(kind=kind)
    if status:
        units = units.filter(status=status)
    if parent_id is not None:
        units = units.filter(parent_id=parent_id)
    if search:
        units = units.filter(Q(name__icontains=search) | Q(code__startswith=search))
    return units


def unit_get(viewer, unit_id: int) -> OrganisationUnit:
    return access.unit_get_visible(viewer, unit_id)


def unit_tree(viewer, *, include_closed: bool = False, max_depth: int | None = None) -> list[dict]:
    """The part of the tree the viewer may see, as nested nodes ``{"unit", "children"}``."""
    units = access.units_visible_to(viewer)
    if not include_closed:
        units = units.filter(status="active")
    if max_depth is not None:
        units = units.filter(depth__lte=max_depth)
    nodes = {}
    roots = []
    for unit in units.order_by("path"):
        node = {"unit": unit, "children": []}
        nodes[unit.pk] = node
        parent = nodes.get(unit.parent_id)
        (parent["children"] if parent else roots).append(node)
    return roots


def unit_ancestors(unit: OrganisationUnit) -> list[OrganisationUnit]:
    ids = unit.ancestor_ids()[:-1]
    by_id = OrganisationUnit.objects.in_bulk(ids)
    return [by_id[i] for i in ids if i in by_id]


def unit_children_on(viewer, parent: OrganisationUnit, on: date) -> QuerySet[OrganisationUnit]:
    """The units that belonged to ``parent`` on date ``on`` (the tree as it was)."""
    periods = UnitParentPeriod.objects.filter(parent=parent, valid_from__lte=on).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gt=on)
    )
    return access.units_visible_to(viewer).filter(pk__in=periods.values("unit_id"))


def unit_parent_on(unit: OrganisationUnit, on: date) -> OrganisationUnit | None:
    period = (
        UnitParentPeriod.objects.filter(unit=unit, valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=on))
        .select_related("parent")
        .first()
    )
    return period.parent if period else None


def unit_history(unit: OrganisationUnit) -> QuerySet[UnitParentPeriod]:
    return UnitParentPeriod.objects.filter(Q(unit=unit) | Q(parent=unit)).select_related("unit", "parent").order_by("valid_from", "pk")


def transaction_point_list(viewer, *, active_only: bool = True) -> QuerySet[TransactionPoint]:
    points = TransactionPoint.objects.filter(access.unit_q(viewer, "commune")).select_related("commune", "commune__parent")
    return points.filter(is_active=True) if active_only else points


def transaction_point_get(viewer, point_id: int) -> TransactionPoint:
    point = transaction_point_list(viewer, active_only=False).filter(pk=point_id).first()
    if point is None:
        raise NotFound("not_found", _("No such transaction point in your scope."))
    return point
