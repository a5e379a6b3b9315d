"""``manage.py loans_overdue --unit 7401 --session-date 2026-10-21 --user officer``: move the
instalments of that session (or earlier) still unpaid to overdue from the next day."""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from policylend.core.errors import DomainError
from policylend.organisation.models import OrganisationUnit, UnitKind
from policylend.users.models import User


class Command(BaseCommand):
    help = "Move unpaid instalments of a session day to overdue."

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True, help="code of a transaction office or branch")
        parser.add_argument("--session-date", required=True, help="yyyy-mm-dd")
        parser.add_argument("--user", required=True, help="username of who runs it")

    def handle(self, *args, unit, session_date, user, **options):
        try:
            target = OrganisationUnit.objects.get(
                code=unit, kind__in=(UnitKind.OFFICE, UnitKind.BRANCH)
            )
            actor = User.objects.get(username=user)
            day = date.fromisoformat(session_date)
        except (OrganisationUnit.DoesNotExist, User.DoesNotExist, ValueError) as error:
            raise CommandError(str(error)) from error
        from policylend.loans.services.overdue import overdue_run

        try:
            moved = overdue_run(
                actor=actor, unit=target, session_date=day, today=timezone.localdate()
            )
        except DomainError as error:
            raise CommandError("; ".join(p.message for p in error.problems)) from error
        self.stdout.write(f"{moved} loans moved to overdue")
