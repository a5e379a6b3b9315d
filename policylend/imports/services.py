"""Every write of the imports app: receiving a workbook, checking it (the preview), and importing
it once confirmed. Checking and importing run as background tasks (``imports.tasks``); the page
follows their progress and the user may leave and come back.

- ``import_job_create``: limits on the file (size, type), stored under a random name, checked in
  the background;
- ``import_job_check`` (the task): every row checked with the registers' rules, each row's
  outcome stored for the preview (new, already present, problems); writes nothing to the
  registers;
- ``import_job_confirm``: only the uploader, only a job checked without problems; the import is
  queued;
- ``import_job_run`` (the task): the rows checked again, then written through the registers'
  services in ONE database transaction — all rows or none.
"""

from __future__ import annotations

import hashlib
import json
import logging
import traceback
from collections.abc import Callable

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import get_language, override
from django.utils.translation import gettext as _

from policylend.core.errors import Conflict, DomainError, Forbidden
from policylend.users import access
from policylend.users.roles import Capability

from . import parsed, progress
from .checking import CheckResult, RowResult, build_context, check_rows, read_sheets, records_of
from .error_codes import ImportErrorCode as E
from .layout import language_codes
from .models import ImportJob, ImportRow, ImportStatus
from .rules import FILE_SIZE_MAX, XLSX_MAGIC
from .writing import RowRefused, write_rows

logger = logging.getLogger(__name__)

ROWS_SAVED_PER_BATCH = 2_000
FILE_NAME_LENGTH_MAX = 200
ERROR_LENGTH_MAX = 4_000


# --- receiving a workbook -------------------------------------------------------------------------


def _file_problems(name: str, size: int, head: bytes) -> None:
    if size == 0:
        raise DomainError(E.FILE_EMPTY, _("The file is empty."), "file")
    if size > FILE_SIZE_MAX:
        raise DomainError(
            E.FILE_TOO_LARGE,
            _("The file has %(size)s MB; at most %(limit)s MB may be uploaded. Split it.")
            % {"size": f"{size / 1024 / 1024:.1f}", "limit": FILE_SIZE_MAX // 1024 // 1024},
            "file",
        )
    if not name.lower().endswith(".xlsx") or not head.startswith(XLSX_MAGIC):
        raise DomainError(
            E.FILE_NOT_XLSX,
            _("Only Excel workbooks (.xlsx) can be imported; “%(name)s” is not one.")
            % {"name": name[:80]},
            "file",
        )


def import_job_create(
    *, actor, upload, language: str | None = None, background: bool = True
) -> ImportJob:
    """Receive an uploaded workbook (a Django UploadedFile) and queue its check (``background``;
    otherwise the caller runs ``import_job_check`` itself, as the command does)."""
    from .tasks import check_import

    access.require(actor, Capability.IMPORT_REGISTERS)
    name = (getattr(upload, "name", "") or "workbook.xlsx").rsplit("/", 1)[-1][
        :FILE_NAME_LENGTH_MAX
    ]
    size = int(getattr(upload, "size", 0) or 0)
    upload.seek(0)
    head = upload.read(len(XLSX_MAGIC))
    _file_problems(name, size, head)
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    language = language or get_language() or "vi"
    job = ImportJob(
        created_by=actor,
        scope_unit_id=actor.scope_unit_id,
        language=language if language in language_codes() else "vi",
        file_name=name,
        file_size=size,
        file_sha256=digest.hexdigest(),
        created_at=timezone.now(),
    )
    with transaction.atomic():
        job.file.save("workbook.xlsx", upload, save=False)
        job.save()
    if background:
        result = check_import.enqueue(job.pk)
        ImportJob.objects.filter(pk=job.pk, task_id="").update(task_id=str(result.id)[:64])
    job.refresh_from_db()
    return job


# --- checking: the preview --------------------------------------------------------------------------


def _failed(job: ImportJob, error: BaseException) -> None:
    logger.exception("import %s failed", job.pk)
    text = "".join(traceback.format_exception_only(type(error), error)).strip()
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.FAILED, error=text[:ERROR_LENGTH_MAX], finished_at=timezone.now()
    )


