from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from policylend.associations.rules import DEFAULT_SPLIT_BP, Reduction

from .. import rules

RATE = Decimal("0.00045")


def test_worked_example_900_000():
    fee = rules.entrustment_fee(2_000_000_000, RATE, DEFAULT_SPLIT_BP)
    assert fee.amount == 900_000
    assert fee.shares == (27_000, 45_000, 72_000, 756_000)
    assert (fee.commune_share, fee.other_levels) == (756_000, 144_000)


def test_worked_example_largest_remainder():
    from policylend.associations.rules import fee_split

    assert fee_split(1_000_001, DEFAULT_SPLIT_BP) == [30_000, 50_000, 80_000, 840_001]


def test_commission_rounds_half_up_to_the_dong():
    assert rules.commission_amount(1_234_567, Decimal("0.10")) == 123_457
    assert rules.commission_amount(5, Decimal("0.10")) == 1  # 0.5 → 1
    assert rules.commission_amount(4, Decimal("0.10")) == 0
    assert rules.commission_amount(0, Decimal("0.10")) == 0


def test_no_reduction_by_default_and_the_largest_applies():
    reductions = [
        Reduction("overdue_ratio_above", Decimal("0.02"), Decimal("0.2")),
        Reduction("interest_collection_below", Decimal("0.95"), Decimal("0.1")),
    ]
    plain = rules.entrustment_fee(2_000_000_000, RATE, DEFAULT_SPLIT_BP, reductions)
    assert (plain.reduction, plain.amount) == (0, 900_000)
    reduced = rules.entrustment_fee(
        2_000_000_000,
        RATE,
        DEFAULT_SPLIT_BP,
        reductions,
        overdue_ratio=Decimal("0.03"),
        interest_collection_rate=Decimal("0.90"),
    )
    assert reduced.reduction == Decimal("0.2")
    assert reduced.gross == 900_000
    assert reduced.amount == 720_000
    assert sum(reduced.shares) == 720_000


def test_commission_rate_bounds():
    assert rules.commission_rate_ok(Decimal("0.1"))
    assert rules.commission_rate_ok(Decimal("1"))
    assert not rules.commission_rate_ok(Decimal("0"))
    assert not rules.commission_rate_ok(Decimal("1.01"))
    assert not rules.commission_rate_ok(Decimal("NaN"))


splits = st.lists(st.integers(0, 10_000), min_size=3, max_size=3).filter(
    lambda parts: sum(parts) <= 10_000
)


@settings(deadline=None)
@given(
    basis=st.integers(0, 10**13),
    first=splits,
    reduce_by=st.sampled_from([None, Decimal("0.1"), Decimal("0.333"), Decimal("1")]),
)
def test_the_split_sums_to_the_fee(basis, first, reduce_by):
    split = (*first, 10_000 - sum(first))
    reductions = [Reduction("overdue_ratio_above", Decimal("0"), reduce_by)] if reduce_by else []
    fee = rules.entrustment_fee(basis, RATE, split, reductions, overdue_ratio=Decimal("0.5"))
    assert sum(fee.shares) == fee.amount
    assert 0 <= fee.amount <= fee.gross
    assert all(share >= 0 for share in fee.shares)


@settings(deadline=None)
@given(
    amount=st.integers(0, 10**12), weights=st.lists(st.integers(0, 10**12), min_size=1, max_size=30)
)
def test_spread_sums_to_the_amount(amount, weights):
    parts = rules.spread(amount, weights)
    assert sum(parts) == amount
    assert len(parts) == len(weights)


@settings(deadline=None)
@given(interest=st.integers(0, 10**11), rate=st.decimals(Decimal("0.0001"), Decimal("1"), places=4))
def test_commission_is_never_more_than_the_interest(interest, rate):
    assert 0 <= rules.commission_amount(interest, rate) <= interest
