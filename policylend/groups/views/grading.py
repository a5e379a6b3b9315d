"""Pages of the monthly group grading: a group's grade history, the distribution of grades of an
office or branch for a month, and the grading run. The formulas of the six criteria are shown on
every page (groups/grading.py)."""

from __future__ import annotations

from datetime import date

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from policylend.core.errors import Forbidden, NotFound
from policylend.core.forms import NOT_DONE, submit
from policylend.core.pagination import paginate
from policylend.core.periods import Month
from policylend.organisation.models import OrganisationUnit, UnitKind
from policylend.users import access
from policylend.users.roles import Capability

from .. import selectors_grading as selectors
from ..services.grading import group_grading_run
from .common import viewer_required

PASSED_ON = (NotFound, Forbidden)


def bank_today() -> date:
    return timezone.localdate()


class MonthField(forms.CharField):
    def __init__(self, **kwargs):
        super().__init__(label=gettext_lazy("Month (mm/yyyy)"), max_length=7, **kwargs)

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return None
        try:
            return Month.parse(text)
        except ValueError:
            raise forms.ValidationError(_("Write the month as mm/yyyy.")) from None


class GradingRunForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=gettext_lazy("Transaction office or branch"), queryset=OrganisationUnit.objects.none()
    )
    month = MonthField()


class DistributionForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=gettext_lazy("Transaction office or branch"),
        queryset=OrganisationUnit.objects.none(),
        required=False,
    )
    month = MonthField(required=False)


def _units(request):
    return (
        access.units_visible_to(request.user)
        .filter(kind__in=(UnitKind.BRANCH, UnitKind.OFFICE))
        .order_by("path")
    )


@viewer_required
def grading_history(request, group_id: int):
    group, grades = selectors.grade_history(request.user, group_id)
    return render(
        request,
        "groups/grading_history.html",
        {"group": group, "page": paginate(request, grades), "criteria": selectors.criteria_rows()},
    )


@viewer_required
def grading_distribution(request):
    units = _units(request)
    previous = Month.of(bank_today()).previous()
    form = DistributionForm(request.GET or None)
    form.fields["unit"].queryset = units
    data = form.cleaned_data if form.is_valid() else {}
    unit = data.get("unit") or units.first()
    month = data.get("month") or previous
    context = {"form": form, "unit": unit, "month": month, "criteria": selectors.criteria_rows()}
    if unit is not None:
        context["rows"] = selectors.grade_distribution(request.user, unit, month)
        context["graded"] = sum(row.count for row in context["rows"])
        context["page"] = paginate(request, selectors.grades_of_unit(request.user, unit, month))
    context["can_run"] = access.can(request.user, Capability.RUN_LOAN_JOBS)
    return render(request, "groups/grading_distribution.html", context)


@login_required
def grading_run(request):
    access.require(request.user, Capability.RUN_LOAN_JOBS)
    today = bank_today()
    units = _units(request)
    form = GradingRunForm(
        request.POST or None,
        initial={"month": str(Month.of(today).previous()), "unit": units.first()},
    )
    form.fields["unit"].queryset = units
    result = submit(
        request,
        form,
        lambda data: group_grading_run(
            actor=request.user, unit=data["unit"], month=data["month"], today=today
        ),
        passed_on=PASSED_ON,
    )
    if result is not NOT_DONE:
        messages.success(
            request,
            _("%(graded)d groups graded for %(month)s; %(already)d already had a grade.")
            % {"graded": result.graded, "month": result.month, "already": result.already},
        )
        url = reverse("groups:grading_distribution")
        return redirect(f"{url}?unit={form.cleaned_data['unit'].pk}&month={result.month}")
    return render(
        request,
        "groups/grading_run.html",
        {"form": form, "criteria": selectors.criteria_rows()},
    )
