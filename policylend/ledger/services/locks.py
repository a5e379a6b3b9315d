"""Posting and period close meet on one lock per branch.

On PostgreSQL every posting takes the branch's advisory lock in shared mode (postings never wait
for each other) and the close takes it exclusively, so a close waits for postings in flight and
no posting slips into a month while its snapshot is being written. On SQLite writers are already
serialised by ``BEGIN IMMEDIATE``.
"""

from django.db import connection

LEDGER_LOCK_SPACE = 7301


def period_is_closed_with_shared_lock(branch_id: int, month_first_day) -> bool:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT pg_advisory_xact_lock_shared(%s, %s), EXISTS (SELECT 1 FROM "
                "ledger_accountingperiod WHERE branch_id = %s AND month >= %s AND status = 'closed')",
                [LEDGER_LOCK_SPACE, branch_id, branch_id, month_first_day],
            )
            return bool(cursor.fetchone()[1])
        cursor.execute(
            "SELECT EXISTS (SELECT 1 FROM ledger_accountingperiod WHERE branch_id = %s "
            "AND month >= %s AND status = 'closed')",
            [branch_id, month_first_day],
        )
        return bool(cursor.fetchone()[0])


def lock_branch_books_exclusively(branch_id: int) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [LEDGER_LOCK_SPACE, branch_id])
