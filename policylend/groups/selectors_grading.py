"""Reads for the monthly group grading: the facts of every group of an office or branch for one
month, read from the books set-wise (a fixed number of grouped queries whatever the number of
groups), and the grades as the pages show them, scoped by the viewer."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from policylend.core.periods import Month
from policylend.organisation.models import OrganisationUnit, UnitKind
from policylend.users import access
from policylend.users.roles import Capability

from .grading import CRITERIA, Grade, GroupFacts
from .models import GroupGrade, GroupStatus, SavingsGroup
from .selectors import group_get, groups_in_scope

RECEIVABLE_ACCOUNT = "3941"


def unit_column(unit: OrganisationUnit) -> str:
    return "branch" if unit.kind == UnitKind.BRANCH else "office"


def groups_to_grade(unit: OrganisationUnit, month: Month) -> QuerySet[SavingsGroup]:
    """The unit's groups that were active during the month: founded by its end and not closed
    before it began."""
    return SavingsGroup.objects.filter(
        Q(status=GroupStatus.ACTIVE) | Q(closed_on__gt=month.last_day),
        **{unit_column(unit): unit},
        founded_on__lte=month.last_day,
    )


def _savings(group_ids: list[int], month: Month) -> dict[int, tuple[int, int, int, int]]:
    try:
        from policylend.savings.selectors import savings_facts
    except ImportError:  # savings not installed: no member saves, no balance
        return {}
    return savings_facts(group_ids, month)


def _sum(field_expression):
    return Coalesce(Sum(field_expression), 0)


def grading_facts(group_ids: list[int], month: Month) -> dict[int, GroupFacts]:
    """group_id → the facts of the month (groups.grading.GroupFacts), from the loans' kept
    balances and transactions, the instalments, the journal (3941) and the savings."""
    from policylend.ledger.models import JournalLine
    from policylend.loans.models import Instalment, Loan, LoanTransaction, TransactionKind

    end, start = month.last_day, month.first_day
    before_end = month.previous().last_day
    loans = Loan.objects.filter(group_id__in=group_ids)
    group_of: dict[int, int] = {}
    now: dict[int, list[int]] = defaultdict(lambda: [0, 0])  # group → [outstanding, overdue]
    for pk, group_id, in_term, overdue, frozen in loans.values_list(
        "pk", "group_id", "principal_in_term", "principal_overdue", "principal_frozen"
    ):
        group_of[pk] = group_id
        now[group_id][0] += in_term + overdue + frozen
        now[group_id][1] += overdue
    # Kept balances are today's: take back what the transactions after the month's end did.
    for row in (
        LoanTransaction.objects.filter(loan__group_id__in=group_ids, value_date__gt=end)
        .values("loan__group_id")
        .annotate(
            outstanding=_sum(
                F("principal_in_term") + F("principal_overdue") + F("principal_frozen")
            ),
            overdue=_sum("principal_overdue"),
        )
    ):
        now[row["loan__group_id"]][0] -= row["outstanding"]
        now[row["loan__group_id"]][1] -= row["overdue"]
    repaid = {
        row["loan__group_id"]: row
        for row in LoanTransaction.objects.filter(
            loan__group_id__in=group_ids,
            kind=TransactionKind.REPAYMENT,
            value_date__range=(start, end),
            reversed_by__isnull=True,
        )
        .values("loan__group_id")
        .annotate(
            count=Count("pk"),
            principal=_sum(F("principal_in_term") + F("principal_overdue") + F("principal_frozen")),
            interest=_sum(F("interest") + F("penalty")),
        )
    }
    due = dict(
        Instalment.objects.filter(
            loan__group_id__in=group_ids,
            schedule__is_current=True,
            due_session__range=(start, end),
        )
        .values("loan__group_id")
        .annotate(principal=_sum("principal"))
        .values_list("loan__group_id", "principal")
    )
    interest_due: Counter[int] = Counter()
    for loan_id, amount in (
        JournalLine.objects.filter(
            account__code=RECEIVABLE_ACCOUNT,
            value_date__lte=before_end,
            loan_ref__in=loans.values("pk"),
        )
        .values("loan_ref")
        .annotate(amount=_sum("amount"))
        .values_list("loan_ref", "amount")
    ):
        interest_due[group_of.get(loan_id)] += amount
    savings = _savings(group_ids, month)
    facts = {}
    for group_id in group_ids:
        outstanding, overdue = now.get(group_id, (0, 0))
        paid = repaid.get(group_id, {})
        members, savers, balance, balance_before = savings.get(group_id, (0, 0, 0, 0))
        facts[group_id] = GroupFacts(
            repayments=paid.get("count", 0),
            principal_outstanding=max(0, outstanding),
            principal_overdue=max(0, overdue),
            principal_due=due.get(group_id, 0),
            principal_repaid=-paid.get("principal", 0),
            interest_due=max(0, interest_due.get(group_id, 0)),
            interest_collected=-paid.get("interest", 0),
            members=members,
            savers=savers,
            savings_balance=balance,
            savings_balance_before=balance_before,
        )
    return facts


# --- pages -----------------------------------------------------------------------------------------


def criteria_rows() -> list[dict]:
    """The six criteria with their points and formulas, for the pages."""
    return [
        {"name": name, "points": points, "label": label, "formula": formula}
        for name, points, label, formula in CRITERIA
    ]


def grade_history(viewer, group_id: int) -> tuple[SavingsGroup, QuerySet[GroupGrade]]:
    """The group and its grades, newest first (404 outside the viewer's scope)."""
    group = group_get(viewer, group_id)
    return group, GroupGrade.objects.filter(group=group).order_by("-month")


def grades_of_group(group: SavingsGroup, limit: int = 12) -> list[GroupGrade]:
    """The latest grades of a group the caller has already read through a scoped selector."""
    return list(GroupGrade.objects.filter(group=group).order_by("-month")[:limit])


@dataclass(frozen=True)
class GradeCount:
    grade: str
    label: str
    count: int
    percent: Decimal


def grade_distribution(viewer, unit: OrganisationUnit, month: Month) -> list[GradeCount]:
    """How many of the unit's groups (in the viewer's scope) had each grade in the month, with
    the share of the groups graded (percent to two decimals)."""
    access.require(viewer, Capability.VIEW_GROUPS)
    access.require_unit(viewer, unit)
    counts = dict(
        GroupGrade.objects.filter(
            **{unit_column(unit): unit},
            month=month.first_day,
            group__in=groups_in_scope(viewer),
        )
        .values("grade")
        .annotate(n=Count("pk"))
        .values_list("grade", "n")
    )
    graded = sum(counts.values())
    labels = dict(Grade.CHOICES)
    rows = []
    for grade in Grade.ORDER:
        count = counts.get(grade, 0)
        percent = (
            (Decimal(100) * count / graded).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
            if graded
            else Decimal("0.00")
        )
        rows.append(GradeCount(grade, labels[grade], count, percent))
    return rows


def grades_of_unit(viewer, unit: OrganisationUnit, month: Month) -> QuerySet[GroupGrade]:
    access.require(viewer, Capability.VIEW_GROUPS)
    access.require_unit(viewer, unit)
    return (
        GroupGrade.objects.filter(
            **{unit_column(unit): unit},
            month=month.first_day,
            group__in=groups_in_scope(viewer),
        )
        .select_related("group")
        .order_by("group__code")
    )
