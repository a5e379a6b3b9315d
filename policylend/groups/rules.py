"""Pure rules of savings-and-loan groups (domain.md §3). No ORM, no clock: the services load the
facts, pass ``today`` in, and raise the problems these functions return.

- A group has 5 to 60 member households (``MEMBERS_MIN``/``MEMBERS_MAX``).
- Members live in the group's village or an adjacent village of the same commune.
- Leader and deputy are not spouse, parent, child or sibling of each other: ties inside one
  household follow from each member's relationship to the head (``household_tie``), ties across
  households from the recorded kinship rows (``recorded_tie``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from policylend.core.errors import Problem

from .error_codes import GroupErrorCode as E

MEMBERS_MIN = 5
MEMBERS_MAX = 60
CODE_PATTERN = r"\d{7}"
NAME_LENGTH_MAX = 120
DECISION_LENGTH_MAX = 80
NOTE_LENGTH_MAX = 200
REASON_LENGTH_MAX = 200
GUESTS_LENGTH_MAX = 300
DECISIONS_LENGTH_MAX = 4_000
MINUTES_LENGTH_MAX = 20_000
ATTENDEES_MAX = 400


def format_day(day: date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


# --- leaving ---------------------------------------------------------------------------------------

# The reasons a member may give when leaving (the others are written by merge, split, move and
# dissolution). Moving away and death are facts: they are recorded even when the group falls
# below five members; the group is then marked as below the minimum until it is merged or grows.
MEMBER_LEAVE_REASONS = ("moved_away", "no_longer_borrowing", "deceased", "excluded", "other")
FACT_REASONS = frozenset({"moved_away", "deceased"})


# --- ties between board members ------------------------------------------------------------------


class Tie(StrEnum):
    SPOUSE = "spouse"
    PARENT_CHILD = "parent_child"
    SIBLING = "sibling"


TIE_LABELS = {
    Tie.SPOUSE: gettext_lazy("spouses"),
    Tie.PARENT_CHILD: gettext_lazy("parent and child"),
    Tie.SIBLING: gettext_lazy("siblings"),
}

# Relationships to the head, as households.Relationship stores them.
HEAD, SPOUSE, CHILD, PARENT, SIBLING = "head", "spouse", "child", "parent", "sibling"
GRANDCHILD, CHILD_IN_LAW, OTHER = "grandchild", "child_in_law", "other"
RELATIONSHIPS = (HEAD, SPOUSE, CHILD, PARENT, SIBLING, GRANDCHILD, CHILD_IN_LAW, OTHER)

# The tie between two members of one household, from each one's relationship to the head. The
# table is symmetric; a pair not listed has no tie the rule names:
#   head–grandchild, head–child-in-law, head–other: grandparent, in-law, other — not listed ties;
#   spouse–parent, spouse–sibling, spouse–child-in-law: in-laws;  spouse–spouse: not a real pair;
#   child–parent: grandchild and grandparent;  child–sibling: nephew/niece and aunt/uncle;
#   child–grandchild, child-in-law–grandchild, child–child-in-law: the records do not say whose
#   child or whose spouse (a son and his own wife, or his brother's): a tie there is recorded as
#   a kinship row, which the rule reads as well;  grandchild–grandchild: siblings or cousins;
#   anything with "other": unknown.
HOUSEHOLD_TIES: dict[frozenset[str], Tie] = {
    frozenset({HEAD, SPOUSE}): Tie.SPOUSE,
    frozenset({HEAD, CHILD}): Tie.PARENT_CHILD,
    frozenset({HEAD, PARENT}): Tie.PARENT_CHILD,
    frozenset({HEAD, SIBLING}): Tie.SIBLING,
    # The head's child is taken as the spouse's child too (step-children included).
    frozenset({SPOUSE, CHILD}): Tie.PARENT_CHILD,
    frozenset({CHILD}): Tie.SIBLING,  # two children of the head
    frozenset({PARENT}): Tie.SPOUSE,  # the head's father and mother
    frozenset({SIBLING}): Tie.SIBLING,  # two siblings of the head
    frozenset({PARENT, SIBLING}): Tie.PARENT_CHILD,  # the head's parent and the head's sibling
}

# households.Kinship.Tie → the tie the rule names.
RECORDED_TIES = {"spouse": Tie.SPOUSE, "parent_of": Tie.PARENT_CHILD, "sibling": Tie.SIBLING}


def household_tie(relationship_a: str, relationship_b: str) -> Tie | None:
    """The tie between two different members of one household, or None."""
    return HOUSEHOLD_TIES.get(frozenset({relationship_a, relationship_b}))


@dataclass(frozen=True)
class BoardCandidate:
    person_id: int
    household_id: int
    relationship: str
    name: str = ""


def board_tie(a: BoardCandidate, b: BoardCandidate, recorded: Iterable[str] = ()) -> Tie | None:
    """The tie between two people: a recorded kinship row between them (either direction) wins;
    otherwise, in one household, the tie that follows from their relationships to the head."""
    for kind in recorded:
        if kind in RECORDED_TIES:
            return RECORDED_TIES[kind]
    if a.person_id != b.person_id and a.household_id == b.household_id:
        return household_tie(a.relationship, b.relationship)
    return None


def board_tie_problems(
    candidate: BoardCandidate,
    role_label: str,
    sitting: BoardCandidate,
    sitting_role_label: str,
    recorded: Iterable[str] = (),
) -> list[Problem]:
    tie = board_tie(candidate, sitting, recorded)
    if tie is None:
        return []
    return [
        Problem(
            E.BOARD_RELATIVES,
            _(
                "%(person)s cannot be %(role)s: %(person)s and %(other)s, the %(other_role)s, are "
                "%(tie)s; leader and deputy may not be spouse, parent, child or sibling of each other."
            )
            % {
                "person": candidate.name,
                "role": role_label.lower(),
                "other": sitting.name,
                "other_role": sitting_role_label.lower(),
                "tie": TIE_LABELS[tie],
            },
            "person",
        )
    ]


# --- facts of a group ------------------------------------------------------------------------------


def code_problems(code: str) -> list[Problem]:
    if not re.fullmatch(CODE_PATTERN, code or ""):
        return [
            Problem(
                E.CODE_FORMAT,
                _("A group's code is 7 digits; “%(code)s” is not.") % {"code": code},
                "code",
            )
        ]
    return []


def name_problems(name: str) -> list[Problem]:
    if not name:
        return [Problem(E.NAME_REQUIRED, _("Enter the group's name."), "name")]
    if len(name) > NAME_LENGTH_MAX:
        return [
            Problem(
                E.NAME_TOO_LONG,
                _("The name may have at most %(n)d characters.") % {"n": NAME_LENGTH_MAX},
                "name",
            )
        ]
    return []


def founding_problems(
    *, founded_on: date, approval_decision: str, approval_decision_on: date | None, today: date
) -> list[Problem]:
    """A group is founded on a past day (or today), with the commune People's Committee's
    decision approving it and its rules, dated no later than the founding."""
    problems = []
    if founded_on > today:
        problems.append(
            Problem(
                E.FOUNDED_IN_FUTURE,
                _("The founding date %(day)s is after today, %(today)s.")
                % {"day": format_day(founded_on), "today": format_day(today)},
                "founded_on",
            )
        )
    if not approval_decision:
        problems.append(
            Problem(
                E.DECISION_REQUIRED,
                _(
                    "Enter the number of the commune People's Committee decision approving the group."
                ),
                "approval_decision",
            )
        )
    elif len(approval_decision) > DECISION_LENGTH_MAX:
        problems.append(
            Problem(
                E.DECISION_TOO_LONG,
                _("The decision may have at most %(n)d characters.") % {"n": DECISION_LENGTH_MAX},
                "approval_decision",
            )
        )
    if approval_decision_on is None:
        problems.append(
            Problem(
                E.DECISION_REQUIRED,
                _("Enter the date of the commune People's Committee decision."),
                "approval_decision_on",
            )
        )
    elif approval_decision_on > founded_on:
        problems.append(
            Problem(
                E.DECISION_AFTER_FOUNDING,
                _(
                    "The decision is dated %(decision)s, after the founding on %(founded)s; the "
                    "group is founded once the commune approves it."
                )
                % {
                    "decision": format_day(approval_decision_on),
                    "founded": format_day(founded_on),
                },
                "approval_decision_on",
            )
        )
    return problems


def date_problems(
    day: date, *, today: date, not_before: date, what: str, field: str
) -> list[Problem]:
    """A day of the group's life: not after today, not before ``not_before`` (its founding or
    the membership it ends). ``what`` names ``not_before`` in the message."""
    if day > today:
        return [
            Problem(
                E.DATE_IN_FUTURE,
                _("The date %(day)s is after today, %(today)s.")
                % {"day": format_day(day), "today": format_day(today)},
                field,
            )
        ]
    if day < not_before:
        return [
            Problem(
                E.DATE_BEFORE_JOINING,
                _("The date %(day)s is before %(what)s on %(start)s.")
                % {"day": format_day(day), "what": what, "start": format_day(not_before)},
                field,
            )
        ]
    return []


# --- size: 5 to 60 households ----------------------------------------------------------------------


def founding_size_problems(count: int) -> list[Problem]:
    if MEMBERS_MIN <= count <= MEMBERS_MAX:
        return []
    return [
        Problem(
            E.FOUNDING_SIZE,
            _("A group is founded with %(min)d to %(max)d households; %(count)d were chosen.")
            % {"min": MEMBERS_MIN, "max": MEMBERS_MAX, "count": count},
            "households",
        )
    ]


def join_size_problems(
    group_label: str, count: int, joining: int = 1, field: str = "group"
) -> list[Problem]:
    """``count`` members now, ``joining`` more: at most 60."""
    if count + joining <= MEMBERS_MAX:
        return []
    return [
        Problem(
            E.GROUP_FULL,
            _(
                "The group %(group)s has %(count)d members; with %(joining)d more it would have "
                "%(after)d, more than the %(max)d a group may have."
            )
            % {
                "group": group_label,
                "count": count,
                "joining": joining,
                "after": count + joining,
                "max": MEMBERS_MAX,
            },
            field,
        )
    ]


def leave_size_problems(
    group_label: str, count: int, leaving: int = 1, reason: str = "", field: str = "reason"
) -> list[Problem]:
    """A leave that would bring the group below 5 members is refused — the group must be merged
    or dissolved instead — unless the reason is a fact (moved away, deceased)."""
    after = count - leaving
    if after >= MEMBERS_MIN or reason in FACT_REASONS:
        return []
    return [
        Problem(
            E.GROUP_BELOW_MINIMUM,
            _(
                "The group %(group)s has %(count)d members; after this it would have %(after)d, "
                "fewer than the %(min)d a group needs. Merge the group with another one or "
                "dissolve it instead."
            )
            % {"group": group_label, "count": count, "after": after, "min": MEMBERS_MIN},
            field,
        )
    ]


def is_below_minimum(count: int) -> bool:
    return count < MEMBERS_MIN


# --- where members live ----------------------------------------------------------------------------


def village_problems(
    *,
    household_label: str,
    household_village_id: int,
    household_village_name: str,
    group_villages: Mapping[int, str],
    group_label: str,
    field: str = "household",
) -> list[Problem]:
    """A member lives in one of the group's villages (its own and the adjacent ones it declared)."""
    if household_village_id in group_villages:
        return []
    return [
        Problem(
            E.HOUSEHOLD_OUTSIDE_VILLAGES,
            _(
                "Household %(household)s lives in %(village)s; the group %(group)s takes members "
                "from %(villages)s only."
            )
            % {
                "household": household_label,
                "village": household_village_name,
                "group": group_label,
                "villages": ", ".join(sorted(group_villages.values())),
            },
            field,
        )
    ]
