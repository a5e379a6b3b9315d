"""The end of a group and its reshaping: dissolution, merger into another group, split into two.
Every membership that ends is closed with its reason (and the group it moved to), so the history
of each household stays whole (domain.md §3)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from policylend.core.errors import DomainError, Problem
from policylend.core.text import fold
from policylend.households.models import Household
from policylend.organisation.models import OrganisationUnit

from .. import rules
from ..error_codes import GroupErrorCode as E
from ..models import GroupMembership, GroupStatus, LeaveReason, SavingsGroup
from .common import (
    closed_problems,
    code_taken_problems,
    create_memberships,
    end_board_terms,
    household_label,
    latest_join,
    lock_groups,
    open_count,
    require_group,
    today_or_now,
    village_choice_problems,
)


def _closing_date_problems(
    group: SavingsGroup, day: date, today: date, field: str, also: tuple[date, str] | None = None
) -> list[Problem]:
    """A group closes no earlier than its founding and the last day a member joined (and
    ``also``: another day it may not precede, with its name)."""
    bounds = [(group.founded_on, _("the group's founding"))]
    last = latest_join(group)
    if last is not None:
        bounds.append((last, _("the last member joined")))
    if also is not None:
        bounds.append(also)
    not_before, what = max(bounds, key=lambda bound: bound[0])
    return rules.date_problems(day, today=today, not_before=not_before, what=what, field=field)


def _close_memberships(
    group: SavingsGroup,
    day: date,
    reason: str,
    *,
    note: str = "",
    moved_to: SavingsGroup | None = None,
    household_ids: Sequence[int] | None = None,
) -> list[int]:
    """Close the group's open memberships (of these households only) in one statement; returns
    the households whose membership closed."""
    memberships = GroupMembership.objects.filter(group=group, left_on__isnull=True)
    if household_ids is not None:
        memberships = memberships.filter(household_id__in=list(household_ids))
    ids = list(memberships.values_list("household_id", flat=True))
    memberships.update(left_on=day, leave_reason=reason, leave_note=note[:200], moved_to=moved_to)
    return ids


def group_dissolve(
    *, actor, group: SavingsGroup, dissolved_on: date, reason: str, today: date | None = None
) -> SavingsGroup:
    """Dissolve a group: every member leaves ("group dissolved", with the reason), the board's
    terms end, and the group accepts nothing any more."""
    require_group(actor, group)
    today = today_or_now(today)
    reason = (reason or "").strip()
    with transaction.atomic():
        lock_groups(group)
        problems = closed_problems(group)
        if not reason:
            problems.append(
                Problem(
                    E.REASON_REQUIRED, _("Enter the reason for dissolving the group."), "reason"
                )
            )
        elif len(reason) > rules.REASON_LENGTH_MAX:
            problems.append(
                Problem(
                    E.NOTE_TOO_LONG,
                    _("The reason may have at most %(n)d characters.")
                    % {"n": rules.REASON_LENGTH_MAX},
                    "reason",
                )
            )
        if not problems:
            problems += _closing_date_problems(group, dissolved_on, today, "dissolved_on")
        if problems:
            raise DomainError.of(problems)
        _close_memberships(group, dissolved_on, LeaveReason.DISSOLVED, note=reason)
        end_board_terms(group, dissolved_on)
        group.status, group.closed_on, group.closed_reason = (
            GroupStatus.DISSOLVED,
            dissolved_on,
            reason,
        )
        group.save(update_fields=["status", "closed_on", "closed_reason"])
    return group


def group_merge(
    *,
    actor,
    source: SavingsGroup,
    target: SavingsGroup,
    merged_on: date,
    today: date | None = None,
) -> SavingsGroup:
    """Merge ``source`` into ``target`` (two active groups of one commune): every member of the
    source moves to the target (their old memberships close as "group merged", naming the
    target), the target takes the source's villages, the source's board terms end and the
    source is marked merged. The target may have at most 60 members after. Returns the target."""
    require_group(actor, source)
    require_group(actor, target)
    today = today_or_now(today)
    with transaction.atomic():
        lock_groups(source, target)
        problems = closed_problems(source, "source") + closed_problems(target, "target")
        if source.pk == target.pk:
            problems.append(
                Problem(E.MERGE_SELF, _("A group cannot be merged into itself."), "target")
            )
        elif source.commune_id != target.commune_id:
            problems.append(
                Problem(
                    E.MERGE_OTHER_COMMUNE,
                    _(
                        "%(source)s and %(target)s are in different communes; groups merge within one commune."
                    )
                    % {"source": source, "target": target},
                    "target",
                )
            )
        if problems:
            raise DomainError.of(problems)
        moving = open_count(source)
        problems += _closing_date_problems(
            source,
            merged_on,
            today,
            "merged_on",
            also=(target.founded_on, _("the founding of %(group)s") % {"group": target}),
        )
        problems += rules.join_size_problems(str(target), open_count(target), moving, "target")
        if problems:
            raise DomainError.of(problems)
        households = _close_memberships(source, merged_on, LeaveReason.MERGED, moved_to=target)
        end_board_terms(source, merged_on)
        create_memberships(target, households, merged_on, actor)
        target.villages.add(*source.villages.all())
        source.status, source.closed_on, source.merged_into = GroupStatus.MERGED, merged_on, target
        source.save(update_fields=["status", "closed_on", "merged_into"])
    return target


def group_split(
    *,
    actor,
    source: SavingsGroup,
    new_code: str,
    new_name: str,
    households: Sequence[Household],
    split_on: date,
    new_village: OrganisationUnit | None = None,
    approval_decision: str = "",
    approval_decision_on: date | None = None,
    today: date | None = None,
) -> SavingsGroup:
    """Split a group: the chosen member households move to a new group of the same commune and
    association unit (``split_from`` the source). Both groups keep 5 to 60 members. The new
    group's villages are its own village (the source's unless given) and those of the households
    that move. Without a decision of its own, the new group carries the source's approval."""
    require_group(actor, source)
    today = today_or_now(today)
    new_code, new_name = (new_code or "").strip(), (new_name or "").strip()
    approval_decision = (approval_decision or "").strip() or source.approval_decision
    approval_decision_on = approval_decision_on or source.approval_decision_on
    households = list(households)
    chosen = {h.pk for h in households}
    with transaction.atomic():
        lock_groups(source)
        village = new_village or source.village
        problems = closed_problems(source, "source")
        problems += rules.code_problems(new_code) + rules.name_problems(new_name)
        if not rules.code_problems(new_code):
            problems += code_taken_problems([new_code])
        problems += village_choice_problems(village, [], "new_village")
        if village.parent_id != source.commune_id and village.kind == "village":
            problems.append(
                Problem(
                    E.VILLAGE_OTHER_COMMUNE,
                    _("%(unit)s is not a village of %(commune)s, the group's commune.")
                    % {"unit": village, "commune": source.commune},
                    "new_village",
                )
            )
        members = set(
            GroupMembership.objects.filter(
                group=source, left_on__isnull=True, household_id__in=chosen
            ).values_list("household_id", flat=True)
        )
        problems += [
            Problem(
                E.SPLIT_HOUSEHOLD_NOT_MEMBER,
                _("Household %(household)s is not a member of %(group)s.")
                % {"household": household_label(h), "group": source},
                "households",
            )
            for h in households
            if h.pk not in members
        ]
        problems += rules.founding_size_problems(len(chosen))
        problems += rules.leave_size_problems(
            str(source), open_count(source), len(chosen), field="households"
        )
        problems += rules.founding_problems(
            founded_on=split_on,
            approval_decision=approval_decision,
            approval_decision_on=approval_decision_on,
            today=today,
        )
        last = latest_join(source, chosen)
        if last is not None:
            problems += rules.date_problems(
                split_on,
                today=today,
                not_before=last,
                what=_("the last of these households joined"),
                field="split_on",
            )
        if problems:
            raise DomainError.of(problems)
        new = SavingsGroup.objects.create(
            code=new_code,
            name=new_name,
            search_name=fold(new_name),
            branch_id=source.branch_id,
            office_id=source.office_id,
            commune_id=source.commune_id,
            village=village,
            association_unit_id=source.association_unit_id,
            founded_on=split_on,
            approval_decision=approval_decision,
            approval_decision_on=approval_decision_on,
            split_from=source,
        )
        new.villages.set({village.pk} | {h.village_id for h in households})
        _close_memberships(
            source, split_on, LeaveReason.SPLIT, moved_to=new, household_ids=sorted(chosen)
        )
        end_board_terms(source, split_on, chosen)
        create_memberships(new, sorted(chosen), split_on, actor)
    return new
