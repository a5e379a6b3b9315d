"""Maker-checker over the API: list and read requests, approve, reject, withdraw.

A conflict (someone else decided first) is 409, the maker trying to check their own request 403,
a request outside the caller's scope 404 — all as problem+json.
"""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone
from ninja import Field, Query, Router, Schema

from policylend.core.pagination import PAGE_SIZE, PAGE_SIZE_MAX

from . import registry, selectors, services
from .models import ApprovalRequest, ApprovalStatus

router = Router(tags=["approvals"])

NOTE_LENGTH_MAX = services.NOTE_LENGTH_MAX


class ApprovalRequestOut(Schema):
    id: int
    kind: str
    kind_label: str
    description: str
    status: str
    payload: dict
    unit_id: int
    branch_id: int
    maker: str
    made_at: datetime
    maker_note: str
    checker: str | None
    decided_at: datetime | None
    decision_note: str
    result_reference: str


def approval_out(approval: ApprovalRequest) -> dict:
    try:
        spec = registry.get(approval.kind)
        label, description = str(spec.label), spec.describe(approval)
    except KeyError:
        label = description = approval.kind
    return {
        "id": approval.pk,
        "kind": approval.kind,
        "kind_label": label,
        "description": description,
        "status": approval.status,
        "payload": approval.payload,
        "unit_id": approval.unit_id,
        "branch_id": approval.branch_id,
        "maker": approval.maker.username,
        "made_at": approval.made_at,
        "maker_note": approval.maker_note,
        "checker": approval.checker.username if approval.checker_id else None,
        "decided_at": approval.decided_at,
        "decision_note": approval.decision_note,
        "result_reference": approval.result_reference,
    }


class RequestFilters(Schema):
    status: ApprovalStatus | None = None
    kind: str | None = Field(None, max_length=60)
    to_check: bool = Field(False, description="Only the pending requests the caller may decide.")
    mine: bool = Field(False, description="Only the caller's own requests.")
    page: int = Field(1, ge=1, le=100_000)
    size: int = Field(PAGE_SIZE, ge=1, le=PAGE_SIZE_MAX)


class RequestPage(Schema):
    count: int
    page: int
    size: int
    items: list[ApprovalRequestOut]


@router.get("/requests", response=RequestPage, summary="Requests in the caller's scope")
def request_list(request, filters: Query[RequestFilters]):
    if filters.to_check:
        approvals = selectors.approval_requests_to_check(request.user)
        if filters.kind:
            approvals = approvals.filter(kind=filters.kind)
    else:
        approvals = selectors.approval_request_list(
            request.user, status=filters.status, kind=filters.kind
        )
    if filters.mine:
        approvals = approvals.filter(maker=request.user)
    start = (filters.page - 1) * filters.size
    return {
        "count": approvals.count(),
        "page": filters.page,
        "size": filters.size,
        "items": [approval_out(a) for a in approvals[start : start + filters.size]],
    }


@router.get("/requests/{request_id}", response=ApprovalRequestOut, summary="One request")
def request_get(request, request_id: int):
    return approval_out(selectors.approval_request_get(request.user, request_id))


class ApproveIn(Schema):
    note: str = Field("", max_length=NOTE_LENGTH_MAX)


class RejectIn(Schema):
    reason: str = Field(..., min_length=1, max_length=NOTE_LENGTH_MAX)


@router.post(
    "/requests/{request_id}/approve", response=ApprovalRequestOut, summary="Approve and carry out"
)
def request_approve(request, request_id: int, body: ApproveIn):
    selectors.approval_request_get(request.user, request_id)
    services.approval_request_approve(
        request_id=request_id,
        checker=request.user,
        today=timezone.localdate(),
        note=body.note.strip(),
    )
    return approval_out(selectors.approval_request_get(request.user, request_id))


@router.post(
    "/requests/{request_id}/reject", response=ApprovalRequestOut, summary="Reject with a reason"
)
def request_reject(request, request_id: int, body: RejectIn):
    selectors.approval_request_get(request.user, request_id)
    services.approval_request_reject(
        request_id=request_id, checker=request.user, reason=body.reason
    )
    return approval_out(selectors.approval_request_get(request.user, request_id))


@router.post(
    "/requests/{request_id}/withdraw", response=ApprovalRequestOut, summary="Withdraw (maker only)"
)
def request_withdraw(request, request_id: int):
    selectors.approval_request_get(request.user, request_id)
    services.approval_request_withdraw(request_id=request_id, maker=request.user)
    return approval_out(selectors.approval_request_get(request.user, request_id))
