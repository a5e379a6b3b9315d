"""The context of a check: everything the rows name, looked up set-wise in a few queries."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Q

from policylend.associations.models import Association, AssociationUnit
from policylend.core.text import fold
from policylend.groups.models import GroupMembership, SavingsGroup
from policylend.households.models import Household, Person, Relationship, Sex
from policylend.organisation.models import OrganisationUnit
from policylend.users import access

from ..layout import (
    spellings,
)
from ..models import ImportSheet
from ..rules import (
    choice_lookup,
)
from .constants import LOOKUP_BATCH, ROW_NUMBER_DIGITS_MAX
from .records import GroupRecord, HouseholdRecord, natural_key

# --- the context: what the rows name, looked up set-wise ----------------------------------------------


def _chunks(values: Iterable, size: int = LOOKUP_BATCH):
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start : start + size]


@dataclass
class Context:
    actor: Any
    today: date
    # False when importing: the registers' services apply their own rules to every row they
    # write, so the import's second check needs only what depends on the registers' contents.
    register_rules: bool = True
    villages: dict[str, OrganisationUnit] = field(default_factory=dict)
    households_by_code: dict[str, dict] = field(default_factory=dict)
    households_by_id: dict[int, dict] = field(default_factory=dict)
    households_by_natural_key: dict[tuple, dict] = field(default_factory=dict)
    persons_by_national_id: dict[str, dict] = field(default_factory=dict)
    persons_of_household: dict[int, list[dict]] = field(default_factory=lambda: defaultdict(list))
    groups_by_code: dict[str, dict] = field(default_factory=dict)
    open_group_of_household: dict[int, int] = field(default_factory=dict)
    association_units: dict[tuple[str, int], AssociationUnit] = field(default_factory=dict)
    association_codes: list[str] = field(default_factory=list)
    # the file's own indexes
    first_household_by_code: dict[str, int] = field(default_factory=dict)
    first_person_by_national_id: dict[str, tuple[str, int]] = field(default_factory=dict)
    first_group_by_code: dict[str, int] = field(default_factory=dict)
    household_rows_by_number: dict[int, HouseholdRecord] = field(default_factory=dict)
    household_rows_by_code: dict[str, HouseholdRecord] = field(default_factory=dict)
    group_rows_by_code: dict[str, GroupRecord] = field(default_factory=dict)
    household_rows_by_group: dict[str, list[HouseholdRecord]] = field(
        default_factory=lambda: defaultdict(list)
    )
    # registered groups that rows of the Households sheet join (not listed in the Groups sheet)
    joining_registered_group: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    # household (row number "r12" or existing id "h34") → the group codes the file puts it in
    groups_named_for: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    sex_lookup: dict[str, str] = field(default_factory=dict)
    relationship_lookup: dict[str, str] = field(default_factory=dict)

    @staticmethod
    def shown(enum):
        """The choices of a list, for a message (computed only when one is needed)."""
        return lambda: ", ".join(str(label) for _value, label in enum.choices)

    def __post_init__(self):
        self.scope = access.scope_of(self.actor)

    def visible(self, unit: OrganisationUnit) -> bool:
        """As ``access.unit_visible``, with the uploader's scope read once."""
        return self.path_visible(unit.path)

    def path_visible(self, path: str) -> bool:
        return self.scope.everything or path.startswith(self.scope.path)


def _lookup(enum) -> dict[str, str]:
    extra = {"male": {"M", "Nam"}, "female": {"F", "Nữ", "Nu"}}
    return choice_lookup(
        {value: spellings(label) | extra.get(value, set()) for value, label in enum.choices}
    )


def _household_snapshot(row: dict) -> dict:
    return {
        "id": row["id"],
        "code": row["code"],
        "customer_code": row["code"],
        "village_code": row["village__code"],
        "village_path": row["village__path"],
        "head_id": row["head_id"],
        "head_name": row["head__full_name"] or "",
        "sex": row["head__sex"] or "",
        "birth_date": row["head__birth_date"],
        "national_id": row["head__national_id"],
        "phone": row["phone"],
        "ethnicity": row["ethnicity"],
        "address": row["address"],
        "status": row["status"],
    }


