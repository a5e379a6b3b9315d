"""The public notice board in the JSON API (/api/v1/public/points/{code}): the same data as the
page, without authentication. Names as the board shows them, never an ID number."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone
from ninja import Router, Schema

from . import selectors

router = Router(tags=["public"])


class ProgrammeOut(Schema):
    code: str
    name: str
    annual_rate: Decimal | None
    amount_max: int | None
    term_months_max: int | None


class BorrowerOut(Schema):
    village: str
    name: str
    programme: str
    outstanding: int
    next_due: date | None
    overdue: int
    is_overdue: bool


class BoardOut(Schema):
    point_code: str
    point_name: str
    commune: str
    address: str
    generated_at: datetime
    next_session: date
    programmes: list[ProgrammeOut]
    rules: list[str]
    borrowers: list[BorrowerOut]
    outstanding_total: int
    overdue_total: int
    fees_month: str
    fees_paid: int
    commissions_paid: int
    hotline: str


@router.get(
    "/points/{code}", response=BoardOut, auth=None, summary="A transaction point's notice board"
)
def public_point_board(request, code: str):
    board = selectors.point_board(code[:12], now=timezone.localtime())
    return {
        "point_code": board.point.code,
        "point_name": board.point.name,
        "commune": board.point.commune.name,
        "address": board.point.address,
        "generated_at": board.generated_at,
        "next_session": board.next_session,
        "programmes": [vars(row) for row in board.programmes],
        "rules": board.rules,
        "borrowers": [vars(row) for row in board.borrowers],
        "outstanding_total": board.outstanding_total,
        "overdue_total": board.overdue_total,
        "fees_month": f"{board.fees_month.year:04d}-{board.fees_month.month:02d}",
        "fees_paid": board.fees_paid,
        "commissions_paid": board.commissions_paid,
        "hotline": board.hotline,
    }
