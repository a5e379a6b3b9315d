"""The journal: the list of entries, one entry with its lines, and asking for its reversal."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from policylend.approvals.models import ApprovalStatus
from policylend.approvals.selectors import approval_request_list
from policylend.core.forms import NOT_DONE, submit
from policylend.core.pagination import paginate
from policylend.ledger import selectors
from policylend.ledger.approval_kinds import REVERSAL
from policylend.ledger.forms import (
    EntryFilterForm,
    ReversalForm,
    filter_entries,
    offices_in_scope,
)
from policylend.users import access
from policylend.users.roles import Capability

from .common import PASSED_ON, made_response, propose, viewer_scope


@login_required
def entry_list(request):
    base = viewer_scope(request)
    form = EntryFilterForm(
        request.GET or None,
        offices=offices_in_scope(request.user, base) if base.office is None else None,
    )
    filters = form.cleaned_data if form.is_valid() else {}
    office = filters.get("office")
    entries = selectors.journal_entry_list(
        request.user, branch_id=base.branch.pk, office_id=office.pk if office else None
    )
    entries = filter_entries(
        entries,
        start=filters.get("start"),
        end=filters.get("end"),
        kind=filters.get("kind", ""),
        memo=filters.get("q", ""),
    ).select_related("reversed_by")
    return render(
        request,
        "ledger/entry_list.html",
        {
            "form": form,
            "page": paginate(request, entries),
            "scope": base,
            "may_propose": access.can(request.user, Capability.PROPOSE_JOURNAL_ENTRY),
        },
    )


def _pending_reversal(viewer, entry_id: int):
    return (
        approval_request_list(viewer, status=ApprovalStatus.PENDING, kind=REVERSAL)
        .filter(payload__entry_id=entry_id)
        .first()
    )


def _reversible(entry) -> bool:
    """Not itself a reversal, and not reversed yet (a missing reverse one-to-one is an
    AttributeError, so ``hasattr`` answers it)."""
    return entry.reverses_id is None and not hasattr(entry, "reversed_by")


@login_required
def entry_detail(request, entry_id: int):
    entry = selectors.journal_entry_get(request.user, entry_id)
    lines = list(selectors.journal_lines_of(entry))
    may_propose = access.can(request.user, Capability.PROPOSE_JOURNAL_ENTRY)
    return render(
        request,
        "ledger/entry_detail.html",
        {
            "entry": entry,
            "lines": lines,
            "total_debit": sum(line.debit for line in lines),
            "total_credit": sum(line.credit for line in lines),
            "reversible": _reversible(entry),
            "may_propose": may_propose,
            "pending_reversal": _pending_reversal(request.user, entry.pk) if may_propose else None,
        },
    )


@login_required
def entry_reverse(request, entry_id: int):
    """Ask for the reversal of an entry, with a reason: a checker approves it."""
    entry = selectors.journal_entry_get(request.user, entry_id)
    access.require(request.user, Capability.PROPOSE_JOURNAL_ENTRY)
    form = ReversalForm(request.POST or None)
    approval = submit(
        request,
        form,
        lambda data: propose(
            request,
            kind=REVERSAL,
            payload={"entry_id": entry.pk, "reason": data["reason"].strip()},
            unit=viewer_scope(request).office or entry.branch,
        ),
        passed_on=PASSED_ON,
    )
    if approval is not NOT_DONE:
        return made_response(request, approval)
    return render(request, "ledger/entry_reverse.html", {"entry": entry, "form": form})
