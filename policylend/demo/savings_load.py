"""Demo member savings (domain.md §7): about half the members of every group of the branch hold a
savings account with a monthly plan (20,000, 50,000 or 100,000 ₫), opened when they joined (not
before 2024). Written set-wise; no money is posted (the balances start at 0: deposits come with
the transaction sessions)."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date

from policylend.groups.models import GroupMembership
from policylend.organisation.models import OrganisationUnit
from policylend.savings.models import SavingsAccount
from policylend.savings.services.movements import SEQUENCE_DIGITS, annual_rate_default

PLANS = (20_000, 50_000, 100_000)
OPENED_NOT_BEFORE = date(2024, 1, 1)


def demo_savings_accounts_open(*, branch: OrganisationUnit, maker, seed: int, today: date) -> dict:
    rng = random.Random(f"savings-{seed}")
    members = (
        GroupMembership.objects.filter(
            group__branch=branch, left_on__isnull=True, joined_on__lte=today
        )
        .select_related("household")
        .order_by("household_id")
    )
    offices = dict(
        OrganisationUnit.objects.filter(branch_id=branch.pk, kind="office").values_list(
            "pk", "code"
        )
    )
    sequence: dict[int, int] = defaultdict(int)
    rate = annual_rate_default()
    accounts = []
    for membership in members.iterator(chunk_size=5_000):
        if rng.random() >= 0.5:
            continue
        household = membership.household
        sequence[household.office_id] += 1
        opened_on = max(membership.joined_on, OPENED_NOT_BEFORE)
        accounts.append(
            SavingsAccount(
                number=f"{offices.get(household.office_id, 'X')}-TK-"
                f"{sequence[household.office_id]:0{SEQUENCE_DIGITS}d}",
                household_id=household.pk,
                group_id=membership.group_id,
                branch_id=household.branch_id,
                office_id=household.office_id,
                commune_id=household.commune_id,
                village_id=household.village_id,
                opened_on=opened_on,
                monthly_plan=rng.choice(PLANS),
                annual_rate=rate,
                interest_counted_from=opened_on,
                created_by=maker,
            )
        )
    SavingsAccount.objects.bulk_create(accounts, batch_size=5_000)
    return {"savings_accounts": len(accounts)}
