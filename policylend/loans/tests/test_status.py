"""A loan's status follows one table (domain.md §6): every pair of statuses is checked, the moves
in the table are allowed and every other move is refused; the moves back from a closed loan only
by reversal."""

from __future__ import annotations

from datetime import date
from itertools import product

import pytest
from django.utils import translation

from policylend.core.errors import DomainError
from policylend.loans.models import LoanStatus as S
from policylend.loans.status import REVERSAL_ONLY, TRANSITIONS, may_move

# The table as domain.md §6 states it, written out independently of loans.status.
FORWARD = {
    (S.APPLIED, S.REVIEWED),
    (S.APPLIED, S.REJECTED),
    (S.REVIEWED, S.CERTIFIED),
    (S.REVIEWED, S.REJECTED),
    (S.CERTIFIED, S.APPROVED),
    (S.CERTIFIED, S.REJECTED),
    (S.APPROVED, S.IN_TERM),
    (S.IN_TERM, S.OVERDUE),
    (S.IN_TERM, S.FROZEN),
    (S.IN_TERM, S.WRITTEN_OFF),
    (S.IN_TERM, S.SETTLED),
    (S.OVERDUE, S.IN_TERM),
    (S.OVERDUE, S.FROZEN),
    (S.OVERDUE, S.WRITTEN_OFF),
    (S.OVERDUE, S.SETTLED),
    (S.FROZEN, S.IN_TERM),
    (S.FROZEN, S.OVERDUE),
    (S.FROZEN, S.WRITTEN_OFF),
    (S.FROZEN, S.SETTLED),
}
# Only when the step that made the move is reversed.
BY_REVERSAL = {
    (S.IN_TERM, S.APPROVED),
    (S.WRITTEN_OFF, S.FROZEN),
    (S.WRITTEN_OFF, S.IN_TERM),
    (S.WRITTEN_OFF, S.OVERDUE),
    (S.SETTLED, S.IN_TERM),
    (S.SETTLED, S.OVERDUE),
    (S.SETTLED, S.FROZEN),
}
PAIRS = list(product(S.values, S.values))


@pytest.mark.parametrize(("current", "target"), PAIRS)
def test_every_pair_of_statuses_is_allowed_only_if_it_is_in_the_table(current, target):
    assert may_move(current, target) == ((current, target) in FORWARD)
    assert may_move(current, target, by_reversal=True) == (
        (current, target) in FORWARD | BY_REVERSAL
    )


def test_the_module_table_is_the_domain_table():
    moves = {(a, b) for a, targets in TRANSITIONS.items() for b in targets}
    assert moves == FORWARD | BY_REVERSAL
    assert set(REVERSAL_ONLY) == BY_REVERSAL
    assert set(TRANSITIONS) == set(S.values)


def test_a_rejected_loan_goes_nowhere_and_nothing_returns_to_applied():
    assert not any(may_move(S.REJECTED, b, by_reversal=True) for b in S.values)
    assert not any(may_move(a, S.APPLIED, by_reversal=True) for a in S.values)


def test_no_status_moves_to_itself_through_the_table():
    assert not any(may_move(s, s, by_reversal=True) for s in S.values)


def test_unknown_statuses_are_refused():
    assert not may_move("disbursed", S.IN_TERM)
    assert not may_move(S.IN_TERM, "closed", by_reversal=True)


# --- the service that moves a loan's status checks the same table ------------------------------


@pytest.mark.django_db
def test_status_move_refuses_a_move_outside_the_table_and_records_one_inside(loan_applied):
    from policylend.loans.models import LoanStatusChange
    from policylend.loans.services.common import status_move

    loan = loan_applied.loan
    actor = loan_applied.users.officer
    with translation.override("en"), pytest.raises(DomainError) as refused:
        status_move(loan=loan, to=S.IN_TERM, on=date(2026, 1, 5), actor=actor)
    assert refused.value.problems[0].field == "status"
    assert "cannot become In term" in refused.value.problems[0].message
    assert loan.status == S.APPLIED

    status_move(loan=loan, to=S.REJECTED, on=date(2026, 1, 5), actor=actor, reason="not resident")
    change = LoanStatusChange.objects.get(loan=loan, to_status=S.REJECTED)
    assert (change.from_status, change.changed_on, change.reason) == (
        S.APPLIED,
        date(2026, 1, 5),
        "not resident",
    )
    assert (loan.status, loan.status_changed_on) == (S.REJECTED, date(2026, 1, 5))
