"""Reads of loans, always scoped by the viewer: the loan's own place columns (branch, office,
commune, village) and, for an association officer, their association's groups."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from policylend.associations.selectors import association_filter_q
from policylend.core.errors import NotFound
from policylend.users import access
from policylend.users.roles import Capability

from ..models import Loan


def loans_in_scope(viewer) -> QuerySet[Loan]:
    return Loan.objects.filter(
        access.placed_q(viewer) & association_filter_q(viewer, "association_unit")
    )


def loan_list(
    viewer,
    *,
    search: str = "",
    status: str | None = None,
    programme_id: int | None = None,
    office_id: int | None = None,
    commune_id: int | None = None,
    group_id: int | None = None,
    household_id: int | None = None,
) -> QuerySet[Loan]:
    access.require(viewer, Capability.VIEW_LOANS)
    loans = loans_in_scope(viewer).select_related(
        "programme", "household", "borrower", "group", "commune"
    )
    filters = {
        "status": status,
        "programme_id": programme_id,
        "office_id": office_id,
        "commune_id": commune_id,
        "group_id": group_id,
        "household_id": household_id,
    }
    loans = loans.filter(**{k: v for k, v in filters.items() if v not in (None, "")})
    search = (search or "").strip()
    if search:
        loans = loans.filter(Q(number__istartswith=search) | Q(household__code__startswith=search))
    return loans.order_by("-applied_on", "-id")


def loan_get(viewer, loan_id: int) -> Loan:
    access.require(viewer, Capability.VIEW_LOANS)
    loan = (
        loans_in_scope(viewer)
        .select_related(
            "programme",
            "terms",
            "household",
            "borrower",
            "group",
            "association_unit__association",
            "branch",
            "office",
            "commune",
            "village",
            "disbursed_at_point",
        )
        .filter(pk=loan_id)
        .first()
    )
    if loan is None:
        raise NotFound("not_found", _("No such loan in your scope."))
    return loan
