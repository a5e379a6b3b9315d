"""What every ledger page shares: the clock, the viewer's part of the books, making a request."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from policylend.approvals.services import approval_request_create
from policylend.core.errors import DomainError, Forbidden, NotFound
from policylend.ledger import selectors

# Errors that are answered with an HTTP status (404, 403, 409), not shown beside a field.
PASSED_ON = (NotFound, Forbidden)


def today():
    """The bank's date: the local date in the branch's time zone."""
    return timezone.localdate()


def viewer_scope(request, office_id: int | None = None) -> selectors.LedgerScope:
    return selectors.ledger_scope(request.user, office_id=office_id)


def propose(request, *, kind: str, payload: dict, unit, note: str = ""):
    """Make a maker-checker request; returns it, or raises the service's DomainError."""
    return approval_request_create(
        kind=kind,
        payload=payload,
        unit=unit,
        maker=request.user,
        today=today(),
        note=note,
    )


def made_response(request, approval):
    messages.success(
        request,
        _("Request #%(id)d was recorded; it waits for a checker.") % {"id": approval.pk},
    )
    return redirect("approvals:detail", request_id=approval.pk)


def error_messages(request, error: DomainError) -> None:
    if isinstance(error, PASSED_ON):
        raise error
    for problem in error.problems:
        messages.error(request, problem.message)


__all__ = ["PASSED_ON", "error_messages", "made_response", "propose", "today", "viewer_scope"]
