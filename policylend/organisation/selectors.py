"""Reads of the organisation tree, scoped by the viewer: a unit outside the viewer's scope does
not exist for them (NotFound), so its existence does not leak."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from policylend.core.errors import NotFound
from policylend.core.text import fold
from policylend.users import access

from .models import (
    PARENT_KIND,
    OrganisationUnit,
    TransactionPoint,
    UnitKind,
    UnitParentPeriod,
    UnitStatus,
)

SEARCH_LENGTH_MAX = 60


def unit_list(
    viewer,
    *,
    kind: str | None = None,
    status: str | None = None,
    search: str = "",
    parent_id: int | None = None,
) -> QuerySet[OrganisationUnit]:
    """Units in the viewer's scope, filtered by kind, status, parent and a name or code."""
    units = access.units_visible_to(viewer).select_related("parent", "merged_into")
    if kind:
        units = units.filter(kind=kind)
    if status:
        units = units.filter(status=status)
    if parent_id is not None:
        units = units.filter(parent_id=parent_id)
    search = (search or "").strip()[:SEARCH_LENGTH_MAX]
    if search:
        units = units.filter(Q(search_name__contains=fold(search)) | Q(code__startswith=search))
    return units


def unit_get(viewer, unit_id: int) -> OrganisationUnit:
    return access.unit_get_visible(viewer, unit_id)


def _with_child_count(units: QuerySet, include_closed: bool) -> QuerySet:
    counted = Q() if include_closed else Q(children__status=UnitStatus.ACTIVE)
    return units.annotate(child_count=Count("children", filter=counted))


def unit_tree(
    viewer,
    *,
    include_closed: bool = False,
    max_depth: int | None = None,
    root: OrganisationUnit | None = None,
) -> list[dict]:
    """The part of the tree the viewer may see, as nested nodes ``{"unit", "children",
    "child_count"}``; with ``root``, only what lies under it. Nodes at ``max_depth`` keep their
    children unloaded (``child_count`` says how many there are) so a page can load them on demand."""
    units = access.units_visible_to(viewer)
    if root is not None:
        units = units.filter(path__startswith=root.path).exclude(pk=root.pk)
    if not include_closed:
        units = units.filter(status=UnitStatus.ACTIVE)
    if max_depth is not None:
        units = units.filter(depth__lte=max_depth)
    nodes: dict[int, dict] = {}
    roots: list[dict] = []
    for unit in _with_child_count(units, include_closed).order_by("depth", "code"):
        node = {"unit": unit, "children": [], "child_count": unit.child_count}
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
    """Every period in which the unit belonged to a parent, or a unit belonged to it."""
    return (
        UnitParentPeriod.objects.filter(Q(unit=unit) | Q(parent=unit))
        .select_related("unit", "parent")
        .order_by("valid_from", "pk")
    )


def unit_choices(
    viewer, *, kinds: list[str] | tuple[str, ...], exclude: OrganisationUnit | None = None
) -> QuerySet[OrganisationUnit]:
    """Active units of the given kinds in the viewer's scope: the choices a form offers."""
    units = access.units_visible_to(viewer).filter(status=UnitStatus.ACTIVE, kind__in=kinds)
    if exclude is not None:
        units = units.exclude(pk=exclude.pk)
    return units.order_by("path")


def parent_choices(viewer, kind: str | None) -> QuerySet[OrganisationUnit]:
    """Where a new unit of ``kind`` may go (any unit that can have children when unknown)."""
    if kind in UnitKind.values:
        expected = PARENT_KIND[UnitKind(kind)]
        return unit_choices(viewer, kinds=[expected] if expected else [])
    return unit_choices(viewer, kinds=[k for k in PARENT_KIND.values() if k])


def move_choices(viewer, unit: OrganisationUnit) -> QuerySet[OrganisationUnit]:
    expected = PARENT_KIND[UnitKind(unit.kind)]
    units = unit_choices(viewer, kinds=[expected] if expected else [])
    return units.exclude(pk=unit.parent_id)


def merge_choices(viewer, source: OrganisationUnit) -> QuerySet[OrganisationUnit]:
    return unit_choices(viewer, kinds=[UnitKind.COMMUNE], exclude=source).filter(
        branch_id=source.branch_id
    )


