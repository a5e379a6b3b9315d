"""Commune transaction points and their fixed monthly session day (domain.md §1)."""

from __future__ import annotations

import re
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from policylend.core.errors import DomainError, Problem
from policylend.users import access
from policylend.users.roles import Capability

from ..error_codes import OrganisationErrorCode as E
from ..models import OrganisationUnit, TransactionPoint, UnitKind
from .checks import check_address, check_name, format_day, lock_units

POINT_CODE_PATTERN = r"TXN\d{3,9}"


def _session_day_problems(session_day) -> list[Problem]:
    if (
        isinstance(session_day, bool)
        or not isinstance(session_day, int)
        or not 1 <= session_day <= 28
    ):
        return [
            Problem(
                E.SESSION_DAY_RANGE,
                _("The session day must be a day of the month from 1 to 28; %(day)s is not.")
                % {"day": "—" if session_day is None else session_day},
                "session_day",
            )
        ]
    return []


def _point_code_problems(code: str) -> list[Problem]:
    if not re.fullmatch(POINT_CODE_PATTERN, code or ""):
        return [
            Problem(
                E.POINT_CODE_FORMAT,
                _("A transaction point's code is TXN followed by 3 to 9 digits; “%(code)s” is not.")
                % {"code": code},
                "code",
            )
        ]
    if TransactionPoint.objects.filter(code=code).exists():
        return [
            Problem(E.CODE_TAKEN, _("The code %(code)s is already used.") % {"code": code}, "code")
        ]
    return []


def _point_commune_problems(commune: OrganisationUnit, opened_on: date) -> list[Problem]:
    if commune.kind != UnitKind.COMMUNE:
        return [
            Problem(E.NOT_A_COMMUNE, _("%(unit)s is not a commune.") % {"unit": commune}, "commune")
        ]
    if not commune.is_active:
        return [
            Problem(
                E.UNIT_INACTIVE, _("%(unit)s is no longer active.") % {"unit": commune}, "commune"
            )
        ]
    if TransactionPoint.objects.filter(commune=commune, is_active=True).exists():
        return [
            Problem(
                E.POINT_EXISTS,
                _("%(unit)s already has an active transaction point.") % {"unit": commune},
                "commune",
            )
        ]
    if opened_on < commune.opened_on:
        return [
            Problem(
                E.DATE_BEFORE_PARENT,
                _("%(unit)s opened on %(day)s; its point cannot open earlier.")
                % {"unit": commune, "day": format_day(commune.opened_on)},
                "opened_on",
            )
        ]
    return []


def transaction_point_create(
    *,
    commune: OrganisationUnit,
    code: str,
    name: str,
    session_day: int,
    address: str,
    opened_on: date,
    actor,
) -> TransactionPoint:
    """Open the commune's transaction point with its fixed monthly session day (domain.md §1)."""
    if actor is not None:
        access.require(actor, Capability.MANAGE_ORGANISATION)
        access.require_unit(actor, commune)
    code, name, address = (code or "").strip(), (name or "").strip(), (address or "").strip()
    with transaction.atomic():
        lock_units(commune)
        problems = (
            _point_code_problems(code)
            + _session_day_problems(session_day)
            + check_name(name)
            + check_address(address, required=True)
            + _point_commune_problems(commune, opened_on)
        )
        if problems:
            raise DomainError.of(problems)
        return TransactionPoint.objects.create(
            commune=commune,
            branch_id=commune.branch_id,
            code=code,
            name=name,
            session_day=session_day,
            address=address,
            opened_on=opened_on,
        )


def transaction_point_update(
    *, point: TransactionPoint, name: str, session_day: int, address: str, actor
) -> TransactionPoint:
    """Rename an active point, move its session day or change its address."""
    access.require(actor, Capability.MANAGE_ORGANISATION)
    access.require_unit(actor, point.commune)
    name, address = (name or "").strip(), (address or "").strip()
    problems = (
        _session_day_problems(session_day)
        + check_name(name)
        + check_address(address, required=True)
    )
    if not point.is_active:
        problems.append(
            Problem(
                E.POINT_CLOSED,
                _("The transaction point %(point)s is closed.") % {"point": point},
                "point",
            )
        )
    if problems:
        raise DomainError.of(problems)
    with transaction.atomic():
        point.name, point.session_day, point.address = name, session_day, address
        point.save(update_fields=["name", "session_day", "address"])
    return point
