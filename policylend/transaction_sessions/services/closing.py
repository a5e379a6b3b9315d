"""Closing a session with maker–checker (domain.md §8): the team counts the cash, proposes to
carry it to the office, and a controller checks the count. The amount must equal the cash book's
balance to the dong. While the request waits the session is "closing" and takes no posting; the
controller's approval posts Dr 1012 / Cr 1011 and closes it, a rejection opens it again."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from policylend.approvals.models import ApprovalRequest
from policylend.approvals.services import approval_request_create
from policylend.core.errors import DomainError
from policylend.core.money import format_amount
from policylend.core.periods import day_text
from policylend.ledger.models import EntryKind
from policylend.ledger.rules import credit, debit
from policylend.ledger.services import journal_entry_post
from policylend.users import access
from policylend.users.roles import Capability

from ..error_codes import SessionDayError as E
from ..models import CashRole, SessionStatus, TransactionSession
from ..selectors.cashbook import cash_book_of
from .sessions import require_open, session_entry_link, session_lock

KIND = "transaction_sessions.closing"
CASH_AT_POINT = "1011"
CASH_AT_OFFICE = "1012"


def cash_problem(session: TransactionSession, cash_carried: int) -> None:
    """Refuse a count that differs from the cash book's balance. A negative balance (more paid
    out than collected: the team brought cash from the office) is settled the other way round."""
    balance = cash_book_of(session).balance
    if cash_carried != balance:
        raise DomainError(
            E.CASH_DIFFERS,
            _(
                "The cash carried %(carried)s differs from the cash book's balance %(balance)s "
                "by %(difference)s; count again or correct the postings."
            )
            % {
                "carried": format_amount(cash_carried),
                "balance": format_amount(balance),
                "difference": format_amount(cash_carried - balance),
            },
            "cash_carried",
        )


def session_closing_propose(
    *, actor, session: TransactionSession, cash_carried: int, today: date
) -> ApprovalRequest:
    """Propose to close ``session`` carrying ``cash_carried`` to the office; a controller checks."""
    access.require(actor, Capability.RUN_SESSIONS)
    access.require_unit(actor, session.commune)
    with transaction.atomic():
        session = session_lock(session.pk)
        require_open(session)
        cash_problem(session, cash_carried)
        request = approval_request_create(
            kind=KIND,
            payload={"session_id": session.pk, "cash_carried": cash_carried},
            unit=session.commune,
            maker=actor,
            today=today,
        )
        TransactionSession.objects.filter(pk=session.pk).update(
            status=SessionStatus.CLOSING, cash_carried=cash_carried, closing_approval=request
        )
    return request


def validate(payload: dict, maker, today: date) -> None:
    session = TransactionSession.objects.select_related("point").get(pk=payload["session_id"])
    if session.status == SessionStatus.CLOSED:
        require_open(session)
    cash_problem(session, int(payload["cash_carried"]))


def session_close(*, request, checker, today: date) -> TransactionSession:
    """Carry out an approved closing (inside the approval's transaction)."""
    session = session_lock(request.payload["session_id"])
    if session.status != SessionStatus.CLOSING:
        require_open(session)  # a closed session says so
    amount = int(request.payload["cash_carried"])
    entry = None
    if amount != 0:
        cash_lines = [
            debit(CASH_AT_OFFICE, abs(amount), office_id=session.office_id),
            credit(CASH_AT_POINT, abs(amount), office_id=session.office_id),
        ]
        if amount < 0:  # the office's cash paid out beyond the collections
            cash_lines = [
                debit(CASH_AT_POINT, -amount, office_id=session.office_id),
                credit(CASH_AT_OFFICE, -amount, office_id=session.office_id),
            ]
        entry = journal_entry_post(
            branch=session.branch_id,
            value_date=session.held_on,
            kind=EntryKind.CASH_TRANSFER,
            memo=_("Cash of the session of %(point)s on %(day)s carried to the office: %(amount)s")
            % {
                "point": session.point.name,
                "day": day_text(session.held_on),
                "amount": format_amount(amount),
            },
            lines=cash_lines,
            idempotency_key=f"session-close-{session.pk}",
            maker=request.maker,
            checker=checker,
            today=today,
        )
        session_entry_link(session=session, entry=entry, role=CashRole.TRANSFER)
    session.status = SessionStatus.CLOSED
    session.cash_carried = amount
    session.transfer_entry = entry
    session.closed_at = timezone.now()
    session.closed_by = checker
    session.save(
        update_fields=["status", "cash_carried", "transfer_entry", "closed_at", "closed_by"]
    )
    return session


def session_reopen(request) -> None:
    """A rejected or withdrawn closing: the session is open again."""
    TransactionSession.objects.filter(
        pk=request.payload["session_id"], status=SessionStatus.CLOSING
    ).update(status=SessionStatus.OPEN, cash_carried=None)
