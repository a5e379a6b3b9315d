"""The yearly supervision plan of an association unit and the inspections its officers record
(guidance 727/HD-NHCS, domain.md §2: every group once a year; the loans issue adds new loans,
loans with no transaction for 3 months and older loans)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from policylend.core.errors import DomainError, Forbidden, Problem
from policylend.users import access
from policylend.users.roles import Capability

from .. import rules
from ..error_codes import AssociationErrorCode as E
from ..models import AssociationUnit, Inspection, InspectionReason, SupervisionItem
from ..signals import supervision_plan_built
from .checks import require_association_unit


def _require_planner(actor, association_unit: AssociationUnit) -> None:
    if actor is None:  # the demo generator builds plans without a user
        return
    if not (
        access.can(actor, Capability.RECORD_INSPECTIONS)
        or access.can(actor, Capability.MANAGE_ASSOCIATIONS)
    ):
        raise Forbidden("forbidden", _("Your role may not do this."))
    require_association_unit(actor, association_unit)


def supervision_plan_build(
    *, actor, association_unit: AssociationUnit, year: int, today: date | None = None
) -> list[SupervisionItem]:
    """Put every active group the unit manages on its plan for ``year``, due 31/12 (the loans
    app adds the loans to inspect through ``supervision_plan_built``). Building again adds only
    the groups (and loans) not yet on it; a group already inspected that year is marked done
    by that inspection. Returns the whole plan of the unit for the year."""
    from policylend.groups.models import GroupStatus, SavingsGroup

    _require_planner(actor, association_unit)
    problems = rules.year_problems(year)
    if problems:
        raise DomainError.of(problems)
    due_by = rules.group_yearly_due_by(year)
    with transaction.atomic():
        # One builder at a time per unit: the second sees the first one's items.
        list(AssociationUnit.objects.select_for_update().filter(pk=association_unit.pk))
        planned = set(
            SupervisionItem.objects.filter(
                association_unit=association_unit,
                year=year,
                reason=InspectionReason.GROUP_YEARLY,
                loan_ref__isnull=True,
            ).values_list("group_id", flat=True)
        )
        group_ids = [
            pk
            for pk in SavingsGroup.objects.filter(
                association_unit=association_unit,
                status=GroupStatus.ACTIVE,
                founded_on__lte=due_by,
            )
            .order_by("pk")
            .values_list("pk", flat=True)
            if pk not in planned
        ]
        done = _inspected_in(group_ids, association_unit.association_id, year)
        SupervisionItem.objects.bulk_create(
            [
                SupervisionItem(
                    association_unit=association_unit,
                    branch_id=association_unit.branch_id,
                    year=year,
                    reason=InspectionReason.GROUP_YEARLY,
                    group_id=group_id,
                    due_by=due_by,
                    inspection_id=done.get(group_id),
                )
                for group_id in group_ids
            ],
            batch_size=500,
        )
        supervision_plan_built.send(
            sender=AssociationUnit,
            association_unit=association_unit,
            year=year,
            today=today or timezone.localdate(),
        )
    return list(
        SupervisionItem.objects.filter(association_unit=association_unit, year=year)
        .select_related("group", "inspection")
        .order_by("due_by", "reason", "group__code", "loan_ref")
    )


def supervision_loans_add(
    *, association_unit: AssociationUnit, year: int, loans: Sequence[tuple[str, int, int, date]]
) -> int:
    """Add loans to the unit's plan: ``(reason, loan_id, group_id, due_by)`` each, once per
    reason, loan and year (called by the loans app while the plan is built). Returns how many
    were added."""
    planned = set(
        SupervisionItem.objects.filter(
            association_unit=association_unit, year=year, loan_ref__isnull=False
        ).values_list("reason", "loan_ref")
    )
    new = [
        SupervisionItem(
            association_unit=association_unit,
            branch_id=association_unit.branch_id,
            year=year,
            reason=reason,
            group_id=group_id,
            loan_ref=loan_id,
            due_by=due_by,
        )
        for reason, loan_id, group_id, due_by in loans
        if (reason, loan_id) not in planned
    ]
    SupervisionItem.objects.bulk_create(new, batch_size=500)
    return len(new)


def _inspected_in(group_ids: list[int], association_id: int, year: int) -> dict[int, int]:
    """group → the first inspection of it by the association in the year."""
    if not group_ids:
        return {}
    first: dict[int, int] = {}
    rows = (
        Inspection.objects.filter(
            group_id__in=group_ids,
            association_unit__association_id=association_id,
            inspected_on__gte=date(year, 1, 1),
            inspected_on__lte=date(year, 12, 31),
        )
        .order_by("inspected_on", "pk")
        .values_list("group_id", "pk")
    )
    for group_id, inspection_id in rows:
        first.setdefault(group_id, inspection_id)
    return first


def _group_problems(association_unit: AssociationUnit, group, inspected_on: date) -> list[Problem]:
    managing = group.association_unit
    if managing.association_id != association_unit.association_id or not (
        managing.unit.path.startswith(association_unit.unit.path)
    ):
        return [
            Problem(
                E.GROUP_NOT_MANAGED,
                _("Group %(group)s is not managed by %(unit)s or a unit under it.")
                % {"group": group, "unit": association_unit},
                "group",
            )
        ]
    if inspected_on < group.founded_on:
        return [
            Problem(
                E.GROUP_NOT_FOUNDED,
                _("Group %(group)s was founded on %(day)s, after the inspection date.")
                % {"group": group, "day": rules.format_day(group.founded_on)},
                "inspected_on",
            )
        ]
    if group.closed_on is not None and inspected_on > group.closed_on:
        return [
            Problem(
                E.GROUP_CLOSED,
                _("Group %(group)s closed on %(day)s; it accepts nothing after that.")
                % {"group": group, "day": rules.format_day(group.closed_on)},
                "group",
            )
        ]
    return []


def inspection_record(
    *,
    actor,
    association_unit: AssociationUnit,
    inspected_on: date,
    inspector_name: str,
    checked: Sequence[str],
    findings: str,
    group=None,
    loan_ref: int | None = None,
    reported_on: date | None = None,
    today: date | None = None,
) -> Inspection:
    """Record an inspection: who, when, what was checked, the findings and when it was reported.
    An inspection of a group marks that year's plan item of the group done (the group's managing
    unit's plan: an inspection by a higher level of the same association counts too)."""
    access.require(actor, Capability.RECORD_INSPECTIONS)
    require_association_unit(actor, association_unit)
    today = today or timezone.localdate()
    inspector_name, findings = (inspector_name or "").strip(), (findings or "").strip()
    checked = list(dict.fromkeys(checked or ()))
    problems = rules.inspection_problems(
        inspector_name=inspector_name,
        checked=checked,
        findings=findings,
        inspected_on=inspected_on,
        reported_on=reported_on,
        today=today,
    )
    if not association_unit.is_active:
        problems.append(
            Problem(
                E.UNIT_INACTIVE,
                _("%(unit)s is no longer active.") % {"unit": association_unit},
                "association_unit",
            )
        )
    if group is None and loan_ref is None:
        problems.append(
            Problem(E.SUBJECT_REQUIRED, _("Choose the group that was inspected."), "group")
        )
    elif group is not None:
        problems += _group_problems(association_unit, group, inspected_on)
    if problems:
        raise DomainError.of(problems)
    with transaction.atomic():
        inspection = Inspection.objects.create(
            association_unit=association_unit,
            branch_id=association_unit.branch_id,
            group=group,
            loan_ref=loan_ref,
            inspected_on=inspected_on,
            inspector_name=inspector_name,
            checked=checked,
            findings=findings,
            reported_on=reported_on,
            recorded_by=actor,
        )
        if group is not None:
            SupervisionItem.objects.filter(
                association_unit_id=group.association_unit_id,
                year=inspected_on.year,
                reason=InspectionReason.GROUP_YEARLY,
                group=group,
                inspection__isnull=True,
            ).update(inspection=inspection)
    return inspection
