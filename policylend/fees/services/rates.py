"""The group commission rate in force on a day: the group's own terms, else the branch's default
terms, else the setting."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.conf import settings

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
    terms = commission_terms_on(group, day)
    return (terms.rate if terms is not None else default_commission_rate()), terms
