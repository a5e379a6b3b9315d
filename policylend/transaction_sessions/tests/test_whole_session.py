"""A whole session day of a commune, end to end through the services, on either database:
due list → collection sheet → disbursement → withdrawal → commissions and fees → cash book →
closing checked by the controller → the books verify clean."""

from __future__ import annotations

import pytest

from policylend.approvals.services import approval_request_approve
from policylend.core.errors import DomainError
from policylend.fees.services import commission_pay, entrustment_fee_pay
from policylend.fees.tests.conftest import make_contract
from policylend.ledger.models import JournalLine
from policylend.ledger.verification import verify_ledger
from policylend.loans.models import Loan, LoanStatus
from policylend.savings.models import SavingsAccount

from ..models import SessionStatus, SheetStatus
from ..selectors import due_list
from ..selectors.cashbook import cash_book_of
from ..selectors.sheets import collection_sheet_prefill
from ..services.closing import session_closing_propose
from ..services.sessions import session_disburse, session_withdrawal
from ..services.sheets import SheetRow, collection_sheet_post
from .session_setup import SESSION_DAY, TODAY, key, session_world  # noqa: F401

pytestmark = pytest.mark.django_db


def _session_cash(session) -> int:
    """Σ of the point's cash lines (1011) of the session's postings."""
    return sum(
        JournalLine.objects.filter(
            entry__session_link__session=session, account__code="1011"
        ).values_list("amount", flat=True)
    )


def test_a_whole_session_balances_to_the_dong_and_the_books_stay_clean(
    session_world,  # noqa: F811
    org,
    make_user,
):
    w = session_world
    an, binh = w.world.households[0], w.world.households[1]

    # Before the session: the group leader's due list, and the sheet pre-filled from it.
    due = {line.household_id: line for line in due_list(w.officer, w.group, SESSION_DAY).lines}
    prefill = collection_sheet_prefill(w.teller, w.session, w.group)
    by_loan = {row.loan_id: row for row in prefill if row.loan_id}
    assert by_loan[w.disbursed.pk].interest_due == (
        due[an.pk].interest_due + due[an.pk].interest_overdue
    )
    assert by_loan[w.second.pk].interest_due == (
        due[binh.pk].interest_due + due[binh.pk].interest_overdue
    )

    # At the session: An brought 1,000 ₫ less interest than due, and saved at the plan.
    rows = []
    for row in prefill:
        interest = row.interest_due - (1_000 if row.loan_id == w.disbursed.pk else 0)
        rows.append(
            SheetRow(
                household_id=row.household_id,
                loan_id=row.loan_id,
                interest=interest,
                principal=0,
                savings=row.savings_expected,
            )
        )
    rows = [row for row in rows if row.interest or row.savings]
    sheet_key = key("whole")
    sheet = collection_sheet_post(
        actor=w.teller,
        session=w.session,
        group=w.group,
        rows=rows,
        idempotency_key=sheet_key,
        today=TODAY,
    )
    again = collection_sheet_post(
        actor=w.teller,
        session=w.session,
        group=w.group,
        rows=rows,
        idempotency_key=sheet_key,
        today=TODAY,
    )
    assert again.replayed and again.receipt_number == sheet.receipt_number
    assert sheet.status == SheetStatus.POSTED
    collected = sum(row.interest + row.savings for row in rows)
    assert sheet.total == collected
    disbursed = Loan.objects.get(pk=w.disbursed.pk)
    assert disbursed.interest_receivable + disbursed.penalty_receivable == 1_000

    disbursement = session_disburse(
        actor=w.teller, session=w.session, loan=w.waiting, today=TODAY, idempotency_key=key()
    )
    assert Loan.objects.get(pk=w.waiting.pk).status == LoanStatus.IN_TERM
    session_withdrawal(
        actor=w.teller,
        session=w.session,
        account=w.account,
        amount=100_000,
        today=TODAY,
        idempotency_key=key(),
    )

    make_contract(org, make_user, w.group.association_unit, number="HĐ-WS/2025")
    commissions = commission_pay(
        actor=w.teller, session=w.session, today=TODAY, idempotency_key=key()
    )
    fees = entrustment_fee_pay(
        actor=w.teller, session=w.session, today=TODAY, idempotency_key=key()
    )
    commission = sum(payment.amount for payment in commissions)
    commune_fee = sum(fee.commune_share for fee in fees)
    assert commission > 0 and commune_fee > 0

    # The cash book: in − out, to the dong, equal to the point's cash lines of the session.
    book = cash_book_of(w.session)
    expected = collected - 10_000_000 - 100_000 - commission - commune_fee
    assert book.balance == expected == _session_cash(w.session)
    assert disbursement.entry_id in {line.entry_id for line in book.lines}

    with pytest.raises(DomainError) as refused:
        session_closing_propose(
            actor=w.teller, session=w.session, cash_carried=expected + 1, today=TODAY
        )
    assert refused.value.field == "cash_carried"

    request = session_closing_propose(
        actor=w.teller, session=w.session, cash_carried=expected, today=TODAY
    )
    w.session.refresh_from_db()
    assert w.session.status == SessionStatus.CLOSING
    approval_request_approve(request_id=request.pk, checker=w.controller, today=TODAY)
    w.session.refresh_from_db()
    assert w.session.status == SessionStatus.CLOSED
    assert cash_book_of(w.session).remaining == 0
    assert _session_cash(w.session) == 0
    assert SavingsAccount.objects.get(pk=w.account.pk).balance == (
        300_000 + sum(row.savings for row in rows if row.household_id == an.pk) - 100_000
    )

    verification = verify_ledger()
    assert verification.ok, verification.problems
