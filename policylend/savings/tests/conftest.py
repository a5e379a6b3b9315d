"""Savings on the loans' test world (policylend/loans/tests/origination_setup.py): group 2060011
of village 20600101 (commune Vũ Lăng, office A) with five member households and a sixth outside
the group; the teller of office A takes deposits, branch staff run the interest crediting."""

from __future__ import annotations

from datetime import date

import pytest

from policylend.ledger.verification import verify_ledger
from policylend.loans.tests.servicing_setup import staff, world  # noqa: F401

from ..services import savings_account_open, savings_deposit

TODAY = date(2026, 11, 25)
_keys = {"n": 0}


def key(prefix: str = "sav") -> str:
    _keys["n"] += 1
    return f"{prefix}-{_keys['n']}"


def assert_books_clean() -> None:
    assert verify_ledger().problems == []


def open_account(staff, household=0, opened_on=date(2025, 12, 15), plan=50_000):  # noqa: F811
    return savings_account_open(
        actor=staff.teller,
        household=staff.world.households[household],
        opened_on=opened_on,
        today=TODAY,
        monthly_plan=plan,
    )


def deposit(staff, account, amount, value_date, idempotency_key=None):  # noqa: F811
    return savings_deposit(
        actor=staff.teller,
        account=account,
        amount=amount,
        value_date=value_date,
        today=TODAY,
        idempotency_key=idempotency_key or key("dep"),
    )


@pytest.fixture
def account(staff):  # noqa: F811
    return open_account(staff)
