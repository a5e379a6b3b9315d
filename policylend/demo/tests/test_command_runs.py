"""Runs of ``manage.py demo_province`` that need a database of their own: a failure anywhere
leaves nothing behind, a bad day is refused, and the province's organisation loads quickly.
(The office scale's registers are checked once, in test_command.py; the province's registers
are checked in the plan, test_registers.py: loading them takes minutes, timed by hand.)"""

import io
import time

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Sum

from policylend.associations.models import AssociationUnit, EntrustmentContract
from policylend.demo import registers_load, services
from policylend.demo.province import SCALE_OFFICE, SCALE_PROVINCE, province_plan
from policylend.demo.registers import RegistersPlan
from policylend.households.models import Household
from policylend.ledger.models import JournalEntry, JournalLine
from policylend.organisation.models import OrganisationUnit, TransactionPoint
from policylend.users.models import User

TODAY = "25/11/2026"


def run(scale=SCALE_OFFICE, seed=3, today=TODAY) -> str:
    out = io.StringIO()
    call_command(
        "demo_province", f"--scale={scale}", f"--seed={seed}", f"--today={today}", stdout=out
    )
    return out.getvalue()


def refuse(*args, **kwargs):
    from policylend.core.errors import DomainError

    raise DomainError("demo_test", "refused on purpose")


class TestAllOrNothing:
    def test_a_failure_in_the_books_leaves_no_unit_and_no_user(self, db, monkeypatch):
        monkeypatch.setattr(services, "_ledger_post", refuse)
        with pytest.raises(CommandError, match="refused on purpose"):
            run()
        assert OrganisationUnit.objects.count() == User.objects.count() == 0

    def test_a_failure_in_the_registers_leaves_nothing_either(self, db, monkeypatch):
        # given: association units and contracts are written before the households fail
        monkeypatch.setattr(registers_load, "_households_create", refuse)
        # when
        with pytest.raises(CommandError, match="refused on purpose"):
            run()
        # then
        assert AssociationUnit.objects.count() == EntrustmentContract.objects.count() == 0
        assert OrganisationUnit.objects.count() == User.objects.count() == 0
        assert JournalEntry.objects.count() == Household.objects.count() == 0

    @pytest.mark.parametrize("today", ["2026-11-25", "31/02/2026", "01/01/2019"])
    def test_a_bad_today_is_refused(self, db, today):
        with pytest.raises(CommandError):
            run(today=today)
        assert OrganisationUnit.objects.count() == 0


def test_province_organisation_loads_194_communes_in_well_under_a_minute(db, monkeypatch):
    # The province's registers (90,300 households) take minutes on PostgreSQL: here they are
    # left out, and the organisation, users, books and summary are checked at province scale.
    # Measured: about 4.5 s on SQLite and 10-17 s on PostgreSQL.
    from policylend.demo.management.commands import demo_province

    monkeypatch.setattr(
        demo_province, "registers_plan", lambda plan, today: RegistersPlan((), (), (), ())
    )
    # given / when
    started = time.perf_counter()
    output = run(scale=SCALE_PROVINCE, seed=11)
    elapsed = time.perf_counter() - started
    # then
    plan = province_plan(scale=SCALE_PROVINCE, seed=11)
    assert OrganisationUnit.objects.filter(kind="office").count() == 10
    assert OrganisationUnit.objects.filter(kind="commune").count() == 194
    assert TransactionPoint.objects.count() == 194
    assert OrganisationUnit.objects.filter(kind="village").count() == sum(
        1 for _ in plan.villages()
    )
    assert User.objects.filter(username__endswith=".trangdinh").count() == 3
    assert JournalEntry.objects.count() == 40
    assert JournalLine.objects.aggregate(total=Sum("amount"))["total"] == 0
    assert TransactionPoint.objects.get(commune__name="Kháng Chiến").session_day == 21
    assert "Loaded the province scale" in output
    assert "Registers of branch: 0 association units" in output
    assert elapsed < 60, f"province scale took {elapsed:.1f} s"
