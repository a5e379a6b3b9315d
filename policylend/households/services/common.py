"""What the household services share: who may write where, the checks that need the database
(each one query for a whole batch) and building member rows."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from policylend.core.errors import DomainError, Problem
from policylend.core.text import fold
from policylend.organisation.models import OrganisationUnit, UnitKind
from policylend.users import access
from policylend.users.roles import Capability

from ..error_codes import HouseholdErrorCode as E
from ..models import Household, HouseholdStatus, Person
from ..rules import PersonInput

# SQLite allows a limited number of variables in one statement; IN lists are sent in chunks.
IN_CHUNK = 1_000
# Rows per INSERT (PostgreSQL inserts a batch as arrays; SQLite's limit on variables still
# applies, and Django splits further there).
BULK_BATCH = 5_000


def bank_today(today: date | None) -> date:
    return today or timezone.localdate()


def require_manage(actor, unit: OrganisationUnit) -> None:
    """The actor may keep the register of ``unit`` (403 otherwise). ``None`` is the system
    itself: the demo generator and fixtures."""
    if actor is None:
        return
    access.require(actor, Capability.MANAGE_HOUSEHOLDS)
    access.require_unit(actor, unit)


def require_active(household: Household) -> None:
    if household.status != HouseholdStatus.ACTIVE:
        raise DomainError(
            E.HOUSEHOLD_INACTIVE,
            _("Household %(code)s is “%(status)s”; only an active household can be changed.")
            % {"code": household.code, "status": household.get_status_display()},
            "household",
        )


def village_problems(village: OrganisationUnit, field: str = "village") -> list[Problem]:
    if village.kind != UnitKind.VILLAGE:
        return [
            Problem(
                E.VILLAGE_NOT_A_VILLAGE,
                _("A household lives in a village; %(unit)s is not a village.") % {"unit": village},
                field,
            )
        ]
    if not village.is_active:
        return [
            Problem(
                E.VILLAGE_INACTIVE,
                _("%(unit)s is no longer active.") % {"unit": village},
                field,
            )
        ]
    return []


def village_places(village: OrganisationUnit) -> dict[str, int]:
    """The branch, office and commune a village belongs to, read from its path
    (/branch/office/commune/village/): no query."""
    branch_id, office_id, commune_id, _village_id = village.ancestor_ids()
    return {"branch_id": branch_id, "office_id": office_id, "commune_id": commune_id}


def chunks(items: Sequence, size: int = IN_CHUNK) -> Iterable[Sequence]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def taken_id_problems(
    actor, people: Sequence[tuple[str, str | None]], exclude_person_ids: Iterable[int] = ()
) -> list[Problem]:
    """National IDs already registered for someone else: ``people`` is (field prefix, ID).
    Inside the actor's scope the message names the person and the household; outside it, it
    says only that the ID is registered, so whose household it is does not leak."""
    wanted = [national_id for _field, national_id in people if national_id]
    if not wanted:
        return []
    exclude = set(exclude_person_ids)
    holders: dict[str, Person] = {}
    for part in chunks(sorted(set(wanted))):
        for person in Person.objects.filter(national_id__in=part).select_related(
            "household__village"
        ):
            if person.pk not in exclude:
                holders[person.national_id] = person
    problems = []
    for field, national_id in people:
        holder = holders.get(national_id or "")
        if holder is None:
            continue
        if actor is None or access.unit_visible(actor, holder.household.village):
            message = _(
                "This national ID is already registered for %(name)s of household %(code)s."
            ) % {"name": holder.full_name, "code": holder.household.code}
        else:
            message = _(
                "This national ID is already registered for a person outside your scope; "
                "ask the branch to check it."
            )
        problems.append(Problem(E.NATIONAL_ID_TAKEN, message, f"{field}national_id"))
    return problems


def taken_code_problems(codes: Sequence[tuple[str, str]]) -> list[Problem]:
    """Customer codes already used: ``codes`` is (field, code)."""
    wanted = sorted({code for _field, code in codes})
    taken: set[str] = set()
    for part in chunks(wanted):
        taken |= set(Household.objects.filter(code__in=part).values_list("code", flat=True))
    return [
        Problem(E.CODE_TAKEN, _("The customer code %(code)s is already used.") % {"code": code}, f)
        for f, code in codes
        if code in taken
    ]


def person_row(household: Household, person: PersonInput) -> Person:
    """A member row ready for bulk_create (which skips ``Person.save``, so the folded name and
    the ID's last four digits are set here)."""
    return Person(
        household=household,
        full_name=person.full_name,
        search_name=fold(person.full_name),
        sex=person.sex,
        birth_date=person.birth_date,
        relationship=person.relationship,
        national_id=person.national_id,
        national_id_last4=(person.national_id or "")[-4:],
    )
