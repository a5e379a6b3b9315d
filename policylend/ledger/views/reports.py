"""The trial balance and the chart of accounts."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from policylend.ledger import selectors
from policylend.ledger.forms import TrialBalanceForm, date_text, offices_in_scope, with_defaults
from policylend.users import access
from policylend.users.roles import Capability

from .common import today, viewer_scope


@login_required
def trial_balance(request):
    """Opening balance, debits, credits and closing balance per account for a period; a
    branch-level viewer may narrow it to one office."""
    base = viewer_scope(request)
    day = today()
    form = TrialBalanceForm(
        with_defaults(request.GET, {"start": date_text(day.replace(day=1)), "end": date_text(day)}),
        offices=offices_in_scope(request.user, base) if base.office is None else None,
    )
    report = None
    if form.is_valid():
        office = form.cleaned_data.get("office")
        scope = base
        if office is not None:
            scope = selectors.ledger_scope(
                request.user, branch_id=base.branch.pk, office_id=office.pk
            )
        report = selectors.trial_balance(
            scope, start=form.cleaned_data["start"], end=form.cleaned_data["end"]
        )
    return render(
        request, "ledger/trial_balance.html", {"form": form, "report": report, "scope": base}
    )


def _tree_rows(accounts) -> list[dict]:
    """Accounts in chart order, each with its depth under its header accounts."""
    shown = {account.pk for account in accounts}
    by_parent: dict[int | None, list] = {}
    for account in accounts:
        # An account whose header is not shown (an inactive header) starts a tree of its own.
        parent_id = account.parent_id if account.parent_id in shown else None
        by_parent.setdefault(parent_id, []).append(account)
    rows: list[dict] = []

    def walk(parent_id, depth):
        for account in sorted(by_parent.get(parent_id, []), key=lambda a: a.code):
            rows.append({"account": account, "depth": depth, "indent": depth * 1.25})
            walk(account.pk, depth + 1)

    walk(None, 0)
    return rows


@login_required
def account_list(request):
    access.require(request.user, Capability.VIEW_LEDGER)
    active_only = request.GET.get("active") == "1"
    accounts = list(selectors.account_list(active_only=active_only))
    return render(
        request,
        "ledger/account_list.html",
        {"rows": _tree_rows(accounts), "active_only": active_only},
    )
