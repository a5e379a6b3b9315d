"""Shared set-up of the servicing tests (accrual, repayment, overdue, settlement, reversal).

Loans go through the real origination services (origination_setup: application → reviews →
approval of a poor household's loan under programme 01 at 6.6 %, commune 206001 Vũ Lăng whose
point holds its session on the 21st) and are paid out by ``loan_disburse`` at the office, so the
schedule, rate and postings are exactly what disbursement produces."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from policylend.ledger.verification import verify_ledger

from ..services.disbursement import loan_disburse
from .origination_setup import approved_loan, world  # noqa: F401


@dataclass
class Staff:
    world: object
    teller: object
    officer: object
    controller: object
    staff: object  # branch staff: runs the branch's month-end accrual


@pytest.fixture
def staff(world, make_user) -> Staff:  # noqa: F811
    return Staff(
        world=world,
        teller=world.teller,
        officer=world.officer,
        controller=world.controller,
        staff=make_user("branch_staff", world.org.branch, username="srv-staff"),
    )


_keys = {"n": 0}


def new_loan(
    org, staff: Staff, *, amount: int, disbursed_on: date, term_months: int = 36, household=0
):
    loan = approved_loan(
        staff.world,
        household=staff.world.households[household],
        amount=amount,
        term_months=term_months,
    )
    _keys["n"] += 1
    loan_disburse(
        actor=staff.teller,
        loan=loan,
        disbursed_on=disbursed_on,
        today=date(2026, 11, 25),
        idempotency_key=f"srv-disburse-{_keys['n']}",
    )
    loan.refresh_from_db()
    return loan


def assert_books_clean() -> None:
    result = verify_ledger()
    assert result.problems == []
