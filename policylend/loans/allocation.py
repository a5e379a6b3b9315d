"""Applying a payment to what a loan owes (domain.md §6.6–§6.7), as pure functions.

The order is fixed: overdue interest (penalty) → interest arrears → current interest →
overdue principal → principal due → early principal. Interest is brought by the group leader
and principal by the borrower in person, so a repayment states the two components; each is
applied along its own part of the order. A payment larger than what is owed is refused, never
kept as a credit. No dong is created or lost: the parts always sum to the payment.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Owed:
    penalty: int = 0
    interest_arrears: int = 0
    interest_current: int = 0
    principal_overdue: int = 0
    principal_due: int = 0
    # Principal not yet due (early repayment); overdue + due + not yet due = outstanding.
    principal_not_due: int = 0

    @property
    def interest_total(self) -> int:
        return self.penalty + self.interest_arrears + self.interest_current

    @property
    def principal_total(self) -> int:
        return self.principal_overdue + self.principal_due + self.principal_not_due

    @property
    def total(self) -> int:
        return self.interest_total + self.principal_total


ORDER = (
    "penalty",
    "interest_arrears",
    "interest_current",
    "principal_overdue",
    "principal_due",
    "principal_not_due",
)
INTEREST_PARTS = ORDER[:3]
PRINCIPAL_PARTS = ORDER[3:]


@dataclass(frozen=True)
class Allocation:
    penalty: int = 0
    interest_arrears: int = 0
    interest_current: int = 0
    principal_overdue: int = 0
    principal_due: int = 0
    principal_not_due: int = 0

    @property
    def interest(self) -> int:
        return self.interest_arrears + self.interest_current

    @property
    def principal(self) -> int:
        return self.principal_overdue + self.principal_due + self.principal_not_due

    @property
    def total(self) -> int:
        return self.penalty + self.interest + self.principal


class Overpayment(ValueError):
    """The payment is more than what is owed on the parts it may be applied to."""

    def __init__(self, amount: int, owed: int, part: str):
        super().__init__(f"{part}: {amount} > {owed}")
        self.amount = amount
        self.owed = owed
        self.part = part


def _waterfall(amount: int, owed: Owed, parts: tuple[str, ...], part_name: str) -> dict[str, int]:
    if amount < 0:
        raise ValueError("a payment is not negative")
    capacity = sum(getattr(owed, part) for part in parts)
    if amount > capacity:
        raise Overpayment(amount, capacity, part_name)
    applied: dict[str, int] = {}
    left = amount
    for part in parts:
        take = min(left, getattr(owed, part))
        applied[part] = take
        left -= take
    if left != 0:
        raise ArithmeticError("allocation left money unapplied")
    return applied


def allocate(owed: Owed, *, interest: int = 0, principal: int = 0) -> Allocation:
    """Apply an interest component and a principal component, each along its own order."""
    applied = _waterfall(interest, owed, INTEREST_PARTS, "interest")
    applied |= _waterfall(principal, owed, PRINCIPAL_PARTS, "principal")
    result = Allocation(**applied)
    if result.total != interest + principal:
        raise ArithmeticError("allocation does not sum to the payment")
    return result


def allocate_total(owed: Owed, amount: int) -> Allocation:
    """Apply one amount along the whole order (penalty first, early principal last)."""
    result = Allocation(**_waterfall(amount, owed, ORDER, "total"))
    if result.total != amount:
        raise ArithmeticError("allocation does not sum to the payment")
    return result


@dataclass(frozen=True)
class InstalmentOwed:
    id: int
    unpaid: int


@dataclass(frozen=True)
class InstalmentShare:
    id: int
    principal: int


def principal_to_instalments(
    principal: int, instalments: list[InstalmentOwed]
) -> list[InstalmentShare]:
    """Spread principal over instalments in the order given (overdue, then due, then the
    earliest not yet due): the oldest unpaid instalment is paid first."""
    shares: list[InstalmentShare] = []
    left = principal
    for instalment in instalments:
        if left == 0:
            break
        take = min(left, instalment.unpaid)
        if take:
            shares.append(InstalmentShare(instalment.id, take))
            left -= take
    if left:
        raise Overpayment(principal, principal - left, "principal")
    return shares
