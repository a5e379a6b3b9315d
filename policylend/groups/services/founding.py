"""Founding a group (one, or many at once for the demo and imports) and changing its name and
villages (domain.md §3)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from policylend.associations.models import AssociationUnit
from policylend.core.audit import log_created
from policylend.core.errors import DomainError, Problem
from policylend.core.text import fold
from policylend.households.models import Household, Person
from policylend.organisation.models import OrganisationUnit
from policylend.users import access
from policylend.users.roles import Capability

from .. import rules
from ..error_codes import GroupErrorCode as E
from ..models import BoardRole, BoardTerm, GroupMembership, SavingsGroup
from .common import (
    association_unit_problems,
    code_taken_problems,
    create_memberships,
    household_problems,
    lock_groups,
    require_group,
    require_open,
    today_or_now,
    village_choice_problems,
)

# At most this many groups in one bulk call (the demo sends a province in batches).
BULK_GROUPS_MAX = 5_000
# Ids per IN list (SQLite takes at most 32,766 parameters in one statement).
IDS_PER_QUERY = 10_000


def _facts_problems(
    *,
    code: str,
    name: str,
    village: OrganisationUnit,
    adjacent: Sequence[OrganisationUnit],
    association_unit: AssociationUnit,
    founded_on: date,
    approval_decision: str,
    approval_decision_on: date | None,
    household_count: int,
    today: date,
) -> list[Problem]:
    """Everything about a new group but its households' own facts: pure checks and the objects
    already loaded (no query)."""
    problems = (
        rules.code_problems(code)
        + rules.name_problems(name)
        + rules.founding_problems(
            founded_on=founded_on,
            approval_decision=approval_decision,
            approval_decision_on=approval_decision_on,
            today=today,
        )
        + village_choice_problems(village, adjacent)
        + rules.founding_size_problems(household_count)
    )
    if village.kind == "village":
        problems += association_unit_problems(association_unit, village)
    return problems


def _villages(village: OrganisationUnit, adjacent: Sequence[OrganisationUnit]) -> dict[int, str]:
    return {unit.pk: unit.name for unit in [village, *adjacent]}


def group_create(
    *,
    actor,
    code: str,
    name: str,
    village: OrganisationUnit,
    association_unit: AssociationUnit,
    founded_on: date,
    approval_decision: str,
    approval_decision_on: date | None,
    households: Sequence[Household],
    adjacent_villages: Sequence[OrganisationUnit] = (),
    today: date | None = None,
) -> SavingsGroup:
    """Found a group (domain.md §3): 5 to 60 households of its village or of adjacent villages
    of the same commune, each in no other group; a 7-digit code used by no other group; founded
    no later than today, approved by the commune People's Committee's decision dated no later
    than the founding; managed by a commune-level association unit of its commune."""
    if actor is not None:
        access.require(actor, Capability.MANAGE_GROUPS)
        access.require_unit(actor, village)
    code, name = (code or "").strip(), (name or "").strip()
    approval_decision = (approval_decision or "").strip()
    today = today_or_now(today)
    adjacent = [unit for unit in adjacent_villages if unit.pk != village.pk]
    households = list(households)
    with transaction.atomic():
        problems = _facts_problems(
            code=code,
            name=name,
            village=village,
            adjacent=adjacent,
            association_unit=association_unit,
            founded_on=founded_on,
            approval_decision=approval_decision,
            approval_decision_on=approval_decision_on,
            household_count=len({h.pk for h in households}),
            today=today,
        )
        if not rules.code_problems(code):
            problems += code_taken_problems([code])
        villages = _villages(village, adjacent)
        problems += household_problems(
            actor, households, group_villages=villages, group_label=f"{code} {name}"
        )
        if problems:
            raise DomainError.of(problems)
        group = SavingsGroup.objects.create(
            code=code,
            name=name,
            branch_id=village.branch_id,
            office_id=village.parent.parent_id,
            commune_id=village.parent_id,
            village=village,
            association_unit=association_unit,
            founded_on=founded_on,
            approval_decision=approval_decision,
            approval_decision_on=approval_decision_on,
        )
        group.villages.set(list(villages))
        create_memberships(group, [h.pk for h in households], founded_on, actor)
    return group


def group_update(
    *,
    actor,
    group: SavingsGroup,
    name: str,
    adjacent_villages: Sequence[OrganisationUnit],
) -> SavingsGroup:
    """Rename the group and change the adjacent villages it takes members from. Its own village
    stays; a village where members live today cannot be dropped."""
    require_group(actor, group)
    name = (name or "").strip()
    with transaction.atomic():
        lock_groups(group)
        require_open(group)
        village = group.village
        adjacent = [unit for unit in adjacent_villages if unit.pk != village.pk]
        problems = rules.name_problems(name) + village_choice_problems(village, adjacent)
        wanted = _villages(village, adjacent)
        lived_in = (
            Household.objects.filter(
                group_memberships__group=group, group_memberships__left_on__isnull=True
            )
            .exclude(village_id__in=list(wanted))
            .values_list("village__name", flat=True)
            .distinct()
        )
        problems += [
            Problem(
                E.VILLAGE_HAS_MEMBERS,
                _("Members of the group live in %(village)s; it stays one of the group's villages.")
                % {"village": village_name},
                "adjacent_villages",
            )
            for village_name in sorted(lived_in)
        ]
        if problems:
            raise DomainError.of(problems)
        if name != group.name:
            group.name = name
            group.save(update_fields=["name"])
        if set(wanted) != set(group.villages.values_list("pk", flat=True)):
            group.villages.set(list(wanted))
    return group


# --- many groups at once -----------------------------------------------------------------------------


@dataclass(frozen=True)
class GroupSpec:
    """One group for ``groups_create_bulk``: the facts ``group_create`` takes, and optionally its
    first leader and deputy (persons of member households), elected on the founding day."""

    code: str
    name: str
    village: OrganisationUnit
    association_unit: AssociationUnit
    founded_on: date
    approval_decision: str
    approval_decision_on: date
    households: Sequence[Household]
    adjacent_villages: Sequence[OrganisationUnit] = ()
    leader: Person | None = None
    deputy: Person | None = None


def _board_problems(spec: GroupSpec, field: str) -> list[Problem]:
    members = {h.pk for h in spec.households}
    problems = []
    for person, role in ((spec.leader, BoardRole.LEADER), (spec.deputy, BoardRole.DEPUTY)):
        if person is not None and person.household_id not in members:
            problems.append(
                Problem(
                    E.BOARD_NOT_A_MEMBER,
                    _("%(person)s is not a person of a member household; the %(role)s is a member.")
                    % {"person": person.full_name, "role": role.label.lower()},
                    field,
                )
            )
    if spec.leader is not None and spec.deputy is not None:
        leader, deputy = (
            rules.BoardCandidate(p.pk, p.household_id, p.relationship, p.full_name)
            for p in (spec.leader, spec.deputy)
        )
        problems += rules.board_tie_problems(
            deputy, BoardRole.DEPUTY.label, leader, BoardRole.LEADER.label
        )
    return problems


def groups_create_bulk(
    *, actor, specs: Sequence[GroupSpec], today: date | None = None
) -> list[SavingsGroup]:
    """Found many groups in a few statements (the demo province, imports): the same rules as
    ``group_create``, checked set-wise; all are founded or none, and every problem names its
    group's place in ``specs`` (``groups[3].code``). Kinship rows across households are not read
    here: the caller picks leader and deputy from different families."""
    specs = list(specs)
    if len(specs) > BULK_GROUPS_MAX:
        raise DomainError(
            "group_bulk_too_many",
            _("At most %(n)d groups at once.") % {"n": BULK_GROUPS_MAX},
            "groups",
        )
    if actor is not None:
        access.require(actor, Capability.MANAGE_GROUPS)
        for spec in specs:
            access.require_unit(actor, spec.village)
    today = today_or_now(today)
    with transaction.atomic():
        problems = _bulk_problems(actor, specs, today)
        if problems:
            raise DomainError.of(problems[:100])
        office_of = dict(
            OrganisationUnit.objects.filter(
                pk__in={spec.village.parent_id for spec in specs}
            ).values_list("pk", "parent_id")
        )
        groups = SavingsGroup.objects.bulk_create(
            [
                SavingsGroup(
                    code=spec.code,
                    name=spec.name,
                    search_name=fold(spec.name),
                    branch_id=spec.village.branch_id,
                    office_id=office_of[spec.village.parent_id],
                    commune_id=spec.village.parent_id,
                    village=spec.village,
                    association_unit=spec.association_unit,
                    founded_on=spec.founded_on,
                    approval_decision=spec.approval_decision,
                    approval_decision_on=spec.approval_decision_on,
                )
                for spec in specs
            ]
        )
        through = SavingsGroup.villages.through
        through.objects.bulk_create(
            [
                through(savingsgroup_id=group.pk, organisationunit_id=village_id)
                for group, spec in zip(groups, specs, strict=True)
                for village_id in _villages(spec.village, spec.adjacent_villages)
            ],
            batch_size=2_000,
        )
        try:
            GroupMembership.objects.bulk_create(
                [
                    GroupMembership(group_id=group.pk, household_id=h.pk, joined_on=spec.founded_on)
                    for group, spec in zip(groups, specs, strict=True)
                    for h in spec.households
                ],
                batch_size=2_000,
            )
        except IntegrityError:
            raise DomainError(
                E.HOUSEHOLD_IN_OTHER_GROUP,
                _(
                    "A household is named in two groups; a household belongs to one group at a time."
                ),
                "groups",
            ) from None
        log_created(actor, groups)
        BoardTerm.objects.bulk_create(
            [
                BoardTerm(group_id=group.pk, person=person, role=role, started_on=spec.founded_on)
                for group, spec in zip(groups, specs, strict=True)
                for person, role in (
                    (spec.leader, BoardRole.LEADER),
                    (spec.deputy, BoardRole.DEPUTY),
                )
                if person is not None
            ],
            batch_size=2_000,
        )
    return groups


def _bulk_problems(actor, specs: Sequence[GroupSpec], today: date) -> list[Problem]:
    problems: list[Problem] = []
    for index, spec in enumerate(specs):
        field = f"groups[{index}]"
        found = _facts_problems(
            code=spec.code,
            name=spec.name,
            village=spec.village,
            adjacent=[u for u in spec.adjacent_villages if u.pk != spec.village.pk],
            association_unit=spec.association_unit,
            founded_on=spec.founded_on,
            approval_decision=spec.approval_decision,
            approval_decision_on=spec.approval_decision_on,
            household_count=len({h.pk for h in spec.households}),
            today=today,
        ) + _board_problems(spec, "leader")
        problems += [Problem(p.code, p.message, f"{field}.{p.field}") for p in found]
    problems += code_taken_problems([spec.code for spec in specs], lambda i: f"groups[{i}].code")
    # One query for every household's open membership, then the pure village rule per group.
    all_households = [h for spec in specs for h in spec.households]
    ids = [h.pk for h in all_households]
    busy: set[int] = set()
    for start in range(0, len(ids), IDS_PER_QUERY):
        busy.update(
            GroupMembership.objects.filter(
                household_id__in=ids[start : start + IDS_PER_QUERY], left_on__isnull=True
            ).values_list("household_id", flat=True)
        )
    village_names = dict(
        OrganisationUnit.objects.filter(pk__in={h.village_id for h in all_households}).values_list(
            "pk", "name"
        )
    )
    named: dict[int, int] = {}
    for index, spec in enumerate(specs):
        field = f"groups[{index}].households"
        villages = _villages(spec.village, spec.adjacent_villages)
        for household in spec.households:
            if household.pk in busy or named.get(household.pk, index) != index:
                problems.append(
                    Problem(
                        E.HOUSEHOLD_IN_OTHER_GROUP,
                        _("Household %(household)s is already in a group.")
                        % {"household": household.code},
                        field,
                    )
                )
            named[household.pk] = index
            problems += rules.village_problems(
                household_label=household.code,
                household_village_id=household.village_id,
                household_village_name=village_names.get(household.village_id, ""),
                group_villages=villages,
                group_label=spec.code,
                field=field,
            )
    return problems
