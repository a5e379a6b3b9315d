"""Reads of member savings, always scoped by the viewer: the account's own place columns and,
for an association officer, their association's groups. Also the two reads the other parts of
issue 5 use: ``savings_expected`` (the due list) and ``savings_facts`` (group grading)."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from policylend.associations.selectors import association_filter_q
from policylend.core.errors import NotFound
from policylend.core.periods import Month
from policylend.groups.models import GroupMembership
from policylend.users import access
from policylend.users.roles import Capability

from .models import AccountStatus, SavingsAccount, SavingsTransaction, SavingsTransactionKind


def accounts_in_scope(viewer) -> QuerySet[SavingsAccount]:
    return SavingsAccount.objects.filter(
        access.placed_q(viewer) & association_filter_q(viewer, "group__association_unit")
    )


def account_list(
    viewer,
    *,
    search: str = "",
    status: str | None = None,
    group_id: int | None = None,
    household_id: int | None = None,
    commune_id: int | None = None,
) -> QuerySet[SavingsAccount]:
    access.require(viewer, Capability.VIEW_SAVINGS)
    accounts = accounts_in_scope(viewer).select_related("household__head", "group")
    filters = {
        "status": status,
        "group_id": group_id,
        "household_id": household_id,
        "commune_id": commune_id,
    }
    accounts = accounts.filter(**{k: v for k, v in filters.items() if v not in (None, "")})
    search = (search or "").strip()
    if search:
        accounts = accounts.filter(
            Q(number__istartswith=search) | Q(household__code__startswith=search)
        )
    return accounts.order_by("group__code", "household__code", "id")


def account_get(viewer, account_id: int) -> SavingsAccount:
    access.require(viewer, Capability.VIEW_SAVINGS)
    account = (
        accounts_in_scope(viewer)
        .select_related("household__head", "group", "office", "commune", "village", "created_by")
        .filter(pk=account_id)
        .first()
    )
    if account is None:
        raise NotFound("not_found", _("No such savings account in your scope."))
    return account


def account_transactions(account: SavingsAccount) -> QuerySet[SavingsTransaction]:
    return account.transactions.select_related("entry", "loan", "recorded_by").order_by(
        "-recorded_at", "-id"
    )


def transaction_get(viewer, transaction_id: int) -> SavingsTransaction:
    access.require(viewer, Capability.VIEW_SAVINGS)
    found = (
        SavingsTransaction.objects.select_related("account", "entry")
        .filter(pk=transaction_id, account__in=accounts_in_scope(viewer))
        .first()
    )
    if found is None:
        raise NotFound("not_found", _("No such savings transaction in your scope."))
    return found


def group_savings(viewer, group) -> list[dict]:
    """A group's members now, each with their account (or None): plan and balance."""
    access.require(viewer, Capability.VIEW_SAVINGS)
    members = list(
        GroupMembership.objects.filter(group=group, left_on__isnull=True)
        .select_related("household__head")
        .order_by("household__code")
    )
    accounts = {
        a.household_id: a
        for a in accounts_in_scope(viewer).filter(group=group, status=AccountStatus.OPEN)
    }
    return [{"household": m.household, "account": accounts.get(m.household_id)} for m in members]


# --- agreed reads for the transaction sessions and grading (issue 5) ----------------------------


def savings_expected(group, session_date: date) -> dict[int, int]:
    """household_id → the deposit the leader is expected to hand over at the session: the open
    account's monthly plan (0 for a member without an account or a plan)."""
    members = GroupMembership.objects.filter(group=group, joined_on__lte=session_date).filter(
        Q(left_on__isnull=True) | Q(left_on__gt=session_date)
    )
    expected = dict.fromkeys(members.values_list("household_id", flat=True), 0)
    plans = SavingsAccount.objects.filter(
        group=group, status=AccountStatus.OPEN, opened_on__lte=session_date
    ).values_list("household_id", "monthly_plan")
    for household_id, plan in plans:
        if household_id in expected:
            expected[household_id] = plan
    return expected


def savings_facts(group_ids, month: Month) -> dict[int, tuple[int, int, int, int]]:
    """group_id → (members at the month's end, members who deposited in the month, savings
    balance at the end of the month, balance at the end of the previous month). Three grouped
    queries whatever the number of groups."""
    group_ids = list(group_ids)
    end = month.last_day
    start = month.first_day
    facts = {g: [0, 0, 0, 0] for g in group_ids}
    members = (
        GroupMembership.objects.filter(group_id__in=group_ids, joined_on__lte=end)
        .filter(Q(left_on__isnull=True) | Q(left_on__gt=end))
        .values("group_id")
        .annotate(n=Count("household_id", distinct=True))
    )
    for row in members:
        facts[row["group_id"]][0] = row["n"]
    savers = (
        SavingsTransaction.objects.filter(
            account__group_id__in=group_ids,
            kind=SavingsTransactionKind.DEPOSIT,
            value_date__range=(start, end),
            reversed_by__isnull=True,
        )
        .values("account__group_id")
        .annotate(n=Count("account__household_id", distinct=True))
    )
    for row in savers:
        facts[row["account__group_id"]][1] = row["n"]
    # Balances from the movements' value dates: at the end of the month (value date ≤ its last
    # day) and at the end of the previous one (value date before its first day).
    for index, dated in ((2, {"value_date__lte": end}), (3, {"value_date__lt": start})):
        balances = (
            SavingsTransaction.objects.filter(account__group_id__in=group_ids, **dated)
            .values("account__group_id")
            .annotate(total=Sum("amount"))
        )
        for row in balances:
            facts[row["account__group_id"]][index] = row["total"] or 0
    return {g: tuple(v) for g, v in facts.items()}
