"""Paying group commissions and entrustment fees at a session, and transferring the other levels'
shares of a fee.

Each payment is one journal entry for the whole session, posted inside the session's lock and
linked to its cash book; paying twice for a group (or an association unit) at one session is
refused, and a retry with the same idempotency key returns the first payment."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from policylend.core.errors import DomainError, NotFound, Problem
from policylend.core.money import format_amount
from policylend.core.periods import day_text
from policylend.ledger.models import EntryKind, JournalEntry
from policylend.ledger.rules import credit, debit
from policylend.ledger.services import journal_entry_post
from policylend.transaction_sessions.models import CashRole, TransactionSession
from policylend.transaction_sessions.services.sessions import (
    require_open,
    session_entry_link,
    session_lock,
)
from policylend.users import access
from policylend.users.roles import Capability

from .. import rules
from ..error_codes import FeeError as E
from ..models import CommissionPayment, EntrustmentFee, PaymentStatus
from .common import (
    CASH_AT_OFFICE,
    CASH_AT_POINT,
    COMMISSION_EXPENSE,
    FEE_EXPENSE,
    FEES_PAYABLE,
)
from .dues import commissions_due, fees_due


def _locked_open_session(actor, session: TransactionSession) -> TransactionSession:
    access.require(actor, Capability.PAY_FEES)
    access.require_unit(actor, session.commune)
    locked = session_lock(session.pk)
    require_open(locked)
    return locked


def _replayed(model, session, key: str):
    existing = list(
        model.objects.filter(session=session, entry__idempotency_key=key).select_related("entry")
    )
    return existing or None


def _session_entry(
    *, session: TransactionSession, kind, memo: str, lines, key: str, actor, today: date, role
) -> JournalEntry:
    """Post ``lines`` as one entry dated the session day and link it to the session's cash book."""
    entry = journal_entry_post(
        branch=session.branch_id,
        value_date=session.held_on,
        kind=kind,
        memo=memo,
        lines=lines,
        idempotency_key=key,
        maker=actor,
        today=today,
    )
    session_entry_link(session=session, entry=entry, role=role)
    return entry


def commission_pay(*, actor, session: TransactionSession, today: date, idempotency_key: str):
    """Pay every group whose leader handed over interest on a posted sheet of the session its
    commission (interest collected × the rate of its contract in force on the session day):
    Dr 8712 per group / Cr 1011, one entry, in the session's cash book."""
    key = f"commission:{(idempotency_key or '').strip()}"
    with transaction.atomic():
        session = _locked_open_session(actor, session)
        replay = _replayed(CommissionPayment, session, key)
        if replay is not None:
            for payment in replay:
                payment.replayed = True
            return replay
        rows = commissions_due(session)
        already = [row for row in rows if row.paid is not None]
        if already:
            raise DomainError(
                E.COMMISSION_PAID,
                _(
                    "The commission of group %(group)s was already paid at this session (%(amount)s)."
                )
                % {
                    "group": already[0].group.code,
                    "amount": format_amount(already[0].paid.amount),
                },
                "session",
            )
        to_pay = [row for row in rows if row.amount > 0]
        if not to_pay:
            raise DomainError(
                E.NOTHING_TO_PAY,
                _(
                    "No group handed over interest on a posted sheet of this session: no commission is due."
                ),
                "session",
            )
        total = sum(row.amount for row in to_pay)
        lines = [
            debit(
                COMMISSION_EXPENSE,
                row.amount,
                office_id=session.office_id,
                group_ref=row.group.pk,
                association_id=row.group.association_unit.association_id,
            )
            for row in to_pay
        ]
        lines.append(credit(CASH_AT_POINT, total, office_id=session.office_id))
        entry = _session_entry(
            session=session,
            kind=EntryKind.GROUP_COMMISSION,
            memo=_("Group commissions, session of %(point)s on %(day)s")
            % {"point": session.point.name, "day": day_text(session.held_on)},
            lines=lines,
            key=key,
            actor=actor,
            today=today,
            role=CashRole.COMMISSION,
        )
        payments = CommissionPayment.objects.bulk_create(
            [
                CommissionPayment(
                    session=session,
                    group=row.group,
                    month=session.month,
                    interest_collected=row.interest_collected,
                    terms=row.terms,
                    rate=row.rate,
                    amount=row.amount,
                    entry=entry,
                    paid_by=actor,
                )
                for row in to_pay
            ]
        )
    for payment in payments:
        payment.replayed = False
    return payments


