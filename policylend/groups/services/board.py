"""The management board: leader and deputy, elected by the members (domain.md §3)."""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from policylend.core.errors import DomainError, Problem
from policylend.households.models import Kinship, Person

from .. import rules
from ..error_codes import GroupErrorCode as E
from ..models import BoardRole, BoardTerm, GroupMembership, SavingsGroup
from ..rules import format_day
from ..selectors import group_label_for
from .common import lock_groups, require_group, require_open, today_or_now


def _candidate(person: Person) -> rules.BoardCandidate:
    return rules.BoardCandidate(
        person.pk, person.household_id, person.relationship, person.full_name
    )


def _recorded_ties(a: Person, b: Person) -> list[str]:
    return list(
        Kinship.objects.filter(Q(person=a, relative=b) | Q(person=b, relative=a)).values_list(
            "tie", flat=True
        )
    )


def _member_problems(
    group: SavingsGroup, person: Person, role_label: str, day: date
) -> list[Problem]:
    """The person belongs to a household that is a member of the group on ``day``."""
    is_member = (
        person.is_active
        and GroupMembership.objects.filter(
            group=group, household_id=person.household_id, left_on__isnull=True, joined_on__lte=day
        ).exists()
    )
    if is_member:
        return []
    return [
        Problem(
            E.BOARD_NOT_A_MEMBER,
            _(
                "%(person)s is not a member of the group %(group)s on %(day)s; the %(role)s is "
                "elected from the members' households."
            )
            % {
                "person": person.full_name,
                "group": group,
                "day": format_day(day),
                "role": role_label,
            },
            "person",
        )
    ]


def _leads_elsewhere_problems(actor, group: SavingsGroup, person: Person) -> list[Problem]:
    other = (
        BoardTerm.objects.filter(person=person, role=BoardRole.LEADER, ended_on__isnull=True)
        .exclude(group=group)
        .select_related("group")
        .first()
    )
    if other is None:
        return []
    return [
        Problem(
            E.BOARD_LEADS_OTHER_GROUP,
            _("%(person)s already leads %(group)s; a person leads at most one group.")
            % {
                "person": person.full_name,
                "group": group_label_for(actor, other.group_id, str(other.group)),
            },
            "person",
        )
    ]


def board_elect(
    *,
    actor,
    group: SavingsGroup,
    person: Person,
    role: str,
    started_on: date,
    today: date | None = None,
) -> BoardTerm:
    """Elect a leader or a deputy from the members. The sitting holder of the role (and the
    person's own other seat, when a deputy becomes leader) ends the day the new term starts.
    Leader and deputy are not spouse, parent, child or sibling of each other; a person leads at
    most one group."""
    require_group(actor, group)
    today = today_or_now(today)
    with transaction.atomic():
        lock_groups(group)
        require_open(group)
        if role not in BoardRole.values:
            raise DomainError(E.BOARD_ROLE, _("Choose leader or deputy."), "role")
        role_label = str(BoardRole(role).label).lower()
        other_role = BoardRole.DEPUTY if role == BoardRole.LEADER else BoardRole.LEADER
        sitting = {t.role: t for t in BoardTerm.objects.filter(group=group, ended_on__isnull=True)}
        problems = rules.date_problems(
            started_on,
            today=today,
            not_before=group.founded_on,
            what=_("the group's founding"),
            field="started_on",
        )
        problems += _member_problems(group, person, role_label, started_on)
        if role == BoardRole.LEADER:
            problems += _leads_elsewhere_problems(actor, group, person)
        other = sitting.get(other_role)
        if other is not None and other.person_id != person.pk:
            problems += rules.board_tie_problems(
                _candidate(person),
                BoardRole(role).label,
                _candidate(other.person),
                other_role.label,
                _recorded_ties(person, other.person),
            )
        ending = [t for t in sitting.values() if t.role == role or t.person_id == person.pk]
        problems += [
            Problem(
                E.BOARD_DATE_BEFORE_TERM,
                _(
                    "%(person)s's term as %(role)s began on %(day)s; the new term cannot start earlier."
                )
                % {
                    "person": term.person.full_name,
                    "role": term.get_role_display().lower(),
                    "day": format_day(term.started_on),
                },
                "started_on",
            )
            for term in ending
            if started_on < term.started_on
        ]
        if problems:
            raise DomainError.of(problems)
        for term in ending:
            term.ended_on = started_on
            term.save(update_fields=["ended_on"])
        try:
            with transaction.atomic():
                return BoardTerm.objects.create(
                    group=group, person=person, role=role, started_on=started_on
                )
        except IntegrityError:
            raise DomainError(
                E.BOARD_LEADS_OTHER_GROUP,
                _("%(person)s was elected to a board meanwhile; a person leads at most one group.")
                % {"person": person.full_name},
                "person",
            ) from None


def board_term_end(
    *, actor, term: BoardTerm, ended_on: date, today: date | None = None
) -> BoardTerm:
    """End a sitting leader's or deputy's term (resignation, illness, the end of a mandate)."""
    group = term.group
    require_group(actor, group)
    today = today_or_now(today)
    with transaction.atomic():
        lock_groups(group)
        require_open(group)
        term.refresh_from_db()
        if term.ended_on is not None:
            raise DomainError(
                E.BOARD_TERM_ENDED,
                _("This term already ended on %(day)s.") % {"day": format_day(term.ended_on)},
                "term",
            )
        problems = rules.date_problems(
            ended_on,
            today=today,
            not_before=term.started_on,
            what=_("the term began"),
            field="ended_on",
        )
        if problems:
            raise DomainError.of(problems)
        term.ended_on = ended_on
        term.save(update_fields=["ended_on"])
    return term
