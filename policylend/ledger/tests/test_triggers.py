"""The database itself refuses to change posted rows (triggers on both databases), and on
PostgreSQL refuses at commit an entry whose lines do not sum to zero or that has no lines."""

from datetime import date

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction

from conftest import TODAY
from policylend.core.periods import Month
from policylend.ledger import triggers
from policylend.ledger.models import BalanceSnapshot, JournalEntry, JournalLine
from policylend.ledger.services import period_close


def raw(sql, params=()):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


class TestImmutable:
    def test_raw_update_of_a_line_is_refused(self, post):
        entry = post(amount=1000)
        with pytest.raises(DatabaseError, match="refused"):
            raw("UPDATE ledger_journalline SET amount = amount * 2 WHERE entry_id = %s", [entry.pk])
        assert sorted(JournalLine.objects.filter(entry=entry).values_list("amount", flat=True)) == [
            -1000,
            1000,
        ]

    def test_raw_delete_of_a_line_is_refused(self, post):
        entry = post()
        with pytest.raises(DatabaseError, match="refused"):
            raw("DELETE FROM ledger_journalline WHERE entry_id = %s", [entry.pk])
        assert JournalLine.objects.filter(entry=entry).count() == 2

    def test_raw_update_and_delete_of_an_entry_are_refused(self, post):
        entry = post(memo="Original memo")
        with pytest.raises(DatabaseError, match="refused"):
            raw("UPDATE ledger_journalentry SET memo = 'changed' WHERE id = %s", [entry.pk])
        with pytest.raises(DatabaseError, match="refused"):
            raw("DELETE FROM ledger_journalentry WHERE id = %s", [entry.pk])
        assert JournalEntry.objects.get(pk=entry.pk).memo == "Original memo"

    def test_the_orm_cannot_edit_or_delete_either(self, post):
        entry = post()
        entry.memo = "changed"
        with pytest.raises(DatabaseError), transaction.atomic():
            entry.save()
        with pytest.raises(DatabaseError), transaction.atomic():
            JournalLine.objects.filter(entry=entry).delete()
        assert JournalLine.objects.filter(entry=entry).count() == 2

    def test_snapshots_are_immutable_too(self, post, org, clerk):
        post(value_date=date(2026, 9, 10))
        period_close(
            branch_id=org.branch.pk,
            month=Month(2026, 9),
            closed_by=clerk,
            requested_by=clerk,
            today=TODAY,
        )
        assert BalanceSnapshot.objects.count() == 2
        with pytest.raises(DatabaseError, match="refused"):
            raw("UPDATE ledger_balancesnapshot SET balance = 0")
        with pytest.raises(DatabaseError, match="refused"):
            raw("DELETE FROM ledger_balancesnapshot")
        assert BalanceSnapshot.objects.count() == 2

    def test_the_triggers_are_installed(self, db):
        assert set(triggers.expected_names(connection)) <= triggers.installed_names(connection)


postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="deferred constraint triggers exist on PostgreSQL only",
)


@postgres_only
@pytest.mark.django_db(transaction=True)
class TestBalancedAtCommit:
    """These insert rows around the service, as a buggy program or a person with SQL might."""

    def _entry(self, org, clerk, key):
        return JournalEntry.objects.create(
            branch=org.branch,
            value_date=TODAY,
            kind="manual",
            memo="bypass",
            idempotency_key=key,
            content_hash="x",
            maker=clerk,
        )

    def _line(self, entry, account_code, amount):
        from policylend.ledger.models import Account

        return JournalLine(
            entry=entry,
            branch_id=entry.branch_id,
            value_date=entry.value_date,
            account=Account.objects.get(code=account_code),
            amount=amount,
        )

    def test_an_unbalanced_entry_is_refused_at_commit(self, org, make_user):
        clerk = make_user("branch_staff", org.branch)
        with pytest.raises(IntegrityError, match="does not balance"), transaction.atomic():
            entry = self._entry(org, clerk, "bypass-1")
            JournalLine.objects.bulk_create(
                [self._line(entry, "1011", 1000), self._line(entry, "1012", -999)]
            )
        assert not JournalEntry.objects.filter(idempotency_key="bypass-1").exists()

    def test_an_entry_without_lines_is_refused_at_commit(self, org, make_user):
        clerk = make_user("branch_staff", org.branch)
        with pytest.raises(IntegrityError, match="needs at least two"), transaction.atomic():
            self._entry(org, clerk, "bypass-2")
        assert not JournalEntry.objects.filter(idempotency_key="bypass-2").exists()

    def test_a_balanced_entry_commits(self, org, make_user):
        clerk = make_user("branch_staff", org.branch)
        with transaction.atomic():
            entry = self._entry(org, clerk, "bypass-3")
            JournalLine.objects.bulk_create(
                [self._line(entry, "1011", 1000), self._line(entry, "1012", -1000)]
            )
        assert JournalLine.objects.filter(entry__idempotency_key="bypass-3").count() == 2

    def test_a_line_added_after_the_entry_was_checked_is_checked_again(self, org, make_user):
        # The balance check sums an entry once for the lines it saw; a line added later in the
        # same transaction (checked statement by statement here) must not slip through.
        clerk = make_user("branch_staff", org.branch)
        with pytest.raises(IntegrityError, match="does not balance"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ledger_journalline_balanced IMMEDIATE")
            entry = self._entry(org, clerk, "bypass-4")
            JournalLine.objects.bulk_create(
                [self._line(entry, "1011", 1000), self._line(entry, "1012", -1000)]
            )
            JournalLine.objects.bulk_create([self._line(entry, "1011", 5)])
        assert not JournalEntry.objects.filter(idempotency_key="bypass-4").exists()
