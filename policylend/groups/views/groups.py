"""The list of groups, a group's page, founding a group and changing its name and villages."""

from __future__ import annotations

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from policylend.associations.models import Association
from policylend.core.forms import NOT_DONE, submit
from policylend.core.pagination import paginate
from policylend.organisation.models import OrganisationUnit
from policylend.users import access

from .. import selectors, services
from ..forms import GroupCreateForm, GroupEditForm, GroupFilterForm
from .common import (
    can_manage,
    can_record_meetings,
    require_manager,
    to_group,
    viewer_required,
)


def _associations(request):
    association_id = access.scope_of(request.user).association_id
    associations = Association.objects.order_by("code")
    return associations.filter(pk=association_id) if association_id else associations


@viewer_required
def group_list(request):
    form = GroupFilterForm(
        request.GET or None,
        offices=selectors.office_choices(request.user),
        communes=selectors.commune_choices(request.user),
        associations=_associations(request),
    )
    filters = form.cleaned_data if form.is_valid() else {}
    office, commune, association = (filters.get(k) for k in ("office", "commune", "association"))
    groups = selectors.group_list(
        request.user,
        search=filters.get("q") or "",
        office_id=office.pk if office else None,
        commune_id=commune.pk if commune else None,
        association_id=association.pk if association else None,
        status=filters.get("status") or None,
    )
    return render(
        request,
        "groups/group_list.html",
        {
            "form": form,
            "page": paginate(request, groups.order_by("commune__code", "code")),
            "can_manage": can_manage(request),
            "members_min": selectors.MEMBERS_MIN,
        },
    )


@viewer_required
def group_detail(request, group_id: int):
    dossier = selectors.group_dossier(request.user, group_id)
    return render(
        request,
        "groups/group_detail.html",
        {
            "dossier": dossier,
            "group": dossier.group,
            "can_manage": can_manage(request) and dossier.group.status == "active",
            "can_record_meetings": can_record_meetings(request)
            and dossier.group.status == "active",
            "members_min": selectors.MEMBERS_MIN,
        },
    )


def _pick(queryset, value):
    value = str(value or "")
    return queryset.filter(pk=int(value)).first() if value.isdigit() else None


def _ids(values) -> list[int]:
    return [int(v) for v in values if str(v).isdigit()]


def _create_choices(request, data) -> dict:
    """The choices that follow from the village chosen: the other villages of its commune, the
    commune's association units and the households of the chosen villages."""
    villages = selectors.village_choices(request.user).select_related("parent").order_by("code")
    village: OrganisationUnit | None = _pick(villages, data.get("village"))
    commune_id = village.parent_id if village else None
    adjacent = selectors.commune_villages(commune_id)
    if village is not None:
        adjacent = adjacent.exclude(pk=village.pk)
    if request.method == "POST":
        households = selectors.commune_households(request.user, commune_id)
    else:
        chosen = set(
            adjacent.filter(pk__in=_ids(data.getlist("adjacent_villages"))).values_list(
                "pk", flat=True
            )
        )
        households = selectors.free_households(
            request.user, ({village.pk} if village else set()) | chosen
        )
    return {
        "villages": villages,
        "adjacent": adjacent,
        "association_units": selectors.association_unit_choices(request.user, commune_id),
        "households": households,
    }


@viewer_required
def group_create(request):
    require_manager(request)
    data = request.POST if request.method == "POST" else request.GET
    initial = {"founded_on": timezone.localdate()}
    if request.method == "GET":
        initial |= {
            key: request.GET[key]
            for key in request.GET
            if key not in ("adjacent_villages", "households")
        }
        initial["adjacent_villages"] = _ids(request.GET.getlist("adjacent_villages"))
        initial["households"] = _ids(request.GET.getlist("households"))
    form = GroupCreateForm(
        request.POST or None,
        initial=initial,
        reload_url=reverse("groups:create"),
        **_create_choices(request, data),
    )
    group = submit(
        request,
        form,
        lambda data: services.group_create(
            actor=request.user,
            code=data["code"],
            name=data["name"],
            village=data["village"],
            association_unit=data["association_unit"],
            founded_on=data["founded_on"],
            approval_decision=data["approval_decision"],
            approval_decision_on=data["approval_decision_on"],
            households=list(data["households"]),
            adjacent_villages=list(data["adjacent_villages"]),
        ),
    )
    if group is not NOT_DONE:
        return to_group(request, _("The group %(group)s was founded.") % {"group": group}, group.pk)
    return render(request, "groups/group_create.html", {"form": form, "title": _("New group")})


@viewer_required
def group_edit(request, group_id: int):
    group = selectors.group_get(request.user, group_id)
    require_manager(request)
    adjacent = selectors.commune_villages(group.commune_id).exclude(pk=group.village_id)
    form = GroupEditForm(
        request.POST or None,
        initial={
            "name": group.name,
            "adjacent_villages": list(
                group.villages.exclude(pk=group.village_id).values_list("pk", flat=True)
            ),
        },
        adjacent=adjacent,
    )
    saved = submit(
        request,
        form,
        lambda data: services.group_update(
            actor=request.user,
            group=group,
            name=data["name"],
            adjacent_villages=list(data["adjacent_villages"]),
        ),
    )
    if saved is not NOT_DONE:
        return to_group(
            request, _("The changes to %(group)s were saved.") % {"group": group}, group.pk
        )
    return render(
        request,
        "groups/form.html",
        {"form": form, "group": group, "title": _("Edit %(group)s") % {"group": group}},
    )
