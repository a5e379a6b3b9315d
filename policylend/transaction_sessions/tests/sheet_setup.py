"""A group at its session with three loans and savings accounts, for the collection-sheet tests.

On the loans' servicing world (group 2060011 of commune 206001 Vũ Lăng, point TXN206001, session
day 21; loans of programme 01 at 6.6 % paid out at the office, yearly instalments of a third):

* Hoàng Văn An (household 0): 24,000,000 ₫ paid out on 21/12/2025; nothing due on 21/11/2026.
* Lộc Thị Bình (household 1): 12,000,000 ₫ paid out on 21/11/2025; its first instalment of
  4,000,000 ₫ is collected at the session of 21/11/2026.
* household 2: 12,000,000 ₫ paid out on 21/10/2025; its first instalment (21/10/2026) was not
  paid: 4,000,000 ₫ overdue from 22/10/2026.
The month-end accrual of October 2026 has been posted. Households 0, 1 and 3 have savings
accounts with a monthly plan of 50,000 ₫; household 4 has none. The session of 21/11/2026
(a Saturday) is open, opened by the teller.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from policylend.core.periods import Month
from policylend.loans.services.accrual import interest_accrual_run
from policylend.loans.services.overdue import overdue_run
from policylend.loans.tests.servicing_setup import new_loan
from policylend.savings.services import savings_account_open

from ..services.sessions import session_open

SESSION_DAY = date(2026, 11, 21)
TODAY = date(2026, 11, 25)


@dataclass
class SheetWorld:
    org: object
    staff: object
    group: object
    households: list
    loans: list
    accounts: dict  # household index → SavingsAccount
    session: object

    @property
    def teller(self):
        return self.staff.teller

    @property
    def controller(self):
        return self.staff.controller


def build_sheet_world(org, staff) -> SheetWorld:
    an = new_loan(org, staff, amount=24_000_000, disbursed_on=date(2025, 12, 21), household=0)
    binh = new_loan(org, staff, amount=12_000_000, disbursed_on=date(2025, 11, 21), household=1)
    third = new_loan(org, staff, amount=12_000_000, disbursed_on=date(2025, 10, 21), household=2)
    overdue_run(
        actor=staff.officer, today=TODAY, unit=org.office_a, session_date=date(2026, 10, 21)
    )
    interest_accrual_run(actor=staff.staff, branch=org.branch, month=Month(2026, 10), today=TODAY)
    world = staff.world
    accounts = {
        index: savings_account_open(
            actor=staff.teller,
            household=world.households[index],
            opened_on=date(2025, 12, 15),
            today=TODAY,
            monthly_plan=50_000,
        )
        for index in (0, 1, 3)
    }
    session = session_open(
        actor=staff.teller, point=org.points["206001"], held_on=SESSION_DAY, today=TODAY
    )
    for loan in (an, binh, third):
        loan.refresh_from_db()
    return SheetWorld(
        org, staff, world.group, world.households, [an, binh, third], accounts, session
    )


@pytest.fixture
def sheet_world(org, staff) -> SheetWorld:
    return build_sheet_world(org, staff)
