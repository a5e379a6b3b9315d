"""The loans' kept balances, re-checked by ``verify_ledger``: for every loan, principal in term =
the sum of its lines on 2111.*, overdue = 2112.*, frozen = 2113.*, interest + overdue interest
receivable = 3941. One grouped query (never a loop over loans)."""

from __future__ import annotations

from django.db import connection

from policylend.ledger.verification import SHOWN_MAX, register_kept_balance_check


def loan_balances_unlike_lines(branch_id: int | None = None) -> list[str]:
    where_lines = " AND jl.branch_id = %s" if branch_id is not None else ""
    where_loans = " AND l.branch_id = %s" if branch_id is not None else ""
    sql = f"""
        SELECT l.id, l.number,
            l.principal_in_term, COALESCE(s.in_term, 0),
            l.principal_overdue, COALESCE(s.overdue, 0),
            l.principal_frozen, COALESCE(s.frozen, 0),
            l.interest_receivable + l.penalty_receivable, COALESCE(s.interest, 0)
        FROM loans_loan l LEFT JOIN (
            SELECT jl.loan_ref AS loan_id,
                SUM(CASE WHEN a.code LIKE %s THEN jl.amount ELSE 0 END) AS in_term,
                SUM(CASE WHEN a.code LIKE %s THEN jl.amount ELSE 0 END) AS overdue,
                SUM(CASE WHEN a.code LIKE %s THEN jl.amount ELSE 0 END) AS frozen,
                SUM(CASE WHEN a.code = %s THEN jl.amount ELSE 0 END) AS interest
            FROM ledger_journalline jl JOIN ledger_account a ON a.id = jl.account_id
            WHERE jl.loan_ref IS NOT NULL{where_lines}
            GROUP BY jl.loan_ref
        ) s ON s.loan_id = l.id
        WHERE (l.principal_in_term <> COALESCE(s.in_term, 0)
            OR l.principal_overdue <> COALESCE(s.overdue, 0)
            OR l.principal_frozen <> COALESCE(s.frozen, 0)
            OR l.interest_receivable + l.penalty_receivable <> COALESCE(s.interest, 0)){where_loans}
        ORDER BY l.id
    """  # noqa: S608 (constant SQL; every value is a parameter)
    params: list = ["2111.%", "2112.%", "2113.%", "3941"]
    if branch_id is not None:
        params += [branch_id, branch_id]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    names = (
        "principal in term (2111)",
        "principal overdue (2112)",
        "principal frozen (2113)",
        "interest receivable (3941)",
    )
    problems = []
    for row in rows[:SHOWN_MAX]:
        kept_and_lines = [(row[2 + 2 * i], row[3 + 2 * i]) for i in range(4)]
        differing = "; ".join(
            f"{name} kept {kept}, lines {lines}"
            for name, (kept, lines) in zip(names, kept_and_lines, strict=True)
            if kept != lines
        )
        problems.append(f"loan {row[1]} (#{row[0]}): {differing}")
    if len(rows) > SHOWN_MAX:
        problems.append(f"… and {len(rows) - SHOWN_MAX} more loans")
    return problems


register_kept_balance_check("loans", loan_balances_unlike_lines)