class _RowWriter:
    """Stores the preview's rows in batches and advances the job's counter as it goes (each
    batch commits on its own, so another process sees the progress). One INSERT statement
    repeated for a batch: the preview of a province's file has 150,000 rows."""

    SQL = (
        "INSERT INTO imports_importrow (job_id, sheet, row_number, outcome, label, problems) "
        "VALUES (%s, %s, %s, %s, %s, %s)"
    )
    COPY = "COPY imports_importrow (job_id, sheet, row_number, outcome, label, problems) FROM STDIN"

    def __init__(self, job: ImportJob):
        self.job, self.pending, self.done = job, [], 0

    def __call__(self, row: RowResult) -> None:
        problems = json.dumps(row.problems, ensure_ascii=False) if row.problems else "[]"
        self.pending.append((self.job.pk, row.sheet, row.number, row.outcome, row.label, problems))
        if len(self.pending) >= ROWS_SAVED_PER_BATCH:
            self.flush()

    def flush(self) -> None:
        if self.pending:
            with transaction.atomic(), connection.cursor() as cursor:
                if connection.vendor == "postgresql":
                    # COPY: several times faster than INSERT for a province's 150,000 rows.
                    with cursor.cursor.copy(self.COPY) as copy:
                        for row in self.pending:
                            copy.write_row(row)
                else:
                    cursor.executemany(self.SQL, self.pending)
            self.done += len(self.pending)
            self.pending = []
            ImportJob.objects.filter(pk=self.job.pk).update(rows_done=self.done)


def _check(
    job: ImportJob, on_row: Callable[[RowResult], None] | None, *, register_rules: bool = True
) -> CheckResult:
    sheets = parsed.load(job.pk, job.file_sha256)
    if sheets is None:
        sheets, file_problems = read_sheets(job.file.path)
        if not file_problems:
            parsed.save(job.pk, sheets, job.file_sha256)
    else:
        file_problems = []
    result = records_of(sheets, file_problems)
    if result.file_problems:
        return result
    ImportJob.objects.filter(pk=job.pk).update(rows_total=result.rows_total)
    context = build_context(
        job.created_by,
        timezone.localdate(),
        result.households,
        result.members,
        result.groups,
        register_rules=register_rules,
    )
    check_rows(result, context, language=job.language, on_row=on_row)
    return result


def _store_outcome(job: ImportJob, result: CheckResult, status: str, **extra) -> None:
    counts = result.counts
    ImportJob.objects.filter(pk=job.pk).update(
        status=status,
        rows_total=result.rows_total,
        rows_done=result.rows_total if status != ImportStatus.FAILED else 0,
        rows_new=counts["new"],
        rows_unchanged=counts["unchanged"],
        rows_with_problems=counts["problem"],
        problems=result.file_problems,
        checked_at=timezone.now(),
        **extra,
    )


def import_job_check(*, job_id: int) -> None:
    """The background task of the preview: check every row, store each row's outcome. Writes
    nothing to the registers."""
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    if job.status not in (ImportStatus.UPLOADED, ImportStatus.CHECKING):
        return
    try:
        with override(job.language):
            ImportJob.objects.filter(pk=job.pk).update(
                status=ImportStatus.CHECKING, rows_done=0, problems=[], error=""
            )
            ImportRow.objects.filter(job_id=job.pk).delete()
            writer = _RowWriter(job)
            result = _check(job, writer)
            writer.flush()
            status = ImportStatus.HAS_PROBLEMS if result.has_problems else ImportStatus.CHECKED
            _store_outcome(job, result, status)
            if result.has_problems:
                parsed.clear(job.pk)  # it will never be imported
    except Exception as error:
        _failed(job, error)
        raise


