"""Checks the association services share: who may act on which association unit."""

from __future__ import annotations

from django.utils.translation import gettext as _

from policylend.core.errors import Forbidden

from ..models import AssociationUnit
from ..selectors import association_unit_visible


def require_association_unit(actor, association_unit: AssociationUnit) -> None:
    """Refuse a change to an association unit outside the actor's scope or association."""
    if not association_unit_visible(actor, association_unit):
        raise Forbidden(
            "outside_scope",
            _("%(unit)s is outside your scope.") % {"unit": association_unit},
        )
