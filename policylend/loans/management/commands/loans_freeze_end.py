"""``manage.py loans_freeze_end --unit 7401 --user controller.bacson``: the loans of an office or
branch whose freeze has ended return to repayment with a new schedule."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from policylend.core.errors import DomainError
from policylend.organisation.models import OrganisationUnit, UnitKind
from policylend.users.models import User


class Command(BaseCommand):
    help = "Return the loans whose freeze has ended to repayment."

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True, help="code of a transaction office or branch")
        parser.add_argument("--user", required=True, help="username of who runs it")

    def handle(self, *args, unit, user, **options):
        try:
            target = OrganisationUnit.objects.get(
                code=unit, kind__in=(UnitKind.OFFICE, UnitKind.BRANCH)
            )
            actor = User.objects.get(username=user)
        except (OrganisationUnit.DoesNotExist, User.DoesNotExist) as error:
            raise CommandError(str(error)) from error
        from policylend.loans.services.risk import freeze_end_run

        try:
            moved = freeze_end_run(actor=actor, branch=target, today=timezone.localdate())
        except DomainError as error:
            raise CommandError("; ".join(p.message for p in error.problems)) from error
        self.stdout.write(f"{moved} loans returned to repayment")
