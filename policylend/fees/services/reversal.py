"""Reversing a session's commission or fee payment (maker–checker): the whole entry, while no
share of a fee it paid has been transferred."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from policylend.approvals.models import ApprovalRequest
from policylend.approvals.services import approval_request_create
from policylend.core.errors import DomainError
from policylend.ledger.models import JournalEntry
from policylend.transaction_sessions.models import CashRole, TransactionSession
from policylend.transaction_sessions.services.sessions import session_entry_link, session_lock
from policylend.users import access
from policylend.users.roles import Capability

from .. import rules
from ..error_codes import FeeError as E
from ..models import CommissionPayment, EntrustmentFee, PaymentStatus


def _payments_of(entry_id: int):
    """The paid commissions or fees posted by one entry (one of the two lists is empty)."""
    commissions = list(
        CommissionPayment.objects.filter(entry_id=entry_id, status=PaymentStatus.PAID)
    )
    fees = list(EntrustmentFee.objects.filter(entry_id=entry_id, status=PaymentStatus.PAID))
    return commissions, fees


def payment_reversal_check(*, actor, entry_id: int, reason: str) -> TransactionSession:
    access.require(actor, Capability.PAY_FEES)
    if not (reason or "").strip():
        raise DomainError(E.REVERSAL_REASON, _("Give the reason for the reversal."), "reason")
    commissions, fees = _payments_of(entry_id)
    if not commissions and not fees:
        raise DomainError(
            E.NOT_A_PAYMENT,
            _("Entry #%(id)d is no commission or fee payment still in force.") % {"id": entry_id},
            "entry",
        )
    transferred = [fee for fee in fees if fee.transfer_entry_id is not None]
    if transferred:
        raise DomainError(
            E.REVERSAL_TRANSFERRED,
            _(
                "The other levels' shares of the fee of %(unit)s were already transferred; "
                "the payment cannot be reversed."
            )
            % {"unit": transferred[0].association_unit.name},
            "entry",
        )
    session = (commissions or fees)[0].session
    access.require_unit(actor, session.commune)
    return session


def payment_reversal_propose(*, actor, entry_id: int, reason: str, today: date) -> ApprovalRequest:
    """Ask to reverse a session's commission or fee payment (the whole entry); a controller
    (never the maker) approves."""
    session = payment_reversal_check(actor=actor, entry_id=entry_id, reason=reason)
    return approval_request_create(
        kind=rules.REVERSAL_KIND,
        payload={"entry_id": entry_id, "reason": reason.strip(), "session_id": session.pk},
        unit=session.office,
        maker=actor,
        today=today,
    )


def payment_reversal_apply(*, approval: ApprovalRequest, checker, today: date) -> JournalEntry:
    from policylend.ledger.services import journal_entry_reverse
    from policylend.transaction_sessions.models import SessionStatus

    payload = approval.payload
    with transaction.atomic():
        session = session_lock(payload["session_id"])
        payment_reversal_check(
            actor=approval.maker, entry_id=payload["entry_id"], reason=payload["reason"]
        )
        reversal = journal_entry_reverse(
            entry_id=payload["entry_id"],
            reason=payload["reason"],
            maker=approval.maker,
            checker=checker,
            today=today,
        )
        for model in (CommissionPayment, EntrustmentFee):
            model.objects.filter(entry_id=payload["entry_id"], status=PaymentStatus.PAID).update(
                status=PaymentStatus.REVERSED,
                reversal_entry=reversal,
                reversal_reason=payload["reason"][:300],
            )
        if session.status == SessionStatus.OPEN:
            session_entry_link(session=session, entry=reversal, role=CashRole.REVERSAL)
    return reversal
