"""Writes to the organisation tree. Each change keeps the history of what belonged where."""

from __future__ import annotations

import re
from datetime import date, timedelta

from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _

from policylend.core.errors import DomainError, Problem
from policylend.users import access
from policylend.users.roles import Capability

from .error_codes import OrganisationErrorCode as E
from .models import (
    CODE_PATTERN,
    PARENT_KIND,
    OrganisationUnit,
    TransactionPoint,
    UnitKind,
    UnitParentPeriod,
    UnitStatus,
)
from .signals import unit_merged, unit_moved

NAME_LENGTH_MAX = 120
ADDRESS_LENGTH_MAX = 200


def _check_code(kind: str, code: str, exclude_id: int | None = None) -> list[Problem]:
    pattern, description = CODE_PATTERN[UnitKind(kind)]
    if not re.fullmatch(pattern, code or ""):
        return [Problem(
            E.CODE_FORMAT,
            _("The code of a %(kind)s must be %(rule)s; “%(code)s” is not.")
            % {"kind": UnitKind(kind).label.lower(), "rule": description, "code": code},
            "code",
        )]
    taken = OrganisationUnit.objects.filter(code=code).exclude(pk=exclude_id)
    if taken.exists():
        return [Problem(E.CODE_TAKEN, _("The code %(code)s is already used.") % {"code": code}, "code")]
    return []


def _check_name(name: str) -> list[Problem]:
    if not name:
        return [Problem(E.NAME_REQUIRED, _("Enter a name."), "name")]
    if len(name) > NAME_LENGTH_MAX:
        return [Problem(
            "organisation_name_too_long",
            _("The name may have at most %(n)d characters.") % {"n": NAME_LENGTH_MAX}, "name",
        )]
    return []


def _set_path(unit: OrganisationUnit) -> None:
    if unit.parent_id is None:
        unit.path, unit.depth, unit.branch_id = f"/{unit.pk}/", 0, unit.pk
    else:
        parent = unit.parent
        unit.path, unit.depth, unit.branch_id = f"{parent.path}{unit.pk}/", parent.depth + 1, parent.branch_id


