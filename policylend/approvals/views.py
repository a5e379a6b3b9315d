"""Maker-checker pages: the lists of requests, one request, and the checker's decision.

Approve, reject and withdraw are plain form POSTs that redirect back to the request; with htmx
the decision box is swapped in place instead.
"""

from __future__ import annotations

import contextlib
from datetime import date

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from policylend.core.errors import DomainError, Forbidden, NotFound
from policylend.core.pagination import paginate
from policylend.users import access

from . import registry, selectors, services
from .models import ApprovalStatus

NOTE_LENGTH_MAX = services.NOTE_LENGTH_MAX
TABS = {
    "waiting": gettext_lazy("Waiting for me"),
    "all": gettext_lazy("All in my scope"),
    "mine": gettext_lazy("My requests"),
}


class ApproveForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Note (optional)"),
        max_length=NOTE_LENGTH_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason for the rejection"),
        max_length=NOTE_LENGTH_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def _kind_label(code: str) -> str:
    try:
        return registry.get(code).label
    except KeyError:
        return code


def _describe(approval) -> str:
    try:
        return registry.get(approval.kind).describe(approval)
    except (KeyError, ValueError, TypeError):
        return approval.kind


def _rows(approvals):
    for approval in approvals:
        approval.kind_label = _kind_label(approval.kind)
        approval.description = _describe(approval)
    return approvals


@login_required
def request_list(request):
    tab = request.GET.get("tab")
    if tab not in TABS:
        checks = any(access.can(request.user, k.checker_capability) for k in registry.all_kinds())
        tab = "waiting" if checks else "mine"
    status = (
        request.GET.get("status") if request.GET.get("status") in ApprovalStatus.values else None
    )
    if tab == "waiting":
        approvals = selectors.approval_requests_to_check(request.user)
    else:
        approvals = selectors.approval_request_list(request.user, status=status)
        if tab == "mine":
            approvals = approvals.filter(maker=request.user)
    page = paginate(request, approvals)
    _rows(page.object_list)
    return render(
        request,
        "approvals/list.html",
        {
            "page": page,
            "tab": tab,
            "tabs": TABS.items(),
            "status": status or "",
            "statuses": ApprovalStatus.choices,
        },
    )


def _display_payload(payload: dict) -> dict:
    """The payload for a detail template, with ISO dates turned into dates for d/m/Y."""
    shown = {}
    for key, value in payload.items():
        if isinstance(value, str) and len(value) == 10 and value[4:5] == "-":
            with contextlib.suppress(ValueError):
                value = date.fromisoformat(value)
        shown[key] = value
    return shown


def _detail_context(request, approval, **forms_) -> dict:
    try:
        spec = registry.get(approval.kind)
    except KeyError:
        spec = None
    pending = approval.status == ApprovalStatus.PENDING
    may_check = (
        pending
        and spec is not None
        and approval.maker_id != request.user.pk
        and access.can(request.user, spec.checker_capability)
    )
    return {
        "approval": approval,
        "kind_label": _kind_label(approval.kind),
        "description": _describe(approval),
        "detail_template": spec.detail_template if spec else None,
        "payload": _display_payload(approval.payload),
        "may_check": may_check,
        "may_withdraw": pending and approval.maker_id == request.user.pk,
        "result_url": registry.result_link(approval.result_reference),
        "approve_form": forms_.get("approve_form") or ApproveForm(),
        "reject_form": forms_.get("reject_form") or RejectForm(),
    }


@login_required
def request_detail(request, request_id: int):
    approval = selectors.approval_request_get(request.user, request_id)
    return render(request, "approvals/detail.html", _detail_context(request, approval))


def _after_decision(request, request_id: int, **forms_):
    """Back to the request: the decision box alone for htmx, the whole page otherwise."""
    if request.htmx:
        approval = selectors.approval_request_get(request.user, request_id)
        return render(
            request, "approvals/decision.html", _detail_context(request, approval, **forms_)
        )
    if forms_:
        approval = selectors.approval_request_get(request.user, request_id)
        return render(
            request,
            "approvals/detail.html",
            _detail_context(request, approval, **forms_),
            status=422,
        )
    return redirect("approvals:detail", request_id=request_id)


def _refused(request, error: DomainError) -> None:
    if isinstance(error, NotFound | Forbidden):
        raise error
    for problem in error.problems:
        messages.error(request, problem.message)


@login_required
@require_POST
def request_approve(request, request_id: int):
    selectors.approval_request_get(request.user, request_id)
    form = ApproveForm(request.POST)
    if not form.is_valid():
        return _after_decision(request, request_id, approve_form=form)
    try:
        services.approval_request_approve(
            request_id=request_id,
            checker=request.user,
            today=timezone.localdate(),
            note=form.cleaned_data["note"].strip(),
        )
    except DomainError as error:
        _refused(request, error)
    else:
        messages.success(
            request, _("Request #%(id)d was approved and carried out.") % {"id": request_id}
        )
    return _after_decision(request, request_id)


@login_required
@require_POST
def request_reject(request, request_id: int):
    selectors.approval_request_get(request.user, request_id)
    form = RejectForm(request.POST)
    if not form.is_valid():
        return _after_decision(request, request_id, reject_form=form)
    try:
        services.approval_request_reject(
            request_id=request_id, checker=request.user, reason=form.cleaned_data["reason"]
        )
    except DomainError as error:
        _refused(request, error)
    else:
        messages.success(request, _("Request #%(id)d was rejected.") % {"id": request_id})
    return _after_decision(request, request_id)


@login_required
@require_POST
def request_withdraw(request, request_id: int):
    selectors.approval_request_get(request.user, request_id)
    try:
        services.approval_request_withdraw(request_id=request_id, maker=request.user)
    except DomainError as error:
        _refused(request, error)
    else:
        messages.success(request, _("Request #%(id)d was withdrawn.") % {"id": request_id})
    return _after_decision(request, request_id)
