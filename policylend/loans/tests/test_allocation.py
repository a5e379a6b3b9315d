"""Applying a payment (domain.md §6.6–§6.7) as a pure rule: the order penalty → interest arrears
→ current interest → overdue principal → principal due → early principal; no dong created or
lost; overpayment refused."""

from __future__ import annotations

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from policylend.loans.allocation import (
    INTEREST_PARTS,
    ORDER,
    PRINCIPAL_PARTS,
    Allocation,
    InstalmentOwed,
    InstalmentShare,
    Overpayment,
    Owed,
    allocate,
    allocate_total,
    principal_to_instalments,
)

OWED = Owed(
    penalty=118_690,
    interest_arrears=170_500,
    interest_current=165_000,
    principal_overdue=16_600_000,
    principal_due=16_600_000,
    principal_not_due=16_800_000,
)


def test_interest_pays_penalty_then_arrears_then_current_interest():
    assert allocate(OWED, interest=300_000) == Allocation(
        penalty=118_690, interest_arrears=170_500, interest_current=10_810
    )


def test_principal_pays_overdue_then_due_then_early_principal():
    assert allocate(OWED, principal=20_000_000) == Allocation(
        principal_overdue=16_600_000, principal_due=3_400_000
    )
    assert allocate(OWED, principal=40_000_000) == Allocation(
        principal_overdue=16_600_000, principal_due=16_600_000, principal_not_due=6_800_000
    )


def test_the_two_components_each_follow_their_own_part_of_the_order():
    # principal brought in person never pays interest, even while interest is owed
    result = allocate(OWED, interest=100_000, principal=1_000_000)
    assert result == Allocation(penalty=100_000, principal_overdue=1_000_000)
    assert (result.interest, result.principal, result.total) == (0, 1_000_000, 1_100_000)


def test_everything_owed_can_be_paid_at_once():
    result = allocate(OWED, interest=OWED.interest_total, principal=OWED.principal_total)
    assert result == Allocation(**{part: getattr(OWED, part) for part in ORDER})
    assert result.total == OWED.total == 50_454_190


@pytest.mark.parametrize(
    ("interest", "principal", "part", "owed"),
    [
        (454_191, 0, "interest", 454_190),
        (0, 50_000_001, "principal", 50_000_000),
    ],
)
def test_an_overpayment_is_refused_never_kept_as_a_credit(interest, principal, part, owed):
    with pytest.raises(Overpayment) as refused:
        allocate(OWED, interest=interest, principal=principal)
    assert (refused.value.part, refused.value.owed) == (part, owed)


def test_a_negative_payment_is_refused():
    with pytest.raises(ValueError):
        allocate(OWED, interest=-1)
    with pytest.raises(ValueError):
        allocate_total(OWED, -1)


def test_one_amount_along_the_whole_order():
    assert allocate_total(OWED, 500_000) == Allocation(
        penalty=118_690,
        interest_arrears=170_500,
        interest_current=165_000,
        principal_overdue=45_810,
    )
    with pytest.raises(Overpayment):
        allocate_total(OWED, OWED.total + 1)


def test_principal_goes_to_the_oldest_unpaid_instalment_first():
    instalments = [InstalmentOwed(7, 600_000), InstalmentOwed(8, 16_600_000), InstalmentOwed(9, 5)]
    assert principal_to_instalments(1_000_000, instalments) == [
        InstalmentShare(7, 600_000),
        InstalmentShare(8, 400_000),
    ]
    assert principal_to_instalments(0, instalments) == []
    with pytest.raises(Overpayment):
        principal_to_instalments(17_200_006, instalments)


# --- properties ---------------------------------------------------------------------------------

amounts = st.integers(min_value=0, max_value=5_000_000_000)
owed_strategy = st.builds(
    Owed,
    penalty=amounts,
    interest_arrears=amounts,
    interest_current=amounts,
    principal_overdue=amounts,
    principal_due=amounts,
    principal_not_due=amounts,
)


def assert_follows_the_order(owed: Owed, result: Allocation, parts: tuple[str, ...]) -> None:
    """No part is paid while an earlier part of the same order is still owed."""
    for index, part in enumerate(parts):
        paid = getattr(result, part)
        assert 0 <= paid <= getattr(owed, part)
        if paid:
            for earlier in parts[:index]:
                assert getattr(result, earlier) == getattr(owed, earlier), (earlier, part)


@given(owed_strategy, st.data())
def test_allocation_never_creates_or_loses_a_dong_and_follows_the_order(owed, data):
    interest = data.draw(st.integers(min_value=0, max_value=owed.interest_total), "interest")
    principal = data.draw(st.integers(min_value=0, max_value=owed.principal_total), "principal")
    result = allocate(owed, interest=interest, principal=principal)
    assert result.total == interest + principal
    assert result.penalty + result.interest == interest
    assert result.principal == principal
    assert_follows_the_order(owed, result, INTEREST_PARTS)
    assert_follows_the_order(owed, result, PRINCIPAL_PARTS)


@given(owed_strategy, st.data())
def test_one_amount_along_the_whole_order_never_creates_or_loses_a_dong(owed, data):
    amount = data.draw(st.integers(min_value=0, max_value=owed.total), "amount")
    result = allocate_total(owed, amount)
    assert result.total == amount
    assert_follows_the_order(owed, result, ORDER)


@given(owed_strategy, st.integers(min_value=1, max_value=10**9), st.booleans())
def test_more_than_is_owed_is_always_refused(owed, extra, on_interest):
    if on_interest:
        with pytest.raises(Overpayment):
            allocate(owed, interest=owed.interest_total + extra)
    else:
        with pytest.raises(Overpayment):
            allocate(owed, principal=owed.principal_total + extra)
    with pytest.raises(Overpayment):
        allocate_total(owed, owed.total + extra)


@given(
    st.lists(st.integers(min_value=0, max_value=100_000_000), min_size=1, max_size=20),
    st.data(),
)
def test_principal_spreads_over_instalments_oldest_first_without_losing_a_dong(unpaid, data):
    instalments = [InstalmentOwed(n, amount) for n, amount in enumerate(unpaid, start=1)]
    total = sum(unpaid)
    principal = data.draw(st.integers(min_value=0, max_value=total), "principal")
    shares = principal_to_instalments(principal, instalments)
    assert sum(share.principal for share in shares) == principal
    paid = {share.id: share.principal for share in shares}
    assert all(amount > 0 for amount in paid.values())
    for instalment in instalments:
        assert paid.get(instalment.id, 0) <= instalment.unpaid
        if paid.get(instalment.id, 0):
            # every older instalment is paid in full
            for older in instalments[: instalment.id - 1]:
                assert paid.get(older.id, 0) == older.unpaid
    assume(total > 0)
    with pytest.raises(Overpayment):
        principal_to_instalments(total + 1, instalments)
