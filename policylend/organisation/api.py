"""The organisation in the JSON API (/api/v1/organisation/): the tree, its history and the
commune transaction points. The same selectors and services as the pages: a unit outside the
caller's scope is 404, a change without the capability 403, a broken rule 422 naming the field."""

from __future__ import annotations

from datetime import date
from typing import Literal

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from policylend.api.common import api_fields, page_of
from policylend.core.errors import DomainError, NotFound
from policylend.core.pagination import PAGE_SIZE, PAGE_SIZE_MAX

from . import selectors, services
from .error_codes import OrganisationErrorCode as E
from .models import OrganisationUnit, TransactionPoint

router = Router(tags=["organisation"])

Kind = Literal["branch", "office", "commune", "village"]
UnitStatusName = Literal["active", "merged", "closed"]


# --- schemas ---------------------------------------------------------------------------------------


class UnitOut(Schema):
    id: int
    kind: str
    code: str
    name: str
    status: str
    parent_id: int | None
    branch_id: int | None
    depth: int
    opened_on: date
    closed_on: date | None
    merged_into_id: int | None
    address: str


class UnitPage(Schema):
    items: list[UnitOut]
    count: int
    page: int
    size: int


class UnitFilters(Schema):
    page: int = Field(1, ge=1, le=1_000_000)
    size: int = Field(PAGE_SIZE, ge=1, le=PAGE_SIZE_MAX)
    kind: Kind | None = None
    status: UnitStatusName | None = None
    q: str = Field("", max_length=60, description="Part of the name, or the start of the code")
    parent_id: int | None = None


class UnitCreateIn(Schema):
    kind: Kind
    code: str = Field(..., min_length=1, max_length=12)
    name: str = Field(..., min_length=1, max_length=120)
    parent_id: int | None = Field(None, description="Required for every kind but a branch")
    opened_on: date
    address: str = Field("", max_length=200)


class UnitPatchIn(Schema):
    name: str | None = Field(None, min_length=1, max_length=120)
    address: str | None = Field(None, max_length=200)


class UnitMoveIn(Schema):
    new_parent_id: int
    effective_on: date
    reason: str = Field("", max_length=200)


class CommuneMergeIn(Schema):
    target_id: int
    effective_on: date
    reason: str = Field("", max_length=200)


class UnitCloseIn(Schema):
    closed_on: date


class PeriodOut(Schema):
    unit_id: int
    unit_code: str
    unit_name: str
    parent_id: int
    parent_code: str
    parent_name: str
    valid_from: date
    valid_to: date | None = Field(
        None, description="The first day it no longer belonged (None: still does)"
    )
    reason: str

    @staticmethod
    def resolve_unit_code(obj):
        return obj.unit.code

    @staticmethod
    def resolve_unit_name(obj):
        return obj.unit.name

    @staticmethod
    def resolve_parent_code(obj):
        return obj.parent.code

    @staticmethod
    def resolve_parent_name(obj):
        return obj.parent.name


class PointOut(Schema):
    id: int
    code: str
    name: str
    commune_id: int
    commune_code: str
    commune_name: str
    office_id: int | None
    session_day: int
    address: str
    is_active: bool
    opened_on: date
    closed_on: date | None

    @staticmethod
    def resolve_commune_code(obj):
        return obj.commune.code

    @staticmethod
    def resolve_commune_name(obj):
        return obj.commune.name

    @staticmethod
    def resolve_office_id(obj):
        return obj.commune.parent_id


class PointPage(Schema):
    items: list[PointOut]
    count: int
    page: int
    size: int


class PointFilters(Schema):
    page: int = Field(1, ge=1, le=1_000_000)
    size: int = Field(PAGE_SIZE, ge=1, le=PAGE_SIZE_MAX)
    active_only: bool = True
    q: str = Field("", max_length=60)
    office_id: int | None = None
    commune_id: int | None = None
    session_day: int | None = Field(None, ge=1, le=28)


class PointCreateIn(Schema):
    commune_id: int
    code: str = Field(..., min_length=1, max_length=12, description="TXN followed by 3 to 9 digits")
    name: str = Field(..., min_length=1, max_length=120)
    session_day: int = Field(..., ge=-1000, le=1000, description="Day of the month, 1 to 28")
    address: str = Field(..., max_length=200)
    opened_on: date


class PointPatchIn(Schema):
    name: str | None = Field(None, min_length=1, max_length=120)
    session_day: int | None = Field(None, ge=-1000, le=1000)
    address: str | None = Field(None, max_length=200)


# --- helpers ---------------------------------------------------------------------------------------


def _unit_ref(request, unit_id: int, field: str) -> OrganisationUnit:
    """A unit named in the body: unknown or outside the scope is a fault of that field (422)."""
    try:
        return selectors.unit_get(request.user, unit_id)
    except NotFound:
        raise DomainError(E.UNIT_UNKNOWN, _("No such unit in your scope."), field) from None


# --- units -----------------------------------------------------------------------------------------


