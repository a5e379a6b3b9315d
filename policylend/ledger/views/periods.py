"""Accounting periods: the branch's months and asking for a month's close."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from policylend.approvals.models import ApprovalStatus
from policylend.approvals.selectors import approval_request_list
from policylend.core.errors import DomainError
from policylend.core.periods import Month
from policylend.ledger import selectors
from policylend.ledger.approval_kinds import PERIOD_CLOSE
from policylend.ledger.models import PeriodStatus
from policylend.users import access
from policylend.users.roles import Capability

from .common import error_messages, made_response, propose, today, viewer_scope

MONTHS_SHOWN = 24


def _pending_closes(viewer, branch) -> dict[str, object]:
    """Pending close requests of the branch by month ("2026-10" → request)."""
    pending = approval_request_list(viewer, status=ApprovalStatus.PENDING, kind=PERIOD_CLOSE)
    return {approval.payload.get("month"): approval for approval in pending.filter(branch=branch)}


@login_required
def period_list(request):
    scope = viewer_scope(request)
    months = selectors.period_list(scope, today=today(), months=MONTHS_SHOWN)
    pending = _pending_closes(request.user, scope.branch)
    may_request = access.can(request.user, Capability.REQUEST_PERIOD_CLOSE)
    rows = []
    for row in months:
        key = f"{row['month'].year:04d}-{row['month'].month:02d}"
        closed = row["period"] is not None and row["period"].status == PeriodStatus.CLOSED
        rows.append(
            {
                **row,
                "key": key,
                "closed": closed,
                "pending": pending.get(key),
                # Months without postings need no close: closing a later month locks them too.
                "may_request": (
                    may_request
                    and row["ended"]
                    and row["lines"] > 0
                    and not closed
                    and key not in pending
                ),
            }
        )
    return render(request, "ledger/period_list.html", {"rows": rows, "scope": scope})


@login_required
@require_POST
def period_close(request):
    """Ask for the close of an ended month of the branch: a branch manager approves it."""
    access.require(request.user, Capability.REQUEST_PERIOD_CLOSE)
    scope = viewer_scope(request)
    try:
        month = Month.parse(request.POST.get("month", "")[:7])
    except ValueError:
        raise BadRequest("month") from None
    try:
        approval = propose(
            request,
            kind=PERIOD_CLOSE,
            payload={"branch_id": scope.branch.pk, "month": f"{month.year:04d}-{month.month:02d}"},
            unit=scope.branch,
        )
    except DomainError as error:
        error_messages(request, error)
        return redirect("ledger:period_list")
    return made_response(request, approval)
