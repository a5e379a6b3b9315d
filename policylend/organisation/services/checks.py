"""Checks shared by the organisation services: each returns the problems it finds, naming the
field and the rule, so a service can report them all at once and change nothing."""

from __future__ import annotations

import re
from datetime import date, timedelta

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from policylend.core.errors import DomainError, Problem

from ..error_codes import OrganisationErrorCode as E
from ..models import CODE_PATTERN, PARENT_KIND, OrganisationUnit, UnitKind, UnitParentPeriod

NAME_LENGTH_MAX = 120
ADDRESS_LENGTH_MAX = 200
REASON_LENGTH_MAX = 200


def day_before(day: date) -> date:
    return day - timedelta(days=1)


def format_day(day: date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def kind_label(kind) -> str:
    return str(UnitKind(kind).label).lower()


def check_code(kind: str, code: str, exclude_id: int | None = None) -> list[Problem]:
    pattern, description = CODE_PATTERN[UnitKind(kind)]
    if not re.fullmatch(pattern, code or ""):
        return [
            Problem(
                E.CODE_FORMAT,
                _("The code of a %(kind)s must be %(rule)s; “%(code)s” is not.")
                % {"kind": kind_label(kind), "rule": description, "code": code},
                "code",
            )
        ]
    if OrganisationUnit.objects.filter(code=code).exclude(pk=exclude_id).exists():
        return [
            Problem(E.CODE_TAKEN, _("The code %(code)s is already used.") % {"code": code}, "code")
        ]
    return []


def check_name(name: str) -> list[Problem]:
    if not name:
        return [Problem(E.NAME_REQUIRED, _("Enter a name."), "name")]
    if len(name) > NAME_LENGTH_MAX:
        return [
            Problem(
                E.NAME_TOO_LONG,
                _("The name may have at most %(n)d characters.") % {"n": NAME_LENGTH_MAX},
                "name",
            )
        ]
    return []


def check_address(address: str, *, required: bool = False) -> list[Problem]:
    if required and not address:
        return [Problem(E.ADDRESS_REQUIRED, _("Enter the address of the point."), "address")]
    if len(address) > ADDRESS_LENGTH_MAX:
        return [
            Problem(
                E.ADDRESS_TOO_LONG,
                _("The address may have at most %(n)d characters.") % {"n": ADDRESS_LENGTH_MAX},
                "address",
            )
        ]
    return []


def check_kind(kind: str) -> list[Problem]:
    if kind not in UnitKind.values:
        return [Problem(E.KIND_UNKNOWN, _("Choose the kind of unit."), "kind")]
    return []


def parent_kind_problem(kind: str, field: str) -> Problem:
    expected = PARENT_KIND[UnitKind(kind)]
    if expected is None:
        return Problem(E.PARENT_KIND, _("A branch has no parent unit."), field)
    return Problem(
        E.PARENT_KIND,
        _("A %(kind)s must sit under a %(parent)s.")
        % {"kind": kind_label(kind), "parent": kind_label(expected)},
        field,
    )


def lock_units(*units: OrganisationUnit) -> None:
    """Lock the units' rows in primary-key order and reload them, so two administrators acting
    at once see each other's change (a second merge of the same commune is refused)."""
    ids = sorted({unit.pk for unit in units})
    list(OrganisationUnit.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
    for unit in units:
        unit.refresh_from_db()


def check_date_after_history(unit: OrganisationUnit, day: date, field: str) -> None:
    """A change on ``day`` must come after the unit joined its current parent (or opened)."""
    current = UnitParentPeriod.objects.filter(unit=unit, valid_to__isnull=True).first()
    start = current.valid_from if current is not None else unit.opened_on
    if day <= start:
        raise DomainError(
            E.DATE_BEFORE_HISTORY,
            _("The date must be after %(day)s, when %(unit)s joined its current parent.")
            % {"day": format_day(start), "unit": unit},
            field,
        )