@router.get("/units", response=UnitPage, summary="Units in your scope")
def unit_list(request, filters: Query[UnitFilters]):
    units = selectors.unit_list(
        request.user,
        kind=filters.kind,
        status=filters.status,
        search=filters.q,
        parent_id=filters.parent_id,
    ).order_by("path")
    return page_of(units, filters.page, filters.size)


@router.get("/units/{unit_id}", response=UnitOut, summary="One unit")
def unit_get(request, unit_id: int):
    return selectors.unit_get(request.user, unit_id)


@router.get(
    "/units/{unit_id}/children",
    response=list[UnitOut],
    summary="The units under a unit, today or on a date",
)
def unit_children(request, unit_id: int, on: date | None = None):
    unit = selectors.unit_get(request.user, unit_id)
    if on is None:
        return selectors.unit_list(request.user, parent_id=unit.pk).order_by("code")
    return selectors.unit_children_on(request.user, unit, on).order_by("code")


@router.get(
    "/units/{unit_id}/history", response=list[PeriodOut], summary="What belonged where, and when"
)
def unit_history(request, unit_id: int):
    return selectors.unit_history(selectors.unit_get(request.user, unit_id))


@router.post("/units", response={201: UnitOut}, summary="Add a unit")
def unit_create(request, payload: UnitCreateIn):
    parent = _unit_ref(request, payload.parent_id, "parent_id") if payload.parent_id else None
    with api_fields({"parent": "parent_id"}):
        unit = services.unit_create(
            kind=payload.kind,
            code=payload.code,
            name=payload.name,
            parent=parent,
            opened_on=payload.opened_on,
            address=payload.address,
            actor=request.user,
        )
    return Status(201, unit)


@router.patch("/units/{unit_id}", response=UnitOut, summary="Rename a unit or change its address")
def unit_update(request, unit_id: int, payload: UnitPatchIn):
    unit = selectors.unit_get(request.user, unit_id)
    return services.unit_update(
        unit=unit,
        name=unit.name if payload.name is None else payload.name,
        address=unit.address if payload.address is None else payload.address,
        actor=request.user,
    )


@router.post(
    "/units/{unit_id}/move", response=UnitOut, summary="Move a unit to another parent from a date"
)
def unit_move(request, unit_id: int, payload: UnitMoveIn):
    unit = selectors.unit_get(request.user, unit_id)
    new_parent = _unit_ref(request, payload.new_parent_id, "new_parent_id")
    with api_fields({"new_parent": "new_parent_id"}):
        return services.unit_move(
            unit=unit,
            new_parent=new_parent,
            effective_on=payload.effective_on,
            reason=payload.reason,
            actor=request.user,
        )


@router.post(
    "/units/{unit_id}/merge",
    response=UnitOut,
    summary="Merge a commune into another; returns the target",
)
def commune_merge(request, unit_id: int, payload: CommuneMergeIn):
    source = selectors.unit_get(request.user, unit_id)
    target = _unit_ref(request, payload.target_id, "target_id")
    with api_fields({"target": "target_id", "source": None}):
        return services.commune_merge(
            source=source,
            target=target,
            effective_on=payload.effective_on,
            reason=payload.reason,
            actor=request.user,
        )


@router.post(
    "/units/{unit_id}/close", response=UnitOut, summary="Close a unit with nothing active under it"
)
def unit_close(request, unit_id: int, payload: UnitCloseIn):
    unit = selectors.unit_get(request.user, unit_id)
    with api_fields({"unit": None}):
        return services.unit_close(unit=unit, closed_on=payload.closed_on, actor=request.user)


# --- transaction points ----------------------------------------------------------------------------


@router.get("/points", response=PointPage, summary="Commune transaction points in your scope")
def point_list(request, filters: Query[PointFilters]):
    points = selectors.transaction_point_list(
        request.user,
        active_only=filters.active_only,
        search=filters.q,
        office_id=filters.office_id,
        commune_id=filters.commune_id,
        session_day=filters.session_day,
    ).order_by("code")
    return page_of(points, filters.page, filters.size)


@router.get("/points/{point_id}", response=PointOut, summary="One transaction point")
def point_get(request, point_id: int):
    return selectors.transaction_point_get(request.user, point_id)


@router.post("/points", response={201: PointOut}, summary="Open a commune's transaction point")
def point_create(request, payload: PointCreateIn):
    commune = _unit_ref(request, payload.commune_id, "commune_id")
    with api_fields({"commune": "commune_id"}):
        point = services.transaction_point_create(
            commune=commune,
            code=payload.code,
            name=payload.name,
            session_day=payload.session_day,
            address=payload.address,
            opened_on=payload.opened_on,
            actor=request.user,
        )
    return Status(201, point)


@router.patch(
    "/points/{point_id}", response=PointOut, summary="Change a point's name, session day or address"
)
def point_update(request, point_id: int, payload: PointPatchIn):
    point: TransactionPoint = selectors.transaction_point_get(request.user, point_id)
    with api_fields({"point": None}):
        return services.transaction_point_update(
            point=point,
            name=point.name if payload.name is None else payload.name,
            session_day=point.session_day if payload.session_day is None else payload.session_day,
            address=point.address if payload.address is None else payload.address,
            actor=request.user,
        )
