"""The import pages: upload a workbook, follow its check, read the preview, confirm the import;
download the template; and the Excel exports of every list."""

from __future__ import annotations

import io
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from policylend.associations.models import Association
from policylend.core.errors import DomainError
from policylend.core.excel import CONTENT_TYPE, xlsx_response
from policylend.core.forms import NOT_DONE, submit
from policylend.core.pagination import paginate
from policylend.users import access
from policylend.users.roles import Capability

from . import selectors, services
from .exports import EXPORTS
from .forms import RowFilterForm, UploadForm
from .models import ImportStatus
from .template import write_template


def importer_required(view):
    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        access.require(request.user, Capability.IMPORT_REGISTERS)
        return view(request, *args, **kwargs)

    return wrapped


@importer_required
@require_http_methods(["GET", "POST"])
def job_list(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    job = submit(
        request,
        form,
        lambda data: services.import_job_create(
            actor=request.user, upload=data["file"], language=get_language()
        ),
    )
    if job is not NOT_DONE:
        return redirect("imports:detail", job_id=job.pk)
    return render(
        request,
        "imports/job_list.html",
        {"form": form, "page": paginate(request, selectors.import_job_list(request.user))},
    )


@importer_required
def template_download(request):
    buffer = io.BytesIO()
    associations = [(a.code, a.name) for a in Association.objects.order_by("code")]
    write_template(buffer, associations=associations)
    buffer.seek(0)
    name = _("import-template") + ".xlsx"
    return FileResponse(buffer, as_attachment=True, filename=name, content_type=CONTENT_TYPE)


def _job_context(request, job) -> dict:
    done, total = selectors.import_job_progress(job)
    language = get_language() or "vi"
    return {
        "job": job,
        "done": done,
        "total": total,
        "percent": min(100, done * 100 // total) if total else 0,
        "file_problems": [
            {**p, "message": selectors.message_in(p, language)} for p in job.problems or []
        ],
    }


@importer_required
def job_detail(request, job_id: int):
    job = selectors.import_job_get(request.user, job_id)
    context = _job_context(request, job)
    if not job.is_running:
        # With problems, the preview opens on the rows that have them.
        default = "problem" if job.status == ImportStatus.HAS_PROBLEMS and not request.GET else None
        filters = RowFilterForm(request.GET or None, initial={"outcome": default or ""})
        chosen = filters.cleaned_data if filters.is_valid() else {}
        rows = selectors.import_rows(
            job, outcome=chosen.get("outcome") or default, sheet=chosen.get("sheet") or None
        )
        page = paginate(request, rows)
        language = get_language() or "vi"
        for row in page:
            row.messages = [
                {
                    **p,
                    "message": selectors.message_in(p, language),
                    "field_label": selectors.field_label(row.sheet, p.get("field")),
                }
                for p in row.problems
            ]
        context.update({"filters": filters, "page": page, "outcome_default": default})
    return render(request, "imports/job_detail.html", context)


@importer_required
def job_progress(request, job_id: int):
    """The progress block, polled by htmx while the job runs; once it has finished the page
    reloads to show the preview or the result."""
    job = selectors.import_job_get(request.user, job_id)
    if not job.is_running and request.GET.get("running"):
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    return render(request, "imports/progress.html", _job_context(request, job))


@importer_required
@require_POST
def job_confirm(request, job_id: int):
    job = selectors.import_job_get(request.user, job_id)
    try:
        services.import_job_confirm(actor=request.user, job=job)
    except DomainError as error:
        if error.status in (403, 404):
            raise
        messages.error(request, error.message)
    return redirect("imports:detail", job_id=job.pk)


@login_required
@require_http_methods(["GET", "POST"])
def export(request, name: str):
    """A list as Excel, with the filters of its page (POSTed by the household search, whose
    query must not reach a URL)."""
    definition = EXPORTS.get(name)
    if definition is None:
        raise Http404
    params = request.POST if request.method == "POST" else request.GET
    rows = definition.rows(request.user, params)
    return xlsx_response(
        definition.filename(), str(definition.title), definition.columns(request.user), rows
    )