def entrustment_fee_pay(*, actor, session: TransactionSession, today: date, idempotency_key: str):
    """Pay each association unit its entrustment fee for the month: Dr 8711 (spread over its
    groups by their basis) / Cr 1011 the commune's share, paid in cash at the session / Cr 4611
    the other levels' shares, payable until transferred (fee_transfer). One entry."""
    key = f"fee:{(idempotency_key or '').strip()}"
    with transaction.atomic():
        session = _locked_open_session(actor, session)
        replay = _replayed(EntrustmentFee, session, key)
        if replay is not None:
            for fee in replay:
                fee.replayed = True
            return replay
        rows = fees_due(session)
        already = [row for row in rows if row.paid is not None]
        if already:
            raise DomainError(
                E.FEE_PAID,
                _("The entrustment fee of %(unit)s was already paid at this session (%(amount)s).")
                % {
                    "unit": already[0].association_unit.name,
                    "amount": format_amount(already[0].paid.amount),
                },
                "session",
            )
        problems = [
            Problem(E.NO_CONTRACT, row.problem, "association_unit") for row in rows if row.problem
        ]
        if problems:
            raise DomainError.of(problems)
        to_pay = [row for row in rows if row.fee is not None and row.fee.amount > 0]
        if not to_pay:
            raise DomainError(
                E.NOTHING_TO_PAY,
                _(
                    "No loan's interest was collected on a posted sheet of this session: no entrustment fee is due."
                ),
                "session",
            )
        lines = []
        office_id = session.office_id
        for row in to_pay:
            association_id = row.association_unit.association_id
            group_ids = sorted(row.basis_by_group)
            parts = rules.spread(row.fee.amount, [row.basis_by_group[g] for g in group_ids])
            lines += [
                debit(
                    FEE_EXPENSE,
                    part,
                    office_id=office_id,
                    association_id=association_id,
                    group_ref=group_id,
                )
                for group_id, part in zip(group_ids, parts, strict=True)
                if part
            ]
            if row.fee.commune_share:
                lines.append(
                    credit(
                        CASH_AT_POINT,
                        row.fee.commune_share,
                        office_id=office_id,
                        association_id=association_id,
                    )
                )
            if row.fee.other_levels:
                lines.append(
                    credit(
                        FEES_PAYABLE,
                        row.fee.other_levels,
                        office_id=office_id,
                        association_id=association_id,
                    )
                )
        entry = _session_entry(
            session=session,
            kind=EntryKind.ENTRUSTMENT_FEE,
            memo=_("Entrustment fees, session of %(point)s on %(day)s")
            % {"point": session.point.name, "day": day_text(session.held_on)},
            lines=lines,
            key=key,
            actor=actor,
            today=today,
            role=CashRole.FEE,
        )
        fees = EntrustmentFee.objects.bulk_create(
            [
                EntrustmentFee(
                    session=session,
                    association_unit=row.association_unit,
                    contract=row.contract,
                    terms=row.terms,
                    month=session.month,
                    basis_outstanding=row.basis,
                    loans_count=row.loans_count,
                    rate=row.terms.fee_rate_monthly,
                    reduction=row.fee.reduction,
                    amount=row.fee.amount,
                    central_share=row.fee.shares[0],
                    province_share=row.fee.shares[1],
                    district_share=row.fee.shares[2],
                    commune_share=row.fee.shares[3],
                    entry=entry,
                    paid_by=actor,
                )
                for row in to_pay
            ]
        )
    for fee in fees:
        fee.replayed = False
    return fees


def fee_transfer(
    *, actor, fee: EntrustmentFee, today: date, idempotency_key: str
) -> EntrustmentFee:
    """Pay the central, province and district shares of a fee by transfer from the office:
    Dr 4611 / Cr 1012, once."""
    access.require(actor, Capability.PAY_FEES)
    key = f"fee-transfer:{(idempotency_key or '').strip()}"
    with transaction.atomic():
        fee = (
            EntrustmentFee.objects.select_for_update()
            .select_related("session", "session__commune", "association_unit")
            .filter(pk=fee.pk)
            .first()
        )
        if fee is None:
            raise NotFound("not_found", _("No such entrustment fee in your scope."))
        access.require_unit(actor, fee.session.commune)
        if fee.transfer_entry_id is not None:
            if fee.transfer_entry.idempotency_key == key:
                fee.replayed = True
                return fee
            raise DomainError(
                E.TRANSFERRED,
                _("The other levels' shares of this fee were already transferred on %(day)s.")
                % {"day": day_text(fee.transferred_on)},
                "fee",
            )
        if fee.status != PaymentStatus.PAID:
            raise DomainError(E.FEE_REVERSED, _("This fee was reversed."), "fee")
        if fee.other_levels <= 0:
            raise DomainError(
                E.NOTHING_TO_TRANSFER,
                _(
                    "The whole fee is the commune's share, paid at the session; nothing is transferred."
                ),
                "fee",
            )
        refs = {
            "office_id": fee.session.office_id,
            "association_id": fee.association_unit.association_id,
        }
        entry = journal_entry_post(
            branch=fee.session.branch_id,
            value_date=today,
            kind=EntryKind.ENTRUSTMENT_FEE,
            memo=_(
                "Entrustment fee of %(unit)s for %(month)s: central, province and district shares"
            )
            % {"unit": fee.association_unit.name, "month": fee.month.strftime("%m/%Y")},
            lines=[
                debit(FEES_PAYABLE, fee.other_levels, **refs),
                credit(CASH_AT_OFFICE, fee.other_levels, office_id=fee.session.office_id),
            ],
            idempotency_key=key,
            maker=actor,
            today=today,
        )
        fee.transfer_entry = entry
        fee.transferred_on = today
        fee.save(update_fields=["transfer_entry", "transferred_on"])
    fee.replayed = False
    return fee
