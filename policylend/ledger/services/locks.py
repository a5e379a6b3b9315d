"""Posting and period close meet on one lock per branch.

On PostgreSQL every posting takes the branch's advisory lock in shared mode (journal_sql.read_facts) (postings never wait
for each other) and the close takes it exclusively, so a close waits for postings in flight and
no posting slips into a month while its snapshot is being written. On SQLite writers are already
serialised by ``BEGIN IMMEDIATE``.
"""

from django.db import connection

LEDGER_LOCK_SPACE = 7301


def lock_branch_books_exclusively(branch_id: int) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [LEDGER_LOCK_SPACE, branch_id])
