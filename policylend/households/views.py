"""Pages of the household register. Thin: read the form, call one selector or service, render.

A household outside the viewer's scope is "not found" (404); a change by a role that may not keep
the register is refused (403). Nothing that can carry a national ID travels in a URL: the search
and every form with an ID are POSTed, and the full ID is shown only in answer to a POST."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from policylend.core.errors import DomainError, Forbidden, NotFound
from policylend.core.forms import NOT_DONE, submit
from policylend.core.pagination import PAGE_SIZE
from policylend.users import access
from policylend.users.roles import Capability

from . import selectors, services
from .forms import (
    ClassificationForm,
    HouseholdEditForm,
    HouseholdForm,
    HouseholdSearchForm,
    PersonForm,
    add_household_problems,
    member_form,
    member_formset,
    with_one_more_member,
)
from .models import Relationship
from .rules import MEMBERS_MAX, PersonInput, mask_national_id

PASSED_ON = (NotFound, Forbidden)
# Without a commune chosen, the village filter lists every village in scope only when there are
# not too many (an office has about a hundred; a branch two thousand).
VILLAGE_CHOICES_MAX = 300


def viewer_required(view):
    """Logged in, and the role may read the household register."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        access.require(request.user, Capability.VIEW_HOUSEHOLDS)
        return view(request, *args, **kwargs)

    return wrapped


def require_manager(request) -> None:
    access.require(request.user, Capability.MANAGE_HOUSEHOLDS)


def _saved(request, message: str, household):
    messages.success(request, message)
    return redirect("households:detail", household_id=household.pk)


# --- list and search ------------------------------------------------------------------------------


def _search_villages(viewer, commune):
    villages = selectors.village_choices(viewer, commune_id=commune.pk if commune else None)
    if commune is None and villages.count() > VILLAGE_CHOICES_MAX:
        return villages.none()
    return villages


@viewer_required
@require_http_methods(["GET", "POST"])
def household_list(request):
    """The households in scope. The search box and filters are one POSTed form (htmx posts it
    as the user types); its pages are buttons of that form, so the query never reaches a URL."""
    communes = selectors.commune_choices(request.user)
    data = request.POST if request.method == "POST" else None
    commune = None
    if data and data.get("commune", "").isdigit():
        commune = communes.filter(pk=int(data["commune"])).first()
    form = HouseholdSearchForm(
        data, communes=communes, villages=_search_villages(request.user, commune)
    )
    filters = form.cleaned_data if form.is_valid() else {}
    village = filters.get("village")
    households = selectors.household_list(
        request.user,
        search=filters.get("q") or "",
        commune_id=commune.pk if commune else None,
        village_id=village.pk if village else None,
        status=filters.get("status") or None,
    )
    paginator = Paginator(households, PAGE_SIZE)
    page = paginator.get_page(filters.get("page") or request.GET.get("page") or 1)
    page.object_list = selectors.with_member_counts(page.object_list)
    context = {
        "form": form,
        "page": page,
        "can_manage": access.can(request.user, Capability.MANAGE_HOUSEHOLDS),
    }
    if request.htmx and request.method == "POST":
        return render(request, "households/partials/results.html", {**context, "oob": True})
    return render(request, "households/household_list.html", context)


# --- registering a household ----------------------------------------------------------------------


def _member_inputs(formset) -> list[PersonInput]:
    return [form.person_input() for form in formset.filled_forms()]


@viewer_required
@require_http_methods(["GET", "POST"])
def household_create(request):
    """Register a household: where it lives, its head and its members, in one form."""
    require_manager(request)
    adding = "add_member" in request.POST
    data = None
    if request.method == "POST":
        data = with_one_more_member(request.POST) if adding else request.POST
    villages = selectors.village_choices(request.user)
    initial = {}
    if request.GET.get("village", "").isdigit():
        initial["village"] = villages.filter(pk=int(request.GET["village"])).first()
    form = HouseholdForm(data, villages=villages, initial=initial)
    head_form = PersonForm(data, prefix="head", head=True)
    formset = member_formset(data)
    posted = request.method == "POST" and not adding
    if posted and form.is_valid() and head_form.is_valid() and formset.is_valid():
        try:
            household = services.household_create(
                actor=request.user,
                village=form.cleaned_data["village"],
                head=head_form.person_input(relationship=Relationship.HEAD),
                members=_member_inputs(formset),
                code=form.cleaned_data["code"] or None,
                address=form.cleaned_data["address"],
                phone=form.cleaned_data["phone"],
                ethnicity=form.cleaned_data["ethnicity"],
            )
        except PASSED_ON:
            raise
        except DomainError as error:
            add_household_problems(form, head_form, formset, error)
        else:
            return _saved(
                request,
                _("Household %(code)s was registered.") % {"code": household.code},
                household,
            )
    return render(
        request,
        "households/household_create.html",
        {
            "form": form,
            "head_form": head_form,
            "formset": formset,
            # After "add a member" the form comes back without complaints about blank rows.
            "show_errors": posted,
            "members_max": MEMBERS_MAX,
        },
    )


