"""What the group services share: who may act, locks, loading the facts the pure rules judge."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from policylend.associations.models import AssociationLevel, AssociationUnit
from policylend.core.audit import log_created
from policylend.core.errors import DomainError, Forbidden, Problem
from policylend.households.models import Household, HouseholdStatus
from policylend.organisation.models import OrganisationUnit, UnitKind
from policylend.users import access
from policylend.users.roles import Capability

from .. import rules
from ..error_codes import GroupErrorCode as E
from ..models import BoardTerm, GroupMembership, GroupStatus, SavingsGroup
from ..rules import format_day
from ..selectors import group_label_for, group_visible


def today_or_now(today: date | None) -> date:
    return today or timezone.localdate()


def require_group(actor, group: SavingsGroup, capability=Capability.MANAGE_GROUPS) -> None:
    """The actor's role may do this, and the group lies in the actor's scope. ``None`` is the
    system itself (the demo generator, imports)."""
    if actor is None:
        return
    access.require(actor, capability)
    if not group_visible(actor, group):
        raise Forbidden("outside_scope", _("%(group)s is outside your scope.") % {"group": group})


def require_household(actor, household: Household, field: str = "household") -> None:
    if actor is not None and not access.unit_visible(actor, household.village):
        raise DomainError(E.HOUSEHOLD_UNKNOWN, _("No such household in your scope."), field)


def lock_groups(*groups: SavingsGroup) -> None:
    """Lock the groups' rows in primary-key order and reload them: two officers changing one
    group's members at once are serialised, so the 5–60 rule counts what is really there."""
    ids = sorted({group.pk for group in groups})
    list(SavingsGroup.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
    for group in groups:
        group.refresh_from_db()


def closed_problems(group: SavingsGroup, field: str = "group") -> list[Problem]:
    """A dissolved or merged group accepts nothing."""
    if group.status == GroupStatus.ACTIVE:
        return []
    if group.status == GroupStatus.MERGED and group.merged_into_id:
        message = _(
            "The group %(group)s was merged into %(target)s on %(day)s; it accepts nothing."
        )
        values = {"target": group.merged_into}
    else:
        message = _("The group %(group)s was dissolved on %(day)s; it accepts nothing.")
        values = {}
    return [
        Problem(
            E.GROUP_CLOSED,
            message
            % {
                "group": group,
                "day": format_day(group.closed_on) if group.closed_on else "—",
                **values,
            },
            field,
        )
    ]


def require_open(group: SavingsGroup, field: str = "group") -> None:
    problems = closed_problems(group, field)
    if problems:
        raise DomainError.of(problems)


def open_count(group: SavingsGroup) -> int:
    return GroupMembership.objects.filter(group=group, left_on__isnull=True).count()


def villages_of(group: SavingsGroup) -> dict[int, str]:
    return dict(group.villages.values_list("pk", "name"))


def household_label(household: Household) -> str:
    head = household.head.full_name if household.head_id else ""
    return f"{household.code} {head}".strip()


def household_problems(
    actor,
    households: Sequence[Household],
    *,
    group_villages: dict[int, str],
    group_label: str,
    group: SavingsGroup | None = None,
    field: str = "households",
) -> list[Problem]:
    """Each household is active, named once, lives in one of the group's villages and is in no
    other group today (one query for the memberships, one for the village names)."""
    problems: list[Problem] = []
    seen: set[int] = set()
    ids = [h.pk for h in households]
    open_groups = dict(
        GroupMembership.objects.filter(household_id__in=ids, left_on__isnull=True).values_list(
            "household_id", "group_id"
        )
    )
    labels = {g.pk: str(g) for g in SavingsGroup.objects.filter(pk__in=set(open_groups.values()))}
    village_names = dict(
        OrganisationUnit.objects.filter(pk__in={h.village_id for h in households}).values_list(
            "pk", "name"
        )
    )
    for household in households:
        label = household_label(household)
        if household.pk in seen:
            problems.append(
                Problem(
                    E.HOUSEHOLD_REPEATED,
                    _("Household %(household)s is named twice.") % {"household": label},
                    field,
                )
            )
            continue
        seen.add(household.pk)
        if household.status != HouseholdStatus.ACTIVE:
            problems.append(
                Problem(
                    E.HOUSEHOLD_INACTIVE,
                    _(
                        "Household %(household)s is %(status)s; only an active household joins a group."
                    )
                    % {"household": label, "status": household.get_status_display().lower()},
                    field,
                )
            )
        other = open_groups.get(household.pk)
        if other is not None:
            problems.append(
                membership_elsewhere_problem(actor, label, other, labels[other], group, field)
            )
        problems += rules.village_problems(
            household_label=label,
            household_village_id=household.village_id,
            household_village_name=village_names.get(household.village_id, ""),
            group_villages=group_villages,
            group_label=group_label,
            field=field,
        )
    return problems


def membership_elsewhere_problem(
    actor, household: str, group_id: int, group: str, this_group: SavingsGroup | None, field: str
) -> Problem:
    if this_group is not None and group_id == this_group.pk:
        return Problem(
            E.HOUSEHOLD_ALREADY_MEMBER,
            _("Household %(household)s is already a member of this group.")
            % {"household": household},
            field,
        )
    return Problem(
        E.HOUSEHOLD_IN_OTHER_GROUP,
        _(
            "Household %(household)s is a member of %(group)s; a household belongs to one group "
            "at a time: it must leave that group first, or move from it."
        )
        % {"household": household, "group": group_label_for(actor, group_id, group)},
        field,
    )


def village_choice_problems(
    village: OrganisationUnit, adjacent: Iterable[OrganisationUnit], field: str = "village"
) -> list[Problem]:
    """The group's village is an active village; the adjacent ones are active villages of the
    same commune."""
    if village.kind != UnitKind.VILLAGE:
        return [
            Problem(E.NOT_A_VILLAGE, _("%(unit)s is not a village.") % {"unit": village}, field)
        ]
    if not village.is_active:
        return [
            Problem(
                E.VILLAGE_INACTIVE, _("%(unit)s is no longer active.") % {"unit": village}, field
            )
        ]
    problems = []
    for unit in adjacent:
        if unit.kind != UnitKind.VILLAGE or unit.parent_id != village.parent_id:
            problems.append(
                Problem(
                    E.VILLAGE_OTHER_COMMUNE,
                    _(
                        "%(unit)s is not a village of %(commune)s; adjacent villages are villages "
                        "of the group's own commune."
                    )
                    % {"unit": unit, "commune": village.parent},
                    "adjacent_villages",
                )
            )
        elif not unit.is_active:
            problems.append(
                Problem(
                    E.VILLAGE_INACTIVE,
                    _("%(unit)s is no longer active.") % {"unit": unit},
                    "adjacent_villages",
                )
            )
    return problems


def association_unit_problems(
    association_unit: AssociationUnit, village: OrganisationUnit
) -> list[Problem]:
    """A group is managed by a commune-level unit of an association, in the group's commune."""
    if association_unit.level != AssociationLevel.COMMUNE:
        return [
            Problem(
                E.ASSOCIATION_UNIT_LEVEL,
                _(
                    "%(unit)s is at %(level)s level; a group is managed by an association unit "
                    "at commune level."
                )
                % {
                    "unit": association_unit,
                    "level": association_unit.get_level_display().lower(),
                },
                "association_unit",
            )
        ]
    if association_unit.unit_id != village.parent_id:
        return [
            Problem(
                E.ASSOCIATION_UNIT_OTHER_COMMUNE,
                _("%(unit)s works in another commune; the group is in %(commune)s.")
                % {"unit": association_unit, "commune": village.parent},
                "association_unit",
            )
        ]
    if not association_unit.is_active:
        return [
            Problem(
                E.ASSOCIATION_UNIT_INACTIVE,
                _("%(unit)s is no longer active.") % {"unit": association_unit},
                "association_unit",
            )
        ]
    return []


def latest_join(group: SavingsGroup, household_ids: Iterable[int] | None = None) -> date | None:
    """The last day an open membership of the group began: nothing can close before it."""
    memberships = GroupMembership.objects.filter(group=group, left_on__isnull=True)
    if household_ids is not None:
        memberships = memberships.filter(household_id__in=list(household_ids))
    return memberships.aggregate(day=Max("joined_on"))["day"]


def end_board_terms(
    group: SavingsGroup, day: date, household_ids: Iterable[int] | None = None
) -> None:
    """End the sitting terms of the group's board (of persons of these households only)."""
    terms = BoardTerm.objects.filter(group=group, ended_on__isnull=True)
    if household_ids is not None:
        terms = terms.filter(person__household_id__in=list(household_ids))
    for term in terms:
        term.ended_on = max(day, term.started_on)
        term.save(update_fields=["ended_on"])


def code_taken_problems(codes: Sequence[str], field_of=lambda i: "code") -> list[Problem]:
    taken = set(SavingsGroup.objects.filter(code__in=list(codes)).values_list("code", flat=True))
    problems, seen = [], set()
    for index, code in enumerate(codes):
        if code in taken or code in seen:
            problems.append(
                Problem(
                    E.CODE_TAKEN,
                    _("The group code %(code)s is already used.") % {"code": code},
                    field_of(index),
                )
            )
        seen.add(code)
    return problems


def create_memberships(
    group: SavingsGroup, household_ids: Sequence[int], day: date, actor=None
) -> None:
    """One insert for all, and one audit record each (bulk inserts send no signal); a household
    that raced into another group meanwhile is refused by the database's one-open-membership
    constraint (and the whole change rolls back)."""
    memberships = [
        GroupMembership(group=group, household_id=pk, joined_on=day) for pk in household_ids
    ]
    try:
        with transaction.atomic():
            GroupMembership.objects.bulk_create(memberships)
    except IntegrityError:
        raise DomainError(
            E.HOUSEHOLD_IN_OTHER_GROUP,
            _(
                "A household joined another group meanwhile; a household belongs to one group at a time."
            ),
            "households",
        ) from None
    log_created(actor, memberships)
