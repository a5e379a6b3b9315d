from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from policylend.core.errors import NotFound
from policylend.core.forms import NOT_DONE, submit

from .. import selectors, services
from ..forms import (
    AsOnForm,
    CommuneMergeForm,
    UnitCloseForm,
    UnitCreateForm,
    UnitEditForm,
    UnitMoveForm,
)
from ..models import PARENT_KIND, UnitKind
from .common import can_manage, require_manager, viewer_required

# What may be added under a unit of each kind (a village has nothing under it).
CHILD_KIND = {parent: kind for kind, parent in PARENT_KIND.items() if parent}


def _saved(request, message: str, unit):
    messages.success(request, message)
    return redirect("organisation:unit_detail", unit_id=unit.pk)


@viewer_required
def unit_detail(request, unit_id: int):
    form = AsOnForm(request.GET if "on" in request.GET else None)
    as_on = form.cleaned_data["on"] if form.is_valid() else None
    dossier = selectors.unit_dossier(request.user, unit_id, as_on=as_on)
    return render(
        request,
        "organisation/unit_detail.html",
        {
            "dossier": dossier,
            "unit": dossier.unit,
            "as_on_form": form,
            "can_manage": can_manage(request),
            "child_kind": CHILD_KIND.get(dossier.unit.kind),
        },
    )


@viewer_required
def unit_create(request):
    require_manager(request)
    # The page offers the parents of the kind asked for (?kind=village: communes). A posted form
    # accepts any unit that can have children, so that a wrong pairing gets the service's message
    # naming the rule ("a village must sit under a commune") rather than "not a valid choice".
    kind = request.GET.get("kind") if request.method == "GET" else None
    parents = selectors.parent_choices(request.user, kind)
    initial = {"kind": kind, "opened_on": timezone.localdate()}
    initial |= {
        k: request.GET[k] for k in ("code", "name", "address", "opened_on") if request.GET.get(k)
    }
    if request.GET.get("parent", "").isdigit():
        initial["parent"] = parents.filter(pk=int(request.GET["parent"])).first()
    form = UnitCreateForm(
        request.POST or None,
        initial=initial,
        parents=parents,
        reload_url=reverse("organisation:unit_create"),
    )
    unit = submit(
        request,
        form,
        lambda data: services.unit_create(
            kind=data["kind"],
            code=data["code"],
            name=data["name"],
            parent=data["parent"],
            opened_on=data["opened_on"],
            address=data["address"],
            actor=request.user,
        ),
    )
    if unit is not NOT_DONE:
        return _saved(request, _("%(unit)s was added.") % {"unit": unit}, unit)
    return render(
        request,
        "organisation/unit_form.html",
        {
            "form": form,
            "title": _("New unit"),
        },
    )


@viewer_required
def unit_edit(request, unit_id: int):
    unit = selectors.unit_get(request.user, unit_id)
    require_manager(request)
    form = UnitEditForm(request.POST or None, initial={"name": unit.name, "address": unit.address})
    saved = submit(
        request,
        form,
        lambda data: services.unit_update(
            unit=unit, name=data["name"], address=data["address"], actor=request.user
        ),
    )
    if saved is not NOT_DONE:
        return _saved(request, _("The changes to %(unit)s were saved.") % {"unit": unit}, unit)
    return render(
        request,
        "organisation/unit_form.html",
        {
            "form": form,
            "unit": unit,
            "title": _("Edit %(unit)s") % {"unit": unit},
        },
    )


@viewer_required
def unit_move(request, unit_id: int):
    unit = selectors.unit_get(request.user, unit_id)
    require_manager(request)
    form = UnitMoveForm(
        request.POST or None,
        initial={"effective_on": timezone.localdate()},
        parents=selectors.move_choices(request.user, unit),
    )
    moved = submit(
        request,
        form,
        lambda data: services.unit_move(
            unit=unit,
            new_parent=data["new_parent"],
            effective_on=data["effective_on"],
            reason=data["reason"],
            actor=request.user,
        ),
    )
    if moved is not NOT_DONE:
        message = _("%(unit)s now belongs to %(parent)s.") % {
            "unit": unit,
            "parent": form.cleaned_data["new_parent"],
        }
        return _saved(request, message, unit)
    return render(
        request,
        "organisation/unit_form.html",
        {
            "form": form,
            "unit": unit,
            "title": _("Move %(unit)s") % {"unit": unit},
            "explanation": _(
                "The unit and everything under it move to the new parent from the date given; "
                "the history keeps where it belonged before."
            ),
        },
    )


@viewer_required
def commune_merge(request, unit_id: int):
    source = selectors.unit_get(request.user, unit_id)
    if source.kind != UnitKind.COMMUNE:
        raise NotFound("not_found", _("Only a commune can be merged."))
    require_manager(request)
    form = CommuneMergeForm(
        request.POST or None,
        initial={"effective_on": timezone.localdate()},
        targets=selectors.merge_choices(request.user, source),
    )
    target = submit(
        request,
        form,
        lambda data: services.commune_merge(
            source=source,
            target=data["target"],
            effective_on=data["effective_on"],
            reason=data["reason"],
            actor=request.user,
        ),
    )
    if target is not NOT_DONE:
        message = _("%(source)s was merged into %(target)s.") % {
            "source": source,
            "target": target,
        }
        return _saved(request, message, target)
    return render(
        request,
        "organisation/unit_form.html",
        {
            "form": form,
            "unit": source,
            "title": _("Merge %(unit)s") % {"unit": source},
            "explanation": _(
                "The commune's villages move to the commune chosen, its transaction point closes and "
                "its users and open business pass to that commune from the date given."
            ),
            "danger": True,
        },
    )


@viewer_required
def unit_close(request, unit_id: int):
    unit = selectors.unit_get(request.user, unit_id)
    require_manager(request)
    form = UnitCloseForm(request.POST or None, initial={"closed_on": timezone.localdate()})
    closed = submit(
        request,
        form,
        lambda data: services.unit_close(
            unit=unit, closed_on=data["closed_on"], actor=request.user
        ),
    )
    if closed is not NOT_DONE:
        return _saved(request, _("%(unit)s was closed.") % {"unit": unit}, unit)
    return render(
        request,
        "organisation/unit_form.html",
        {
            "form": form,
            "unit": unit,
            "title": _("Close %(unit)s") % {"unit": unit},
            "explanation": _("Only a unit with no active unit under it can be closed."),
            "danger": True,
        },
    )