@viewer_required
@require_GET
def member_row(request):
    """One more blank member row (htmx), with the formset's updated row count."""
    require_manager(request)
    try:
        index = int(request.GET.get("index", ""))
    except ValueError:
        raise BadRequest("index") from None
    if not 0 <= index < MEMBERS_MAX:
        raise BadRequest("index")
    return render(
        request,
        "households/partials/member_row_added.html",
        {
            "member": member_form(index),
            "index": index,
            "next_index": index + 1,
            "members_max": MEMBERS_MAX,
        },
    )


# --- one household --------------------------------------------------------------------------------


@viewer_required
def household_detail(request, household_id: int):
    dossier = selectors.household_dossier(request.user, household_id)
    return render(
        request,
        "households/household_detail.html",
        {"dossier": dossier, "household": dossier.household},
    )


@viewer_required
@require_http_methods(["GET", "POST"])
def household_edit(request, household_id: int):
    household = selectors.household_get(request.user, household_id)
    require_manager(request)
    initial = {
        "village": household.village,
        "phone": household.phone,
        "ethnicity": household.ethnicity,
        "address": household.address,
        "status": household.status,
    }
    form = HouseholdEditForm(
        request.POST or None, initial=initial, villages=selectors.village_choices(request.user)
    )
    saved = submit(
        request,
        form,
        lambda data: services.household_update(
            actor=request.user,
            household=household,
            village=data["village"],
            address=data["address"],
            phone=data["phone"],
            ethnicity=data["ethnicity"],
            status=data["status"],
        ),
        passed_on=PASSED_ON,
    )
    if saved is not NOT_DONE:
        return _saved(
            request,
            _("The changes to household %(code)s were saved.") % {"code": saved.code},
            saved,
        )
    return _form_page(
        request, form, household, _("Edit household %(code)s") % {"code": household.code}
    )


def _form_page(request, form, household, title: str, explanation: str = ""):
    return render(
        request,
        "households/form.html",
        {"form": form, "household": household, "title": title, "explanation": explanation},
    )


@viewer_required
@require_http_methods(["GET", "POST"])
def person_add(request, household_id: int):
    household = selectors.household_get(request.user, household_id)
    require_manager(request)
    form = PersonForm(request.POST or None)
    person = submit(
        request,
        form,
        lambda data: services.person_add(
            actor=request.user, household=household, person=form.person_input()
        ),
        passed_on=PASSED_ON,
    )
    if person is not NOT_DONE:
        return _saved(
            request,
            _("%(name)s was added to household %(code)s.")
            % {"name": person.full_name, "code": household.code},
            household,
        )
    return _form_page(
        request, form, household, _("New member of household %(code)s") % {"code": household.code}
    )


@viewer_required
@require_http_methods(["GET", "POST"])
def person_edit(request, person_id: int):
    person = selectors.person_get(request.user, person_id)
    household = person.household
    require_manager(request)
    is_head = household.head_id == person.pk
    initial = {
        "full_name": person.full_name,
        "sex": person.sex,
        "relationship": person.relationship,
        "birth_date": person.birth_date,
    }
    form = PersonForm(
        request.POST or None,
        initial=initial,
        head=is_head,
        keeps_id=mask_national_id(person.national_id),
    )
    saved = submit(
        request,
        form,
        lambda data: services.person_update(
            actor=request.user,
            person=person,
            data=form.person_input(relationship=Relationship.HEAD if is_head else None),
        ),
        passed_on=PASSED_ON,
    )
    if saved is not NOT_DONE:
        return _saved(
            request, _("The changes to %(name)s were saved.") % {"name": saved.full_name}, household
        )
    return _form_page(request, form, household, _("Edit %(name)s") % {"name": person.full_name})


@never_cache
@viewer_required
@require_POST
def national_id_reveal(request, person_id: int):
    """A member's national ID in full, for a role that may see it; the showing is logged. With
    htmx the number replaces the masked one in place; without, a small page shows it."""
    person = selectors.person_get(request.user, person_id)
    national_id = services.national_id_reveal(
        viewer=request.user, person=person, where=f"web: household {person.household.code}"
    )
    context = {"person": person, "national_id": national_id}
    if request.htmx:
        return render(request, "households/partials/national_id.html", context)
    return render(request, "households/national_id.html", context)


@viewer_required
@require_http_methods(["GET", "POST"])
def classification_add(request, household_id: int):
    household = selectors.household_get(request.user, household_id)
    require_manager(request)
    form = ClassificationForm(request.POST or None)
    classification = submit(
        request,
        form,
        lambda data: services.classification_add(
            actor=request.user,
            household=household,
            year=data["year"],
            kind=data["kind"],
            exit_year=data["exit_year"],
            certified_by=data["certified_by"],
            certified_on=data["certified_on"],
        ),
        passed_on=PASSED_ON,
    )
    if classification is not NOT_DONE:
        return _saved(
            request,
            _("“%(kind)s” for %(year)d was recorded.")
            % {"kind": classification.get_kind_display(), "year": classification.year},
            household,
        )
    return _form_page(
        request,
        form,
        household,
        _("New certified classification of household %(code)s") % {"code": household.code},
        _(
            "Record a place on the commune's certified list as the People's Committee decided "
            "it: the year of the list, the decision and its date."
        ),
    )
