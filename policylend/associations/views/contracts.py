"""Entrustment contracts: the list, recording one, its page (printable) and asking for a change
of its fee terms (maker–checker)."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from policylend.core.forms import NOT_DONE, submit
from policylend.core.pagination import paginate
from policylend.organisation.selectors import unit_choices
from policylend.users import access
from policylend.users.roles import Capability

from .. import rules, selectors, services
from ..forms import ContractCreateForm, ContractFilterForm, TermsChangeForm, TermsFields
from ..models import EntrustmentTask
from ..rules import Reduction, TermsInput
from ..services.contracts import expected_bank_unit
from .common import PASSED_ON, can, int_param, today, viewer_required


@viewer_required
def contract_list(request):
    associations = selectors.association_list(request.user)
    form = ContractFilterForm(request.GET or None, associations=associations)
    filters = form.cleaned_data if form.is_valid() else {}
    association = filters.get("association")
    contracts = selectors.contract_list(
        request.user,
        association_id=association.pk if association else None,
        status=filters.get("status") or None,
        search=filters.get("q") or "",
    )
    return render(
        request,
        "associations/contract_list.html",
        {
            "form": form,
            "page": paginate(request, contracts),
            "can_manage": can(request, Capability.MANAGE_ASSOCIATIONS),
            "tab": "contracts",
        },
    )


def _create(request, data: dict, form: ContractCreateForm):
    association_unit = data["association_unit"]
    return services.contract_create(
        actor=request.user,
        association_unit=association_unit,
        bank_unit=data["bank_unit"] or expected_bank_unit(association_unit),
        number=data["number"],
        signed_on=data["signed_on"],
        valid_from=data["valid_from"],
        valid_to=data["valid_to"],
        tasks=data["tasks"],
        terms=form.terms_input(),
    )


@viewer_required
def contract_create(request):
    access.require(request.user, Capability.MANAGE_ASSOCIATIONS)
    association_units = selectors.association_unit_list(request.user, active=True)
    initial = {
        "signed_on": today(),
        "valid_from": today(),
        "tasks": list(EntrustmentTask.values),
        **TermsFields.initial_for(TermsInput()),
    }
    unit_id = int_param(request, "unit")
    if unit_id is not None:
        initial["association_unit"] = association_units.filter(pk=unit_id).first()
    form = ContractCreateForm(
        request.POST or None,
        initial=initial,
        association_units=association_units,
        bank_units=unit_choices(request.user, kinds=["branch", "office"]),
    )
    contract = submit(request, form, lambda data: _create(request, data, form), passed_on=PASSED_ON)
    if contract is not NOT_DONE:
        messages.success(
            request, _("Contract %(number)s was recorded.") % {"number": contract.number}
        )
        return redirect("associations:contract_detail", contract_id=contract.pk)
    return render(
        request,
        "associations/contract_form.html",
        {"form": form, "title": _("New entrustment contract"), "tab": "contracts"},
    )


@viewer_required
def contract_detail(request, contract_id: int):
    contract = selectors.contract_get(request.user, contract_id)
    return render(
        request,
        "associations/contract_detail.html",
        {
            "contract": contract,
            "history": selectors.contract_terms_history(contract, today()),
            "waiting": selectors.contract_terms_changes_waiting(contract),
            "tasks": [(task, task in contract.tasks) for task in EntrustmentTask],
            "basis": rules.FEE_BASIS_LABEL,
            "split_levels": rules.SPLIT_LABELS,
            "can_propose": can(request, Capability.PROPOSE_TERMS_CHANGE)
            and contract.status == "active",
            "today": today(),
            "tab": "contracts",
        },
    )


def _current_terms(contract) -> TermsInput:
    version = selectors.contract_terms_on(contract, today()) or (
        contract.terms.order_by("-effective_from").first()
    )
    if version is None:
        return TermsInput()
    return TermsInput(
        fee_rate_monthly=version.fee_rate_monthly,
        split_bp=tuple(version.split),
        reductions=tuple(Reduction.from_dict(r) for r in version.reductions),
    )


def _first_of_next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


@viewer_required
def terms_change(request, contract_id: int):
    contract = selectors.contract_get(request.user, contract_id)
    access.require(request.user, Capability.PROPOSE_TERMS_CHANGE)
    initial = {
        "effective_from": _first_of_next_month(today()),
        **TermsFields.initial_for(_current_terms(contract)),
    }
    form = TermsChangeForm(request.POST or None, initial=initial)
    approval = submit(
        request,
        form,
        lambda data: services.terms_change_request(
            actor=request.user,
            contract=contract,
            effective_from=data["effective_from"],
            terms=form.terms_input(),
            today=today(),
            note=data["note"].strip(),
        ),
        passed_on=PASSED_ON,
    )
    if approval is not NOT_DONE:
        messages.success(
            request,
            _("Request #%(id)d was recorded; it waits for a checker.") % {"id": approval.pk},
        )
        return redirect("approvals:detail", request_id=approval.pk)
    return render(
        request,
        "associations/terms_change_form.html",
        {
            "form": form,
            "contract": contract,
            "history": selectors.contract_terms_history(contract, today()),
            "title": _("Change the fee terms of contract %(number)s") % {"number": contract.number},
            "tab": "contracts",
        },
    )
