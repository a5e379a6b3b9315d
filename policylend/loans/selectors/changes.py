"""Reads of risk-handling batches and dossiers, scoped by the viewer: a batch belongs to a
transaction office, visible to whoever sees that office."""

from __future__ import annotations

from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _

from policylend.core.errors import NotFound
from policylend.users import access
from policylend.users.roles import Capability

from ..models import RiskBatch, RiskDossier


def risk_batch_list(viewer, *, status: str | None = None) -> QuerySet[RiskBatch]:
    access.require(viewer, Capability.VIEW_LOANS)
    batches = (
        RiskBatch.objects.filter(office__in=access.units_visible_to(viewer))
        .select_related("office", "approval", "created_by")
        .annotate(dossier_count=Count("dossiers"))
    )
    if status:
        batches = batches.filter(status=status)
    return batches.order_by("-created_at", "-id")


def risk_batch_get(viewer, batch_id: int) -> RiskBatch:
    batch = risk_batch_list(viewer).filter(pk=batch_id).first()
    if batch is None:
        raise NotFound("not_found", _("No such risk-handling batch in your scope."))
    return batch


def risk_dossiers_of(batch: RiskBatch) -> QuerySet[RiskDossier]:
    return (
        batch.dossiers.select_related("loan", "loan__borrower", "loan__programme")
        .prefetch_related("evidence")
        .order_by("id")
    )


def risk_dossier_get(viewer, dossier_id: int) -> RiskDossier:
    access.require(viewer, Capability.VIEW_LOANS)
    dossier = (
        RiskDossier.objects.filter(batch__office__in=access.units_visible_to(viewer))
        .select_related("batch", "batch__office", "loan")
        .filter(pk=dossier_id)
        .first()
    )
    if dossier is None:
        raise NotFound("not_found", _("No such dossier in your scope."))
    return dossier
