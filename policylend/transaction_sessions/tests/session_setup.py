"""Shared set-up of the session-day tests (and of the sheet and fees tests that import it).

The office world of the loans' tests (policylend/loans/tests/origination_setup.py): group 2060011
"Tổ Vũ Lăng Một" of village 20600101, commune 206001 Vũ Lăng (office A 7401 Bắc Sơn), whose
point TXN206001 holds its session on the 21st, five member households; the teller, the credit
officer and the controller of office A.

``session_world`` adds:

* ``disbursed``: Hoàng Văn An's loan of 24,000,000 ₫ paid out at the office on 21/12/2025
  (programme 01, 6.6 %, yearly instalments of 8,000,000 ₫), its interest posted to the session
  day (24,000,000 × 6.6 % × 335/360 = 1,474,000 ₫ receivable, so a repayment may pay it);
* ``second``: Lộc Thị Bình's loan of 12,000,000 ₫ paid out at the office on 21/11/2025;
* ``waiting``: Vi Văn Cường's approved loan of 10,000,000 ₫, not yet paid out;
* ``account``: An's savings account (plan 50,000 ₫) holding 300,000 ₫ deposited at the office;
* ``session``: the OPEN session of TXN206001 held on Saturday 21/11/2026 (today is 25/11/2026),
  opened by the teller with the credit officer in the team.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from itertools import count

import pytest
from django.db import transaction

from policylend.loans.services.accrual import interest_post_to_date
from policylend.loans.services.common import loan_lock
from policylend.loans.tests.origination_setup import approved_loan, world  # noqa: F401
from policylend.loans.tests.servicing_setup import Staff, new_loan, staff  # noqa: F401
from policylend.savings.services import savings_account_open, savings_deposit

from ..services.sessions import session_open

TODAY = date(2026, 11, 25)
SESSION_DAY = date(2026, 11, 21)
NEXT_SESSION_DAY = date(2026, 12, 21)

_keys = count(1)


def key(prefix: str = "ses") -> str:
    return f"{prefix}-{next(_keys)}"


@dataclass
class SessionWorld:
    org: object
    staff: Staff
    world: object
    group: object
    point: object
    teller: object
    officer: object
    controller: object
    disbursed: object
    second: object
    waiting: object
    account: object
    session: object


@pytest.fixture
def session_world(org, staff) -> SessionWorld:  # noqa: F811
    world = staff.world  # noqa: F811
    disbursed = new_loan(org, staff, amount=24_000_000, disbursed_on=date(2025, 12, 21))
    second = new_loan(org, staff, amount=12_000_000, disbursed_on=date(2025, 11, 21), household=1)
    with transaction.atomic():
        locked = loan_lock(disbursed.pk)
        interest_post_to_date(actor=staff.officer, loan=locked, day=SESSION_DAY, today=TODAY)
        locked.save()
    disbursed.refresh_from_db()
    waiting = approved_loan(world, household=world.households[2], amount=10_000_000)
    account = savings_account_open(
        actor=staff.teller,
        household=world.households[0],
        opened_on=date(2025, 12, 15),
        today=TODAY,
        monthly_plan=50_000,
    )
    savings_deposit(
        actor=staff.teller,
        account=account,
        amount=300_000,
        value_date=date(2025, 12, 15),
        today=TODAY,
        idempotency_key=key("ses-dep"),
        at_session=False,
    )
    account.refresh_from_db()
    point = org.points["206001"]
    session = session_open(
        actor=staff.teller, point=point, held_on=SESSION_DAY, today=TODAY, team=[staff.officer]
    )
    return SessionWorld(
        org=org,
        staff=staff,
        world=world,
        group=world.group,
        point=point,
        teller=staff.teller,
        officer=staff.officer,
        controller=staff.controller,
        disbursed=disbursed,
        second=second,
        waiting=waiting,
        account=account,
        session=session,
    )
