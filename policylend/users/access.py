"""Who may see and change what: the one place that decides (Zulip's ``access_*`` idea).

A user's scope is an organisation unit: they see that unit and everything under it, never a
sibling. Every selector starts from these functions; an object outside the scope is reported as
"not found" so its existence does not leak.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from policylend.core.errors import Forbidden, NotFound
from policylend.organisation.models import OrganisationUnit

from .roles import Capability, capabilities_of


@dataclass(frozen=True)
class Scope:
    unit_id: int | None
    path: str
    kind: str | None
    branch_id: int | None
    association_id: int | None
    everything: bool = False

    @property
    def is_branch_wide(self) -> bool:
        return self.everything or self.kind == "branch"


NOTHING = Scope(unit_id=None, path="/nothing/", kind=None, branch_id=None, association_id=None)


def scope_of(user) -> Scope:
    if user is None or not user.is_authenticated or not user.is_active:
        return NOTHING
    if user.is_superuser and user.scope_unit_id is None:
        return Scope(None, "/", None, None, None, everything=True)
    unit = user.scope_unit
    if unit is None:
        return NOTHING
    return Scope(
        unit_id=unit.id,
        path=unit.path,
        kind=unit.kind,
        branch_id=unit.branch_id,
        association_id=user.scope_association_id,
    )


def can(user, capability: Capability) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return capability in capabilities_of(user.role)


def require(user, capability: Capability) -> None:
    if not can(user, capability):
        raise Forbidden("forbidden", _("Your role may not do this."))


def unit_q(user, field: str = "") -> Q:
    """Rows whose unit (``field``, an FK to OrganisationUnit; empty for the unit itself) lies in
    the user's scope."""
    scope = scope_of(user)
    prefix = f"{field}__" if field else ""
    if scope.everything:
        return Q()
    return Q(**{f"{prefix}path__startswith": scope.path})


# Rows that carry the unit they belong to at every level (households, groups: kept in step when
# the tree changes) are scoped by one indexed column instead of a join on the units' paths.
PLACE_COLUMNS = {
    "branch": "branch_id",
    "office": "office_id",
    "commune": "commune_id",
    "village": "village_id",
}


def placed_q(user, prefix: str = "") -> Q:
    """Rows with ``branch``/``office``/``commune``/``village`` columns (behind ``prefix``, e.g.
    ``household__``) that lie in the user's scope."""
    scope = scope_of(user)
    if scope.everything:
        return Q()
    column = PLACE_COLUMNS.get(scope.kind or "")
    if column is None:
        return Q(pk__in=[])
    return Q(**{f"{prefix}{column}": scope.unit_id})


def units_visible_to(user) -> QuerySet[OrganisationUnit]:
    return OrganisationUnit.objects.filter(unit_q(user))


def unit_visible(user, unit: OrganisationUnit) -> bool:
    scope = scope_of(user)
    return scope.everything or unit.path.startswith(scope.path)


def unit_get_visible(user, unit_id: int) -> OrganisationUnit:
    unit = units_visible_to(user).filter(pk=unit_id).first()
    if unit is None:
        raise NotFound("not_found", _("No such unit in your scope."))
    return unit


def require_unit(user, unit: OrganisationUnit) -> None:
    """Refuse a change outside the user's scope."""
    if not unit_visible(user, unit):
        raise Forbidden("outside_scope", _("%(unit)s is outside your scope.") % {"unit": unit})


def branch_ids_visible_to(user) -> list[int] | None:
    """None means every branch."""
    scope = scope_of(user)
    if scope.everything:
        return None
    return [scope.branch_id] if scope.branch_id else []


def led_group_ids(user) -> list[int]:
    """The groups whose sitting leader or deputy (a board term not ended) logs in as ``user``:
    what a group leader's due lists are limited to."""
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    from policylend.groups.models import BoardTerm

    return sorted(
        BoardTerm.objects.filter(
            user=user, ended_on__isnull=True, role__in=("leader", "deputy")
        ).values_list("group_id", flat=True)
    )