@dataclass(frozen=True)
class HistoryRow:
    """One period of the tree: ``unit`` belonged to ``parent`` from ``valid_from`` to
    ``last_day`` (None: still does)."""

    unit: OrganisationUnit
    parent: OrganisationUnit
    valid_from: date
    last_day: date | None
    reason: str
    unit_visible: bool
    parent_visible: bool


@dataclass
class UnitDossier:
    """Everything the unit page shows: the unit, where it sits, what is under it, its point and
    its history, and (with ``as_on``) what belonged to it on that date."""

    unit: OrganisationUnit
    ancestors: list[dict]
    children: list[OrganisationUnit]
    points: list[TransactionPoint]
    merged_from: list[OrganisationUnit]
    belonged_to: list[HistoryRow]
    belonged_here: list[HistoryRow]
    visible_ids: set[int] = field(default_factory=set)
    as_on: date | None = None
    children_on: list[OrganisationUnit] | None = None


def _history_row(period: UnitParentPeriod, visible_ids: set[int]) -> HistoryRow:
    return HistoryRow(
        unit=period.unit,
        parent=period.parent,
        valid_from=period.valid_from,
        last_day=period.valid_to - timedelta(days=1) if period.valid_to else None,
        reason=period.reason,
        unit_visible=period.unit_id in visible_ids,
        parent_visible=period.parent_id in visible_ids,
    )


def unit_dossier(viewer, unit_id: int, *, as_on: date | None = None) -> UnitDossier:
    unit = unit_get(viewer, unit_id)
    history = list(unit_history(unit))
    ancestors = unit_ancestors(unit)
    merged_from = list(OrganisationUnit.objects.filter(merged_into=unit).order_by("code"))
    ids = {p.unit_id for p in history} | {p.parent_id for p in history} | {a.pk for a in ancestors}
    ids |= {m.pk for m in merged_from} | {unit.merged_into_id}
    visible_ids = set(
        access.units_visible_to(viewer).filter(pk__in=ids).values_list("pk", flat=True)
    )
    return UnitDossier(
        unit=unit,
        ancestors=[{"unit": a, "visible": a.pk in visible_ids} for a in ancestors],
        children=list(unit_list(viewer, parent_id=unit.pk).order_by("status", "code")),
        points=list(
            TransactionPoint.objects.filter(commune=unit).order_by("-is_active", "-opened_on")
        ),
        merged_from=merged_from,
        belonged_to=[_history_row(p, visible_ids) for p in history if p.unit_id == unit.pk],
        belonged_here=[_history_row(p, visible_ids) for p in history if p.parent_id == unit.pk],
        visible_ids=visible_ids,
        as_on=as_on,
        children_on=list(unit_children_on(viewer, unit, as_on).order_by("code")) if as_on else None,
    )


# --- transaction points --------------------------------------------------------------------------


def transaction_point_list(
    viewer,
    *,
    active_only: bool = True,
    search: str = "",
    office_id: int | None = None,
    session_day: int | None = None,
    commune_id: int | None = None,
) -> QuerySet[TransactionPoint]:
    """Commune transaction points in the viewer's scope."""
    points = TransactionPoint.objects.filter(access.unit_q(viewer, "commune")).select_related(
        "commune", "commune__parent"
    )
    if active_only:
        points = points.filter(is_active=True)
    if office_id is not None:
        points = points.filter(commune__parent_id=office_id)
    if commune_id is not None:
        points = points.filter(commune_id=commune_id)
    if session_day is not None:
        points = points.filter(session_day=session_day)
    search = (search or "").strip()[:SEARCH_LENGTH_MAX]
    if search:
        points = points.filter(
            Q(code__icontains=search)
            | Q(name__icontains=search)
            | Q(commune__search_name__contains=fold(search))
            | Q(commune__code__startswith=search)
        )
    return points


def transaction_point_get(viewer, point_id: int) -> TransactionPoint:
    point = transaction_point_list(viewer, active_only=False).filter(pk=point_id).first()
    if point is None:
        raise NotFound("not_found", _("No such transaction point in your scope."))
    return point


def communes_without_point(viewer) -> QuerySet[OrganisationUnit]:
    """Active communes in the viewer's scope that have no active transaction point yet."""
    return unit_choices(viewer, kinds=[UnitKind.COMMUNE]).exclude(
        transaction_points__is_active=True
    )


def office_choices(viewer) -> QuerySet[OrganisationUnit]:
    return unit_choices(viewer, kinds=[UnitKind.OFFICE])
