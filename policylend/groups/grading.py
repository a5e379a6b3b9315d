"""Monthly grading of a savings-and-loan group (domain.md §3): 100 points by six criteria, then a
grade. Pure: facts in (whole dong and counts for one group and one month), points out; no ORM, no
clock. Every criterion's points are a ``Decimal`` with two decimals, rounded half up, and the total
is the sum of the six rounded criteria (so the page adds up exactly).

The formulas (shown on the grading pages as written here):

1. Transacting at the commune session — 20 points.
   20 when the group handed over money at the month's session: at least one repayment of one of
   its loans (interest or principal) with a value date in the month, or at least one member who
   saved in the month; also 20 when nothing was due from it (no interest and no principal due at
   the session, so there was nothing to hand over); otherwise 0.
2. Overdue ratio — 30 points.
   r = overdue principal ÷ outstanding principal (in term + overdue + frozen) of the group's loans
   at the month's end. 30 × (1 − r ÷ 5 %), at least 0: 30 when r = 0, 15 at 2.5 %, 0 from 5 %.
   A group without outstanding has r = 0.
3. Collection of principal due — 15 points.
   c = principal repaid in the month (every repayment of principal, overdue catch-up included)
   ÷ principal of the instalments due at the month's session (current schedules), at most 1.
   15 × c; 15 when no principal was due.
4. Interest-collection rate — 20 points.
   i = interest (and overdue interest) collected in the month ÷ interest receivable of the
   group's loans at the end of the previous month (what was due at this month's session,
   arrears included), at most 1. 20 × i; 20 when nothing was due.
5. Members who save — 5 points.
   5 × members who deposited savings in the month ÷ members of the group at the month's end;
   0 for a group without members.
6. Growth in savings balance — 10 points.
   g = (savings balance at the month's end − at the previous month's end) ÷ the previous balance.
   10 × g ÷ 1 %, between 0 and 10: 10 from 1 % growth a month, 0 when the balance did not grow.
   From a zero balance: 10 when it grew, 0 otherwise.

Grade: Good ≥ 85, Fair 70 to < 85, Average 50 to < 70, Weak < 50.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

CENT = Decimal("0.01")
ZERO = Decimal("0.00")

SESSION_POINTS = Decimal(20)
OVERDUE_POINTS = Decimal(30)
PRINCIPAL_POINTS = Decimal(15)
INTEREST_POINTS = Decimal(20)
SAVERS_POINTS = Decimal(5)
GROWTH_POINTS = Decimal(10)
TOTAL_POINTS = Decimal(100)

# The overdue ratio at which criterion 2 reaches 0, and the monthly growth that earns criterion 6
# in full.
OVERDUE_RATIO_ZERO = Decimal("0.05")
GROWTH_FULL = Decimal("0.01")

GOOD_FROM = Decimal(85)
FAIR_FROM = Decimal(70)
AVERAGE_FROM = Decimal(50)


class Grade:
    GOOD = "good"
    FAIR = "fair"
    AVERAGE = "average"
    WEAK = "weak"

    CHOICES = [
        (GOOD, _("Good")),
        (FAIR, _("Fair")),
        (AVERAGE, _("Average")),
        (WEAK, _("Weak")),
    ]
    ORDER = [GOOD, FAIR, AVERAGE, WEAK]


# Criterion → (points at most, the formula as the page shows it).
CRITERIA = [
    (
        "session",
        SESSION_POINTS,
        _("Transacting at the commune session"),
        _(
            "20 when the group handed over money at the month's session (a repayment of one of "
            "its loans dated in the month, or a member who saved), or when nothing was due from "
            "it; otherwise 0."
        ),
    ),
    (
        "overdue",
        OVERDUE_POINTS,
        _("Overdue ratio"),
        _(
            "r = overdue principal ÷ outstanding principal of the group's loans at the month's "
            "end; 30 × (1 − r ÷ 5 %), at least 0: 30 at r = 0, 0 from 5 %."
        ),
    ),
    (
        "principal",
        PRINCIPAL_POINTS,
        _("Collection of principal due"),
        _(
            "15 × principal repaid in the month ÷ principal of the instalments due at the "
            "month's session, at most 15; 15 when no principal was due."
        ),
    ),
    (
        "interest",
        INTEREST_POINTS,
        _("Interest-collection rate"),
        _(
            "20 × interest collected in the month ÷ interest receivable at the end of the "
            "previous month (arrears included), at most 20; 20 when nothing was due."
        ),
    ),
    (
        "savers",
        SAVERS_POINTS,
        _("Members who save"),
        _("5 × members who saved in the month ÷ members at the month's end; 0 without members."),
    ),
    (
        "growth",
        GROWTH_POINTS,
        _("Growth in savings balance"),
        _(
            "g = growth of the savings balance over the month ÷ the previous balance; "
            "10 × g ÷ 1 %, between 0 and 10; from a zero balance 10 when it grew."
        ),
    ),
]


@dataclass(frozen=True)
class GroupFacts:
    """What the books say about one group for one month (whole dong, counts)."""

    repayments: int = 0  # repayments of the group's loans dated in the month (not reversed)
    principal_outstanding: int = 0  # at the month's end: in term + overdue + frozen
    principal_overdue: int = 0  # at the month's end
    principal_due: int = 0  # instalments due at the month's session
    principal_repaid: int = 0  # in the month
    interest_due: int = 0  # interest receivable at the end of the previous month
    interest_collected: int = 0  # in the month
    members: int = 0
    savers: int = 0
    savings_balance: int = 0  # at the month's end
    savings_balance_before: int = 0  # at the previous month's end


@dataclass(frozen=True)
class GroupPoints:
    session: Decimal
    overdue: Decimal
    principal: Decimal
    interest: Decimal
    savers: Decimal
    growth: Decimal
    total: Decimal
    grade: str

    def as_dict(self) -> dict[str, Decimal]:
        return {name: getattr(self, name) for name, *_rest in CRITERIA}


def _points(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _share(part: int, whole: int) -> Decimal:
    """part ÷ whole between 0 and 1 (whole > 0)."""
    return min(Decimal(1), max(Decimal(0), Decimal(part) / Decimal(whole)))


def session_points(facts: GroupFacts) -> Decimal:
    nothing_due = facts.interest_due <= 0 and facts.principal_due <= 0
    if facts.repayments > 0 or facts.savers > 0 or nothing_due:
        return _points(SESSION_POINTS)
    return ZERO


def overdue_points(facts: GroupFacts) -> Decimal:
    if facts.principal_outstanding <= 0 or facts.principal_overdue <= 0:
        return _points(OVERDUE_POINTS)
    ratio = _share(facts.principal_overdue, facts.principal_outstanding)
    return _points(max(Decimal(0), OVERDUE_POINTS * (1 - ratio / OVERDUE_RATIO_ZERO)))


def principal_points(facts: GroupFacts) -> Decimal:
    if facts.principal_due <= 0:
        return _points(PRINCIPAL_POINTS)
    return _points(PRINCIPAL_POINTS * _share(facts.principal_repaid, facts.principal_due))


def interest_points(facts: GroupFacts) -> Decimal:
    if facts.interest_due <= 0:
        return _points(INTEREST_POINTS)
    return _points(INTEREST_POINTS * _share(facts.interest_collected, facts.interest_due))


def savers_points(facts: GroupFacts) -> Decimal:
    if facts.members <= 0:
        return ZERO
    return _points(SAVERS_POINTS * _share(facts.savers, facts.members))


def growth_points(facts: GroupFacts) -> Decimal:
    before, after = facts.savings_balance_before, facts.savings_balance
    if before <= 0:
        return _points(GROWTH_POINTS) if after > 0 else ZERO
    growth = Decimal(after - before) / Decimal(before)
    scaled = GROWTH_POINTS * growth / GROWTH_FULL
    return _points(min(GROWTH_POINTS, max(Decimal(0), scaled)))


def grade_of(total: Decimal) -> str:
    """Good ≥ 85, Fair 70 to < 85, Average 50 to < 70, Weak < 50 (domain.md §3)."""
    if total >= GOOD_FROM:
        return Grade.GOOD
    if total >= FAIR_FROM:
        return Grade.FAIR
    if total >= AVERAGE_FROM:
        return Grade.AVERAGE
    return Grade.WEAK


def group_points(facts: GroupFacts) -> GroupPoints:
    """The six criteria, their sum and the grade."""
    parts = {
        "session": session_points(facts),
        "overdue": overdue_points(facts),
        "principal": principal_points(facts),
        "interest": interest_points(facts),
        "savers": savers_points(facts),
        "growth": growth_points(facts),
    }
    total = sum(parts.values(), ZERO)
    return GroupPoints(**parts, total=total, grade=grade_of(total))
