"""Monthly group grading in the JSON API (/api/v1/groups/grading/…, /api/v1/groups/{id}/grades):
a group's grade history, the grades and their distribution for an office or branch and a month, and the grading run. The same
selectors and service as the pages; the criteria and formulas are in groups/grading.py."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from policylend.api.common import api_fields, page_of
from policylend.core.errors import DomainError, NotFound
from policylend.core.pagination import PAGE_SIZE, PAGE_SIZE_MAX
from policylend.core.periods import Month
from policylend.users import access

from .. import selectors_grading as selectors
from ..error_codes import GroupErrorCode as E
from ..services.grading import group_grading_run

router = Router(tags=["groups"])

MONTH_PATTERN = r"^\d{4}-\d{2}$"


class GradeOut(Schema):
    group_id: int
    month: str = Field(description="yyyy-mm")
    session: Decimal
    overdue: Decimal
    principal: Decimal
    interest: Decimal
    savers: Decimal
    growth: Decimal
    total: Decimal
    grade: str
    facts: dict

    @staticmethod
    def resolve_month(grade) -> str:
        return grade.month.strftime("%Y-%m")


class GradePage(Schema):
    items: list[GradeOut]
    count: int
    page: int
    size: int


class GradeCountOut(Schema):
    grade: str
    label: str
    count: int
    percent: Decimal


class UnitMonthIn(Schema):
    unit_id: int
    month: str = Field(pattern=MONTH_PATTERN, description="yyyy-mm")


class UnitMonthFilters(UnitMonthIn):
    page: int = Field(1, ge=1, le=1_000_000)
    size: int = Field(PAGE_SIZE, ge=1, le=PAGE_SIZE_MAX)


class DistributionOut(Schema):
    unit_id: int
    month: str
    graded: int
    grades: list[GradeCountOut]
    groups: GradePage


class RunOut(Schema):
    month: str
    graded: int
    already: int


class CriterionOut(Schema):
    name: str
    points: Decimal
    label: str
    formula: str


def _unit(request, unit_id: int):
    try:
        return access.unit_get_visible(request.user, unit_id)
    except NotFound:
        raise DomainError(E.UNIT_UNKNOWN, _("No such unit in your scope."), "unit_id") from None


def _month(text: str) -> Month:
    try:
        return Month.parse(text)
    except ValueError:
        raise DomainError(
            "grading_month_format", _("Write the month as yyyy-mm."), "month"
        ) from None


@router.get(
    "/grading/criteria", response=list[CriterionOut], summary="The six criteria and formulas"
)
def grading_criteria(request):
    return [
        {**row, "label": str(row["label"]), "formula": str(row["formula"])}
        for row in selectors.criteria_rows()
    ]


@router.get(
    "/grading/distribution",
    response=DistributionOut,
    summary="Grades of an office or branch for a month",
)
def grading_distribution(request, filters: Query[UnitMonthFilters]):
    unit = _unit(request, filters.unit_id)
    month = _month(filters.month)
    rows = selectors.grade_distribution(request.user, unit, month)
    grades = selectors.grades_of_unit(request.user, unit, month)
    return {
        "unit_id": unit.pk,
        "month": filters.month,
        "graded": sum(row.count for row in rows),
        "grades": [{**vars(row), "label": str(row.label)} for row in rows],
        "groups": page_of(grades, filters.page, filters.size),
    }


@router.get("/{group_id}/grades", response=list[GradeOut], summary="A group's grade history")
def grading_history(request, group_id: int, limit: int = Query(24, ge=1, le=PAGE_SIZE_MAX)):
    _group, grades = selectors.grade_history(request.user, group_id)
    return list(grades[:limit])


@router.post(
    "/grading/run", response=RunOut, summary="Grade the groups of an office or branch for a month"
)
def grading_run(request, payload: UnitMonthIn):
    unit = _unit(request, payload.unit_id)
    with api_fields({"unit": "unit_id"}):
        result = group_grading_run(
            actor=request.user,
            unit=unit,
            month=_month(payload.month),
            today=_today(),
        )
    return {"month": payload.month, "graded": result.graded, "already": result.already}


def _today() -> date:
    return timezone.localdate()