def unit_create(
    *, kind: str, code: str, name: str, parent: OrganisationUnit | None, opened_on: date, actor,
    address: str = "",
) -> OrganisationUnit:
    """Add a unit under its parent: a branch at the top, an office under a branch, a commune under
    an office, a village under a commune."""
    if actor is not None:
        access.require(actor, Capability.MANAGE_ORGANISATION)
        if parent is not None:
            access.require_unit(actor, parent)
        elif not access.scope_of(actor).everything:
            raise DomainError(E.PARENT_KIND, _("Only an installation administrator may add a branch."), "parent")
    code, name, address = (code or "").strip(), (name or "").strip(), (address or "").strip()
    problems = _check_code(kind, code) + _check_name(name)
    expected_parent = PARENT_KIND[UnitKind(kind)]
    if (parent.kind if parent else None) != expected_parent:
        problems.append(Problem(
            E.PARENT_KIND,
            _("A %(kind)s must sit under a %(parent)s.")
            % {"kind": UnitKind(kind).label.lower(), "parent": UnitKind(expected_parent).label.lower()}
            if expected_parent else _("A branch has no parent unit."),
            "parent",
        ))
    elif parent is not None and not parent.is_active:
        problems.append(Problem(
            E.PARENT_INACTIVE, _("%(unit)s is no longer active.") % {"unit": parent}, "parent"
        ))
    if len(address) > ADDRESS_LENGTH_MAX:
        problems.append(Problem("organisation_address_too_long", _("The address is too long."), "address"))
    if problems:
        raise DomainError.of(problems)
    with transaction.atomic():
        unit = OrganisationUnit.objects.create(
            kind=kind, code=code, name=name, parent=parent, opened_on=opened_on, address=address,
            path="/", branch_id=parent.branch_id if parent else None,
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
    problems = _check_name(name)
    if len(address) > ADDRESS_LENGTH_MAX:
        problems.append(Problem("organisation_address_too_long", _("The address is too long."), "address"))
    if problems:
        raise DomainError.of(problems)
    with transaction.atomic():
        unit.name, unit.address = name, address
        unit.save(update_fields=["name", "address"])
    return unit


def _reparent(unit: OrganisationUnit, new_parent: OrganisationUnit, effective_on: date, reason: str) -> None:
    """Close the unit's current parent period, open a new one, and rewrite the paths of the unit
    and everything under it in one statement."""
    current = UnitParentPeriod.objects.filter(unit=unit, valid_to__isnull=True).first()
    if current is not None:
        if effective_on <= current.valid_from:
            raise DomainError(
                E.DATE_BEFORE_HISTORY,
                _("The date must be after %(day)s, when %(unit)s joined its current parent.")
                % {"day": current.valid_from.strftime("%d/%m/%Y"), "unit": unit},
                "effective_on",
            )
        current.valid_to = effective_on
        current.save(update_fields=["valid_to"])
    UnitParentPeriod.objects.create(unit=unit, parent=new_parent, valid_from=effective_on, reason=reason[:200])
    old_path = unit.path
    new_path = f"{new_parent.path}{unit.pk}/"
    depth_change = new_parent.depth + 1 - unit.depth
    OrganisationUnit.objects.filter(path__startswith=old_path).update(
        path=Concat(Value(new_path), Substr("path", len(old_path) + 1)),
        depth=F("depth") + depth_change,
        branch_id=new_parent.branch_id,
    )
    OrganisationUnit.objects.filter(pk=unit.pk).update(parent=new_parent)
    unit.refresh_from_db()


def unit_move(*, unit: OrganisationUnit, new_parent: OrganisationUnit, effective_on: date, actor, reason: str = "") -> OrganisationUnit:
    """Move a village to another commune, or a commune to another office, from a date."""
    access.require(actor, Capability.MANAGE_ORGANISATION)
    access.require_unit(actor, unit)
    access.require_unit(actor, new_parent)
    if new_parent.pk == unit.pk:
        raise DomainError(E.MOVE_TO_SELF, _("A unit cannot move under itself."), "new_parent")
    if new_parent.kind != PARENT_KIND[UnitKind(unit.kind)]:
        raise DomainError(
            E.PARENT_KIND,
            _("A %(kind)s must sit under a %(parent)s.")
            % {"kind": unit.get_kind_display().lower(), "parent": UnitKind(PARENT_KIND[UnitKind(unit.kind)]).label.lower()},
            "new_parent",
        )
    if new_parent.pk == unit.parent_id:
        raise DomainError(E.MOVE_SAME_PARENT, _("%(unit)s already belongs to %(parent)s.") % {"unit": unit, "parent": new_parent}, "new_parent")
    if not unit.is_active or not new_parent.is_active:
        raise DomainError(E.UNIT_INACTIVE, _("Only active units can be moved, into active units."), "new_parent")
    with transaction.atomic():
        old_parent = unit.parent
        _reparent(unit, new_parent, effective_on, reason)
        unit_moved.send(
            sender=OrganisationUnit, unit=unit, old_parent=old_parent, new_parent=new_parent,
            effective_on=effective_on, actor=actor,
        )
    return unit


def commune_merge(*, source: OrganisationUnit, target: OrganisationUnit, effective_on: date, actor, reason: str = "") -> OrganisationUnit:
    """Merge commune ``source`` into commune ``target`` from ``effective_on`` (domain.md §1).

    The source's villages move to the target, its transaction point closes, users scoped to it are
    re-scoped to the target, and every app listening to ``unit_merged`` moves its open business.
    The history keeps what belonged to the source before that day.
    """
    access.require(actor, Capability.MANAGE_ORGANISATION)
    access.require_unit(actor, source)
    access.require_unit(actor, target)
    problems = []
    for field, unit in (("source", source), ("target", target)):
        if unit.kind != UnitKind.COMMUNE:
            problems.append(Problem(E.NOT_A_COMMUNE, _("%(unit)s is not a commune.") % {"unit": unit}, field))
        elif not unit.is_active:
            problems.append(Problem(E.UNIT_INACTIVE, _("%(unit)s is no longer active.") % {"unit": unit}, field))
    if source.pk == target.pk:
        problems.append(Problem(E.MERGE_SELF, _("A commune cannot merge into itself."), "target"))
    elif source.branch_id != target.branch_id:
        problems.append(Problem(E.MERGE_OTHER_BRANCH, _("Communes of different branches cannot merge."), "target"))
    if problems:
        raise DomainError.of(problems)
    from policylend.users.models import User

    with transaction.atomic():
        for village in OrganisationUnit.objects.filter(parent=source, status=UnitStatus.ACTIVE).order_by("pk"):
            _reparent(village, target, effective_on, reason or _("Merger of %(source)s into %(target)s") % {"source": source.name, "target": target.name})
        OrganisationUnit.objects.filter(pk=source.pk).update(
            status=UnitStatus.MERGED, closed_on=effective_on, merged_into=target
        )
        UnitParentPeriod.objects.filter(unit=source, valid_to__isnull=True).update(valid_to=effective_on)
        for point in TransactionPoint.objects.filter(commune=source, is_active=True):
            point.is_active, point.closed_on = False, effective_on
            point.save(update_fields=["is_active", "closed_on"])
        for user in User.objects.filter(scope_unit=source):
            user.scope_unit = target
            user.save(update_fields=["scope_unit"])
        source.refresh_from_db()
        unit_merged.send(
            sender=OrganisationUnit, source=source, target=target, effective_on=effective_on, actor=actor
        )
    return target


def unit_close(*, unit: OrganisationUnit, closed_on: date, actor) -> OrganisationUnit:
    """Close a unit that has nothing under it any more."""
    access.require(actor, Capability.MANAGE_ORGANISATION)
    access.require_unit(actor, unit)
    if OrganisationUnit.objects.filter(parent=unit, status=UnitStatus.ACTIVE).exists():
        raise DomainError(
            "organisation_unit_has_children",
            _("%(unit)s still has active units under it; move or close them first.") % {"unit": unit},
            "unit",
        )
    with transaction.atomic():
        OrganisationUnit.objects.filter(pk=unit.pk).update(status=UnitStatus.CLOSED, closed_on=closed_on)
        UnitParentPeriod.objects.filter(unit=unit, valid_to__isnull=True).update(valid_to=closed_on)
        TransactionPoint.objects.filter(commune=unit, is_active=True).update(is_active=False, closed_on=closed_on)
        unit.refresh_from_db()
    return unit


# --- transaction points --------------------------------------------------------------------------

def _point_problems(code: str, session_day, address: str, name: str, exclude_id=None) -> list[Problem]:
    problems = []
    if not re.fullmatch(r"TXN\d{3,9}", code or ""):
        problems.append(Problem(
            E.POINT_CODE_FORMAT, _("A transaction point's code is TXN followed by 3 to 9 digits; “%(code)s” is not.") % {"code": code}, "code"
        ))
    elif TransactionPoint.objects.filter(code=code).exclude(pk=exclude_id).exists():
        problems.append(Problem(E.CODE_TAKEN, _("The code %(code)s is already used.") % {"code": code}, "code"))
    if isinstance(session_day, bool) or not isinstance(session_day, int) or not 1 <= session_day <= 28:
        problems.append(Problem(
            E.SESSION_DAY_RANGE,
            _("The session day must be a day of the month from 1 to 28; %(day)s is not.") % {"day": session_day},
            "session_day",
        ))
    problems += _check_name(name)
    if not address:
        problems.append(Problem("organisation_address_required", _("Enter the address of the point."), "address"))
    elif len(address) > ADDRESS_LENGTH_MAX:
        problems.append(Problem("organisation_address_too_long", _("The address is too long."), "address"))
    return problems


def transaction_point_create(
    *, commune: OrganisationUnit, code: str, name: str, session_day: int, address: str, opened_on: date, actor
) -> TransactionPoint:
    if actor is not None:
        access.require(actor, Capability.MANAGE_ORGANISATION)
        access.require_unit(actor, commune)
    code, name, address = (code or "").strip(), (name or "").strip(), (address or "").strip()
    problems = _point_problems(code, session_day, address, name)
    if commune.kind != UnitKind.COMMUNE:
        problems.append(Problem(E.NOT_A_COMMUNE, _("%(unit)s is not a commune.") % {"unit": commune}, "commune"))
    elif not commune.is_active:
        problems.append(Problem(E.UNIT_INACTIVE, _("%(unit)s is no longer active.") % {"unit": commune}, "commune"))
    elif TransactionPoint.objects.filter(commune=commune, is_active=True).exists():
        problems.append(Problem(E.POINT_EXISTS, _("%(unit)s already has an active transaction point.") % {"unit": commune}, "commune"))
    if problems:
        raise DomainError.of(problems)
    with transaction.atomic():
        return TransactionPoint.objects.create(
            commune=commune, branch_id=commune.branch_id, code=code, name=name,
            session_day=session_day, address=address, opened_on=opened_on,
        )


def transaction_point_update(*, point: TransactionPoint, name: str, session_day: int, address: str, actor) -> TransactionPoint:
    access.require(actor, Capability.MANAGE_ORGANISATION)
    access.require_unit(actor, point.commune)
    name, address = (name or "").strip(), (address or "").strip()
    problems = _point_problems(point.code, session_day, address, name, exclude_id=point.pk)
    if problems:
        raise DomainError.of(problems)
    with transaction.atomic():
        point.name, point.session_day, point.address = name, session_day, address
        point.save(update_fields=["name", "session_day", "address"])
    return point


def day_before(day: date) -> date:
    return day - timedelta(days=1)
