"""Write a registers plan (policylend.demo.registers) through the services of the associations,
households and groups apps, inside the demo's one database transaction.

Association units and contracts go one by one through ``association_unit_create`` and
``contract_create`` (820 each at province scale); households through ``households_create_bulk``
in batches, their certified classifications through ``classification_add``; groups with their
members and boards through ``groups_create_bulk``. The services check every rule, so a plan that
broke one would stop the load and leave nothing behind.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from policylend.associations.models import Association, AssociationUnit
from policylend.associations.rules import TermsInput
from policylend.associations.services import association_unit_create, contract_create
from policylend.groups.services import BULK_GROUPS_MAX, GroupSpec, groups_create_bulk
from policylend.households.models import Household, Person
from policylend.households.services import (
    HouseholdInput,
    PersonInput,
    classification_add,
    households_create_bulk,
)
from policylend.organisation.models import OrganisationUnit

from .registers import BoardSeat, HouseholdPlan, RegistersPlan

# Households per call of households_create_bulk: one batch's members (about 20,000 persons)
# are held in memory at a time.
HOUSEHOLD_BATCH = 5_000
# Ids per IN list when reading the board members back (SQLite's limit on variables).
IDS_PER_QUERY = 1_000


@dataclass(frozen=True)
class _Written:
    """What later steps need of a household written: its id and village (no member objects)."""

    pk: int
    village_id: int


def registers_load(
    *, registers: RegistersPlan, units: dict[str, OrganisationUnit], admin, staff, today
) -> dict[str, int]:
    """Association units and contracts are the system administrator's work; households,
    classifications and groups the branch staff's (the roles that may do each)."""
    association_units = _association_units_create(registers, units, admin)
    contracts = _contracts_create(registers, units, association_units, admin)
    households, classifications = _households_create(registers, units, staff, today)
    seats = _board_persons(registers, households)
    groups, memberships = _groups_create(
        registers, units, association_units, households, seats, staff, today
    )
    return {
        "association_units": len(association_units),
        "contracts": contracts,
        "households": len(households),
        "persons": sum(len(household.people) for household in registers.households),
        "classifications": classifications,
        "groups": groups,
        "memberships": memberships,
    }


def _association_units_create(
    registers: RegistersPlan, units: dict[str, OrganisationUnit], admin
) -> dict[tuple[str, str], AssociationUnit]:
    associations = {a.code: a for a in Association.objects.all()}
    created = {}
    for spec in registers.association_units:
        created[spec.association_code, spec.place_code] = association_unit_create(
            actor=admin,
            association=associations[spec.association_code],
            unit=units[spec.place_code],
            name=spec.name,
            chair_name=spec.chair_name,
            phone=spec.phone,
        )
    return created


def _contracts_create(registers, units, association_units, admin) -> int:
    for spec in registers.contracts:
        contract_create(
            actor=admin,
            association_unit=association_units[spec.association_code, spec.place_code],
            bank_unit=units[spec.bank_unit_code],
            number=spec.number,
            signed_on=spec.signed_on,
            valid_from=spec.valid_from,
            tasks=spec.tasks,
            terms=TermsInput(fee_rate_monthly=spec.fee_rate_monthly, split_bp=spec.split_bp),
        )
    return len(registers.contracts)


def _household_input(spec: HouseholdPlan, village: OrganisationUnit) -> HouseholdInput:
    head, *members = (
        PersonInput(
            full_name=person.full_name,
            sex=person.sex,
            relationship=person.relationship,
            birth_date=person.birth_date,
            national_id=person.national_id,
        )
        for person in spec.people
    )
    return HouseholdInput(
        village=village,
        head=head,
        members=tuple(members),
        code=spec.code,
        address=spec.address,
        phone=spec.phone,
        ethnicity=spec.ethnicity,
    )


def _households_create(
    registers: RegistersPlan, units, staff, today
) -> tuple[dict[str, _Written], int]:
    written: dict[str, _Written] = {}
    classifications = 0
    for batch in _batches(registers.households, HOUSEHOLD_BATCH):
        rows = [_household_input(spec, units[spec.village_code]) for spec in batch]
        households = households_create_bulk(actor=staff, rows=rows, today=today)
        for spec, household in zip(batch, households, strict=True):
            written[spec.code] = _Written(household.pk, household.village_id)
            for entry in spec.classifications:
                classification_add(
                    actor=staff,
                    household=household,
                    year=entry.year,
                    kind=entry.kind,
                    certified_by=entry.certified_by,
                    certified_on=entry.certified_on,
                    exit_year=entry.exit_year,
                    today=today,
                )
                classifications += 1
    return written, classifications


def _board_persons(
    registers: RegistersPlan, households: dict[str, _Written]
) -> dict[BoardSeat, Person]:
    """The persons the plan elects to boards, read back in one query per thousand households:
    a household's members were inserted in the plan's order, so the n-th by id is the plan's n-th."""
    seats = {seat for group in registers.groups for seat in (group.leader, group.deputy)}
    wanted = sorted({households[seat.household_code].pk for seat in seats})
    members: dict[int, list[Person]] = {}
    for start in range(0, len(wanted), IDS_PER_QUERY):
        for person in Person.objects.filter(
            household_id__in=wanted[start : start + IDS_PER_QUERY]
        ).order_by("household_id", "id"):
            members.setdefault(person.household_id, []).append(person)
    return {seat: members[households[seat.household_code].pk][seat.index] for seat in seats}


def _groups_create(
    registers, units, association_units, households, seats, staff, today
) -> tuple[int, int]:
    specs = [
        GroupSpec(
            code=group.code,
            name=group.name,
            village=units[group.village_code],
            association_unit=association_units[group.association_code, group.village_code[:6]],
            founded_on=group.founded_on,
            approval_decision=group.approval_decision,
            approval_decision_on=group.approval_decision_on,
            households=[
                Household(pk=households[code].pk, code=code, village_id=households[code].village_id)
                for code in group.household_codes
            ],
            adjacent_villages=[units[code] for code in group.adjacent_village_codes],
            leader=seats[group.leader],
            deputy=seats[group.deputy],
        )
        for group in registers.groups
    ]
    for batch in _batches(specs, BULK_GROUPS_MAX):
        groups_create_bulk(actor=staff, specs=batch, today=today)
    return len(specs), sum(len(spec.households) for spec in specs)


def _batches(items: Sequence, size: int) -> Iterable[Sequence]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