# --- importing ---------------------------------------------------------------------------------------


def import_job_confirm(*, actor, job: ImportJob, background: bool = True) -> ImportJob:
    """Import a checked workbook: only its uploader, only once, only without problems."""
    from .tasks import run_import

    access.require(actor, Capability.IMPORT_REGISTERS)
    if job.created_by_id != actor.pk:
        raise Forbidden("forbidden", _("Only the person who uploaded the file may import it."))
    refusals = {
        ImportStatus.HAS_PROBLEMS: (
            E.JOB_HAS_PROBLEMS,
            _("The file has %(count)s rows with problems: correct them and upload the file again.")
            % {"count": job.rows_with_problems},
        ),
        ImportStatus.IMPORTED: (E.JOB_DONE, _("This file was imported already.")),
        ImportStatus.IMPORTING: (E.JOB_RUNNING, _("This file is being imported.")),
        ImportStatus.UPLOADED: (E.JOB_NOT_READY, _("The file has not been checked yet.")),
        ImportStatus.CHECKING: (E.JOB_NOT_READY, _("The file has not been checked yet.")),
        ImportStatus.FAILED: (
            E.JOB_HAS_PROBLEMS,
            _("The import failed and wrote nothing: correct the file and upload it again."),
        ),
    }
    if job.status in refusals:
        code, message = refusals[job.status]
        raise DomainError(code, message, None)
    claimed = ImportJob.objects.filter(pk=job.pk, status=ImportStatus.CHECKED).update(
        status=ImportStatus.IMPORTING,
        confirmed_by=actor,
        started_at=timezone.now(),
        rows_done=0,
    )
    if not claimed:
        raise Conflict(E.JOB_RUNNING, _("Somebody started this import already."), None)
    progress.publish(job.pk, 0, job.rows_total)
    if background:
        result = run_import.enqueue(job.pk)
        ImportJob.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])
    job.refresh_from_db()
    return job


def import_job_run(*, job_id: int) -> None:
    """The background task of the import: check again (the registers may have changed since
    the preview), then write every new row through the registers' services in one transaction.
    Any refusal rolls everything back and is shown at its row."""
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    if job.status != ImportStatus.IMPORTING:
        return
    actor = job.confirmed_by or job.created_by
    try:
        with override(job.language):
            # The services check their own rules again as they write; this check finds what
            # changed in the registers since the preview (taken IDs, codes, groups).
            result = _check(job, None, register_rules=False)
            if result.has_problems:
                _recheck_with_rows(job)
                return
            total = result.rows_total

            def advance(done: int) -> None:
                progress.publish(job.pk, min(done, total), total)

            with transaction.atomic():
                written = write_rows(
                    result, actor=actor, today=timezone.localdate(), progress=advance
                )
                ImportJob.objects.filter(pk=job.pk).update(
                    status=ImportStatus.IMPORTED,
                    rows_done=total,
                    written=written,
                    finished_at=timezone.now(),
                )
    except RowRefused as refused:
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportStatus.FAILED,
            problems=[_located_problem(p) for p in refused.located],
            finished_at=timezone.now(),
        )
    except Exception as error:
        _failed(job, error)
        raise
    finally:
        progress.clear(job.pk)
        parsed.clear(job.pk)


def _located_problem(problem: dict) -> dict:
    return {
        "code": problem["code"],
        "sheet": problem["sheet"],
        "row": problem["row"],
        "field": problem["field"],
        "messages": {language: problem["message"] for language in language_codes()},
    }


def _recheck_with_rows(job: ImportJob) -> None:
    """The registers changed since the preview and a row no longer passes: refresh the preview
    (the job goes back to "has problems"); nothing is written."""
    ImportRow.objects.filter(job_id=job.pk).delete()
    writer = _RowWriter(job)
    result = _check(job, writer)
    writer.flush()
    _store_outcome(job, result, ImportStatus.HAS_PROBLEMS)
