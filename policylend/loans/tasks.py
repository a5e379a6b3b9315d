"""The background jobs of servicing (django-tasks; ``manage.py db_worker`` runs them, tests run
them at once): the month-end accrual of a branch and the overdue run after a session day. Each
is a thin call of a service; a refusal is returned as text (the page shows it), not raised."""

from __future__ import annotations

from datetime import date

from django.utils import translation
from django_tasks import task

from policylend.core.errors import DomainError
from policylend.core.periods import Month
from policylend.organisation.models import OrganisationUnit
from policylend.users.models import User


def _refusal(error: DomainError) -> dict:
    return {"error": "; ".join(problem.message for problem in error.problems)}


@task()
def run_interest_accrual(user_id: int, branch_id: int, month_first_day: str, today: str) -> dict:
    from .services.accrual import interest_accrual_run

    user = User.objects.get(pk=user_id)
    with translation.override(getattr(user, "language", None) or "vi"):
        try:
            run = interest_accrual_run(
                actor=user,
                branch=OrganisationUnit.objects.get(pk=branch_id),
                month=Month.of(date.fromisoformat(month_first_day)),
                today=date.fromisoformat(today),
            )
        except DomainError as error:
            return _refusal(error)
    return {"run": run.pk, "loans": run.loans, "interest": run.interest, "penalty": run.penalty}


@task()
def run_overdue(user_id: int, unit_id: int, session_date: str, today: str) -> dict:
    from .services.overdue import overdue_run

    user = User.objects.get(pk=user_id)
    with translation.override(getattr(user, "language", None) or "vi"):
        try:
            moved = overdue_run(
                actor=user,
                unit=OrganisationUnit.objects.get(pk=unit_id),
                session_date=date.fromisoformat(session_date),
                today=date.fromisoformat(today),
            )
        except DomainError as error:
            return _refusal(error)
    return {"loans": moved}
