"""Reads of the books over the API, each scoped by the caller exactly as the pages are."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query

from policylend.core.errors import DomainError
from policylend.users import access
from policylend.users.roles import Capability

from .. import selectors
from ..forms import filter_entries
from .router import router
from .schemas import (
    AccountOut,
    EntryDetailOut,
    EntryFilters,
    EntryPage,
    PeriodOut,
    TrialBalanceOut,
    TrialBalanceQuery,
)

DATES_REVERSED = "ledger_dates_reversed"


@router.get("/accounts", response=list[AccountOut], summary="The chart of accounts")
def account_list(request, active_only: bool = False):
    access.require(request.user, Capability.VIEW_LEDGER)
    return [
        {
            "code": a.code,
            "name": a.name,
            "name_vi": a.name_vi,
            "name_en": a.name_en,
            "name_hi": a.name_hi,
            "type": a.type,
            "parent": a.parent.code if a.parent_id else None,
            "is_postable": a.is_postable,
            "is_active": a.is_active,
            "off_balance": a.off_balance,
            "programme_code": a.programme_code,
        }
        for a in selectors.account_list(active_only=active_only).order_by("code")
    ]


def _row_out(row) -> dict:
    return {
        "account": row.account.code,
        "name": row.account.name,
        "type": row.account.type,
        "opening": row.opening,
        "opening_debit": row.opening_debit,
        "opening_credit": row.opening_credit,
        "debits": row.debits,
        "credits": row.credits,
        "closing": row.closing,
        "closing_debit": row.closing_debit,
        "closing_credit": row.closing_credit,
    }


@router.get("/trial-balance", response=TrialBalanceOut, summary="Trial balance for a period")
def trial_balance(request, query: Query[TrialBalanceQuery]):
    """Opening balance, debits, credits and closing balance per account from ``start`` to
    ``end`` (default: this month to today), for the caller's branch or one office in it."""
    scope = selectors.ledger_scope(
        request.user, branch_id=query.branch_id, office_id=query.office_id
    )
    today = timezone.localdate()
    end = query.end or today
    start = query.start or end.replace(day=1)
    if start > end:
        raise DomainError(DATES_REVERSED, _("The start date is after the end date."), "start")
    report = selectors.trial_balance(scope, start=start, end=end)
    return {
        "branch_id": scope.branch.pk,
        "office_id": scope.office.pk if scope.office else None,
        "start": start,
        "end": end,
        "rows": [_row_out(r) for r in report.rows],
        "off_balance_rows": [_row_out(r) for r in report.off_balance_rows],
        "totals": report.totals,
        "is_balanced": report.is_balanced,
    }


def entry_out(entry, lines=None) -> dict:
    reversed_by = getattr(entry, "reversed_by", None)
    data = {
        "id": entry.pk,
        "branch_id": entry.branch_id,
        "value_date": entry.value_date,
        "kind": entry.kind,
        "memo": entry.memo,
        "maker": entry.maker.username,
        "checker": entry.checker.username if entry.checker_id else None,
        "reverses_id": entry.reverses_id,
        "reversed_by_id": reversed_by.pk if reversed_by else None,
        "recorded_at": entry.recorded_at,
        "total": getattr(entry, "total", None) or 0,
    }
    if lines is not None:
        data["lines"] = [
            {
                "id": line.pk,
                "account": line.account.code,
                "account_name": line.account.name,
                "office_id": line.office_id,
                "association_id": line.association_id,
                "group_ref": line.group_ref,
                "loan_ref": line.loan_ref,
                "savings_account_ref": line.savings_account_ref,
                "campaign_ref": line.campaign_ref,
                "amount": line.amount,
                "debit": line.debit,
                "credit": line.credit,
            }
            for line in lines
        ]
        data["total"] = sum(line.debit for line in lines)
    return data


@router.get("/entries", response=EntryPage, summary="Journal entries, newest first")
def entry_list(request, filters: Query[EntryFilters]):
    entries = selectors.journal_entry_list(
        request.user, branch_id=filters.branch_id, office_id=filters.office_id
    )
    entries = filter_entries(
        entries,
        start=filters.start,
        end=filters.end,
        kind=filters.kind or "",
        memo=filters.memo.strip(),
    ).select_related("reversed_by")
    first = (filters.page - 1) * filters.size
    return {
        "count": entries.count(),
        "page": filters.page,
        "size": filters.size,
        "items": [entry_out(e) for e in entries[first : first + filters.size]],
    }


@router.get(
    "/entries/{entry_id}", response=EntryDetailOut, summary="One journal entry with its lines"
)
def entry_get(request, entry_id: int):
    entry = selectors.journal_entry_get(request.user, entry_id)
    return entry_out(entry, list(selectors.journal_lines_of(entry)))


@router.get("/periods", response=list[PeriodOut], summary="The branch's last 24 months")
def period_list(request, branch_id: int | None = None):
    scope = selectors.ledger_scope(request.user, branch_id=branch_id)
    months = selectors.period_list(scope, today=timezone.localdate())
    return [
        {
            "month": f"{row['month'].year:04d}-{row['month'].month:02d}",
            "status": row["period"].status if row["period"] else "open",
            "ended": row["ended"],
            "lines": row["lines"],
            "closed_at": row["period"].closed_at if row["period"] else None,
            "closed_by": _username(row["period"].closed_by if row["period"] else None),
            "requested_by": _username(row["period"].requested_by if row["period"] else None),
        }
        for row in months
    ]


def _username(user) -> str | None:
    return user.username if user is not None else None
