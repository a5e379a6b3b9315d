"""Reversing a posted collection sheet by maker–checker: every loan and savings balance comes
back, the books stay clean, the sheet is marked reversed and the reversal joins the cash book."""

from __future__ import annotations

import pytest

from policylend.approvals.models import ApprovalStatus
from policylend.approvals.services import approval_request_approve
from policylend.core.errors import DomainError
from policylend.loans.models import Instalment, Loan, LoanStatus
from policylend.loans.services.repayment import interest_to_date
from policylend.loans.tests.servicing_setup import assert_books_clean
from policylend.savings.models import SavingsAccount
from policylend.savings.services import savings_withdraw

from ..models import CashRole, SessionEntry, SheetStatus
from ..services.sheets import SheetRow, collection_sheet_post, sheet_reversal_propose
from .sheet_setup import SESSION_DAY, TODAY, sheet_world  # noqa: F401

pytestmark = pytest.mark.django_db

LOAN_FIELDS = (
    "principal_in_term",
    "principal_overdue",
    "interest_receivable",
    "penalty_receivable",
    "status",
)


def _snapshot(w):
    loans = {
        loan.pk: tuple(getattr(loan, f) for f in LOAN_FIELDS)
        for loan in Loan.objects.filter(pk__in=[loan.pk for loan in w.loans])
    }
    instalments = dict(
        (pk, (paid, status))
        for pk, paid, status in Instalment.objects.filter(
            loan__in=[loan.pk for loan in w.loans]
        ).values_list("pk", "principal_paid", "status")
    )
    accounts = dict(SavingsAccount.objects.values_list("pk", "balance"))
    return loans, instalments, accounts


def _sheet(w):
    an, binh, third = w.loans
    interest, _penalty = interest_to_date(an, SESSION_DAY)
    return collection_sheet_post(
        actor=w.teller,
        session=w.session,
        group=w.group,
        rows=[
            SheetRow(
                w.households[0].pk,
                an.pk,
                interest=an.interest_receivable + interest,
                savings=50_000,
            ),
            SheetRow(w.households[1].pk, binh.pk, interest=10_000, principal=4_000_000),
            SheetRow(
                w.households[2].pk,
                third.pk,
                interest=third.interest_receivable,
                principal=5_000_000,
                savings=0,
            ),
            SheetRow(w.households[3].pk, None, savings=70_000),
        ],
        idempotency_key="rev-sheet",
        today=TODAY,
    )


def test_a_reversal_restores_every_balance(sheet_world):  # noqa: F811
    w = sheet_world
    before = _snapshot(w)
    sheet = _sheet(w)
    assert Loan.objects.get(pk=w.loans[2].pk).status == LoanStatus.IN_TERM
    assert _snapshot(w) != before
    request = sheet_reversal_propose(actor=w.teller, sheet=sheet, reason="Keyed twice", today=TODAY)
    approved = approval_request_approve(request_id=request.pk, checker=w.controller, today=TODAY)
    assert approved.status == ApprovalStatus.APPROVED
    assert approved.result_reference == f"collection_sheet:{sheet.pk}"
    sheet.refresh_from_db()
    assert sheet.status == SheetStatus.REVERSED and sheet.reversal_reason == "Keyed twice"
    assert sheet.reversal_entry.reverses_id == sheet.entry_id
    assert SessionEntry.objects.get(entry=sheet.reversal_entry).role == CashRole.REVERSAL
    assert _snapshot(w) == before
    assert_books_clean()

    # Once only.
    with pytest.raises(DomainError) as refused:
        sheet_reversal_propose(actor=w.teller, sheet=sheet, reason="Again", today=TODAY)
    assert refused.value.code == "sheet_already_reversed"


def test_a_new_sheet_may_be_posted_after_the_reversal(sheet_world):  # noqa: F811
    w = sheet_world
    sheet = _sheet(w)
    request = sheet_reversal_propose(actor=w.teller, sheet=sheet, reason="Wrong", today=TODAY)
    approval_request_approve(request_id=request.pk, checker=w.controller, today=TODAY)
    again = collection_sheet_post(
        actor=w.teller,
        session=w.session,
        group=w.group,
        rows=[SheetRow(w.households[3].pk, None, savings=70_000)],
        idempotency_key="rev-sheet-2",
        today=TODAY,
    )
    assert again.status == SheetStatus.POSTED
    assert_books_clean()


def test_a_reason_is_required_and_spent_savings_block_the_reversal(sheet_world):  # noqa: F811
    w = sheet_world
    sheet = _sheet(w)
    with pytest.raises(DomainError) as refused:
        sheet_reversal_propose(actor=w.teller, sheet=sheet, reason="  ", today=TODAY)
    assert refused.value.field == "reason"
    savings_withdraw(
        actor=w.teller,
        account=w.accounts[3],
        amount=60_000,
        value_date=TODAY,
        today=TODAY,
        idempotency_key="wd-1",
    )
    with pytest.raises(DomainError) as refused:
        sheet_reversal_propose(actor=w.teller, sheet=sheet, reason="Wrong", today=TODAY)
    assert refused.value.code == "sheet_savings_spent"


def test_a_members_part_is_not_reversed_alone(sheet_world):  # noqa: F811
    from policylend.loans.models import LoanTransaction
    from policylend.loans.services.reversal import loan_transaction_reversal_propose
    from policylend.savings.models import SavingsTransaction
    from policylend.savings.services.reversal import savings_transaction_reversal_propose

    w = sheet_world
    sheet = _sheet(w)
    loan_step = LoanTransaction.objects.filter(entry=sheet.entry).first()
    with pytest.raises(DomainError) as refused:
        loan_transaction_reversal_propose(
            actor=w.staff.officer, transaction=loan_step, reason="x", today=TODAY
        )
    assert "sheet" in refused.value.message
    deposit = SavingsTransaction.objects.filter(entry=sheet.entry).first()
    with pytest.raises(DomainError) as refused:
        savings_transaction_reversal_propose(
            actor=w.staff.officer, transaction=deposit, reason="x", today=TODAY
        )
    assert str(sheet.receipt_number) in refused.value.message
