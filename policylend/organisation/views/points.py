from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from policylend.core.forms import NOT_DONE, submit
from policylend.core.pagination import paginate

from .. import selectors, services
from ..forms import PointCreateForm, PointEditForm, PointFilterForm
from .common import can_manage, require_manager, viewer_required


@viewer_required
def point_list(request):
    form = PointFilterForm(request.GET or None, offices=selectors.office_choices(request.user))
    filters = form.cleaned_data if form.is_valid() else {}
    office = filters.get("office")
    points = selectors.transaction_point_list(
        request.user,
        active_only=not filters.get("closed"),
        search=filters.get("q") or "",
        office_id=office.pk if office else None,
        session_day=filters.get("session_day"),
    )
    return render(
        request,
        "organisation/point_list.html",
        {
            "form": form,
            "page": paginate(request, points.order_by("commune__path", "code")),
            "can_manage": can_manage(request),
        },
    )


@viewer_required
def point_detail(request, point_id: int):
    point = selectors.transaction_point_get(request.user, point_id)
    return render(
        request,
        "organisation/point_detail.html",
        {
            "point": point,
            "can_manage": can_manage(request),
        },
    )


def _initial_for_commune(communes, commune_id: str) -> dict:
    commune = communes.filter(pk=int(commune_id)).first() if commune_id.isdigit() else None
    if commune is None:
        return {}
    return {"commune": commune, "code": f"TXN{commune.code}", "address": commune.address}


@viewer_required
def point_create(request):
    require_manager(request)
    communes = selectors.communes_without_point(request.user)
    initial = {
        "opened_on": timezone.localdate(),
        **_initial_for_commune(communes, request.GET.get("commune", "")),
    }
    form = PointCreateForm(request.POST or None, initial=initial, communes=communes)
    point = submit(
        request,
        form,
        lambda data: services.transaction_point_create(
            commune=data["commune"],
            code=data["code"],
            name=data["name"],
            session_day=data["session_day"],
            address=data["address"],
            opened_on=data["opened_on"],
            actor=request.user,
        ),
    )
    if point is not NOT_DONE:
        messages.success(
            request, _("The transaction point %(point)s was opened.") % {"point": point}
        )
        return redirect("organisation:point_detail", point_id=point.pk)
    return render(
        request, "organisation/point_form.html", {"form": form, "title": _("New transaction point")}
    )


@viewer_required
def point_edit(request, point_id: int):
    point = selectors.transaction_point_get(request.user, point_id)
    require_manager(request)
    initial = {"name": point.name, "session_day": point.session_day, "address": point.address}
    form = PointEditForm(request.POST or None, initial=initial)
    saved = submit(
        request,
        form,
        lambda data: services.transaction_point_update(
            point=point,
            name=data["name"],
            session_day=data["session_day"],
            address=data["address"],
            actor=request.user,
        ),
    )
    if saved is not NOT_DONE:
        messages.success(request, _("The changes to %(point)s were saved.") % {"point": point})
        return redirect("organisation:point_detail", point_id=point.pk)
    return render(
        request,
        "organisation/point_form.html",
        {
            "form": form,
            "point": point,
            "title": _("Edit %(point)s") % {"point": point},
        },
    )
