"""Pure rules of commissions and fees (domain.md §2, §3). No ORM, no clock.

The entrustment fee itself (rate × basis, the split between levels, reductions) is the
associations' rule (policylend.associations.rules): it is used here, never restated."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from policylend.associations.rules import Reduction, fee_amount, fee_split, reduction_applicable
from policylend.core.money import allocate, round_half_up

COMMISSION_TERMS_KIND = "fees.commission_terms"
REVERSAL_KIND = "fees.reversal"
# A commission rate is a fraction of the interest collected: above 0, at most 100 %.
COMMISSION_RATE_MAX = Decimal(1)


def commission_amount(interest_collected: int, rate: Decimal) -> int:
    """The group's commission: the interest its leader handed over × the rate, rounded half up
    to the dong once (1,234,567 × 10 % = 123,457)."""
    return round_half_up(Decimal(interest_collected) * rate)


def commission_rate_ok(rate: Decimal) -> bool:
    return isinstance(rate, Decimal) and rate.is_finite() and 0 < rate <= COMMISSION_RATE_MAX


@dataclass(frozen=True)
class Fee:
    """One unit's fee for the month and its shares (central, province, district, commune)."""

    gross: int  # before reductions
    reduction: Decimal
    amount: int
    shares: tuple[int, int, int, int]

    @property
    def commune_share(self) -> int:
        return self.shares[3]

    @property
    def other_levels(self) -> int:
        return sum(self.shares[:3])


def entrustment_fee(
    basis: int,
    rate_monthly: Decimal,
    split_bp: Sequence[int],
    reductions: Sequence[Reduction] = (),
    *,
    overdue_ratio: Decimal | None = None,
    interest_collection_rate: Decimal | None = None,
) -> Fee:
    """The fee on ``basis`` (2,000,000,000 × 0.045 % = 900,000), less the largest reduction
    whose condition holds (rounded half up once), split by basis points (largest remainder)."""
    gross = fee_amount(basis, rate_monthly)
    reduction = reduction_applicable(
        reductions, overdue_ratio=overdue_ratio, interest_collection_rate=interest_collection_rate
    )
    amount = gross - round_half_up(Decimal(gross) * reduction) if reduction else gross
    shares = tuple(fee_split(amount, split_bp))
    return Fee(gross=gross, reduction=reduction, amount=amount, shares=shares)  # type: ignore[arg-type]


def spread(amount: int, weights: Sequence[int]) -> list[int]:
    """Spread ``amount`` over lines in proportion to ``weights`` (largest remainder, sums
    exactly); equal shares when every weight is zero."""
    if not weights:
        return []
    if not any(weights):
        weights = [1] * len(weights)
    return allocate(amount, list(weights))


def ratio(part: int, whole: int) -> Decimal | None:
    return Decimal(part) / Decimal(whole) if whole else None
