"""Writes of the associations (domain.md §2): association units, entrustment contracts and the
maker–checker change of their fee terms, the yearly supervision plan and inspection records.
Each service checks the actor's capability and scope, reports every broken rule at once naming
the field, and writes in one database transaction."""

from .contracts import (
    contract_create,
    terms_change_apply,
    terms_change_check,
    terms_change_request,
)
from .supervision import inspection_record, supervision_loans_add, supervision_plan_build
from .units import association_unit_create, association_unit_update

__all__ = [
    "association_unit_create",
    "association_unit_update",
    "contract_create",
    "inspection_record",
    "supervision_loans_add",
    "supervision_plan_build",
    "terms_change_apply",
    "terms_change_check",
    "terms_change_request",
]
