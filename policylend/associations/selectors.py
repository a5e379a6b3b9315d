"""Reads of the associations, scoped by the viewer.

Who sees what (domain.md §11): bank staff see every association's units, contracts and
inspections inside their scope unit; an association officer sees only their own association's,
inside their scope unit. ``association_unit_q`` and ``association_filter_q`` are that rule; the
groups app reuses them for the groups an association manages. Anything outside is "not found".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from policylend.approvals.models import ApprovalRequest, ApprovalStatus
from policylend.core.errors import NotFound
from policylend.core.text import fold
from policylend.users import access
from policylend.users.models import User
from policylend.users.roles import Role

from . import rules
from .models import (
    Association,
    AssociationUnit,
    EntrustmentContract,
    EntrustmentTerms,
    Inspection,
    SupervisionItem,
)

SEARCH_LENGTH_MAX = 60


# --- the access rule --------------------------------------------------------------------------------


def association_filter_q(viewer, field_prefix: str = "") -> Q:
    """Rows of the viewer's own association when the viewer is an association officer; every
    association otherwise. ``field_prefix`` leads from the rows to an AssociationUnit ("" for
    association units themselves, "association_unit" for groups, contracts, inspections)."""
    scope = access.scope_of(viewer)
    if scope.everything or scope.association_id is None:
        return Q()
    prefix = f"{field_prefix}__" if field_prefix else ""
    return Q(**{f"{prefix}association_id": scope.association_id})


def association_unit_q(viewer, field_prefix: str = "") -> Q:
    """Rows whose association unit the viewer may see: its place lies in the viewer's scope, and
    it belongs to the viewer's association when the viewer is an association officer."""
    prefix = f"{field_prefix}__" if field_prefix else ""
    return access.unit_q(viewer, f"{prefix}unit") & association_filter_q(viewer, field_prefix)


def association_unit_visible(viewer, association_unit: AssociationUnit) -> bool:
    scope = access.scope_of(viewer)
    if scope.everything:
        return True
    if scope.association_id is not None and association_unit.association_id != scope.association_id:
        return False
    return association_unit.unit.path.startswith(scope.path)


# --- associations and their units -------------------------------------------------------------------


def association_list(viewer) -> QuerySet[Association]:
    """The associations the viewer works with: their own for an officer, all four otherwise."""
    scope = access.scope_of(viewer)
    associations = Association.objects.all()
    if not scope.everything and scope.association_id is not None:
        associations = associations.filter(pk=scope.association_id)
    return associations


def association_unit_list(
    viewer,
    *,
    association_id: int | None = None,
    level: str | None = None,
    search: str = "",
    active: bool | None = None,
) -> QuerySet[AssociationUnit]:
    """Association units in the viewer's scope, filtered by association, level and a name, the
    place's name or its code."""
    units = AssociationUnit.objects.filter(association_unit_q(viewer)).select_related(
        "association", "unit", "parent"
    )
    if association_id is not None:
        units = units.filter(association_id=association_id)
    if level:
        units = units.filter(level=level)
    if active is not None:
        units = units.filter(is_active=active)
    search = (search or "").strip()[:SEARCH_LENGTH_MAX]
    if search:
        units = units.filter(
            Q(name__icontains=search)
            | Q(unit__search_name__contains=fold(search))
            | Q(unit__code__startswith=search)
        )
    return units


def association_unit_get(viewer, association_unit_id: int) -> AssociationUnit:
    unit = association_unit_list(viewer).filter(pk=association_unit_id).first()
    if unit is None:
        raise NotFound("not_found", _("No such association unit in your scope."))
    return unit


def association_unit_officers(association_unit: AssociationUnit) -> QuerySet[User]:
    """The unit's officers: association officers of its association whose scope is its place."""
    return User.objects.filter(
        role=Role.ASSOCIATION_OFFICER,
        scope_unit_id=association_unit.unit_id,
        scope_association_id=association_unit.association_id,
        is_active=True,
    ).order_by("full_name", "username")


def association_unit_children(viewer, association_unit: AssociationUnit) -> QuerySet:
    return association_unit_list(viewer).filter(parent=association_unit).order_by("unit__path")


# --- contracts and their terms ----------------------------------------------------------------------


def contract_list(
    viewer,
    *,
    association_id: int | None = None,
    association_unit_id: int | None = None,
    status: str | None = None,
    search: str = "",
) -> QuerySet[EntrustmentContract]:
    contracts = EntrustmentContract.objects.filter(
        association_unit_q(viewer, "association_unit")
    ).select_related("association_unit", "association_unit__association", "bank_unit")
    if association_id is not None:
        contracts = contracts.filter(association_unit__association_id=association_id)
    if association_unit_id is not None:
        contracts = contracts.filter(association_unit_id=association_unit_id)
    if status:
        contracts = contracts.filter(status=status)
    search = (search or "").strip()[:SEARCH_LENGTH_MAX]
    if search:
        contracts = contracts.filter(
            Q(number__icontains=search) | Q(association_unit__name__icontains=search)
        )
    return contracts


