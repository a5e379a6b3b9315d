"""Members of a household: add, correct, show a national ID in full (logged), and record a family
tie with a member of another household."""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from policylend.core.errors import DomainError, NotFound, Problem
from policylend.core.text import fold
from policylend.users import access
from policylend.users.roles import Capability

from ..error_codes import HouseholdErrorCode as E
from ..models import Household, Kinship, NationalIdView, Person
from ..rules import PersonInput, clean_person, person_problems
from .common import bank_today, person_row, require_active, require_manage, taken_id_problems

WHERE_LENGTH_MAX = 100


def _checked(actor, person: PersonInput, *, as_head: bool, today: date, exclude_id=None):
    person = clean_person(person)
    problems = person_problems(person, field="", today=today, as_head=as_head)
    if not problems:
        problems = taken_id_problems(actor, [("", person.national_id)], [exclude_id or 0])
    if problems:
        raise DomainError.of(problems)
    return person


def _saved(actor, person: Person, national_id: str | None, exclude_id, **save):
    """Save; a registration that raced ours to the same ID is reported like any taken ID."""
    try:
        with transaction.atomic():
            person.save(**save)
    except IntegrityError:
        problems = taken_id_problems(actor, [("", national_id)], [exclude_id or 0])
        if problems:
            raise DomainError.of(problems) from None
        raise
    return person


def person_add(
    *, actor, household: Household, person: PersonInput, today: date | None = None
) -> Person:
    """Add a member to an active household (the household has its head already: a new member's
    relationship is to that head)."""
    require_manage(actor, household.village)
    require_active(household)
    data = _checked(actor, person, as_head=False, today=bank_today(today))
    return _saved(actor, person_row(household, data), data.national_id, None)


def person_update(*, actor, person: Person, data: PersonInput, today: date | None = None) -> Person:
    """Correct a member's name, sex, birth date, relationship or national ID. The head keeps the
    relationship "head"; nobody else takes it. ``data.national_id`` None keeps the registered
    ID (pages never show it, so they cannot send it back); a value replaces it."""
    household = person.household
    require_manage(actor, household.village)
    is_head = household.head_id == person.pk
    cleaned = _checked(actor, data, as_head=is_head, today=bank_today(today), exclude_id=person.pk)
    person.full_name, person.sex = cleaned.full_name, cleaned.sex
    person.birth_date, person.relationship = cleaned.birth_date, cleaned.relationship
    fields = ["full_name", "sex", "birth_date", "relationship"]
    if cleaned.national_id is not None:
        person.national_id = cleaned.national_id
        fields.append("national_id")
    with transaction.atomic():
        _saved(actor, person, person.national_id, person.pk, update_fields=fields)
        if is_head and household.search_text != fold(person.full_name):
            household.search_text = fold(person.full_name)
            household.save(update_fields=["search_text"])
    return person


def national_id_reveal(*, viewer, person: Person, where: str) -> str:
    """The member's national ID in full, for a role that may see it (Law 91/2025 on personal
    data): each showing is logged — who, whose, when, on which page. "" when none is recorded."""
    access.require(viewer, Capability.VIEW_NATIONAL_ID)
    if not access.unit_visible(viewer, person.household.village):
        raise NotFound("not_found", _("No such member in your scope."))
    if not person.national_id:
        return ""
    NationalIdView.objects.create(
        viewer=viewer, person=person, where=(where or "")[:WHERE_LENGTH_MAX]
    )
    return person.national_id


def kinship_record(*, actor, person: Person, relative: Person, tie: str) -> Kinship:
    """Record that ``person`` is the spouse, parent or sibling of ``relative``, a member of
    another household (ties inside one household follow from the relationship to the head).
    The board rule of the groups reads these ties in both directions."""
    require_manage(actor, person.household.village)
    require_manage(actor, relative.household.village)
    problems = []
    if tie not in Kinship.Tie.values:
        problems.append(Problem(E.RELATIONSHIP_UNKNOWN, _("Choose the family tie."), "tie"))
    if person.household_id == relative.household_id:
        problems.append(
            Problem(
                E.RELATIONSHIP_UNKNOWN,
                _(
                    "Both are members of household %(code)s: their tie follows from their "
                    "relationships to its head."
                )
                % {"code": person.household.code},
                "relative",
            )
        )
    if problems:
        raise DomainError.of(problems)
    existing = Kinship.objects.filter(person=relative, relative=person).first()
    if existing is not None:
        return existing
    kinship, _created = Kinship.objects.get_or_create(
        person=person, relative=relative, defaults={"tie": tie}
    )
    return kinship
