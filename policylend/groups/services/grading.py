"""The monthly group grading run (domain.md §3; criteria and formulas in groups/grading.py).

One run grades every group of an office or branch for one ended month: the facts come from the
books in a fixed number of grouped queries (selectors_grading.grading_facts), the points from the
pure rules, and the grades are written in bulk. A grade once written stays: running the month
again grades only the groups still without a grade for it (a group founded or moved in late, or
a run interrupted), so a re-run never changes a grade the office has already seen or reported.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from policylend.core.errors import DomainError
from policylend.core.periods import Month
from policylend.organisation.models import OrganisationUnit, UnitKind
from policylend.users import access
from policylend.users.roles import Capability

from ..error_codes import GradingErrorCode as E
from ..grading import group_points
from ..models import GroupGrade
from ..selectors_grading import grading_facts, groups_to_grade


@dataclass(frozen=True)
class GradingResult:
    month: Month
    graded: int  # grades written by this run
    already: int  # groups graded by an earlier run, left as they were


def group_grading_run(*, actor, unit: OrganisationUnit, month: Month, today: date) -> GradingResult:
    """Grade the groups of ``unit`` (an office or a branch) for ``month``, which must have
    ended before ``today``; groups already graded for the month are left as they are."""
    access.require(actor, Capability.RUN_LOAN_JOBS)
    access.require_unit(actor, unit)
    if unit.kind not in (UnitKind.OFFICE, UnitKind.BRANCH):
        raise DomainError(
            E.UNIT_KIND, _("Grade the groups of a transaction office or of a branch."), "unit"
        )
    if month.last_day >= today:
        raise DomainError(
            E.MONTH_NOT_ENDED,
            _("Month %(month)s has not ended yet: it can be graded from %(day)s.")
            % {"month": month, "day": (month.next().first_day).strftime("%d/%m/%Y")},
            "month",
        )
    with transaction.atomic():
        groups = list(
            groups_to_grade(unit, month)
            .select_for_update(of=("self",))
            .order_by("pk")
            .values_list("pk", "office_id", "branch_id")
        )
        done = set(
            GroupGrade.objects.filter(
                group_id__in=[pk for pk, _o, _b in groups], month=month.first_day
            ).values_list("group_id", flat=True)
        )
        missing = [row for row in groups if row[0] not in done]
        facts = grading_facts([pk for pk, _o, _b in missing], month)
        grades = []
        for group_id, office_id, branch_id in missing:
            points = group_points(facts[group_id])
            grades.append(
                GroupGrade(
                    group_id=group_id,
                    month=month.first_day,
                    office_id=office_id,
                    branch_id=branch_id,
                    **points.as_dict(),
                    total=points.total,
                    grade=points.grade,
                    facts=vars(facts[group_id]).copy(),
                    graded_on=today,
                    graded_by=actor,
                )
            )
        GroupGrade.objects.bulk_create(grades, batch_size=500)
    return GradingResult(month=month, graded=len(grades), already=len(done))
