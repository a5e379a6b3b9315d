"""Paying commissions and fees at the session of 21/11/2026 (conftest.py).

An's interest of 100,000 ₫ was collected; Bình's was not. Commission at the default 10 %:
10,000 ₫. Fee basis: An's outstanding only, 24,000,000 ₫ × 0.045 % = 10,800 ₫, split
3 / 5 / 8 / 84 %: 324 / 540 / 864 / 9,072 ₫."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from policylend.approvals.services import approval_request_approve
from policylend.core.errors import DomainError, Forbidden
from policylend.core.periods import Month
from policylend.ledger.models import JournalLine
from policylend.loans.tests.servicing_setup import assert_books_clean
from policylend.noticeboard.selectors import paid_last_month
from policylend.transaction_sessions.models import SessionEntry

from .. import selectors, services
from ..models import CommissionTerms
from .conftest import TODAY


def _lines(entry):
    return sorted(
        (
            line.account.code,
            "debit" if line.amount > 0 else "credit",
            abs(line.amount),
            line.group_ref,
            line.association_id,
        )
        for line in JournalLine.objects.filter(entry=entry).select_related("account")
    )


def test_commission_at_the_default_rate(fees_world, posted_sheet):
    teller = fees_world.staff.teller
    group = fees_world.staff.world.group
    payments = services.commission_pay(
        actor=teller, session=fees_world.session, today=TODAY, idempotency_key="c1"
    )
    assert len(payments) == 1
    payment = payments[0]
    assert (payment.interest_collected, payment.rate, payment.amount) == (
        100_000,
        Decimal("0.10"),
        10_000,
    )
    association_id = group.association_unit.association_id
    assert _lines(payment.entry) == sorted(
        [
            ("1011", "credit", 10_000, None, None),
            ("8712", "debit", 10_000, group.pk, association_id),
        ]
    )
    assert SessionEntry.objects.get(entry=payment.entry).role == "commission"
    # The same key again: the first payment, nothing more posted.
    again = services.commission_pay(
        actor=teller, session=fees_world.session, today=TODAY, idempotency_key="c1"
    )
    assert [p.pk for p in again] == [payment.pk] and again[0].replayed
    # Another key: refused, the group was paid.
    with translation.override("en"), pytest.raises(DomainError) as error:
        services.commission_pay(
            actor=teller, session=fees_world.session, today=TODAY, idempotency_key="c2"
        )
    assert error.value.code == "fees_commission_already_paid"
    assert "2060011" in error.value.message
    assert_books_clean()


def test_the_groups_own_terms_beat_the_branch_default(fees_world, posted_sheet, org, make_user):
    group = fees_world.staff.world.group
    officer = fees_world.staff.officer
    manager = make_user("branch_manager", org.branch, username="manager-fees")
    for target, rate in ((None, "0.08"), (group, "0.12")):
        request = services.commission_terms_propose(
            actor=officer if target is not None else fees_world.staff.staff,
            branch=org.branch,
            group=target,
            effective_from=date(2026, 1, 1),
            rate=Decimal(rate),
            contract_number="UQ-1",
            today=TODAY,
        )
        approval_request_approve(request_id=request.pk, checker=manager, today=TODAY)
    assert CommissionTerms.objects.count() == 2
    payment = services.commission_pay(
        actor=fees_world.staff.teller,
        session=fees_world.session,
        today=TODAY,
        idempotency_key="c1",
    )[0]
    assert (payment.rate, payment.amount) == (Decimal("0.12"), 12_000)


def test_the_branch_default_beats_the_setting(fees_world, posted_sheet, org, make_user):
    CommissionTerms.objects.create(
        branch=org.branch,
        effective_from=date(2026, 1, 1),
        rate=Decimal("0.085"),
        created_by=fees_world.staff.staff,
    )
    CommissionTerms.objects.create(  # not yet in force on 21/11/2026
        branch=org.branch,
        effective_from=date(2026, 12, 1),
        rate=Decimal("0.5"),
        created_by=fees_world.staff.staff,
    )
    payment = services.commission_pay(
        actor=fees_world.staff.teller, session=fees_world.session, today=TODAY, idempotency_key="k"
    )[0]
    assert payment.amount == 8_500


def test_nothing_to_pay_without_a_posted_sheet(fees_world):
    with pytest.raises(DomainError) as error:
        services.commission_pay(
            actor=fees_world.staff.teller,
            session=fees_world.session,
            today=TODAY,
            idempotency_key="c",
        )
    assert error.value.code == "fees_nothing_to_pay"
    with pytest.raises(DomainError) as error:
        services.entrustment_fee_pay(
            actor=fees_world.staff.teller,
            session=fees_world.session,
            today=TODAY,
            idempotency_key="f",
        )
    assert error.value.code == "fees_nothing_to_pay"


def test_only_a_teller_pays(fees_world, posted_sheet):
    with pytest.raises(Forbidden):
        services.commission_pay(
            actor=fees_world.staff.officer,
            session=fees_world.session,
            today=TODAY,
            idempotency_key="c",
        )


def test_the_fee_counts_only_loans_whose_interest_was_collected(fees_world, posted_sheet):
    unit = fees_world.staff.world.association_unit
    group = fees_world.staff.world.group
    fees = services.entrustment_fee_pay(
        actor=fees_world.staff.teller, session=fees_world.session, today=TODAY, idempotency_key="f1"
    )
    assert len(fees) == 1
    fee = fees[0]
    assert (fee.basis_outstanding, fee.loans_count, fee.amount) == (24_000_000, 1, 10_800)
    assert fee.shares == [324, 540, 864, 9_072]
    assert fee.contract == fees_world.contract
    lines = _lines(fee.entry)
    association_id = unit.association_id
    assert lines == sorted(
        [
            ("8711", "debit", 10_800, group.pk, association_id),
            ("1011", "credit", 9_072, None, association_id),
            ("4611", "credit", 1_728, None, association_id),
        ]
    )
    assert SessionEntry.objects.get(entry=fee.entry).role == "fee"
    with pytest.raises(DomainError) as error:
        services.entrustment_fee_pay(
            actor=fees_world.staff.teller,
            session=fees_world.session,
            today=TODAY,
            idempotency_key="f2",
        )
    assert error.value.code == "fees_entrustment_fee_already_paid"
    # The other levels' shares by transfer, once.
    fee = services.fee_transfer(
        actor=fees_world.staff.teller, fee=fee, today=TODAY, idempotency_key="t1"
    )
    assert _lines(fee.transfer_entry) == sorted(
        [("4611", "debit", 1_728, None, association_id), ("1012", "credit", 1_728, None, None)]
    )
    assert services.fee_transfer(
        actor=fees_world.staff.teller, fee=fee, today=TODAY, idempotency_key="t1"
    ).replayed
    with pytest.raises(DomainError) as error:
        services.fee_transfer(
            actor=fees_world.staff.teller, fee=fee, today=TODAY, idempotency_key="t2"
        )
    assert error.value.code == "fees_already_transferred"
    assert_books_clean()


def test_a_unit_without_a_contract_is_named(fees_world, posted_sheet):
    fees_world.contract.status = "ended"
    fees_world.contract.save()
    with translation.override("en"), pytest.raises(DomainError) as error:
        services.entrustment_fee_pay(
            actor=fees_world.staff.teller,
            session=fees_world.session,
            today=TODAY,
            idempotency_key="f",
        )
    assert error.value.code == "fees_no_entrustment_contract"
    assert fees_world.staff.world.association_unit.name in error.value.message


def test_a_reduction_applies_when_its_condition_holds(fees_world, posted_sheet):
    from policylend.associations.models import EntrustmentTerms

    # Bình's interest due was 0 on the stand-in sheet; collection rate 100 %. The condition
    # "interest collection below 101 %" holds: the fee is reduced by 50 %.
    EntrustmentTerms.objects.filter(contract=fees_world.contract).update(
        reductions=[{"interest_collection_below": "1.01", "reduce_by": "0.5"}]
    )
    fee = services.entrustment_fee_pay(
        actor=fees_world.staff.teller, session=fees_world.session, today=TODAY, idempotency_key="f"
    )[0]
    assert (fee.reduction, fee.amount) == (Decimal("0.5"), 5_400)
    assert sum(fee.shares) == 5_400


def test_statement_preview_and_noticeboard(fees_world, posted_sheet, org):
    teller = fees_world.staff.teller
    unit = fees_world.staff.world.association_unit
    preview = selectors.session_preview(teller, fees_world.session)
    assert (preview.commissions_total, preview.fees_total, preview.fees_at_session) == (
        10_000,
        10_800,
        9_072,
    )
    services.commission_pay(
        actor=teller, session=fees_world.session, today=TODAY, idempotency_key="c"
    )
    services.entrustment_fee_pay(
        actor=teller, session=fees_world.session, today=TODAY, idempotency_key="f"
    )
    preview = selectors.session_preview(teller, fees_world.session)
    assert preview.commissions_paid and preview.fees_paid
    statement = list(selectors.fee_statement(teller, unit, Month(2026, 11)))
    assert [(f.amount, f.commune_share, f.session_id) for f in statement] == [
        (10_800, 9_072, fees_world.session.pk)
    ]
    assert list(selectors.fee_statement(teller, unit, Month(2026, 10))) == []
    # The association officer of the unit reads it too.
    officer = fees_world.staff.world.association_officer
    assert selectors.fee_statement(officer, selectors.unit_get(officer, unit.pk)).count() == 1
    assert paid_last_month(org.points["206001"], Month(2026, 11)) == (10_800, 10_000)
    assert [c.amount for c in selectors.commission_list(teller, session=fees_world.session)] == [
        10_000
    ]


def test_a_payment_is_reversed_by_maker_checker_and_can_be_paid_again(
    fees_world, posted_sheet, org
):
    teller = fees_world.staff.teller
    controller = fees_world.staff.controller
    payment = services.commission_pay(
        actor=teller, session=fees_world.session, today=TODAY, idempotency_key="c"
    )[0]
    with pytest.raises(DomainError) as error:
        services.payment_reversal_propose(
            actor=teller, entry_id=payment.entry_id, reason=" ", today=TODAY
        )
    assert error.value.field == "reason"
    request = services.payment_reversal_propose(
        actor=teller, entry_id=payment.entry_id, reason="wrong rate", today=TODAY
    )
    approval_request_approve(request_id=request.pk, checker=controller, today=TODAY)
    payment.refresh_from_db()
    assert payment.status == "reversed" and payment.reversal_entry_id
    assert SessionEntry.objects.get(entry_id=payment.reversal_entry_id).role == "reversal"
    assert paid_last_month(org.points["206001"], Month(2026, 11)) == (0, 0)
    again = services.commission_pay(
        actor=teller, session=fees_world.session, today=TODAY, idempotency_key="c-again"
    )
    assert again[0].amount == 10_000
    assert_books_clean()


def test_a_transferred_fee_is_not_reversed(fees_world, posted_sheet):
    teller = fees_world.staff.teller
    fee = services.entrustment_fee_pay(
        actor=teller, session=fees_world.session, today=TODAY, idempotency_key="f"
    )[0]
    services.fee_transfer(actor=teller, fee=fee, today=TODAY, idempotency_key="t")
    with pytest.raises(DomainError) as error:
        services.payment_reversal_propose(
            actor=teller, entry_id=fee.entry_id, reason="x", today=TODAY
        )
    assert error.value.code == "fees_reversal_after_transfer"
