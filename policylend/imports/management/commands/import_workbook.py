"""Check a workbook of households, members and groups as a user, and import it with --confirm:
the same services as the import page, run here instead of in the background worker.

    manage.py import_workbook households.xlsx --user staff [--confirm] [--language en]
"""

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import override

from policylend.core.errors import DomainError
from policylend.imports import selectors, services
from policylend.imports.models import ImportStatus, RowOutcome
from policylend.users.models import User

PROBLEMS_SHOWN = 50


class Command(BaseCommand):
    help = "Check an Excel workbook of households, members and groups; import it with --confirm."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--user", required=True, help="the username the import is made as")
        parser.add_argument("--confirm", action="store_true", help="import when the check passes")
        parser.add_argument("--language", default="vi", choices=["vi", "en", "hi"])

    def handle(self, *args, path, user, confirm, language, **options):
        actor = User.objects.filter(username=user, is_active=True).first()
        if actor is None:
            raise CommandError(f"no active user {user!r}")
        with override(language):
            try:
                with open(path, "rb") as handle:
                    job = services.import_job_create(
                        actor=actor,
                        upload=File(handle, name=path),
                        language=language,
                        background=False,
                    )
                services.import_job_check(job_id=job.pk)
                job.refresh_from_db()
                self._report(job, language)
                if job.status != ImportStatus.CHECKED:
                    raise CommandError("the workbook has problems: nothing was imported")
                if not confirm:
                    self.stdout.write("checked; run again with --confirm to import")
                    return
                services.import_job_confirm(actor=actor, job=job, background=False)
                services.import_job_run(job_id=job.pk)
            except (DomainError, OSError) as error:
                raise CommandError(str(error)) from error
            job.refresh_from_db()
            if job.status != ImportStatus.IMPORTED:
                self._report(job, language)
                raise CommandError("the import failed: nothing was written")
            self.stdout.write(f"imported: {job.written}")

    def _report(self, job, language):
        self.stdout.write(
            f"{job.file_name}: {job.rows_total} rows, {job.rows_new} new, "
            f"{job.rows_unchanged} unchanged, {job.rows_with_problems} with problems"
        )
        for problem in job.problems:
            row = f"row {problem['row']}: " if problem.get("row") else ""
            self.stdout.write(
                f"  {problem.get('sheet') or ''} {row}{selectors.message_in(problem, language)}"
            )
        for row in selectors.import_rows(job, outcome=RowOutcome.PROBLEM)[:PROBLEMS_SHOWN]:
            for problem in row.problems:
                self.stdout.write(
                    f"  {row.sheet} row {row.row_number} {problem.get('field') or ''}: "
                    f"{selectors.message_in(problem, language)}"
                )
