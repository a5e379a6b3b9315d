"""Proposals over the API: a manual voucher, a reversal, a month's close. Each becomes a
maker-checker request; nothing reaches the journal until a checker approves it.

A proposal that moves money carries an ``Idempotency-Key`` header. The key is kept in the
request's payload: the same maker sending the same key and the same content gets the first
request back (200); the same key with other content is refused (422) rather than answered with
the first request's result (STYLE.md, Money).
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Header, Status

from policylend.approvals.api import ApprovalRequestOut, approval_out
from policylend.approvals.services import approval_request_create
from policylend.core.errors import NotFound
from policylend.users import access
from policylend.users.roles import Capability

from .. import selectors
from ..approval_kinds import MANUAL_ENTRY, PERIOD_CLOSE, REVERSAL
from ..rules import LineSpec
from .router import router
from .schemas import KEY_LENGTH_MAX, ManualEntryIn, PeriodCloseIn, ReversalIn

IdempotencyKey = Header[
    str, {"alias": "Idempotency-Key", "min_length": 1, "max_length": KEY_LENGTH_MAX}
]
CREATED = {200: ApprovalRequestOut, 201: ApprovalRequestOut}


def propose_once(request, *, kind: str, payload: dict, unit, key: str, note: str = ""):
    """Make the request once per (maker, key); a retry with the same content gets the first
    request (200), other content under the same key is refused (422)."""
    approval = approval_request_create(
        kind=kind,
        payload=payload,
        unit=unit,
        maker=request.user,
        today=timezone.localdate(),
        note=note,
        idempotency_key=key,
    )
    return Status(200 if approval.replayed else 201, approval_out(approval))


def _line_office(scope, office_id: int | None, number: int) -> int | None:
    """An office-level maker writes only their own office's lines."""
    if scope.office is None:
        return office_id
    if office_id not in (None, scope.office.pk):
        raise NotFound(
            "not_found", _("Line %(n)d: no such transaction office in your scope.") % {"n": number}
        )
    return scope.office.pk


def _voucher_unit(request, scope, lines: list[LineSpec]):
    """The request belongs to the lines' office when they share one, so that office's
    controller may check it; otherwise to the branch."""
    offices = {line.office_id for line in lines}
    if len(offices) == 1 and None not in offices:
        return access.unit_get_visible(request.user, offices.pop())
    return scope.office or scope.branch


@router.post("/entries", response=CREATED, summary="Propose a manual voucher")
def entry_propose(request, body: ManualEntryIn, idempotency_key: IdempotencyKey):
    access.require(request.user, Capability.PROPOSE_JOURNAL_ENTRY)
    scope = selectors.ledger_scope(request.user, branch_id=body.branch_id)
    lines = [
        LineSpec(
            account=line.account.strip(),
            side=line.side,
            amount=line.amount,
            office_id=_line_office(scope, line.office_id, number),
        )
        for number, line in enumerate(body.lines, start=1)
    ]
    payload = {
        "branch_id": scope.branch.pk,
        "value_date": body.value_date.isoformat(),
        "memo": body.memo.strip(),
        "lines": [line.as_dict() for line in lines],
    }
    return propose_once(
        request,
        kind=MANUAL_ENTRY,
        payload=payload,
        unit=_voucher_unit(request, scope, lines),
        key=idempotency_key.strip(),
        note=body.note.strip(),
    )


@router.post(
    "/entries/{entry_id}/reversal", response=CREATED, summary="Propose the reversal of an entry"
)
def entry_reversal_propose(
    request, entry_id: int, body: ReversalIn, idempotency_key: IdempotencyKey
):
    entry = selectors.journal_entry_get(request.user, entry_id)
    access.require(request.user, Capability.PROPOSE_JOURNAL_ENTRY)
    scope = selectors.ledger_scope(request.user)
    return propose_once(
        request,
        kind=REVERSAL,
        payload={"entry_id": entry.pk, "reason": body.reason.strip()},
        unit=scope.office or entry.branch,
        key=idempotency_key.strip(),
        note=body.note.strip(),
    )


@router.post(
    "/periods/close-requests", response={201: ApprovalRequestOut}, summary="Ask for a month's close"
)
def period_close_propose(request, body: PeriodCloseIn):
    access.require(request.user, Capability.REQUEST_PERIOD_CLOSE)
    scope = selectors.ledger_scope(request.user, branch_id=body.branch_id)
    approval = approval_request_create(
        kind=PERIOD_CLOSE,
        payload={"branch_id": scope.branch.pk, "month": body.month},
        unit=scope.branch,
        maker=request.user,
        today=timezone.localdate(),
    )
    return Status(201, approval_out(approval))
