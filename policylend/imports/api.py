"""Imports and exports in the JSON API: upload a workbook (POST /imports), follow its check and
read its rows (GET /imports/{id}), import it (POST /imports/{id}/confirm); every list as Excel
(GET /exports/{name}.xlsx). The same services and selectors as the pages."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.utils.translation import get_language
from ninja import Field, File, Query, Router, Schema, Status
from ninja.files import UploadedFile

from policylend.core.excel import xlsx_response
from policylend.core.pagination import PAGE_SIZE, PAGE_SIZE_MAX

from . import selectors, services
from .exports import EXPORTS

router = Router(tags=["imports"])
exports_router = Router(tags=["exports"])


class ProblemOut(Schema):
    code: str
    sheet: str | None = None
    row: int | None = None
    field: str | None = None
    message: str


class RowOut(Schema):
    sheet: str
    row: int
    outcome: str
    label: str
    problems: list[ProblemOut]


class JobOut(Schema):
    id: int
    kind: str
    status: str
    file_name: str
    file_size: int
    created_at: datetime
    checked_at: datetime | None
    started_at: datetime | None
    finished_at: datetime | None
    rows_total: int
    rows_done: int
    rows_new: int
    rows_unchanged: int
    rows_with_problems: int
    problems: list[ProblemOut] = Field(description="Problems of the file as a whole")
    written: dict[str, int]


class JobDetailOut(JobOut):
    rows: list[RowOut]
    rows_count: int
    page: int
    size: int


class RowFilters(Schema):
    page: int = Field(1, ge=1, le=1_000_000)
    size: int = Field(PAGE_SIZE, ge=1, le=PAGE_SIZE_MAX)
    outcome: Literal["new", "unchanged", "problem"] | None = None
    sheet: Literal["households", "members", "groups"] | None = None


def _problems(problems: list[dict], language: str, sheet: str | None = None) -> list[dict]:
    return [
        {
            "code": p.get("code", ""),
            "sheet": p.get("sheet") or sheet,
            "row": p.get("row"),
            "field": p.get("field"),
            "message": selectors.message_in(p, language),
        }
        for p in problems
    ]


def _job(job, language: str) -> dict:
    done, total = selectors.import_job_progress(job)
    return {
        **{name: getattr(job, name) for name in JobOut.model_fields if hasattr(job, name)},
        "rows_done": done,
        "rows_total": total,
        "problems": _problems(job.problems or [], language),
        "written": job.written or {},
    }


@router.get("", response=list[JobOut], summary="Your imports, newest first")
def job_list(request, page: int = Query(1, ge=1, le=1_000_000)):
    language = get_language() or "vi"
    start = (page - 1) * PAGE_SIZE
    jobs = selectors.import_job_list(request.user)[start : start + PAGE_SIZE]
    return [_job(job, language) for job in jobs]


@router.post(
    "", response={201: JobOut}, summary="Upload a workbook; it is checked in the background"
)
def job_create(request, file: File[UploadedFile]):
    job = services.import_job_create(actor=request.user, upload=file, language=get_language())
    return Status(201, _job(job, get_language() or "vi"))


@router.get("/{job_id}", response=JobDetailOut, summary="An import: status, progress and its rows")
def job_get(request, job_id: int, filters: Query[RowFilters]):
    language = get_language() or "vi"
    job = selectors.import_job_get(request.user, job_id)
    rows = selectors.import_rows(job, outcome=filters.outcome, sheet=filters.sheet)
    start = (filters.page - 1) * filters.size
    return {
        **_job(job, language),
        "rows": [
            {
                "sheet": row.sheet,
                "row": row.row_number,
                "outcome": row.outcome,
                "label": row.label,
                "problems": _problems(row.problems, language, row.sheet),
            }
            for row in rows[start : start + filters.size]
        ],
        "rows_count": rows.count(),
        "page": filters.page,
        "size": filters.size,
    }


@router.post("/{job_id}/confirm", response={202: JobOut}, summary="Import a checked workbook")
def job_confirm(request, job_id: int):
    job = selectors.import_job_get(request.user, job_id)
    job = services.import_job_confirm(actor=request.user, job=job)
    return Status(202, _job(job, get_language() or "vi"))


def _export_operation(name: str):
    definition = EXPORTS[name]

    def export_xlsx(request):
        rows = definition.rows(request.user, request.GET)
        return xlsx_response(
            definition.filename(), str(definition.title), definition.columns(request.user), rows
        )

    return export_xlsx


# One fixed operation per list (GET /exports/households.xlsx …), with the filters of its page as
# query parameters (q, office, commune, village, status, association, level, kind, role …).
for _name, _definition in EXPORTS.items():
    exports_router.add_api_operation(
        f"/{_name}.xlsx",
        ["GET"],
        _export_operation(_name),
        summary=f"{_definition.title} as an Excel workbook, filtered like its page",
        url_name=f"export_{_name.replace('-', '_')}",
        operation_id=f"export_{_name.replace('-', '_')}",
    )
