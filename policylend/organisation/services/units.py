"""Units of the tree: open, rename, move, merge (communes) and close, keeping the history."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _

from policylend.core.errors import DomainError, Problem
from policylend.users import access
from policylend.users.roles import Capability

from ..error_codes import OrganisationErrorCode as E
from ..models import (
    PARENT_KIND,
    OrganisationUnit,
    TransactionPoint,
    UnitKind,
    UnitParentPeriod,
    UnitStatus,
)
from ..signals import unit_merged, unit_moved
from .checks import (
    REASON_LENGTH_MAX,
    check_address,
    check_code,
    check_date_after_history,
    check_kind,
    check_name,
    format_day,
    lock_units,
    parent_kind_problem,
)


def _set_path(unit: OrganisationUnit) -> None:
    if unit.parent_id is None:
        unit.path, unit.depth, unit.branch_id = f"/{unit.pk}/", 0, unit.pk
    else:
        parent = unit.parent
        unit.path, unit.depth = f"{parent.path}{unit.pk}/", parent.depth + 1
        unit.branch_id = parent.branch_id


def _require_create(actor, parent: OrganisationUnit | None) -> None:
    if actor is None:  # the demo generator and fixtures build the tree without a user
        return
    access.require(actor, Capability.MANAGE_ORGANISATION)
    if parent is not None:
        access.require_unit(actor, parent)
    elif not access.scope_of(actor).everything:
        raise DomainError(
            E.PARENT_KIND, _("Only an installation administrator may add a branch."), "parent"
        )


def _parent_problems(kind: str, parent: OrganisationUnit | None, opened_on: date) -> list[Problem]:
    if (parent.kind if parent else None) != PARENT_KIND[UnitKind(kind)]:
        return [parent_kind_problem(kind, "parent")]
    if parent is not None and not parent.is_active:
        return [
            Problem(
                E.PARENT_INACTIVE, _("%(unit)s is no longer active.") % {"unit": parent}, "parent"
            )
        ]
    if parent is not None and opened_on < parent.opened_on:
        return [
            Problem(
                E.DATE_BEFORE_PARENT,
                _("%(unit)s opened on %(day)s; a unit under it cannot open earlier.")
                % {"unit": parent, "day": format_day(parent.opened_on)},
                "opened_on",
            )
        ]
    return []


def unit_create(
    *,
    kind: str,
    code: str,
    name: str,
    parent: OrganisationUnit | None,
    opened_on: date,
    actor,
    address: str = "",
) -> OrganisationUnit:
    """Add a unit under its parent: a branch at the top, an office under a branch, a commune under
    an office, a village under a commune (domain.md §1, codes as the core system keeps them)."""
    _require_create(actor, parent)
    code, name, address = (code or "").strip(), (name or "").strip(), (address or "").strip()
    if check_kind(kind):
        raise DomainError.of(check_kind(kind) + check_name(name))
    problems = (
        check_code(kind, code)
        + check_name(name)
        + check_address(address)
        + _parent_problems(kind, parent, opened_on)
    )
    if problems:
        raise DomainError.of(problems)
    with transaction.atomic():
        unit = OrganisationUnit.objects.create(
            kind=kind,
            code=code,
            name=name,
            parent=parent,
            opened_on=opened_on,
            address=address,
            path="/",
            branch_id=parent.branch_id if parent else None,
        )
        _set_path(unit)
        unit.save(update_fields=["path", "depth", "branch"])
        if parent is not None:
            UnitParentPeriod.objects.create(unit=unit, parent=parent, valid_from=opened_on)
    return unit


def unit_update(*, unit: OrganisationUnit, name: str, address: str, actor) -> OrganisationUnit:
    """Rename a unit or change its address (its code and place in the tree do not change here)."""
    access.require(actor, Capability.MANAGE_ORGANISATION)
    access.require_unit(actor, unit)
    name, address = (name or "").strip(), (address or "").strip()
    problems = check_name(name) + check_address(address)
    if problems:
        raise DomainError.of(problems)
    with transaction.atomic():
        unit.name, unit.address = name, address
        unit.save(update_fields=["name", "address"])
    return unit


def _reparent(
    unit: OrganisationUnit, new_parent: OrganisationUnit, effective_on: date, reason: str
) -> None:
    """Close the unit's current parent period, open a new one, and rewrite the paths (and branch)
    of the unit and everything under it, one statement each."""
    check_date_after_history(unit, effective_on, "effective_on")
    UnitParentPeriod.objects.filter(unit=unit, valid_to__isnull=True).update(valid_to=effective_on)
    UnitParentPeriod.objects.create(
        unit=unit, parent=new_parent, valid_from=effective_on, reason=reason[:REASON_LENGTH_MAX]
    )
    old_path = unit.path
    new_path = f"{new_parent.path}{unit.pk}/"
    OrganisationUnit.objects.filter(path__startswith=old_path).update(
        path=Concat(Value(new_path), Substr("path", len(old_path) + 1)),
        depth=F("depth") + (new_parent.depth + 1 - unit.depth),
        branch_id=new_parent.branch_id,
    )
    TransactionPoint.objects.filter(commune__path__startswith=new_path).exclude(
        branch_id=new_parent.branch_id
    ).update(branch_id=new_parent.branch_id)
    # The unit's own change of parent goes through save() so the audit log records it; the
    # derived paths above are rewritten in bulk.
    unit.refresh_from_db()
    unit.parent = new_parent
    unit.save(update_fields=["parent"])


def _move_problems(
    unit: OrganisationUnit, new_parent: OrganisationUnit, effective_on: date
) -> list[Problem]:
    if new_parent.path.startswith(unit.path):
        return [Problem(E.MOVE_TO_SELF, _("A unit cannot move under itself."), "new_parent")]
    if new_parent.kind != PARENT_KIND[UnitKind(unit.kind)]:
        return [parent_kind_problem(unit.kind, "new_parent")]
    if new_parent.pk == unit.parent_id:
        return [
            Problem(
                E.MOVE_SAME_PARENT,
                _("%(unit)s already belongs to %(parent)s.") % {"unit": unit, "parent": new_parent},
                "new_parent",
            )
        ]
    if not unit.is_active or not new_parent.is_active:
        return [
            Problem(
                E.UNIT_INACTIVE,
                _("Only active units can be moved, into active units."),
                "new_parent",
            )
        ]
    if effective_on < new_parent.opened_on:
        return [
            Problem(
                E.DATE_BEFORE_PARENT,
                _("%(unit)s opened on %(day)s; nothing can join it earlier.")
                % {"unit": new_parent, "day": format_day(new_parent.opened_on)},
                "effective_on",
            )
        ]
    return []


def unit_move(
    *,
    unit: OrganisationUnit,
    new_parent: OrganisationUnit,
    effective_on: date,
    actor,
    reason: str = "",
) -> OrganisationUnit:
    """Move a village to another commune, or a commune to another office, from ``effective_on``.

    The unit belonged to its old parent until the day before and belongs to the new one from that
    day; everything under it moves with it (paths, depth and branch rewritten)."""
    access.require(actor, Capability.MANAGE_ORGANISATION)
    access.require_unit(actor, unit)
    access.require_unit(actor, new_parent)
    with transaction.atomic():
        lock_units(unit, new_parent)
        problems = _move_problems(unit, new_parent, effective_on)
        if problems:
            raise DomainError.of(problems)
        old_parent = unit.parent
        _reparent(unit, new_parent, effective_on, (reason or "").strip())
        unit_moved.send(
            sender=OrganisationUnit,
            unit=unit,
            old_parent=old_parent,
            new_parent=new_parent,
            effective_on=effective_on,
            actor=actor,
        )
    return unit


def _merge_problems(
    source: OrganisationUnit, target: OrganisationUnit, effective_on: date
) -> list[Problem]:
    problems = []
    for field, unit in (("source", source), ("target", target)):
        if unit.kind != UnitKind.COMMUNE:
            problems.append(
                Problem(E.NOT_A_COMMUNE, _("%(unit)s is not a commune.") % {"unit": unit}, field)
            )
        elif not unit.is_active:
            problems.append(
                Problem(E.UNIT_INACTIVE, _("%(unit)s is no longer active.") % {"unit": unit}, field)
            )
    if source.pk == target.pk:
        problems.append(Problem(E.MERGE_SELF, _("A commune cannot merge into itself."), "target"))
    elif source.branch_id != target.branch_id:
        problems.append(
            Problem(
                E.MERGE_OTHER_BRANCH, _("Communes of different branches cannot merge."), "target"
            )
        )
    elif not problems and effective_on < target.opened_on:
        problems.append(
            Problem(
                E.DATE_BEFORE_PARENT,
                _("%(unit)s opened on %(day)s; nothing can merge into it earlier.")
                % {"unit": target, "day": format_day(target.opened_on)},
                "effective_on",
            )
        )
    return problems


def _close_points(commune: OrganisationUnit, closed_on: date) -> None:
    for point in TransactionPoint.objects.filter(commune=commune, is_active=True):
        point.is_active, point.closed_on = False, closed_on
        point.save(update_fields=["is_active", "closed_on"])


def commune_merge(
    *,
    source: OrganisationUnit,
    target: OrganisationUnit,
    effective_on: date,
    actor,
    reason: str = "",
) -> OrganisationUnit:
    """Merge commune ``source`` into commune ``target`` from ``effective_on`` (domain.md §1).

    The source's villages move to the target, its transaction point closes, users scoped to it are
    re-scoped to the target, and every app listening to ``unit_merged`` moves its open business.
    The history keeps what belonged to the source before that day.
    """
    access.require(actor, Capability.MANAGE_ORGANISATION)
    access.require_unit(actor, source)
    access.require_unit(actor, target)
    from policylend.users.models import User

    with transaction.atomic():
        lock_units(source, target)
        problems = _merge_problems(source, target, effective_on)
        if problems:
            raise DomainError.of(problems)
        check_date_after_history(source, effective_on, "effective_on")
        reason = (reason or "").strip() or _("Merger of %(source)s into %(target)s") % {
            "source": source.name,
            "target": target.name,
        }
        villages = OrganisationUnit.objects.filter(parent=source, status=UnitStatus.ACTIVE)
        for village in villages.order_by("pk"):
            _reparent(village, target, effective_on, reason)
        source.status, source.closed_on, source.merged_into = (
            UnitStatus.MERGED,
            effective_on,
            target,
        )
        source.save(update_fields=["status", "closed_on", "merged_into"])
        UnitParentPeriod.objects.filter(unit=source, valid_to__isnull=True).update(
            valid_to=effective_on
        )
        _close_points(source, effective_on)
        for user in User.objects.filter(scope_unit=source).order_by("pk"):
            user.scope_unit = target
            user.save(update_fields=["scope_unit"])
        source.refresh_from_db()
        unit_merged.send(
            sender=OrganisationUnit,
            source=source,
            target=target,
            effective_on=effective_on,
            actor=actor,
        )
    return target


def unit_close(*, unit: OrganisationUnit, closed_on: date, actor) -> OrganisationUnit:
    """Close a unit that has nothing active under it any more; its transaction point closes too."""
    access.require(actor, Capability.MANAGE_ORGANISATION)
    access.require_unit(actor, unit)
    with transaction.atomic():
        lock_units(unit)
        if not unit.is_active:
            raise DomainError(
                E.UNIT_INACTIVE, _("%(unit)s is no longer active.") % {"unit": unit}, "unit"
            )
        if OrganisationUnit.objects.filter(parent=unit, status=UnitStatus.ACTIVE).exists():
            raise DomainError(
                E.HAS_CHILDREN,
                _("%(unit)s still has active units under it; move or close them first.")
                % {"unit": unit},
                "unit",
            )
        check_date_after_history(unit, closed_on, "closed_on")
        unit.status, unit.closed_on = UnitStatus.CLOSED, closed_on
        unit.save(update_fields=["status", "closed_on"])
        UnitParentPeriod.objects.filter(unit=unit, valid_to__isnull=True).update(valid_to=closed_on)
        _close_points(unit, closed_on)
        unit.refresh_from_db()
    return unit
