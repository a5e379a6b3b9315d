"""Programme pages: the catalogue with the terms in force on a day, one programme with the whole
history of its terms, and asking for a new version (maker–checker)."""

from __future__ import annotations

from datetime import date

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from policylend.core.errors import Forbidden, NotFound
from policylend.core.forms import NOT_DONE, DateInput, submit
from policylend.users import access
from policylend.users.roles import Capability

from . import selectors, services
from .forms import TermsChangeForm
from .rules import TermsInput

PASSED_ON = (NotFound, Forbidden)


def today() -> date:
    """The bank's date: the local date in the branch's time zone."""
    return timezone.localdate()


class OnForm(forms.Form):
    on = forms.DateField(
        label=gettext_lazy("Terms in force on"), widget=DateInput(), required=False
    )


@login_required
def programme_list(request):
    form = OnForm(request.GET or None)
    day = (form.cleaned_data.get("on") if form.is_valid() else None) or today()
    rows = selectors.catalogue_on(request.user, day)
    return render(
        request,
        "programmes/programme_list.html",
        {"rows": rows, "form": form, "day": day},
    )


@login_required
def programme_detail(request, programme_id: int):
    programme = selectors.programme_get(request.user, programme_id)
    day = today()
    return render(
        request,
        "programmes/programme_detail.html",
        {
            "programme": programme,
            "current": selectors.terms_on_or_none(programme, day),
            "current_rate": _current_rate(programme, day),
            "history": selectors.terms_history(programme, day),
            "waiting": selectors.terms_changes_waiting(programme),
            "can_propose": access.can(request.user, Capability.PROPOSE_PROGRAMME_TERMS),
            "day": day,
        },
    )


def _current_rate(programme, day: date):
    version = selectors.terms_on_or_none(programme, day)
    return selectors.annual_rate_of(version, day) if version is not None else None


def _first_of_next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


@login_required
def terms_change(request, programme_id: int):
    programme = selectors.programme_get(request.user, programme_id)
    access.require(request.user, Capability.PROPOSE_PROGRAMME_TERMS)
    latest = programme.terms.order_by("-effective_from").first()
    initial = {
        "effective_from": max(
            _first_of_next_month(today()), _first_of_next_month(latest.effective_from)
        )
        if latest
        else _first_of_next_month(today()),
        **TermsChangeForm.initial_for(TermsInput.of(latest) if latest else TermsInput()),
    }
    form = TermsChangeForm(request.POST or None, initial=initial)
    approval = submit(
        request,
        form,
        lambda data: services.terms_change_propose(
            actor=request.user,
            programme=programme,
            effective_from=data["effective_from"],
            today=today(),
            **form.terms_fields(),
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
        "programmes/terms_change_form.html",
        {
            "form": form,
            "programme": programme,
            "history": selectors.terms_history(programme, today()),
            "title": _("New terms for programme %(code)s") % {"code": programme.code},
        },
    )
