"""Maker–checker: a request made by one user and decided by another (ARCHITECTURE.md, Access)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ApprovalStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for a checker")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn by the maker")


class ApprovalRequest(models.Model):
    kind = models.CharField(_("kind"), max_length=60, db_index=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ApprovalStatus.choices, default=ApprovalStatus.PENDING
    )
    payload = models.JSONField(_("request"))
    unit = models.ForeignKey(
        "organisation.OrganisationUnit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="approval_requests",
    )
    branch = models.ForeignKey(
        "organisation.OrganisationUnit", on_delete=models.PROTECT, related_name="+"
    )
    maker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("maker"),
        on_delete=models.PROTECT,
        related_name="approval_requests_made",
    )
    made_at = models.DateTimeField(_("made at"), auto_now_add=True)
    maker_note = models.CharField(_("maker's note"), max_length=500, blank=True)
    checker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("checker"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="approval_requests_checked",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.CharField(_("checker's note"), max_length=500, blank=True)
    result_reference = models.CharField(_("result"), max_length=100, blank=True)
    # A retry of the same request by the same maker (Idempotency-Key) returns the first request.
    idempotency_key = models.CharField(max_length=120, blank=True)
    # What the request is about ("entry:42", "740:2026-10"): one pending request per subject.
    subject_key = models.CharField(max_length=100, blank=True)

    class Meta:
        verbose_name = _("approval request")
        verbose_name_plural = _("approval requests")
        ordering = ["-made_at", "-id"]
        indexes = [models.Index(fields=["status", "kind"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(checker__isnull=True) | ~models.Q(checker=models.F("maker")),
                name="approval_maker_never_checks",
            ),
            models.UniqueConstraint(
                fields=["maker", "idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="approval_idempotency_key_per_maker",
            ),
            models.UniqueConstraint(
                fields=["kind", "subject_key"],
                condition=models.Q(status="pending") & ~models.Q(subject_key=""),
                name="approval_one_pending_per_subject",
            ),
        ]

    def __str__(self):
        return f"#{self.pk} {self.kind}"