HOUSEHOLD_VALUES = (
    "id",
    "code",
    "village__code",
    "village__path",
    "head_id",
    "head__full_name",
    "head__sex",
    "head__birth_date",
    "head__national_id",
    "phone",
    "ethnicity",
    "address",
    "status",
)


def _load_households(context: Context, query: Q) -> list[dict]:
    found = []
    for row in Household.objects.filter(query).values(*HOUSEHOLD_VALUES):
        snapshot = _household_snapshot(row)
        context.households_by_code[snapshot["code"]] = snapshot
        context.households_by_id[snapshot["id"]] = snapshot
        found.append(snapshot)
    return found


def build_context(
    actor,
    today: date,
    households: list,
    members: list,
    groups: list,
    *,
    register_rules: bool = True,
) -> Context:
    context = Context(actor=actor, today=today, register_rules=register_rules)
    context.sex_lookup = _lookup(Sex)
    context.relationship_lookup = _lookup(Relationship)
    # The file's own indexes.
    for record in households:
        context.household_rows_by_number[record.number] = record
        if record.code:
            context.first_household_by_code.setdefault(record.code, record.number)
            context.household_rows_by_code.setdefault(record.code, record)
        if record.national_id:
            context.first_person_by_national_id.setdefault(
                record.national_id, (ImportSheet.HOUSEHOLDS, record.number)
            )
    for record in members:
        if record.national_id:
            context.first_person_by_national_id.setdefault(
                record.national_id, (ImportSheet.MEMBERS, record.number)
            )
    for record in groups:
        if record.code:
            context.first_group_by_code.setdefault(record.code, record.number)
            context.group_rows_by_code.setdefault(record.code, record)

    # Villages named anywhere.
    village_codes = {r.village_code for r in households if r.village_code}
    for record in groups:
        village_codes |= {record.village_code, *record.adjacent_codes}
    village_codes.discard("")
    for chunk in _chunks(village_codes):
        for unit in OrganisationUnit.objects.filter(code__in=chunk).select_related("parent"):
            context.villages[unit.code] = unit

    # Households named by code (rows, members' and groups' references).
    codes = {r.code for r in households if r.code}
    codes |= {m.reference for m in members if len(m.reference) > ROW_NUMBER_DIGITS_MAX}
    for record in groups:
        codes |= {ref for ref in record.references if len(ref) > ROW_NUMBER_DIGITS_MAX}
    for chunk in _chunks(codes):
        _load_households(context, Q(code__in=chunk))

    # People named by national ID, and the household each heads or belongs to.
    national_ids = {r.national_id for r in households if r.national_id}
    national_ids |= {m.national_id for m in members if m.national_id}
    person_values = (
        "id",
        "household_id",
        "full_name",
        "sex",
        "birth_date",
        "relationship",
        "national_id",
        "household__village__path",
    )
    for chunk in _chunks(national_ids):
        for person in Person.objects.filter(national_id__in=chunk).values(*person_values):
            context.persons_by_national_id[person["national_id"]] = person
    head_households = {
        p["household_id"]
        for p in context.persons_by_national_id.values()
        if p["household_id"] not in context.households_by_id
    }
    for chunk in _chunks(head_households):
        _load_households(context, Q(pk__in=chunk))

    # Rows without code nor ID: the same head (folded name, birth date) in the same village.
    natural = [r for r in households if not r.code and not r.national_id]
    for record in natural:
        record.natural_key = natural_key(record)
    village_ids = {
        context.villages[r.village_code].pk for r in natural if r.village_code in context.villages
    }
    names = {r.natural_key[1] for r in natural}
    for chunk in _chunks(names):
        query = Q(village_id__in=village_ids, search_text__in=chunk)
        for snapshot in _load_households(context, query):
            key = (snapshot["village_code"], fold(snapshot["head_name"]), snapshot["birth_date"])
            context.households_by_natural_key.setdefault(key, snapshot)

    # The villages of those households, when the file does not name them itself.
    missing = {s["village_code"] for s in context.households_by_id.values()} - set(context.villages)
    for chunk in _chunks(missing):
        for unit in OrganisationUnit.objects.filter(code__in=chunk).select_related("parent"):
            context.villages[unit.code] = unit

    # The members of every existing household a row names (to recognise members already there).
    for chunk in _chunks(context.households_by_id):
        for person in Person.objects.filter(household_id__in=chunk, is_active=True).values(
            *person_values
        ):
            context.persons_of_household[person["household_id"]].append(person)
        for membership in GroupMembership.objects.filter(
            household_id__in=chunk, left_on__isnull=True
        ).values("household_id", "group_id"):
            context.open_group_of_household[membership["household_id"]] = membership["group_id"]

    # Groups named by code, with their members and villages.
    group_codes = {g.code for g in groups if g.code} | {
        r.group_code for r in households if r.group_code
    }
    group_ids = []
    for chunk in _chunks(group_codes):
        for group in SavingsGroup.objects.filter(code__in=chunk).values(
            "id",
            "code",
            "name",
            "status",
            "village_id",
            "village__code",
            "village__path",
            "association_unit__association__code",
            "founded_on",
            "approval_decision",
            "approval_decision_on",
        ):
            group["members"] = set()
            group["villages"] = {}
            context.groups_by_code[group["code"]] = group
            group_ids.append(group["id"])
    by_id = {g["id"]: g for g in context.groups_by_code.values()}
    for chunk in _chunks(group_ids):
        for membership in GroupMembership.objects.filter(
            group_id__in=chunk, left_on__isnull=True
        ).values("group_id", "household_id"):
            by_id[membership["group_id"]]["members"].add(membership["household_id"])
        through = SavingsGroup.villages.through
        for link in through.objects.filter(savingsgroup_id__in=chunk).values(
            "savingsgroup_id", "organisationunit_id", "organisationunit__name"
        ):
            by_id[link["savingsgroup_id"]]["villages"][link["organisationunit_id"]] = link[
                "organisationunit__name"
            ]

    # The association units that may manage a group: commune level, by (association, commune).
    context.association_codes = list(Association.objects.values_list("code", flat=True))
    communes = {unit.parent_id for unit in context.villages.values()}
    for unit in (
        AssociationUnit.objects.filter(unit_id__in=communes, is_active=True)
        .select_related("association")
        .order_by("level", "pk")
    ):
        context.association_units.setdefault((unit.association.code, unit.unit_id), unit)

    for record in households:
        if (
            record.group_code in context.groups_by_code
            and record.group_code not in context.group_rows_by_code
        ):
            context.joining_registered_group[record.group_code] += 1

    # Which group the file puts each household in.
    for record in households:
        if record.group_code:
            context.groups_named_for[f"r{record.number}"].add(record.group_code)
            context.household_rows_by_group[record.group_code].append(record)
    for record in groups:
        for reference in record.references:
            key = _reference_key(context, reference)
            if key:
                context.groups_named_for[key].add(record.code)
    return context


def _reference_key(context: Context, reference: str) -> str | None:
    """A household reference as a key: "r12" for row 12 of the Households sheet, "h34" for the
    existing household 34."""
    if reference.isdigit() and len(reference) <= ROW_NUMBER_DIGITS_MAX:
        return f"r{int(reference)}" if int(reference) in context.household_rows_by_number else None
    row = context.household_rows_by_code.get(reference)
    if row is not None:
        return f"r{row.number}"
    existing = context.households_by_code.get(reference)
    return f"h{existing['id']}" if existing else None