def contract_get(viewer, contract_id: int) -> EntrustmentContract:
    contract = contract_list(viewer).filter(pk=contract_id).first()
    if contract is None:
        raise NotFound("not_found", _("No such entrustment contract in your scope."))
    return contract


@dataclass(frozen=True)
class TermsRow:
    """One version of a contract's terms, with the last day it was in force (None: open)."""

    terms: EntrustmentTerms
    last_day: date | None
    in_force: bool

    @property
    def shares(self) -> list[tuple[str, int]]:
        return list(zip(rules.SPLIT_LEVELS, self.terms.split, strict=True))


def contract_terms_history(contract: EntrustmentContract, on: date) -> list[TermsRow]:
    """Every version of the terms, newest first, the one in force on ``on`` marked."""
    versions = list(
        EntrustmentTerms.objects.filter(contract=contract).select_related(
            "approval", "approval__maker", "approval__checker"
        )
    )
    current = rules.terms_in_force(versions, on)
    rows = [
        TermsRow(terms=version, last_day=last_day, in_force=version is current)
        for version, last_day in rules.terms_periods(versions)
    ]
    return rows[::-1]


def contract_terms_on(contract: EntrustmentContract, on: date) -> EntrustmentTerms | None:
    """The terms in force on a date (the fee computation of the sessions reads this)."""
    return (
        EntrustmentTerms.objects.filter(contract=contract, effective_from__lte=on)
        .order_by("-effective_from")
        .first()
    )


def contract_terms_changes_waiting(contract: EntrustmentContract) -> QuerySet[ApprovalRequest]:
    return ApprovalRequest.objects.filter(
        kind=rules.TERMS_CHANGE_KIND,
        status=ApprovalStatus.PENDING,
        payload__contract_id=contract.pk,
    ).select_related("maker")


# --- supervision plan and inspections ---------------------------------------------------------------


def supervision_plan(
    viewer, association_unit: AssociationUnit, year: int
) -> QuerySet[SupervisionItem]:
    """The unit's plan for a year, each item with the inspection that did it (if any)."""
    association_unit_get(viewer, association_unit.pk)
    return (
        SupervisionItem.objects.filter(association_unit=association_unit, year=year)
        .select_related("group", "group__village", "inspection")
        .order_by("due_by", "reason", "group__code", "loan_ref")
    )


@dataclass(frozen=True)
class PlanProgress:
    total: int
    done: int

    @property
    def left(self) -> int:
        return self.total - self.done


def supervision_plan_progress(items: QuerySet[SupervisionItem]) -> PlanProgress:
    counts = items.aggregate(
        total=Count("pk"), done=Count("pk", filter=Q(inspection__isnull=False))
    )
    return PlanProgress(total=counts["total"], done=counts["done"])


def inspection_list(
    viewer,
    *,
    association_id: int | None = None,
    association_unit_id: int | None = None,
    year: int | None = None,
    group_id: int | None = None,
) -> QuerySet[Inspection]:
    inspections = Inspection.objects.filter(
        association_unit_q(viewer, "association_unit")
    ).select_related("association_unit", "association_unit__association", "group")
    if association_id is not None:
        inspections = inspections.filter(association_unit__association_id=association_id)
    if association_unit_id is not None:
        inspections = inspections.filter(association_unit_id=association_unit_id)
    if year is not None:
        inspections = inspections.filter(
            inspected_on__gte=date(year, 1, 1), inspected_on__lte=date(year, 12, 31)
        )
    if group_id is not None:
        inspections = inspections.filter(group_id=group_id)
    return inspections


def inspection_get(viewer, inspection_id: int) -> Inspection:
    inspection = inspection_list(viewer).filter(pk=inspection_id).first()
    if inspection is None:
        raise NotFound("not_found", _("No such inspection in your scope."))
    return inspection


def managed_groups(association_unit: AssociationUnit):
    """The groups a unit may inspect: the active groups it manages, and those of the units of the
    same association under it."""
    from policylend.groups.models import GroupStatus, SavingsGroup

    return (
        SavingsGroup.objects.filter(
            association_unit__association_id=association_unit.association_id,
            association_unit__unit__path__startswith=association_unit.unit.path,
            status=GroupStatus.ACTIVE,
        )
        .select_related("village")
        .order_by("code")
    )
