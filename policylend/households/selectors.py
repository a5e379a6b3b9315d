"""Reads of the household register, always scoped by the viewer: a household outside the
viewer's scope does not exist for them (NotFound), exactly like one that does not exist.

Search is what a Vietnamese user expects: the query is folded like the stored names
(``core.text.fold``: accents and đ/Đ), so "nguyen van duc" finds "Nguyễn Văn Đức" on SQLite and
PostgreSQL alike (the comparison is on folded text, never on the database's own lower()); a number
is read as the start of a customer code, part of a phone number or the last four digits of a
national ID. A full national ID is matched only for a role that may see IDs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.utils.translation import gettext as _

from policylend.core.errors import NotFound
from policylend.organisation.models import OrganisationUnit, UnitKind, UnitStatus
from policylend.users import access
from policylend.users.roles import Capability

from .models import Classification, Household, NationalIdView, Person
from .rules import NATIONAL_ID_LENGTH, audit_mask, ethnicity_label, search_terms

HISTORY_ROWS_MAX = 100
# Columns the history leaves out: the row's id, copies kept for search, and creation times
# (the "when" column says it).
HISTORY_HIDDEN = frozenset(
    {"id", "national_id_last4", "search_name", "search_text", "created_at", "recorded_at"}
)
PHONE_DIGITS_MIN = 4


def households_visible_to(viewer) -> QuerySet[Household]:
    access.require(viewer, Capability.VIEW_HOUSEHOLDS)
    return Household.objects.filter(access.placed_q(viewer))


def _matching_people(words: tuple[str, ...]) -> QuerySet[Person]:
    condition = Q()
    for word in words:
        condition &= Q(search_name__contains=word)
    return Person.objects.filter(condition, is_active=True)


def _search(viewer, households: QuerySet[Household], text: str) -> QuerySet[Household]:
    terms = search_terms(text)
    if terms.words:
        # Any member's name (the head's included); households whose head matches come first.
        head = Q()
        for word in terms.words:
            head &= Q(search_text__contains=word)
        people = _matching_people(terms.words).values("household_id")
        if len(terms.words) == 1:
            # One word ("duc") matches a third of a province: in code order the first page is
            # found without sorting every match.
            return households.filter(pk__in=people)
        return households.filter(pk__in=people).annotate(
            head_first=Case(
                When(head, then=Value(0)), default=Value(1), output_field=IntegerField()
            )
        )
    if terms.digits:
        condition = Q(code__startswith=terms.digits)
        if len(terms.phone) >= PHONE_DIGITS_MIN:
            condition |= Q(phone__contains=terms.phone)
        if len(terms.digits) == 4:
            last4 = Person.objects.filter(national_id_last4=terms.digits, is_active=True)
            condition |= Q(pk__in=last4.values("household_id"))
        if len(terms.digits) == NATIONAL_ID_LENGTH and access.can(
            viewer, Capability.VIEW_NATIONAL_ID
        ):
            holder = Person.objects.filter(national_id=terms.digits)
            condition |= Q(pk__in=holder.values("household_id"))
        return households.filter(condition)
    return households


def household_list(
    viewer,
    *,
    search: str = "",
    commune_id: int | None = None,
    village_id: int | None = None,
    status: str | None = None,
    office_id: int | None = None,
) -> QuerySet[Household]:
    """Households in the viewer's scope, filtered and searched (see the module's docstring),
    with their head and village; ``with_member_counts`` adds the members of a page."""
    households = households_visible_to(viewer)
    if office_id is not None:
        households = households.filter(office_id=office_id)
    if commune_id is not None:
        households = households.filter(commune_id=commune_id)
    if village_id is not None:
        households = households.filter(village_id=village_id)
    if status:
        households = households.filter(status=status)
    households = _search(viewer, households, search)
    ordering = ["head_first", "code"] if "head_first" in households.query.annotations else ["code"]
    return households.select_related("head", "village", "commune").order_by(*ordering)


def with_member_counts(households) -> list[Household]:
    """The households of one page, each with ``member_count`` (its active members): one query
    for the page, rather than counting for every household that matched."""
    households = list(households)
    counts = dict(
        Person.objects.filter(household__in=households, is_active=True)
        .values("household_id")
        .annotate(n=Count("pk"))
        .values_list("household_id", "n")
    )
    for household in households:
        household.member_count = counts.get(household.pk, 0)
    return households


def household_get(viewer, household_id: int) -> Household:
    household = (
        households_visible_to(viewer)
        .select_related("head", "village", "commune", "office", "branch")
        .filter(pk=household_id)
        .first()
    )
    if household is None:
        raise NotFound("not_found", _("No such household in your scope."))
    return household


def person_get(viewer, person_id: int) -> Person:
    access.require(viewer, Capability.VIEW_HOUSEHOLDS)
    person = (
        Person.objects.filter(access.placed_q(viewer, "household__"), pk=person_id)
        .select_related("household__village", "household__head")
        .first()
    )
    if person is None:
        raise NotFound("not_found", _("No such member in your scope."))
    return person


def household_members(household: Household) -> list[Person]:
    """The members, the head first, then in the order they were registered."""
    members = list(household.members.all().order_by("id"))
    members.sort(key=lambda person: (person.pk != household.head_id, not person.is_active))
    return members


def household_classifications(household: Household) -> QuerySet[Classification]:
    return household.classifications.select_related("recorded_by").order_by("-year", "kind")


@dataclass(frozen=True)
class HistoryRow:
    """One recorded change: when, who, to what (the household, a member, a classification)."""

    timestamp: Any
    actor: Any
    what: str
    action: str
    changes: list[tuple[str, str, str]]


def _history_changes(entry) -> list[tuple[str, str, str]]:
    """(field, before, after) for display; a national ID is shown masked whatever the log
    holds, an ethnicity by its name."""
    model = entry.content_type.model_class()
    display = entry.changes_display_dict
    rows = []
    for name, values in (entry.changes_dict or {}).items():
        if name in HISTORY_HIDDEN:
            continue
        try:
            model_field = model._meta.get_field(name)
        except FieldDoesNotExist:  # a field that no longer exists
            continue
        if not model_field.concrete:  # a relation pointing at the row, not a column of it
            continue
        label = str(model_field.verbose_name)
        before, after = (display.get(label) or values or ["", ""])[:2]
        if name == "national_id":
            before, after = audit_mask(str(values[0])), audit_mask(str(values[1]))
        elif name == "ethnicity":
            before, after = ethnicity_label(str(values[0])), ethnicity_label(str(values[1]))
        rows.append((label, "" if before == "None" else before, "" if after == "None" else after))
    return rows


def household_history(household: Household) -> list[HistoryRow]:
    """The audit records of the household, its members and its classifications, newest first
    (the page is reached through ``household_get``, so the viewer's scope is already checked)."""
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    types = ContentType.objects.get_for_models(Household, Person, Classification)
    member_ids = list(household.members.values_list("pk", flat=True))
    classification_ids = list(household.classifications.values_list("pk", flat=True))
    entries = (
        LogEntry.objects.filter(
            Q(content_type=types[Household], object_id=household.pk)
            | Q(content_type=types[Person], object_id__in=member_ids)
            | Q(content_type=types[Classification], object_id__in=classification_ids)
        )
        .select_related("actor", "content_type")
        .order_by("-timestamp", "-id")[:HISTORY_ROWS_MAX]
    )
    return [
        HistoryRow(
            timestamp=entry.timestamp,
            actor=entry.actor,
            what=f"{entry.content_type.name}: {entry.object_repr}",
            action=entry.get_action_display(),
            changes=_history_changes(entry),
        )
        for entry in entries
    ]


def national_id_views(viewer, household: Household) -> QuerySet[NationalIdView]:
    """Who saw the household's national IDs in full, for the roles that audit."""
    access.require(viewer, Capability.VIEW_AUDIT)
    return (
        NationalIdView.objects.filter(person__household=household)
        .select_related("viewer", "person")
        .order_by("-viewed_at")
    )


@dataclass
class HouseholdDossier:
    """Everything the household page shows."""

    household: Household
    members: list[Person]
    classifications: list[Classification]
    history: list[HistoryRow]
    id_views: list[NationalIdView] = field(default_factory=list)
    can_manage: bool = False
    can_reveal: bool = False
    can_audit: bool = False


def household_dossier(viewer, household_id: int) -> HouseholdDossier:
    household = household_get(viewer, household_id)
    can_audit = access.can(viewer, Capability.VIEW_AUDIT)
    return HouseholdDossier(
        household=household,
        members=household_members(household),
        classifications=list(household_classifications(household)),
        history=household_history(household),
        id_views=list(national_id_views(viewer, household)[:HISTORY_ROWS_MAX]) if can_audit else [],
        can_manage=access.can(viewer, Capability.MANAGE_HOUSEHOLDS),
        can_reveal=access.can(viewer, Capability.VIEW_NATIONAL_ID),
        can_audit=can_audit,
    )


def village_choices(viewer, *, commune_id: int | None = None) -> QuerySet[OrganisationUnit]:
    """Active villages in the viewer's scope, where a household may be registered."""
    villages = access.units_visible_to(viewer).filter(
        kind=UnitKind.VILLAGE, status=UnitStatus.ACTIVE
    )
    if commune_id is not None:
        villages = villages.filter(parent_id=commune_id)
    return villages.select_related("parent").order_by("path")


def commune_choices(viewer) -> QuerySet[OrganisationUnit]:
    return (
        access.units_visible_to(viewer)
        .filter(kind=UnitKind.COMMUNE, status=UnitStatus.ACTIVE)
        .order_by("path")
    )
