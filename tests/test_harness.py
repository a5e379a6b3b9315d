"""The test bed itself: transactional tests may post to the journal and still be flushed.

A transactional (or live-server) test ends with a flush of every table. On SQLite that flush is a
DELETE, which the journal's immutability triggers refuse once an entry exists; conftest's
``_journal_triggers_around_flush`` drops the triggers just before the flush and installs them again
at the start of the next such test. The first test posts; the second, which runs after it
(pytest-django runs transactional tests last, in file order), proves the flush went through, the
triggers are back and the data migrations' rows were restored. (Under pytest-xdist the two may
land on different workers; the second still holds there, and a serial run proves the sequence.)
"""

import re
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import DatabaseError, connection, transaction

from policylend.ledger import triggers
from policylend.ledger.models import Account, JournalEntry, JournalLine
from policylend.ledger.rules import credit, debit
from policylend.ledger.services import journal_entry_post

transactional = pytest.mark.django_db(transaction=True)

KEY = "harness-flush-1"


def post_one_entry(org, maker, today):
    office = org.office_a.pk
    return journal_entry_post(
        branch=org.branch,
        value_date=today,
        kind="manual",
        memo="Harness: cash from the office to the transaction point",
        lines=[
            debit("1011", 1_000_000, office_id=office),
            credit("1012", 1_000_000, office_id=office),
        ],
        idempotency_key=KEY,
        maker=maker,
        today=today,
    )


def assert_triggers_installed():
    assert set(triggers.expected_names(connection)) <= triggers.installed_names(connection)


@transactional
def test_a_transactional_test_posts_and_the_triggers_refuse_changes(org, make_user, today):
    # given the triggers in place in a transactional test
    assert_triggers_installed()
    # when an entry is posted
    entry = post_one_entry(org, make_user("teller", org.office_a), today)
    # then it is committed, and raw SQL can neither change nor delete its lines
    assert entry.replayed is False
    assert JournalLine.objects.filter(entry=entry).count() == 2
    for sql in ("UPDATE ledger_journalline SET amount = 1", "DELETE FROM ledger_journalline"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    assert JournalLine.objects.filter(entry=entry).count() == 2


@transactional
def test_the_next_transactional_test_starts_flushed_with_triggers_and_chart(org, make_user, today):
    # the previous test's entry was flushed away, and the flush was allowed
    assert not JournalEntry.objects.exists()
    # the triggers are installed again, and the chart the data migration wrote is back
    assert_triggers_installed()
    assert Account.objects.filter(code__in=["1011", "1012"]).count() == 2
    # so the same key posts afresh instead of replaying the flushed entry
    entry = post_one_entry(org, make_user("teller", org.office_a), today)
    assert entry.replayed is False
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM ledger_journalentry")


ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.skipif(
    not Path("/usr/lib/postgresql/15/bin/initdb").exists() and not shutil.which("initdb"),
    reason="PostgreSQL 15 is not installed",
)
def test_the_throwaway_cluster_is_removed_when_the_command_fails():
    # given a command that reaches the database and then fails
    command = (
        "import os, sys; import psycopg; "
        "psycopg.connect(os.environ['DATABASE_URL']).execute('SELECT 1'); sys.exit(3)"
    )
    # when it runs in a throwaway cluster
    result = subprocess.run(
        [sys.executable, "scripts/pg_throwaway.py", "run", "--", sys.executable, "-c", command],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    # then its exit code comes back, the folder is gone and nothing listens on the port
    assert result.returncode == 3, result.stdout + result.stderr
    found = re.search(r"127\.0\.0\.1:(\d+)/policylend in (\S+)", result.stdout)
    assert found, result.stdout
    port, folder = int(found.group(1)), Path(found.group(2))
    assert not folder.exists()
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", port)) != 0
