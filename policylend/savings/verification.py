"""The savings accounts' kept balances, re-checked by ``verify_ledger``: for every account, the
balance = − the sum of its lines on 4231 (a liability: credits are negative). One grouped
query."""

from __future__ import annotations

from django.db import connection

from policylend.ledger.verification import SHOWN_MAX, register_kept_balance_check


def savings_balances_unlike_lines(branch_id: int | None = None) -> list[str]:
    where_lines = " AND jl.branch_id = %s" if branch_id is not None else ""
    where_accounts = " AND s.branch_id = %s" if branch_id is not None else ""
    sql = f"""
        SELECT s.id, s.number, s.balance, COALESCE(-t.total, 0)
        FROM savings_savingsaccount s LEFT JOIN (
            SELECT jl.savings_account_ref AS account_id, SUM(jl.amount) AS total
            FROM ledger_journalline jl JOIN ledger_account a ON a.id = jl.account_id
            WHERE jl.savings_account_ref IS NOT NULL AND a.code = %s{where_lines}
            GROUP BY jl.savings_account_ref
        ) t ON t.account_id = s.id
        WHERE s.balance <> COALESCE(-t.total, 0){where_accounts}
        ORDER BY s.id
    """  # noqa: S608 (constant SQL; every value is a parameter)
    params: list = ["4231"]
    if branch_id is not None:
        params += [branch_id, branch_id]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    problems = [
        f"savings account {row[1]} (#{row[0]}): balance kept {row[2]}, lines on 4231 {row[3]}"
        for row in rows[:SHOWN_MAX]
    ]
    if len(rows) > SHOWN_MAX:
        problems.append(f"… and {len(rows) - SHOWN_MAX} more savings accounts")
    return problems


register_kept_balance_check("savings", savings_balances_unlike_lines)
