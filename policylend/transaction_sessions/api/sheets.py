"""Collection sheets in the JSON API (/api/v1/sessions/): the pre-filled sheet of a group at a
session, posting it (an ``Idempotency-Key`` header is required: a retry with the same rows gets
the first sheet back with 200, other rows under the same key are refused with 422), one sheet,
and the proposal to reverse it (maker–checker)."""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone
from ninja import Field, Header, Router, Schema, Status

from policylend.approvals.api import ApprovalRequestOut, approval_out

from ..selectors import sheets as selectors
from ..services.sheets import SheetRow, collection_sheet_post, sheet_reversal_propose

router = Router(tags=["sessions"])

KEY_LENGTH_MAX = 120
ROWS_MAX = 200
IdempotencyKey = Header[
    str, {"alias": "Idempotency-Key", "min_length": 1, "max_length": KEY_LENGTH_MAX}
]


class PrefillRowOut(Schema):
    number: int
    household_id: int
    household_code: str
    head_name: str
    loan_id: int | None
    loan_number: str
    savings_account_id: int | None
    interest_due: int
    principal_due: int
    savings_expected: int


class PrefillOut(Schema):
    session_id: int
    group_id: int
    held_on: date
    rows: list[PrefillRowOut]


class SheetRowIn(Schema):
    household_id: int
    loan_id: int | None = None
    interest: int = Field(0, description="whole dong")
    principal: int = Field(0, description="whole dong")
    savings: int = Field(0, description="whole dong")


class SheetIn(Schema):
    rows: list[SheetRowIn] = Field(..., min_length=1, max_length=ROWS_MAX)
    handed_over_by: str = Field("", max_length=120)


class SheetLineOut(Schema):
    number: int
    household_id: int
    loan_id: int | None
    savings_account_id: int | None
    interest_due: int
    principal_due: int
    savings_expected: int
    interest: int
    principal: int
    savings: int


class SheetOut(Schema):
    id: int
    receipt_number: int
    session_id: int
    group_id: int
    status: str
    handed_over_by: str
    interest_total: int
    principal_total: int
    savings_total: int
    total: int
    posted_at: datetime
    reversal_entry_id: int | None
    reversal_reason: str
    lines: list[SheetLineOut]


class SheetReversalIn(Schema):
    reason: str = Field(..., min_length=1, max_length=300)


def sheet_out(sheet) -> dict:
    return {
        "id": sheet.pk,
        "receipt_number": sheet.receipt_number,
        "session_id": sheet.session_id,
        "group_id": sheet.group_id,
        "status": sheet.status,
        "handed_over_by": sheet.handed_over_by,
        "interest_total": sheet.interest_total,
        "principal_total": sheet.principal_total,
        "savings_total": sheet.savings_total,
        "total": sheet.total,
        "posted_at": sheet.posted_at,
        "reversal_entry_id": sheet.reversal_entry_id,
        "reversal_reason": sheet.reversal_reason,
        "lines": [
            {
                "number": line.number,
                "household_id": line.household_id,
                "loan_id": line.loan_id,
                "savings_account_id": line.savings_account_id,
                "interest_due": line.interest_due,
                "principal_due": line.principal_due,
                "savings_expected": line.savings_expected,
                "interest": line.interest,
                "principal": line.principal,
                "savings": line.savings,
            }
            for line in sheet.lines.order_by("number")
        ],
    }


@router.get(
    "/{session_id}/groups/{group_id}/sheet",
    response=PrefillOut,
    summary="The group's collection sheet at the session, pre-filled from the due list",
)
def session_sheet_prefill(request, session_id: int, group_id: int):
    session = selectors.sheet_session_get(request.user, session_id)
    group = selectors.sheet_group_get(request.user, session, group_id)
    rows = selectors.collection_sheet_prefill(request.user, session, group)
    return {
        "session_id": session.pk,
        "group_id": group.pk,
        "held_on": session.held_on,
        "rows": [row.__dict__ for row in rows],
    }


@router.post(
    "/{session_id}/groups/{group_id}/sheet",
    response={200: SheetOut, 201: SheetOut},
    summary="Post the group's collection sheet (one journal entry)",
)
def session_sheet_post(
    request, session_id: int, group_id: int, payload: SheetIn, idempotency_key: IdempotencyKey
):
    session = selectors.sheet_session_get(request.user, session_id)
    group = selectors.sheet_group_get(request.user, session, group_id)
    sheet = collection_sheet_post(
        actor=request.user,
        session=session,
        group=group,
        rows=[SheetRow(**row.dict()) for row in payload.rows],
        idempotency_key=idempotency_key,
        today=timezone.localdate(),
        handed_over_by=payload.handed_over_by,
    )
    return Status(200 if sheet.replayed else 201, sheet_out(sheet))


@router.get("/sheets/{sheet_id}", response=SheetOut, summary="One collection sheet")
def collection_sheet_get(request, sheet_id: int):
    return sheet_out(selectors.sheet_get(request.user, sheet_id))


@router.post(
    "/sheets/{sheet_id}/reversal",
    response={201: ApprovalRequestOut},
    summary="Propose the reversal of a posted sheet (a checker approves it)",
)
def collection_sheet_reversal_propose(request, sheet_id: int, payload: SheetReversalIn):
    sheet = selectors.sheet_get(request.user, sheet_id)
    approval = sheet_reversal_propose(
        actor=request.user, sheet=sheet, reason=payload.reason, today=timezone.localdate()
    )
    return Status(201, approval_out(approval))
