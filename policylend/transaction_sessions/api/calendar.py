"""The session calendar and the due lists in the JSON API (/api/v1/sessions/). The same
selectors and services as the pages: a point, office or group outside the caller's scope is 404
(a group leader sees only the group they lead), a change the role may not make 403, a broken
rule 422 naming the field."""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from ninja import Field, Router, Schema, Status

from policylend.core.periods import Month
from policylend.organisation.selectors import transaction_point_get

from .. import selectors, services

router = Router(tags=["sessions"])


class SessionDayOut(Schema):
    month: str = Field(..., description="mm/yyyy")
    fixed_on: date
    held_on: date
    holiday: str
    moved_reason: str


class PointCalendarOut(Schema):
    point_id: int
    point_code: str
    session_day: int
    sessions: list[SessionDayOut]


class SessionMoveIn(Schema):
    month: str = Field(..., pattern=r"^\d{2}/\d{4}$|^\d{4}-\d{2}$", description="mm/yyyy")
    held_on: date
    reason: str = Field(..., min_length=1, max_length=200)


class SessionMoveOut(Schema):
    id: int
    point_id: int
    month: date
    held_on: date
    reason: str


class HolidayIn(Schema):
    date: date
    name: str = Field(..., min_length=1, max_length=120)


class HolidayOut(Schema):
    id: int
    date: date
    name: str


class DueLineOut(Schema):
    household_id: int
    household_code: str
    head_name: str
    loan_numbers: list[str]
    interest_due: int
    instalment_due: int
    principal_overdue: int
    interest_overdue: int
    savings_expected: int
    total: int


class DueTotalsOut(Schema):
    interest_due: int
    instalment_due: int
    principal_overdue: int
    interest_overdue: int
    savings_expected: int
    total: int


class DueListOut(Schema):
    group_id: int
    group_code: str
    point_id: int
    session_date: date
    lines: list[DueLineOut]
    totals: DueTotalsOut


def _today() -> date:
    return timezone.localdate()


@router.get(
    "/points/{point_id}/calendar",
    response=PointCalendarOut,
    summary="A point's sessions for the next twelve months",
)
def session_point_calendar(request, point_id: int):
    point, days = selectors.point_calendar(request.user, point_id, Month.of(_today()))
    return {
        "point_id": point.pk,
        "point_code": point.code,
        "session_day": point.session_day,
        "sessions": [
            {
                "month": str(day.month),
                "fixed_on": day.fixed_on,
                "held_on": day.held_on,
                "holiday": day.holiday,
                "moved_reason": day.move.reason if day.move else "",
            }
            for day in days
        ],
    }


@router.post(
    "/points/{point_id}/moves",
    response={201: SessionMoveOut},
    summary="Hold a month's session on another day, with the reason",
)
def session_move_create(request, point_id: int, payload: SessionMoveIn):
    point = transaction_point_get(request.user, point_id)
    move = services.session_move(
        actor=request.user,
        point=point,
        month=Month.parse(payload.month),
        held_on=payload.held_on,
        reason=payload.reason,
        today=_today(),
    )
    return Status(201, move)


@router.get("/holidays", response=list[HolidayOut], summary="Public holidays of a year")
def holiday_list(request, year: int | None = None):
    year = min(max(year or _today().year, 2000), 2100)
    return list(selectors.holiday_list(date(year, 1, 1), date(year, 12, 31)))


@router.post("/holidays", response={201: HolidayOut}, summary="Add a public holiday")
def holiday_create(request, payload: HolidayIn):
    return Status(
        201, services.holiday_add(actor=request.user, day=payload.date, name=payload.name)
    )


@router.get(
    "/groups/{group_id}/due-list",
    response=DueListOut,
    summary="A group's amounts due at a session (default: the next one)",
)
def session_due_list(request, group_id: int, session_date: date | None = None):
    group = selectors.due_list_group_get(request.user, group_id)
    due = selectors.due_list(request.user, group, session_date, today=_today())
    return {
        "group_id": group.pk,
        "group_code": group.code,
        "point_id": due.point.pk,
        "session_date": due.session_date,
        "lines": [{**vars(line), "total": line.total} for line in due.lines],
        "totals": due.totals,
    }
