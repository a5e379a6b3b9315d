"""Association units: the list, one unit with its officers, contracts, plan and inspections,
opening a unit and editing it."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from policylend.core.forms import NOT_DONE, submit
from policylend.core.pagination import paginate
from policylend.organisation.selectors import unit_choices
from policylend.users import access
from policylend.users.roles import Capability

from .. import selectors, services
from ..forms import UnitCreateForm, UnitEditForm, UnitFilterForm
from .common import PASSED_ON, can, int_param, today, viewer_required

RECENT_INSPECTIONS = 10


@viewer_required
def unit_list(request):
    associations = selectors.association_list(request.user)
    form = UnitFilterForm(request.GET or None, associations=associations)
    filters = form.cleaned_data if form.is_valid() else {}
    association = filters.get("association")
    units = selectors.association_unit_list(
        request.user,
        association_id=association.pk if association else None,
        level=filters.get("level") or None,
        search=filters.get("q") or "",
    )
    return render(
        request,
        "associations/unit_list.html",
        {
            "form": form,
            "page": paginate(request, units.order_by("association__code", "unit__path")),
            "can_manage": can(request, Capability.MANAGE_ASSOCIATIONS),
            "tab": "units",
        },
    )


@viewer_required
def unit_detail(request, association_unit_id: int):
    unit = selectors.association_unit_get(request.user, association_unit_id)
    year = today().year
    plan = selectors.supervision_plan(request.user, unit, year)
    return render(
        request,
        "associations/unit_detail.html",
        {
            "unit": unit,
            "officers": selectors.association_unit_officers(unit),
            "children": selectors.association_unit_children(request.user, unit),
            "contracts": selectors.contract_list(request.user, association_unit_id=unit.pk),
            "year": year,
            "progress": selectors.supervision_plan_progress(plan),
            "inspections": selectors.inspection_list(request.user, association_unit_id=unit.pk)[
                :RECENT_INSPECTIONS
            ],
            "can_manage": can(request, Capability.MANAGE_ASSOCIATIONS),
            "can_inspect": can(request, Capability.RECORD_INSPECTIONS) and unit.is_active,
            "tab": "units",
        },
    )


@viewer_required
def unit_create(request):
    access.require(request.user, Capability.MANAGE_ASSOCIATIONS)
    places = unit_choices(request.user, kinds=["branch", "office", "commune"])
    initial = {}
    place_id = int_param(request, "unit")
    if place_id is not None:
        initial["unit"] = places.filter(pk=place_id).first()
    form = UnitCreateForm(
        request.POST or None,
        initial=initial,
        associations=selectors.association_list(request.user),
        places=places,
    )
    created = submit(
        request,
        form,
        lambda data: services.association_unit_create(
            actor=request.user,
            association=data["association"],
            unit=data["unit"],
            name=data["name"],
            chair_name=data["chair_name"],
            phone=data["phone"],
        ),
        passed_on=PASSED_ON,
    )
    if created is not NOT_DONE:
        messages.success(request, _("%(unit)s was opened.") % {"unit": created})
        return redirect("associations:unit_detail", association_unit_id=created.pk)
    return render(
        request,
        "associations/unit_form.html",
        {"form": form, "title": _("New association unit"), "tab": "units"},
    )


@viewer_required
def unit_edit(request, association_unit_id: int):
    unit = selectors.association_unit_get(request.user, association_unit_id)
    access.require(request.user, Capability.MANAGE_ASSOCIATIONS)
    form = UnitEditForm(
        request.POST or None,
        initial={"name": unit.name, "chair_name": unit.chair_name, "phone": unit.phone},
    )
    saved = submit(
        request,
        form,
        lambda data: services.association_unit_update(
            actor=request.user,
            association_unit=unit,
            name=data["name"],
            chair_name=data["chair_name"],
            phone=data["phone"],
        ),
        passed_on=PASSED_ON,
    )
    if saved is not NOT_DONE:
        messages.success(request, _("The changes to %(unit)s were saved.") % {"unit": unit})
        return redirect("associations:unit_detail", association_unit_id=unit.pk)
    return render(
        request,
        "associations/unit_form.html",
        {"form": form, "unit": unit, "title": _("Edit %(unit)s") % {"unit": unit}, "tab": "units"},
    )
