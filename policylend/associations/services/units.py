"""Association units: one association at one place of the organisation tree (domain.md §2)."""

from __future__ import annotations

import re

from django.db import transaction
from django.utils.translation import gettext as _

from policylend.core.errors import DomainError, Problem
from policylend.organisation.models import OrganisationUnit
from policylend.users import access
from policylend.users.roles import Capability

from ..error_codes import AssociationErrorCode as E
from ..models import LEVEL_OF_UNIT_KIND, Association, AssociationUnit
from .checks import require_association_unit

NAME_LENGTH_MAX = 160
CHAIR_LENGTH_MAX = 120
PHONE_PATTERN = r"\+?[0-9][0-9 .-]{5,18}"


def _text_problems(name: str, chair_name: str, phone: str) -> list[Problem]:
    problems = []
    if not name:
        problems.append(Problem(E.NAME_REQUIRED, _("Enter the name of the unit."), "name"))
    elif len(name) > NAME_LENGTH_MAX:
        problems.append(
            Problem(
                E.NAME_TOO_LONG,
                _("The name may have at most %(n)d characters.") % {"n": NAME_LENGTH_MAX},
                "name",
            )
        )
    if len(chair_name) > CHAIR_LENGTH_MAX:
        problems.append(
            Problem(
                E.CHAIR_TOO_LONG,
                _("The chair's name may have at most %(n)d characters.") % {"n": CHAIR_LENGTH_MAX},
                "chair_name",
            )
        )
    if phone and not re.fullmatch(PHONE_PATTERN, phone):
        problems.append(
            Problem(
                E.PHONE_FORMAT,
                _("“%(phone)s” is not a phone number: 6 to 19 digits, spaces, dots or dashes.")
                % {"phone": phone},
                "phone",
            )
        )
    return problems


def _place_problems(association: Association, unit: OrganisationUnit) -> list[Problem]:
    if unit.kind not in LEVEL_OF_UNIT_KIND:
        return [
            Problem(
                E.UNIT_LEVEL,
                _(
                    "An association has units beside the province branch, a transaction office "
                    "or a commune; %(unit)s is a %(kind)s."
                )
                % {"unit": unit, "kind": str(unit.get_kind_display()).lower()},
                "unit",
            )
        ]
    if not unit.is_active:
        return [
            Problem(E.UNIT_INACTIVE, _("%(unit)s is no longer active.") % {"unit": unit}, "unit")
        ]
    existing = AssociationUnit.objects.filter(
        association=association, unit=unit, is_active=True
    ).first()
    if existing is not None:
        return [
            Problem(
                E.UNIT_EXISTS,
                _("%(place)s already has a unit of this association: %(unit)s.")
                % {"place": unit, "unit": existing},
                "unit",
            )
        ]
    return []


def association_unit_create(
    *,
    actor,
    association: Association,
    unit: OrganisationUnit,
    name: str,
    chair_name: str = "",
    phone: str = "",
) -> AssociationUnit:
    """Open an association's unit beside a branch (province level), a transaction office
    (district level) or a commune (commune level). Its higher level is the same association's unit
    beside the parent place, when there is one; units below made earlier now hang under it."""
    if actor is not None:  # the demo generator builds the associations without a user
        access.require(actor, Capability.MANAGE_ASSOCIATIONS)
        access.require_unit(actor, unit)
    name, chair_name, phone = (
        (name or "").strip(),
        (chair_name or "").strip(),
        (phone or "").strip(),
    )
    with transaction.atomic():
        # Lock the place so that two administrators cannot both open the same unit.
        list(OrganisationUnit.objects.select_for_update().filter(pk=unit.pk))
        problems = _place_problems(association, unit) + _text_problems(name, chair_name, phone)
        if problems:
            raise DomainError.of(problems)
        parent = (
            AssociationUnit.objects.filter(
                association=association, unit_id=unit.parent_id, is_active=True
            ).first()
            if unit.parent_id
            else None
        )
        created = AssociationUnit.objects.create(
            association=association,
            unit=unit,
            branch_id=unit.branch_id,
            level=LEVEL_OF_UNIT_KIND[unit.kind],
            parent=parent,
            name=name,
            chair_name=chair_name,
            phone=phone,
        )
        AssociationUnit.objects.filter(
            association=association, unit__parent=unit, is_active=True, parent__isnull=True
        ).update(parent=created)
    return created


def association_unit_update(
    *, actor, association_unit: AssociationUnit, name: str, chair_name: str = "", phone: str = ""
) -> AssociationUnit:
    """Rename a unit or change its chair or phone."""
    access.require(actor, Capability.MANAGE_ASSOCIATIONS)
    require_association_unit(actor, association_unit)
    name, chair_name, phone = (
        (name or "").strip(),
        (chair_name or "").strip(),
        (phone or "").strip(),
    )
    problems = _text_problems(name, chair_name, phone)
    if problems:
        raise DomainError.of(problems)
    with transaction.atomic():
        association_unit.name, association_unit.chair_name = name, chair_name
        association_unit.phone = phone
        association_unit.save(update_fields=["name", "chair_name", "phone"])
    return association_unit
