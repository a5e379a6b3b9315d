"""The background tasks of imports (django-tasks; ``manage.py db_worker`` runs them, tests run
them at once). Each is a thin call of a service, by the job's id."""

from django_tasks import task

from . import services


@task()
def check_import(job_id: int) -> None:
    services.import_job_check(job_id=job_id)


@task()
def run_import(job_id: int) -> None:
    services.import_job_run(job_id=job_id)
