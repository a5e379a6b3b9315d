"""Posting a collection sheet (issue 5 "The collection sheet"): the lines, the kept balances,
the status moves, the interest posted to the session day, the validation, the idempotency."""

from __future__ import annotations

from collections import defaultdict

import pytest
from django.utils import translation

from policylend.core.errors import DomainError
from policylend.ledger.models import EntryKind, JournalEntry, JournalLine
from policylend.loans.models import (
    InstalmentStatus,
    Loan,
    LoanStatus,
    LoanStatusChange,
    LoanTransaction,
    TransactionKind,
)
from policylend.loans.services.repayment import interest_to_date
from policylend.loans.tests.servicing_setup import assert_books_clean
from policylend.savings.models import SavingsAccount, SavingsTransaction

from ..models import CashRole, CollectionLine, CollectionSheet, SessionEntry
from ..selectors.sheets import (
    PrefillRow,
    collection_sheet_prefill,
    interest_collected_by_group,
    sheet_get,
    sheet_list,
)
from ..services.sheets import SheetRow, collection_sheet_post
from .sheet_setup import SESSION_DAY, TODAY, sheet_world  # noqa: F401

pytestmark = pytest.mark.django_db


def _post(w, rows, key="sheet-1", **kwargs):
    return collection_sheet_post(
        actor=w.teller,
        session=w.session,
        group=w.group,
        rows=rows,
        idempotency_key=key,
        today=TODAY,
        **kwargs,
    )


def _lines_by_account(entry):
    totals = defaultdict(int)
    for code, loan_ref, account_ref, amount in JournalLine.objects.filter(entry=entry).values_list(
        "account__code", "loan_ref", "savings_account_ref", "amount"
    ):
        totals[(code, loan_ref or account_ref)] += amount
    return dict(totals)


def test_the_prefill_follows_the_due_list(sheet_world):  # noqa: F811
    w = sheet_world
    an, binh, third = w.loans
    rows = collection_sheet_prefill(w.teller, w.session, w.group)
    assert all(isinstance(row, PrefillRow) for row in rows)
    assert [row.number for row in rows] == list(range(1, len(rows) + 1))
    by_loan = {row.loan_id: row for row in rows if row.loan_id}
    assert set(by_loan) == {an.pk, binh.pk, third.pk}
    assert by_loan[an.pk].principal_due == 0
    assert by_loan[binh.pk].principal_due == 4_000_000
    assert by_loan[third.pk].principal_due == 4_000_000  # overdue
    for loan in w.loans:
        interest, penalty = interest_to_date(loan, SESSION_DAY)
        assert by_loan[loan.pk].interest_due == (
            loan.interest_receivable + loan.penalty_receivable + interest + penalty
        )
    assert by_loan[an.pk].savings_expected == 50_000
    assert by_loan[an.pk].savings_account_id == w.accounts[0].pk
    assert by_loan[third.pk].savings_account_id is None
    savings_only = [row for row in rows if row.loan_id is None]
    assert {row.household_id for row in savings_only} == {w.households[3].pk, w.households[4].pk}
    assert {
        row.savings_expected for row in savings_only if row.household_id == w.households[4].pk
    } == {0}


