"""A session at point TXN206001 (commune 206001 Vũ Lăng, session day 21: held on
Saturday 21/11/2026) for group 2060011 of the loans' set-up
(policylend/loans/tests), managed by the Farmers' Association of Vũ Lăng under contract
HĐ-01/2025 at the default terms (0.045 % a month, split 3 / 5 / 8 / 84 %).

Two loans: Hoàng Văn An's 24,000,000 ₫ (paid out 21/12/2025) and Lộc Thị Bình's 12,000,000 ₫
(21/11/2025). The collection sheet of the group is a STAND-IN (``posted_sheet``): An's interest
of 100,000 ₫ is posted through loans.services.repayment.loan_repay at the point and a
CollectionSheet row points to that entry, with one line per loan (Bình paid nothing) — so these
tests do not depend on the sheet service."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from django.db import transaction as db_transaction

from policylend.associations.rules import TermsInput
from policylend.associations.services import contract_create
from policylend.loans.services.accrual import interest_post_to_date
from policylend.loans.services.common import loan_lock
from policylend.loans.services.repayment import loan_repay
from policylend.loans.tests.origination_setup import world  # noqa: F401
from policylend.loans.tests.servicing_setup import new_loan, staff  # noqa: F401
from policylend.transaction_sessions.models import CashRole, CollectionLine, CollectionSheet
from policylend.transaction_sessions.services.sessions import session_entry_link, session_open

HELD_ON = date(2026, 11, 21)
TODAY = date(2026, 11, 25)


@dataclass
class FeesWorld:
    staff: object
    session: object
    an: object
    binh: object
    contract: object


def make_contract(org, make_user, unit, number="HĐ-01/2025", terms=None):
    admin = make_user("system_admin", org.branch, username=f"admin-{number}")
    return contract_create(
        actor=admin,
        association_unit=unit,
        bank_unit=unit.unit.parent,
        number=number,
        signed_on=date(2025, 1, 1),
        valid_from=date(2025, 1, 1),
        tasks=["communicate"],
        terms=terms or TermsInput(),
    )


_keys = {"n": 0}


def stand_in_sheet(session, group, teller, payments: list[tuple[object, int]]):
    """A posted collection sheet written directly (stand-in for collection_sheet_post): each
    (loan, interest) paid through loan_repay at the point; the first posting is the sheet's."""
    entries = []
    for loan, interest in payments:
        if interest:
            with db_transaction.atomic():  # the interest to the session day, posted first
                locked = loan_lock(loan.pk)
                interest_post_to_date(actor=teller, loan=locked, day=session.held_on, today=TODAY)
                locked.save()
            _keys["n"] += 1
            transaction = loan_repay(
                actor=teller,
                loan=loan,
                paid_on=session.held_on,
                today=TODAY,
                interest=interest,
                idempotency_key=f"fees-stand-in-{_keys['n']}",
                at_point=session.point,
            )
            entries.append(transaction.entry)
            session_entry_link(session=session, entry=transaction.entry, role=CashRole.SHEET)
    _keys["n"] += 1
    sheet = CollectionSheet.objects.create(
        session=session,
        group=group,
        entry=entries[0],
        idempotency_key=f"fees-stand-in-sheet-{_keys['n']}",
        content_hash="stand-in",
        interest_total=sum(interest for _loan, interest in payments),
        posted_by=teller,
    )
    CollectionLine.objects.bulk_create(
        [
            CollectionLine(
                sheet=sheet,
                number=number,
                household=loan.household,
                loan=loan,
                interest_due=interest,
                interest=interest,
            )
            for number, (loan, interest) in enumerate(payments, start=1)
        ]
    )
    return sheet


@pytest.fixture
def fees_world(org, staff, make_user) -> FeesWorld:  # noqa: F811
    group_world = staff.world
    contract = make_contract(org, make_user, group_world.association_unit)
    an = new_loan(org, staff, amount=24_000_000, disbursed_on=date(2025, 12, 21), household=0)
    binh = new_loan(org, staff, amount=12_000_000, disbursed_on=date(2025, 11, 21), household=1)
    session = session_open(
        actor=staff.teller, point=org.points["206001"], held_on=HELD_ON, today=TODAY
    )
    return FeesWorld(staff=staff, session=session, an=an, binh=binh, contract=contract)


@pytest.fixture
def posted_sheet(fees_world):
    """Stand-in: An handed over 100,000 ₫ of interest, Bình nothing."""
    return stand_in_sheet(
        fees_world.session,
        fees_world.staff.world.group,
        fees_world.staff.teller,
        [(fees_world.an, 100_000), (fees_world.binh, 0)],
    )
