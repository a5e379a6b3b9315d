"""``manage.py verify_ledger``: a clean book passes; each kind of corruption is found.

The corruption is made with raw SQL, the way a bug or a hand-edit in the database would make it,
after the immutability triggers are taken away for the test (and put back after it).
"""

from __future__ import annotations

import contextlib
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from policylend.approvals.tests.fixtures import close_month
from policylend.ledger import triggers, verification

# The shared book, people and frozen clock.
pytest_plugins = ["policylend.approvals.tests.fixtures"]
pytestmark = pytest.mark.django_db


@contextlib.contextmanager
def without_triggers():
    triggers.uninstall(connection)
    try:
        yield
    finally:
        triggers.install(connection)


def sql(statement: str, params=()) -> None:
    with without_triggers(), connection.cursor() as cursor:
        cursor.execute(statement, list(params))


def verify(*args) -> tuple[str, str]:
    """Run the command; return (stdout, stderr), or raise CommandError when it fails."""
    from io import StringIO

    out, err = StringIO(), StringIO()
    try:
        call_command("verify_ledger", *args, stdout=out, stderr=err)
    except CommandError as error:
        error.stderr_text = err.getvalue()
        raise
    return out.getvalue(), err.getvalue()


def problems(*args) -> str:
    with pytest.raises(CommandError) as failed:
        verify(*args)
    return failed.value.stderr_text


@pytest.fixture
def closed_book(org, people, book):
    """The hand-made book with October closed and one entry of November reversed."""
    from policylend.ledger.services import journal_entry_reverse

    close_month(org, people, 2026, 10)
    book.reversal = journal_entry_reverse(
        entry_id=book.interest.pk,
        reason="test",
        maker=people.branch_staff,
        checker=people.branch_manager,
        today=book.interest.value_date + timedelta(days=1),
    )
    return book


def test_a_clean_book_is_verified(closed_book):
    out, _err = verify()
    snapshots = verification.BalanceSnapshot.objects.count()
    assert snapshots == 3  # October: 1012, 2111.01 and 4511 of office A
    assert out.strip() == f"ledger verified: 6 entries, 12 lines, {snapshots} snapshots"


def test_the_branch_filter(org, closed_book):
    out, _err = verify("--branch", org.branch.code)
    assert out.startswith("ledger verified: 6 entries")
    with pytest.raises(CommandError):
        verify("--branch", "999")


def test_an_unbalanced_entry(closed_book):
    line = closed_book.to_point.lines.order_by("id").first()
    sql("UPDATE ledger_journalline SET amount = amount + 1 WHERE id = %s", [line.pk])
    assert f"entry #{closed_book.to_point.pk}: lines sum to 1, not 0" in problems()


def test_an_entry_with_one_line(closed_book):
    lines = list(closed_book.to_point.lines.order_by("id"))
    sql("DELETE FROM ledger_journalline WHERE id = %s", [lines[1].pk])
    found = problems()
    assert f"entry #{closed_book.to_point.pk}: has 1 line(s), needs at least 2" in found


def test_a_zero_line(closed_book):
    line = closed_book.to_point.lines.order_by("id").first()
    if connection.vendor == "postgresql":
        # Run the deferred balance checks now: PostgreSQL alters no table with trigger events
        # still pending.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    with without_triggers(), connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA ignore_check_constraints = ON")
        else:
            cursor.execute(
                "ALTER TABLE ledger_journalline DROP CONSTRAINT journal_line_amount_not_zero"
            )
        cursor.execute("UPDATE ledger_journalline SET amount = 0 WHERE id = %s", [line.pk])
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA ignore_check_constraints = OFF")
    assert f"line #{line.pk} of entry #{closed_book.to_point.pk}: amount is 0" in problems()


def test_a_line_unlike_its_entry(closed_book):
    line = closed_book.to_point.lines.order_by("id").first()
    sql("UPDATE ledger_journalline SET value_date = %s WHERE id = %s", ["2026-11-11", line.pk])
    assert f"line #{line.pk}: branch or value date differs from its entry" in problems()


def test_a_reversal_that_is_not_a_mirror(closed_book):
    from policylend.ledger.models import Account

    other = Account.objects.get(code="1012").pk
    line = closed_book.reversal.lines.get(account__code="1011")
    sql("UPDATE ledger_journalline SET account_id = %s WHERE id = %s", [other, line.pk])
    found = problems()
    assert (
        f"entry #{closed_book.reversal.pk}: its lines are not the exact mirror of entry #{closed_book.interest.pk}"
        in found
    )
    assert "lines sum to" not in found  # still balanced: only the mirror check sees it


def test_a_changed_snapshot(closed_book):
    sql(
        "UPDATE ledger_balancesnapshot SET balance = balance + 1000 WHERE id = (SELECT MIN(id) FROM ledger_balancesnapshot)"
    )
    assert (
        "10/2026: 1 balance(s) of the month-end snapshot differ from the lines up to its month end"
        in problems()
    )


def test_a_missing_snapshot_row_and_a_line_changed_under_a_snapshot(closed_book):
    line = closed_book.loan.lines.order_by("id").first()
    sql("UPDATE ledger_journalline SET amount = amount + 5 WHERE id = %s", [line.pk])
    found = problems()
    assert "10/2026: 1 balance(s)" in found
    assert f"entry #{closed_book.loan.pk}: lines sum to 5" in found


def test_a_posting_recorded_after_its_month_was_closed(org, closed_book):
    from policylend.ledger.models import AccountingPeriod

    # as if the October loan entry had been slipped in an hour after October was closed
    closed_at = AccountingPeriod.objects.get(branch=org.branch).closed_at
    sql(
        "UPDATE ledger_journalentry SET recorded_at = %s WHERE id = %s",
        [closed_at + timedelta(hours=1), closed_book.loan.pk],
    )
    found = problems()
    assert f"entries #{closed_book.loan.pk} dated in it were recorded later" in found
    assert f"#{closed_book.opening.pk}," not in found


def test_missing_triggers(closed_book):
    with without_triggers():
        found = problems()
    for name in triggers.expected_names(connection):
        assert f"immutability trigger {name} is not installed" in found
    assert verify()[0].startswith("ledger verified")


def test_kept_balance_checks_are_run(monkeypatch, org, closed_book):
    seen = []

    def loans(branch_id):
        seen.append(branch_id)
        return ["loan 42: principal outstanding 5.000.000 ₫ but its lines say 4.000.000 ₫"]

    monkeypatch.setattr(verification, "_KEPT_BALANCE_CHECKS", {})
    verification.register_kept_balance_check("loans", loans)
    assert "loans: loan 42: principal outstanding" in problems("--branch", org.branch.code)
    assert seen == [org.branch.pk]