def test_a_sheet_with_differences_posts_one_entry_and_moves_the_balances(sheet_world):  # noqa: F811
    w = sheet_world
    an, binh, third = w.loans
    assert third.status == LoanStatus.OVERDUE
    rows = [
        SheetRow(w.households[0].pk, an.pk, interest=100_000, savings=50_000),
        SheetRow(
            w.households[1].pk,
            binh.pk,
            interest=binh.interest_receivable,
            principal=4_000_000,
            savings=100_000,
        ),
        SheetRow(w.households[2].pk, third.pk, interest=50_000, principal=4_000_000),
        SheetRow(w.households[3].pk, None, savings=20_000),
        SheetRow(w.households[4].pk, None),
    ]
    sheet = _post(w, rows, handed_over_by="Hoàng Thị Lan")
    assert sheet.replayed is False
    assert (sheet.interest_total, sheet.principal_total, sheet.savings_total) == (
        150_000 + binh.interest_receivable,
        8_000_000,
        170_000,
    )
    entry = sheet.entry
    assert entry.kind == EntryKind.COLLECTION_SHEET and entry.value_date == SESSION_DAY
    lines = _lines_by_account(entry)
    assert lines[("1011", None)] == sheet.total
    assert lines[("3941", an.pk)] == -100_000
    assert lines[("2111.01", binh.pk)] == -4_000_000
    assert lines[("2112.01", third.pk)] == -4_000_000
    assert lines[("4231", w.accounts[0].pk)] == -50_000
    assert lines[("4231", w.accounts[3].pk)] == -20_000
    assert sum(lines.values()) == 0

    third_after = Loan.objects.get(pk=third.pk)
    assert third_after.principal_overdue == 0
    assert third_after.status == LoanStatus.IN_TERM
    assert LoanStatusChange.objects.filter(
        loan=third, from_status=LoanStatus.OVERDUE, to_status=LoanStatus.IN_TERM
    ).exists()
    binh_after = Loan.objects.get(pk=binh.pk)
    assert binh_after.principal_in_term == 8_000_000
    assert binh_after.interest_receivable == 0
    first = binh_after.instalments.order_by("number").first()
    assert first.status == InstalmentStatus.PAID and first.principal_paid == 4_000_000
    record = LoanTransaction.objects.get(loan=binh, entry=entry)
    assert record.cash == binh.interest_receivable + 4_000_000
    assert record.principal_in_term == -4_000_000
    assert record.instalments[0]["principal"] == 4_000_000
    assert SavingsAccount.objects.get(pk=w.accounts[1].pk).balance == 100_000
    assert SavingsTransaction.objects.filter(entry=entry).count() == 3
    assert CollectionLine.objects.filter(sheet=sheet).count() == 5
    line = CollectionLine.objects.get(sheet=sheet, loan=binh)
    assert line.principal_due == 4_000_000 and line.principal == 4_000_000
    assert SessionEntry.objects.get(entry=entry).role == CashRole.SHEET
    assert interest_collected_by_group(w.session) == {w.group.pk: sheet.interest_total}
    assert list(sheet_list(w.teller, w.session)) == [sheet]
    assert sheet_get(w.teller, sheet.pk).receipt_number == entry.pk
    assert_books_clean()


def test_interest_beyond_the_posted_receivable_is_posted_to_the_session_day(sheet_world):  # noqa: F811
    w = sheet_world
    an = w.loans[0]
    interest, penalty = interest_to_date(an, SESSION_DAY)
    assert interest > 0 and penalty == 0
    owed = an.interest_receivable + interest
    sheet = _post(w, [SheetRow(w.households[0].pk, an.pk, interest=owed)])
    lines = _lines_by_account(sheet.entry)
    assert lines[("7021", None)] == -interest
    after = Loan.objects.get(pk=an.pk)
    assert after.interest_receivable == 0 and after.interest_current == 0
    assert after.interest_pending_micro == 0
    assert after.interest_accrued_from == SESSION_DAY
    kinds = list(
        LoanTransaction.objects.filter(entry=sheet.entry)
        .order_by("pk")
        .values_list("kind", flat=True)
    )
    assert kinds == [TransactionKind.INTEREST_TO_DATE, TransactionKind.REPAYMENT]
    assert_books_clean()

    # Beyond even that: refused.
    with pytest.raises(DomainError) as refused:
        collection_sheet_post(
            actor=w.teller,
            session=w.session,
            group=w.group,
            idempotency_key="other",
            rows=[SheetRow(w.households[0].pk, an.pk, interest=1)],
            today=TODAY,
        )
    assert refused.value.code == "sheet_already_posted"


