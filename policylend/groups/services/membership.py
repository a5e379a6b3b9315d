"""A household joins a group, leaves it, or moves to another group; each step stays in the
membership history (domain.md §3)."""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from policylend.core.errors import DomainError, Problem
from policylend.households.models import Household

from .. import rules
from ..error_codes import GroupErrorCode as E
from ..models import GroupMembership, LeaveReason, SavingsGroup
from ..rules import format_day
from .common import (
    closed_problems,
    end_board_terms,
    household_label,
    household_problems,
    lock_groups,
    open_count,
    require_group,
    require_household,
    require_open,
    today_or_now,
    villages_of,
)


def _after_last_membership_problems(household: Household, day: date, field: str) -> list[Problem]:
    """A household's memberships follow one another: it joins no earlier than it left the last."""
    last_left = GroupMembership.objects.filter(household=household).aggregate(day=Max("left_on"))[
        "day"
    ]
    if last_left is not None and day < last_left:
        return [
            Problem(
                E.DATE_BEFORE_JOINING,
                _(
                    "Household %(household)s left its previous group on %(left)s; it cannot join before that."
                )
                % {"household": household_label(household), "left": format_day(last_left)},
                field,
            )
        ]
    return []


def _join(group: SavingsGroup, household: Household, day: date) -> GroupMembership:
    try:
        with transaction.atomic():
            return GroupMembership.objects.create(group=group, household=household, joined_on=day)
    except IntegrityError:
        # Another officer put the household in a group between our check and this insert.
        raise DomainError(
            E.HOUSEHOLD_IN_OTHER_GROUP,
            _(
                "Household %(household)s joined another group meanwhile; a household belongs to one group at a time."
            )
            % {"household": household_label(household)},
            "household",
        ) from None


def membership_join(
    *,
    actor,
    group: SavingsGroup,
    household: Household,
    joined_on: date,
    today: date | None = None,
) -> GroupMembership:
    """A household of one of the group's villages, in no other group, joins; a group has at
    most 60 members (domain.md §3)."""
    require_group(actor, group)
    require_household(actor, household)
    today = today_or_now(today)
    with transaction.atomic():
        lock_groups(group)
        require_open(group)
        problems = rules.date_problems(
            joined_on,
            today=today,
            not_before=group.founded_on,
            what=_("the group's founding"),
            field="joined_on",
        )
        problems += household_problems(
            actor,
            [household],
            group_villages=villages_of(group),
            group_label=str(group),
            group=group,
            field="household",
        )
        problems += _after_last_membership_problems(household, joined_on, "joined_on")
        problems += rules.join_size_problems(str(group), open_count(group))
        if problems:
            raise DomainError.of(problems)
        return _join(group, household, joined_on)


def _open_membership_problems(membership: GroupMembership) -> list[Problem]:
    if membership.left_on is None:
        return []
    return [
        Problem(
            E.MEMBERSHIP_CLOSED,
            _("Household %(household)s already left the group on %(day)s.")
            % {
                "household": household_label(membership.household),
                "day": format_day(membership.left_on),
            },
            "membership",
        )
    ]


def membership_leave(
    *,
    actor,
    membership: GroupMembership,
    left_on: date,
    reason: str,
    note: str = "",
    today: date | None = None,
) -> GroupMembership:
    """A household leaves its group, with the reason. A leave that would bring the group below 5
    members is refused (merge or dissolve the group instead), unless the household moved away or
    its member died: facts are recorded, and the group is then shown as below the minimum."""
    group = membership.group
    require_group(actor, group)
    today = today_or_now(today)
    note = (note or "").strip()
    with transaction.atomic():
        lock_groups(group)
        membership.refresh_from_db()
        problems = closed_problems(group) + _open_membership_problems(membership)
        if reason not in rules.MEMBER_LEAVE_REASONS:
            problems.append(Problem(E.LEAVE_REASON, _("Choose the reason for leaving."), "reason"))
        if len(note) > rules.NOTE_LENGTH_MAX:
            problems.append(
                Problem(
                    E.NOTE_TOO_LONG,
                    _("The note may have at most %(n)d characters.") % {"n": rules.NOTE_LENGTH_MAX},
                    "note",
                )
            )
        if not problems:
            problems += rules.date_problems(
                left_on,
                today=today,
                not_before=membership.joined_on,
                what=_("the household joined"),
                field="left_on",
            )
            problems += rules.leave_size_problems(str(group), open_count(group), 1, reason)
        if problems:
            raise DomainError.of(problems)
        membership.left_on, membership.leave_reason, membership.leave_note = left_on, reason, note
        membership.save(update_fields=["left_on", "leave_reason", "leave_note"])
        end_board_terms(group, left_on, [membership.household_id])
    return membership


def membership_move(
    *,
    actor,
    membership: GroupMembership,
    to_group: SavingsGroup,
    moved_on: date,
    today: date | None = None,
) -> GroupMembership:
    """A household moves to another active group: its membership closes ("moved to another
    group", naming it) and a new one opens the same day. The group it leaves keeps at least 5
    members, the group it joins at most 60, and the household lives in one of that group's
    villages. Returns the new membership."""
    source = membership.group
    require_group(actor, source)
    require_group(actor, to_group)
    today = today_or_now(today)
    with transaction.atomic():
        lock_groups(source, to_group)
        membership.refresh_from_db()
        household = membership.household
        problems = (
            closed_problems(source)
            + closed_problems(to_group, "to_group")
            + _open_membership_problems(membership)
        )
        if source.pk == to_group.pk:
            problems.append(
                Problem(
                    E.MOVE_TO_SAME_GROUP,
                    _("Household %(household)s is already in %(group)s.")
                    % {"household": household_label(household), "group": source},
                    "to_group",
                )
            )
        if problems:
            raise DomainError.of(problems)
        problems += rules.date_problems(
            moved_on,
            today=today,
            not_before=max(membership.joined_on, to_group.founded_on),
            what=_("the household joined or the new group was founded"),
            field="moved_on",
        )
        problems += rules.village_problems(
            household_label=household_label(household),
            household_village_id=household.village_id,
            household_village_name=household.village.name,
            group_villages=villages_of(to_group),
            group_label=str(to_group),
            field="to_group",
        )
        problems += rules.leave_size_problems(str(source), open_count(source), 1, field="to_group")
        problems += rules.join_size_problems(str(to_group), open_count(to_group), 1, "to_group")
        if problems:
            raise DomainError.of(problems)
        membership.left_on, membership.leave_reason = moved_on, LeaveReason.TRANSFERRED
        membership.moved_to = to_group
        membership.save(update_fields=["left_on", "leave_reason", "moved_to"])
        end_board_terms(source, moved_on, [household.pk])
        return _join(to_group, household, moved_on)
