"""``manage.py loans_month_end --branch 740 --month 2026-10 --user staff``: post the month's
interest of every loan of a branch (the same service as the page; idempotent per loan and month)."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from policylend.core.errors import DomainError
from policylend.core.periods import Month
from policylend.organisation.models import OrganisationUnit, UnitKind
from policylend.users.models import User


class Command(BaseCommand):
    help = "Post the month-end interest of a branch's loans."

    def add_arguments(self, parser):
        parser.add_argument("--branch", required=True, help="branch code")
        parser.add_argument("--month", help="yyyy-mm (default: the month before today)")
        parser.add_argument("--user", required=True, help="username of who runs it")

    def handle(self, *args, branch, month, user, **options):
        today = timezone.localdate()
        try:
            unit = OrganisationUnit.objects.get(code=branch, kind=UnitKind.BRANCH)
            actor = User.objects.get(username=user)
            period = Month.parse(month) if month else Month.of(today).previous()
        except (OrganisationUnit.DoesNotExist, User.DoesNotExist, ValueError) as error:
            raise CommandError(str(error)) from error
        from policylend.loans.services.accrual import interest_accrual_run

        started = time.perf_counter()
        try:
            run = interest_accrual_run(actor=actor, branch=unit, month=period, today=today)
        except DomainError as error:
            raise CommandError("; ".join(p.message for p in error.problems)) from error
        self.stdout.write(
            f"{period}: {run.loans} loans, interest {run.interest}, overdue interest "
            f"{run.penalty} ({time.perf_counter() - started:.2f} s)"
        )
