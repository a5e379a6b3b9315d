"""The supervision plan of a unit for a year, and inspections: the list, the form, one record."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from policylend.core.forms import NOT_DONE, submit
from policylend.core.pagination import paginate
from policylend.users import access
from policylend.users.roles import Capability

from .. import rules, selectors, services
from ..forms import InspectionFilterForm, InspectionForm, YearForm
from .common import PASSED_ON, can, int_param, today, viewer_required

PLAN_STATES = ("open", "done")


@viewer_required
def unit_plan(request, association_unit_id: int):
    """The plan with each item done or not; a POST builds it for the year (idempotent)."""
    unit = selectors.association_unit_get(request.user, association_unit_id)
    year_form = YearForm(request.GET if "year" in request.GET else None)
    year = year_form.cleaned_data["year"] if year_form.is_valid() else today().year
    build_form = YearForm(request.POST or None, initial={"year": year})
    built = submit(
        request,
        build_form,
        lambda data: services.supervision_plan_build(
            actor=request.user, association_unit=unit, year=data["year"]
        ),
        passed_on=PASSED_ON,
    )
    if built is not NOT_DONE:
        year = build_form.cleaned_data["year"]
        messages.success(
            request,
            _("The plan for %(year)d has %(n)d items.") % {"year": year, "n": len(built)},
        )
        url = reverse("associations:unit_plan", args=[unit.pk])
        return redirect(f"{url}?year={year}")
    items = selectors.supervision_plan(request.user, unit, year)
    progress = selectors.supervision_plan_progress(items)
    state = request.GET.get("state")
    if state == "open":
        items = items.filter(inspection__isnull=True)
    elif state == "done":
        items = items.filter(inspection__isnull=False)
    return render(
        request,
        "associations/plan.html",
        {
            "unit": unit,
            "year": year,
            "year_form": year_form if year_form.is_bound else YearForm(initial={"year": year}),
            "build_form": build_form,
            "state": state if state in PLAN_STATES else "",
            "progress": progress,
            "page": paginate(request, items),
            "can_build": (
                can(request, Capability.RECORD_INSPECTIONS)
                or can(request, Capability.MANAGE_ASSOCIATIONS)
            )
            and unit.is_active,
            "can_inspect": can(request, Capability.RECORD_INSPECTIONS) and unit.is_active,
            "tab": "units",
        },
    )


@viewer_required
def inspection_create(request, association_unit_id: int):
    unit = selectors.association_unit_get(request.user, association_unit_id)
    access.require(request.user, Capability.RECORD_INSPECTIONS)
    groups = selectors.managed_groups(unit)
    initial = {"inspected_on": today()}
    group_id = int_param(request, "group")
    if group_id is not None:
        initial["group"] = groups.filter(pk=group_id).first()
    form = InspectionForm(request.POST or None, initial=initial, groups=groups)
    inspection = submit(
        request,
        form,
        lambda data: services.inspection_record(
            actor=request.user,
            association_unit=unit,
            inspected_on=data["inspected_on"],
            inspector_name=data["inspector_name"],
            checked=data["checked"],
            findings=data["findings"],
            group=data["group"],
            reported_on=data["reported_on"],
            today=today(),
        ),
        passed_on=PASSED_ON,
    )
    if inspection is not NOT_DONE:
        messages.success(request, _("The inspection was recorded."))
        return redirect("associations:inspection_detail", inspection_id=inspection.pk)
    return render(
        request,
        "associations/inspection_form.html",
        {"form": form, "unit": unit, "title": _("Record an inspection"), "tab": "inspections"},
    )


@viewer_required
def inspection_list(request):
    associations = selectors.association_list(request.user)
    form = InspectionFilterForm(request.GET or None, associations=associations)
    filters = form.cleaned_data if form.is_valid() else {}
    association = filters.get("association")
    inspections = selectors.inspection_list(
        request.user,
        association_id=association.pk if association else None,
        year=filters.get("year"),
    )
    return render(
        request,
        "associations/inspection_list.html",
        {"form": form, "page": paginate(request, inspections), "tab": "inspections"},
    )


@viewer_required
def inspection_detail(request, inspection_id: int):
    inspection = selectors.inspection_get(request.user, inspection_id)
    report_due_by = rules.report_due_by(inspection.inspected_on)
    return render(
        request,
        "associations/inspection_detail.html",
        {
            "inspection": inspection,
            "plan_items": inspection.plan_items.select_related("association_unit"),
            "report_due_by": report_due_by,
            "reported_late": inspection.reported_on is not None
            and inspection.reported_on > report_due_by,
            "tab": "inspections",
        },
    )
