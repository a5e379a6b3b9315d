"""For random valid sheets: the cash debited is what the rows add up to and equals the credits,
and each loan's kept balances drop by exactly what was paid (after any interest posted to the
session day), each account's balance rises by its deposit; the books stay clean."""

from __future__ import annotations

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policylend.ledger.models import JournalLine
from policylend.loans.models import Loan, LoanTransaction, TransactionKind
from policylend.loans.services.repayment import interest_to_date
from policylend.loans.tests.servicing_setup import assert_books_clean
from policylend.savings.models import SavingsAccount

from ..services.sheets import SheetRow, collection_sheet_post
from .sheet_setup import SESSION_DAY, TODAY, sheet_world  # noqa: F401

pytestmark = pytest.mark.django_db


class Rollback(Exception):
    pass


share = st.fractions(min_value=0, max_value=1)
deposit = st.one_of(st.just(0), st.integers(5_000, 500_000))


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(st.tuples(share, share), min_size=3, max_size=3),
    st.lists(deposit, min_size=3, max_size=3),
)
def test_random_sheets_balance_and_move_exactly_what_was_paid(sheet_world, paid, deposits):  # noqa: F811
    w = sheet_world
    try:
        with transaction.atomic():
            _check(w, paid, deposits)
            raise Rollback
    except Rollback:
        pass


def _check(w, paid, deposits):
    loans = [Loan.objects.get(pk=loan.pk) for loan in w.loans]
    rows = []
    for index, (loan, (interest_share, principal_share)) in enumerate(zip(loans, paid)):
        to_date, penalty = interest_to_date(loan, SESSION_DAY)
        owed = loan.interest_receivable + loan.penalty_receivable + to_date + penalty
        outstanding = loan.principal_in_term + loan.principal_overdue
        rows.append(
            SheetRow(
                w.households[index].pk,
                loan.pk,
                interest=int(owed * interest_share),
                principal=int(outstanding * principal_share),
            )
        )
    savers = [0, 1, 3]
    if not any(r.interest or r.principal for r in rows) and not any(deposits):
        deposits = [0, 0, 5_000]  # an empty sheet is refused
    for household, amount in zip(savers, deposits):
        rows.append(SheetRow(w.households[household].pk, None, savings=amount))
    balances = dict(SavingsAccount.objects.values_list("pk", "balance"))
    sheet = collection_sheet_post(
        actor=w.teller,
        session=w.session,
        group=w.group,
        rows=rows,
        idempotency_key="property",
        today=TODAY,
    )
    lines = JournalLine.objects.filter(entry=sheet.entry)
    cash = sum(line.amount for line in lines if line.account.code == "1011")
    assert cash == sum(r.interest + r.principal + r.savings for r in rows) == sheet.total
    assert sum(line.amount for line in lines) == 0
    for before, row in zip(loans, rows):
        after = Loan.objects.get(pk=before.pk)
        assert (before.principal_in_term + before.principal_overdue) - (
            after.principal_in_term + after.principal_overdue
        ) == row.principal
        posted = sum(
            record.interest + record.penalty
            for record in LoanTransaction.objects.filter(
                entry=sheet.entry, loan=before, kind=TransactionKind.INTEREST_TO_DATE
            )
        )
        assert (before.interest_receivable + before.penalty_receivable + posted) - (
            after.interest_receivable + after.penalty_receivable
        ) == row.interest
    for household, amount in zip(savers, deposits):
        account = w.accounts[household]
        assert SavingsAccount.objects.get(pk=account.pk).balance == balances[account.pk] + amount
    assert_books_clean()
