"""``manage.py demo_province --scale office|province --seed N [--today dd/mm/yyyy]``

Loads the demo province (see policylend.demo.province and policylend.demo.registers) and prints
the demo logins and what the registers hold. Running it again on the same database creates
nothing and prints the logins and the summary again.
"""

from __future__ import annotations

import argparse
import time
from datetime import date, datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone, translation

from policylend.core.errors import DomainError
from policylend.demo.province import (
    COMMUNES_OPENED_ON,
    DEMO_PASSWORD,
    DEMO_URL,
    SCALE_OFFICE,
    SCALES,
    province_plan,
)
from policylend.demo.registers import registers_plan
from policylend.demo.services import (
    demo_loans_summary,
    demo_province_load,
    demo_registers_summary,
)
from policylend.users.roles import Role


def _day(value: str) -> date:
    try:
        return datetime.strptime(value, "%d/%m/%Y").date()
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date written dd/mm/yyyy") from None


class Command(BaseCommand):
    help = "Load a deterministic Lạng Sơn-like demo province and print its logins."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            choices=SCALES,
            default=SCALE_OFFICE,
            help="office: the branch and the Bắc Sơn office; province: the branch and 10 offices.",
        )
        parser.add_argument("--seed", type=int, default=1, help="Same seed, same demo (default 1).")
        parser.add_argument(
            "--today",
            type=_day,
            default=None,
            help="The date the demo's entries are posted before (dd/mm/yyyy; default: today).",
        )

    def handle(self, *args, scale: str, seed: int, today: date | None, **options):
        today = today or timezone.localdate()
        if today <= COMMUNES_OPENED_ON:
            raise CommandError(f"--today must be after {COMMUNES_OPENED_ON:%d/%m/%Y}.")
        started = time.perf_counter()
        plan = province_plan(scale=scale, seed=seed)
        registers = registers_plan(plan, today=today)
        try:
            load = demo_province_load(plan=plan, today=today, registers=registers)
        except DomainError as error:
            raise CommandError("; ".join(problem.message for problem in error.problems)) from error
        elapsed = time.perf_counter() - started
        if load.created:
            counts = load.counts
            self.stdout.write(
                self.style.SUCCESS(
                    f"Loaded the {scale} scale (seed {seed}) in {elapsed:.1f} s: {counts['office']} offices, "
                    f"{counts['commune']} communes, {counts['village']} villages, {counts['points']} "
                    f"transaction points, {counts['users']} users, {counts['entries']} journal entries."
                )
            )
        else:
            self.stdout.write(
                self.style.WARNING(
                    f"Branch {plan.branch_code} already exists: nothing was created. "
                    "To load another scale or seed, start from an empty database."
                )
            )
            if not load.users:
                self.stdout.write("No demo users were found in this database.")
                return
        self._logins(load.users)
        self._summary(demo_registers_summary(plan.branch_code))
        self._loans(demo_loans_summary(plan.branch_code))

    def _summary(self, counts: dict[str, int]) -> None:
        if not counts:
            return
        self.stdout.write("")
        self.stdout.write(
            f"Registers of branch: {counts['association_units']:,} association units, "
            f"{counts['contracts']:,} entrustment contracts, {counts['groups']:,} savings-and-loan "
            f"groups, {counts['households']:,} households, {counts['persons']:,} persons, "
            f"{counts['classifications']:,} certified classifications."
        )

    def _loans(self, counts: dict[str, int]) -> None:
        if not counts.get("loans"):
            return
        self.stdout.write(
            f"Loans of branch: {counts['loans']:,} loans ({counts.get('in_term', 0):,} in term, "
            f"{counts.get('overdue', 0):,} overdue, {counts.get('frozen', 0):,} frozen, "
            f"{counts.get('settled', 0):,} settled, {counts.get('written_off', 0):,} written off), "
            f"{counts['outstanding']:,} ₫ outstanding."
        )

    def _logins(self, users) -> None:
        with translation.override("en"):
            rows = [(user.username, self._role(user), self._scope(user)) for user in users]
        widths = [
            max(len(row[column]) for row in [*rows, ("username", "role", "scope")])
            for column in range(2)
        ]
        self.stdout.write("")
        self.stdout.write(f"Demo logins at {DEMO_URL} (password for every login: {DEMO_PASSWORD})")
        self.stdout.write("")
        self.stdout.write(f"{'username':<{widths[0]}}  {'role':<{widths[1]}}  scope")
        self.stdout.write(f"{'-' * widths[0]}  {'-' * widths[1]}  {'-' * 5}")
        for username, role, scope in rows:
            self.stdout.write(f"{username:<{widths[0]}}  {role:<{widths[1]}}  {scope}")

    @staticmethod
    def _role(user) -> str:
        role = str(Role(user.role).label)
        if user.scope_association_id:
            role += f" ({user.scope_association})"
        if user.is_superuser:
            role += ", Django superuser (/admin/)"
        return role

    @staticmethod
    def _scope(user) -> str:
        unit = user.scope_unit
        return f"{unit.code} {unit.name}" if unit else "—"
