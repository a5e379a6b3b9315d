"""The record of a group meeting: a regular meeting or the loan-review meeting where the group
reviews its members' applications (domain.md §3, §6 step 2)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from policylend.core.errors import DomainError, Problem
from policylend.households.models import Person
from policylend.users.roles import Capability

from .. import rules
from ..error_codes import GroupErrorCode as E
from ..models import GroupMeeting, GroupMembership, MeetingKind, SavingsGroup
from ..rules import format_day
from .common import lock_groups, require_group, require_open, today_or_now


def _text_problems(**texts: tuple[str, int]) -> list[Problem]:
    return [
        Problem(
            E.MEETING_TEXT_TOO_LONG,
            _("This text may have at most %(n)d characters; it has %(length)d.")
            % {"n": limit, "length": len(text)},
            name,
        )
        for name, (text, limit) in texts.items()
        if len(text) > limit
    ]


def _attendee_problems(group: SavingsGroup, held_on: date, attendee_ids: set[int]) -> list[Problem]:
    """Those present are persons of households that were members of the group that day."""
    if len(attendee_ids) > rules.ATTENDEES_MAX:
        return [
            Problem(
                E.MEETING_ATTENDEE,
                _("At most %(n)d people can be marked present.") % {"n": rules.ATTENDEES_MAX},
                "attendee_ids",
            )
        ]
    members = GroupMembership.objects.filter(group=group, joined_on__lte=held_on).filter(
        Q(left_on__isnull=True) | Q(left_on__gte=held_on)
    )
    found = set(
        Person.objects.filter(
            pk__in=attendee_ids, household_id__in=members.values("household_id")
        ).values_list("pk", flat=True)
    )
    strangers = len(attendee_ids - found)
    if not strangers:
        return []
    return [
        Problem(
            E.MEETING_ATTENDEE,
            _(
                "%(count)d of the people marked present were not members of the group on "
                "%(day)s; those present are persons of member households."
            )
            % {"count": strangers, "day": format_day(held_on)},
            "attendee_ids",
        )
    ]


def meeting_record(
    *,
    actor,
    group: SavingsGroup,
    held_on: date,
    kind: str,
    attendee_ids: Sequence[int],
    guests: str = "",
    decisions: str = "",
    minutes: str = "",
    today: date | None = None,
) -> GroupMeeting:
    """Record a meeting the group held: its date, kind, who of the members was present, guests
    (association, commune, bank), decisions and minutes."""
    if actor is None:
        raise ValueError("A meeting is recorded by a user (recorded_by).")
    require_group(actor, group, Capability.RECORD_GROUP_MEETINGS)
    today = today_or_now(today)
    guests, decisions, minutes = (
        (guests or "").strip(),
        (decisions or "").strip(),
        (minutes or "").strip(),
    )
    attendees = {int(pk) for pk in attendee_ids}
    with transaction.atomic():
        lock_groups(group)
        require_open(group)
        problems = []
        if kind not in MeetingKind.values:
            problems.append(
                Problem(E.MEETING_KIND, _("Choose a regular or a loan-review meeting."), "kind")
            )
        problems += rules.date_problems(
            held_on,
            today=today,
            not_before=group.founded_on,
            what=_("the group's founding"),
            field="held_on",
        )
        problems += _text_problems(
            guests=(guests, rules.GUESTS_LENGTH_MAX),
            decisions=(decisions, rules.DECISIONS_LENGTH_MAX),
            minutes=(minutes, rules.MINUTES_LENGTH_MAX),
        )
        if not problems:
            problems += _attendee_problems(group, held_on, attendees)
        if problems:
            raise DomainError.of(problems)
        meeting = GroupMeeting.objects.create(
            group=group,
            held_on=held_on,
            kind=kind,
            guests=guests,
            decisions=decisions,
            minutes=minutes,
            recorded_by=actor,
        )
        meeting.attendees.set(attendees)
    return meeting
