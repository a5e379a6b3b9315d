"""The manual voucher: a maker types an entry; it becomes a request that a checker approves."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST

from policylend.core.errors import DomainError
from policylend.ledger.approval_kinds import MANUAL_ENTRY
from policylend.ledger.forms import (
    VOUCHER_LINES_MAX,
    VoucherForm,
    add_voucher_problems,
    date_text,
    offices_in_scope,
    running_totals,
    voucher_line_form,
    voucher_line_formset,
    with_one_more_line,
)
from policylend.users import access
from policylend.users.roles import Capability

from .common import PASSED_ON, made_response, propose, today, viewer_scope


def _forms(request, scope, data=None):
    offices = offices_in_scope(request.user, scope, open_only=True)
    initial = {"value_date": date_text(today()), "office": scope.office}
    form = VoucherForm(
        data, initial=initial, offices=offices, office_required=scope.office is not None
    )
    return form, voucher_line_formset(data)


def _payload(scope, form, formset) -> dict:
    office = form.cleaned_data.get("office")
    return {
        "branch_id": scope.branch.pk,
        "value_date": form.cleaned_data["value_date"].isoformat(),
        "memo": form.cleaned_data["memo"].strip(),
        "lines": [line.as_dict() for line in formset.line_specs(office.pk if office else None)],
    }


@login_required
def entry_create(request):
    """Propose a manual voucher. Nothing reaches the journal until a checker approves it."""
    access.require(request.user, Capability.PROPOSE_JOURNAL_ENTRY)
    scope = viewer_scope(request)
    adding = "add_line" in request.POST
    data = None
    if request.method == "POST":
        data = with_one_more_line(request.POST) if adding else request.POST
    form, formset = _forms(request, scope, data)
    if request.method == "POST" and not adding and form.is_valid() and formset.is_valid():
        office = form.cleaned_data.get("office")
        try:
            approval = propose(
                request,
                kind=MANUAL_ENTRY,
                payload=_payload(scope, form, formset),
                unit=office or scope.branch,
                note=form.cleaned_data["note"].strip(),
            )
        except PASSED_ON:
            raise
        except DomainError as error:
            add_voucher_problems(form, formset, error)
        else:
            return made_response(request, approval)
    return render(
        request,
        "ledger/entry_form.html",
        {
            "form": form,
            "formset": formset,
            "scope": scope,
            "totals": running_totals(formset) if formset.is_bound else None,
            # After "add line" the form comes back without complaints about unfinished lines.
            "show_errors": request.method == "POST" and not adding,
            "lines_max": VOUCHER_LINES_MAX,
        },
    )


@login_required
@require_GET
def entry_line(request):
    """One more voucher line (htmx), with the formset's updated line count."""
    access.require(request.user, Capability.PROPOSE_JOURNAL_ENTRY)
    try:
        index = int(request.GET.get("index", ""))
    except ValueError:
        raise BadRequest("index") from None
    if not 0 <= index < VOUCHER_LINES_MAX:
        raise BadRequest("index")
    return render(
        request,
        "ledger/partials/voucher_line_added.html",
        {
            "line": voucher_line_form(index),
            "index": index,
            "next_index": index + 1,
            "lines_max": VOUCHER_LINES_MAX,
        },
    )


@login_required
@require_POST
def entry_totals(request):
    """The running debit and credit totals of the voucher being typed (htmx)."""
    access.require(request.user, Capability.PROPOSE_JOURNAL_ENTRY)
    formset = voucher_line_formset(request.POST)
    if not formset.management_form.is_valid():
        raise BadRequest("management form")
    return render(
        request, "ledger/partials/voucher_totals.html", {"totals": running_totals(formset)}
    )
