"""Import jobs: a workbook a user uploaded, what checking it found, and whether it was imported.

The job is the imports app's own record, not a register: checking a workbook writes the job and
its rows (the preview) and nothing else; importing writes the registers through their services.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportKind(models.TextChoices):
    # One workbook: households, their members and savings-and-loan groups.
    REGISTERS = "registers", _("Households, members and groups")


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Waiting to be checked")
    CHECKING = "checking", _("Being checked")
    CHECKED = "checked", _("Checked: ready to import")
    HAS_PROBLEMS = "has_problems", _("Checked: has problems")
    IMPORTING = "importing", _("Being imported")
    IMPORTED = "imported", _("Imported")
    FAILED = "failed", _("Failed")


# What a job may do next, by status (a table, as every status change in policylend).
RUNNING_STATUSES = (ImportStatus.UPLOADED, ImportStatus.CHECKING, ImportStatus.IMPORTING)


def _upload_path(instance, filename: str) -> str:
    # Never the user's file name on disk: a random name, the extension fixed.
    return f"imports/{instance.created_at:%Y/%m}/{uuid.uuid4().hex}.xlsx"


class ImportJob(models.Model):
    kind = models.CharField(
        _("kind"), max_length=20, choices=ImportKind.choices, default=ImportKind.REGISTERS
    )
    status = models.CharField(
        _("status"), max_length=14, choices=ImportStatus.choices, default=ImportStatus.UPLOADED
    )
    file = models.FileField(_("file"), upload_to=_upload_path, max_length=200)
    file_name = models.CharField(_("file name"), max_length=200)
    file_size = models.PositiveIntegerField(_("file size"), default=0)
    file_sha256 = models.CharField(max_length=64, db_index=True)
    # The language the user worked in: the background task speaks it in its own messages.
    language = models.CharField(max_length=5, default="vi")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="import_jobs",
    )
    # The uploader's scope when they uploaded: the rows must lie inside it.
    scope_unit = models.ForeignKey(
        "organisation.OrganisationUnit",
        verbose_name=_("scope"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_done = models.PositiveIntegerField(_("rows done"), default=0)
    rows_new = models.PositiveIntegerField(_("new rows"), default=0)
    rows_unchanged = models.PositiveIntegerField(_("rows already present, unchanged"), default=0)
    rows_with_problems = models.PositiveIntegerField(_("rows with problems"), default=0)
    # Problems of the file as a whole (no such sheet, unknown header, too many rows), each
    # {"code", "sheet", "field", "messages": {language: text}}; a row's problems are on its row.
    problems = models.JSONField(_("problems"), default=list, blank=True)
    # What the import wrote: {"households": n, "persons": n, "groups": n, "memberships": n}.
    written = models.JSONField(default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(_("uploaded at"))
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    started_at = models.DateTimeField(_("import started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["created_by", "-created_at"])]

    def __str__(self):
        return f"{self.file_name} ({self.get_status_display()})"

    @property
    def is_running(self) -> bool:
        return self.status in RUNNING_STATUSES

    @property
    def percent_done(self) -> int:
        if not self.rows_total:
            return 0
        return min(100, self.rows_done * 100 // self.rows_total)

    def get_additional_data(self):
        return {"unit_path": self.scope_unit.path if self.scope_unit_id else ""}


class RowOutcome(models.TextChoices):
    NEW = "new", _("New")
    UNCHANGED = "unchanged", _("Already present, unchanged")
    PROBLEM = "problem", _("Has problems")


class ImportSheet(models.TextChoices):
    HOUSEHOLDS = "households", _("Households")
    MEMBERS = "members", _("Members")
    GROUPS = "groups", _("Groups")


class ImportRow(models.Model):
    """One row of the workbook as the check saw it: new, already present, or with problems
    (each {"code", "field", "messages": {language: text}})."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="rows")
    sheet = models.CharField(_("sheet"), max_length=10, choices=ImportSheet.choices)
    row_number = models.PositiveIntegerField(_("row"))
    outcome = models.CharField(_("outcome"), max_length=10, choices=RowOutcome.choices)
    label = models.CharField(_("row"), max_length=200, blank=True)
    problems = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("import row")
        verbose_name_plural = _("import rows")
        ordering = ["job", "id"]
        indexes = [models.Index(fields=["job", "outcome", "id"])]

    def __str__(self):
        return f"{self.sheet} {self.row_number} {self.outcome}"