def test_interest_beyond_what_is_owed_to_the_day_is_refused(sheet_world):  # noqa: F811
    w = sheet_world
    an = w.loans[0]
    interest, _penalty = interest_to_date(an, SESSION_DAY)
    owed = an.interest_receivable + interest
    with translation.override("en"), pytest.raises(DomainError) as refused:
        _post(w, [SheetRow(w.households[0].pk, an.pk, interest=owed + 1)])
    problem = refused.value.problems[0]
    assert problem.field == "rows[0].interest"
    assert "Hoàng Văn An" in problem.message and "21/11/2026" in problem.message


def test_every_problem_names_the_member_and_the_field_and_nothing_is_posted(sheet_world):  # noqa: F811
    w = sheet_world
    an, binh, _third = w.loans
    entries = JournalEntry.objects.count()
    outsider = w.households[5] if len(w.households) > 5 else None
    rows = [
        SheetRow(w.households[0].pk, an.pk, interest=-5),
        SheetRow(w.households[1].pk, binh.pk, principal=12_000_001),
        SheetRow(w.households[2].pk, an.pk, interest=1_000),
        SheetRow(w.households[3].pk, None, savings=4_000),
        SheetRow(w.households[4].pk, None, savings=50_000),
    ]
    if outsider is not None:
        rows.append(SheetRow(outsider.pk, None, savings=50_000))
    with translation.override("en"), pytest.raises(DomainError) as refused:
        _post(w, rows)
    problems = {p.field: p for p in refused.value.problems}
    assert problems["rows[0].interest"].code == "sheet_amount_negative"
    assert problems["rows[1].principal"].code == "sheet_principal_over"
    assert "12,000,000" in problems["rows[1].principal"].message.replace(".", ",")
    assert problems["rows[2].interest"].code == "sheet_loan_not_of_member"
    assert problems["rows[3].savings"].code == "sheet_deposit_too_small"
    assert problems["rows[4].savings"].code == "sheet_no_savings_account"
    if outsider is not None:
        assert problems["rows[5].savings"].code == "sheet_not_member"
    head = w.households[1].head.full_name
    assert head in problems["rows[1].principal"].message
    assert JournalEntry.objects.count() == entries
    assert not CollectionSheet.objects.exists()
    assert Loan.objects.get(pk=binh.pk).principal_in_term == 12_000_000


def test_an_empty_sheet_is_refused(sheet_world):  # noqa: F811
    w = sheet_world
    with pytest.raises(DomainError) as refused:
        _post(w, [SheetRow(w.households[0].pk, w.loans[0].pk)])
    assert refused.value.code == "sheet_empty"


def test_a_frozen_or_settled_loan_takes_nothing(sheet_world):  # noqa: F811
    w = sheet_world
    an = w.loans[0]
    Loan.objects.filter(pk=an.pk).update(status=LoanStatus.FROZEN)
    with pytest.raises(DomainError) as refused:
        _post(w, [SheetRow(w.households[0].pk, an.pk, interest=1_000)])
    assert refused.value.problems[0].code == "sheet_loan_not_repayable"


def test_the_same_key_twice_posts_once(sheet_world):  # noqa: F811
    w = sheet_world
    rows = [SheetRow(w.households[0].pk, w.loans[0].pk, interest=10_000, savings=50_000)]
    first = _post(w, rows)
    entries = JournalEntry.objects.count()
    again = _post(w, rows)
    assert again.replayed is True and again.pk == first.pk
    assert JournalEntry.objects.count() == entries
    with pytest.raises(DomainError) as refused:
        _post(w, [SheetRow(w.households[0].pk, w.loans[0].pk, interest=20_000)])
    assert refused.value.field == "idempotency_key"
    with translation.override("en"), pytest.raises(DomainError) as refused:
        _post(w, rows, key="sheet-2")
    assert refused.value.code == "sheet_already_posted"
    assert str(first.receipt_number) in refused.value.message
