"""The group commission rate in force on a day: the group's own terms, else the branch's default
terms, else the setting."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db.models import Q

from policylend.groups.models import SavingsGroup

from ..models import CommissionTerms


def default_commission_rate() -> Decimal:
    return Decimal(str(getattr(settings, "POLICYLEND_GROUP_COMMISSION_RATE", "0.10")))


def commission_terms_on(group: SavingsGroup, day: date) -> CommissionTerms | None:
    """The group's own terms in force on ``day``, else the branch's default; None: the setting."""
    own = (
        CommissionTerms.objects.filter(group=group, effective_from__lte=day)
        .order_by("-effective_from")
        .first()
    )
    if own is not None:
        return own
    return (
        CommissionTerms.objects.filter(
            branch_id=group.branch_id, group__isnull=True, effective_from__lte=day
        )
        .order_by("-effective_from")
        .first()
    )


def commission_rate_on(group: SavingsGroup, day: date) -> tuple[Decimal, CommissionTerms | None]:
    return commission_rates_on([group], day)[group.pk]


def commission_rates_on(groups, day: date) -> dict[int, tuple[Decimal, CommissionTerms | None]]:
    """group id → (rate, terms) in force on ``day`` for every group, from one read of the terms:
    the group's own, else its branch's default, else the setting."""
    groups = list(groups)
    own: dict[int, CommissionTerms] = {}
    default: dict[int, CommissionTerms] = {}
    for terms in CommissionTerms.objects.filter(
        Q(group__in=[group.pk for group in groups])
        | Q(group__isnull=True, branch_id__in={group.branch_id for group in groups}),
        effective_from__lte=day,
    ).order_by("-effective_from"):
        latest = own if terms.group_id else default
        latest.setdefault(terms.group_id or terms.branch_id, terms)
    rates = {}
    for group in groups:
        terms = own.get(group.pk) or default.get(group.branch_id)
        rates[group.pk] = (terms.rate if terms else default_commission_rate(), terms)
    return rates
