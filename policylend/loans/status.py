"""A loan's status follows one table (domain.md §6); any other move is refused.

The transitions marked "reversal" happen only when a wrongly posted step is reversed.
"""

from __future__ import annotations

from .models import LoanStatus as S

TRANSITIONS: dict[str, frozenset[str]] = {
    S.APPLIED: frozenset({S.REVIEWED, S.REJECTED}),
    S.REVIEWED: frozenset({S.CERTIFIED, S.REJECTED}),
    S.CERTIFIED: frozenset({S.APPROVED, S.REJECTED}),
    # Approved → in term: disbursement.
    S.APPROVED: frozenset({S.IN_TERM}),
    S.REJECTED: frozenset(),
    # In term → approved: reversal of the disbursement.
    S.IN_TERM: frozenset({S.OVERDUE, S.FROZEN, S.WRITTEN_OFF, S.SETTLED, S.APPROVED}),
    S.OVERDUE: frozenset({S.IN_TERM, S.FROZEN, S.WRITTEN_OFF, S.SETTLED}),
    # Frozen → in term / overdue: the freeze ends (or its posting is reversed).
    S.FROZEN: frozenset({S.IN_TERM, S.OVERDUE, S.WRITTEN_OFF, S.SETTLED}),
    # Written off / settled → back only by reversing the step that closed the loan.
    S.WRITTEN_OFF: frozenset({S.FROZEN, S.IN_TERM, S.OVERDUE}),
    S.SETTLED: frozenset({S.IN_TERM, S.OVERDUE, S.FROZEN}),
}

REVERSAL_ONLY: frozenset[tuple[str, str]] = frozenset(
    {
        (S.IN_TERM, S.APPROVED),
        (S.WRITTEN_OFF, S.FROZEN),
        (S.WRITTEN_OFF, S.IN_TERM),
        (S.WRITTEN_OFF, S.OVERDUE),
        (S.SETTLED, S.IN_TERM),
        (S.SETTLED, S.OVERDUE),
        (S.SETTLED, S.FROZEN),
    }
)


def may_move(current: str, target: str, *, by_reversal: bool = False) -> bool:
    if target not in TRANSITIONS.get(current, frozenset()):
        return False
    return by_reversal or (current, target) not in REVERSAL_ONLY
