"""Reads of import jobs: a user sees the jobs they started (a superuser every job)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from policylend.core.errors import NotFound
from policylend.users import access
from policylend.users.roles import Capability

from . import progress
from .models import ImportJob, ImportRow, ImportStatus, RowOutcome


def import_job_list(viewer) -> QuerySet[ImportJob]:
    access.require(viewer, Capability.IMPORT_REGISTERS)
    jobs = ImportJob.objects.select_related("created_by", "scope_unit")
    if not viewer.is_superuser:
        jobs = jobs.filter(created_by=viewer)
    return jobs.order_by("-created_at", "-id")


def import_job_get(viewer, job_id: int) -> ImportJob:
    job = import_job_list(viewer).filter(pk=job_id).first()
    if job is None:
        raise NotFound("not_found", _("No such import of yours."))
    return job


def import_job_progress(job: ImportJob) -> tuple[int, int]:
    """(rows done, rows in all): while the import writes, from the file it publishes."""
    if job.status == ImportStatus.IMPORTING:
        published = progress.read(job.pk)
        if published is not None:
            return published
        return 0, job.rows_total
    return job.rows_done, job.rows_total


def import_rows(
    job: ImportJob, *, outcome: str | None = None, sheet: str | None = None
) -> QuerySet[ImportRow]:
    rows = job.rows.all()
    if outcome in RowOutcome.values:
        rows = rows.filter(outcome=outcome)
    if sheet:
        rows = rows.filter(sheet=sheet)
    return rows.order_by("id")


def message_in(problem: dict, language: str) -> str:
    messages = problem.get("messages") or {}
    return messages.get(language) or messages.get("vi") or next(iter(messages.values()), "")


def field_label(sheet: str | None, field: str | None) -> str:
    """The column a problem concerns, as its header reads in the current language."""
    from .layout import SHEETS

    spec = next((s for s in SHEETS if s.key == sheet), None)
    if spec is None or not field:
        return ""
    column = next((c for c in spec.columns if c.key == field), None)
    return str(column.label) if column else ""
