"""The session day through its services: opening, postings in the cash book, closing with
maker–checker, minutes. World: session_setup.py (session of TXN206001 on 21/11/2026)."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import translation

from policylend.approvals.services import approval_request_approve, approval_request_reject
from policylend.core.errors import DomainError, Forbidden
from policylend.ledger.models import JournalLine
from policylend.loans.tests.servicing_setup import assert_books_clean

from ..models import CashRole, SessionEntry, SessionStatus
from ..selectors.cashbook import cash_book
from ..services.closing import session_closing_propose
from ..services.minutes import briefing_minutes_save
from ..services.sessions import (
    session_disburse,
    session_open,
    session_repayment,
    session_team_set,
    session_withdrawal,
)
from .session_setup import NEXT_SESSION_DAY, SESSION_DAY, TODAY, key, session_world  # noqa: F401

pytestmark = pytest.mark.django_db


def repay(sw, interest=500_000, principal=1_000_000):
    return session_repayment(
        actor=sw.teller,
        session=sw.session,
        loan=sw.disbursed,
        interest=interest,
        principal=principal,
        today=TODAY,
        idempotency_key=key("rep"),
    )


def withdraw(sw, amount=100_000):
    return session_withdrawal(
        actor=sw.teller,
        session=sw.session,
        account=sw.account,
        amount=amount,
        today=TODAY,
        idempotency_key=key("wd"),
    )


def session_cash(session) -> int:
    """Σ of the 1011 lines of the session's linked entries."""
    return sum(
        JournalLine.objects.filter(
            entry__session_link__session=session, account__code="1011"
        ).values_list("amount", flat=True)
    )


# --- opening -------------------------------------------------------------------------------------


def test_a_session_opens_on_a_session_day_only_once_and_not_ahead(session_world):  # noqa: F811
    sw = session_world
    assert sw.session.status == SessionStatus.OPEN
    assert set(sw.session.team.all()) == {sw.teller, sw.officer}
    assert (sw.session.month, sw.session.office) == (date(2026, 11, 1), sw.org.office_a)
    with translation.override("en"), pytest.raises(DomainError) as twice:
        session_open(actor=sw.officer, point=sw.point, held_on=SESSION_DAY, today=TODAY)
    assert "already open" in twice.value.message
    with translation.override("en"), pytest.raises(DomainError) as not_day:
        session_open(actor=sw.teller, point=sw.point, held_on=date(2026, 11, 20), today=TODAY)
    assert "not a session day" in not_day.value.message
    with translation.override("en"), pytest.raises(DomainError) as ahead:
        session_open(actor=sw.teller, point=sw.point, held_on=NEXT_SESSION_DAY, today=TODAY)
    assert ahead.value.field == "held_on"
    assert "21/12/2026" in ahead.value.message


def test_only_the_session_team_roles_open_and_within_their_office(session_world, make_user):  # noqa: F811
    sw = session_world
    with pytest.raises(Forbidden):
        session_open(
            actor=sw.controller,
            point=sw.org.points["206002"],
            held_on=date(2026, 11, 6),
            today=TODAY,
        )
    other = make_user("teller", sw.org.office_b, username="teller-b")
    with pytest.raises(Forbidden):
        session_open(
            actor=other, point=sw.org.points["206002"], held_on=date(2026, 11, 6), today=TODAY
        )
    with pytest.raises(DomainError) as team:
        session_open(
            actor=sw.teller,
            point=sw.org.points["206002"],
            held_on=date(2026, 11, 6),
            today=TODAY,
            team=[other],
        )
    assert team.value.field == "team"
    # Refused before anything was written: the session can still be opened.
    session = session_open(
        actor=sw.teller, point=sw.org.points["206002"], held_on=date(2026, 11, 6), today=TODAY
    )
    session_team_set(actor=sw.teller, session=session, team=[sw.officer])
    assert set(session.team.all()) == {sw.teller, sw.officer}


# --- postings in the cash book -------------------------------------------------------------------


def test_a_disbursement_at_the_session_is_cash_out(session_world):  # noqa: F811
    sw = session_world
    record = session_disburse(
        actor=sw.teller,
        session=sw.session,
        loan=sw.waiting,
        today=TODAY,
        idempotency_key="dis-1",
    )
    sw.waiting.refresh_from_db()
    assert (sw.waiting.status, sw.waiting.disbursed_on) == ("in_term", SESSION_DAY)
    assert sw.waiting.disbursed_at_point_id == sw.point.pk
    link = SessionEntry.objects.get(entry=record.entry)
    assert (link.session, link.role) == (sw.session, CashRole.DISBURSEMENT)
    # A replay with the same key links nothing twice.
    again = session_disburse(
        actor=sw.teller, session=sw.session, loan=sw.waiting, today=TODAY, idempotency_key="dis-1"
    )
    assert again.pk == record.pk
    book = cash_book(sw.teller, sw.session)
    assert book.cash_out["disbursements"] == 10_000_000
    assert book.total_in == 0
    assert book.balance == -10_000_000 == session_cash(sw.session)
    assert len(book.lines) == 1
    assert_books_clean()


def test_repayments_and_withdrawals_in_the_cash_book(session_world):  # noqa: F811
    sw = session_world
    repay(sw)
    withdraw(sw)
    book = cash_book(sw.officer, sw.session)
    assert book.cash_in == {"interest": 500_000, "principal": 1_000_000, "savings": 0}
    assert book.cash_out["withdrawals"] == 100_000
    assert (book.total_in, book.total_out, book.balance) == (1_500_000, 100_000, 1_400_000)
    assert book.balance == session_cash(sw.session)
    sw.account.refresh_from_db()
    assert sw.account.balance == 200_000
    assert_books_clean()


def test_a_loan_of_another_commune_is_not_posted_at_the_session(session_world):  # noqa: F811
    sw = session_world
    session = session_open(
        actor=sw.teller, point=sw.org.points["206002"], held_on=date(2026, 11, 6), today=TODAY
    )
    with pytest.raises(DomainError) as error:
        session_disburse(
            actor=sw.teller, session=session, loan=sw.waiting, today=TODAY, idempotency_key="x1"
        )
    assert error.value.field == "loan"


# --- closing --------------------------------------------------------------------------------------


def test_closing_refused_when_the_cash_differs_naming_the_difference(session_world):  # noqa: F811
    sw = session_world
    repay(sw)
    withdraw(sw)
    with translation.override("en"), pytest.raises(DomainError) as error:
        session_closing_propose(
            actor=sw.teller, session=sw.session, cash_carried=1_390_000, today=TODAY
        )
    assert error.value.field == "cash_carried"
    message = error.value.message
    assert "1,390,000" in message and "1,400,000" in message and "10,000" in message
    sw.session.refresh_from_db()
    assert sw.session.status == SessionStatus.OPEN


def test_closing_checked_by_the_controller_carries_the_cash_to_the_office(session_world):  # noqa: F811
    sw = session_world
    repay(sw)
    withdraw(sw)
    request = session_closing_propose(
        actor=sw.teller, session=sw.session, cash_carried=1_400_000, today=TODAY
    )
    sw.session.refresh_from_db()
    assert sw.session.status == SessionStatus.CLOSING
    assert sw.session.closing_approval_id == request.pk
    # Nothing more is posted while the controller checks.
    with translation.override("en"), pytest.raises(DomainError) as blocked:
        withdraw(sw, 10_000)
    assert "closing" in blocked.value.message.lower()
    # The maker may not check their own count.
    with pytest.raises(Forbidden):
        approval_request_approve(request_id=request.pk, checker=sw.teller, today=TODAY)
    # Nor may a teller-like role without the capability.
    with pytest.raises(Forbidden):
        approval_request_approve(request_id=request.pk, checker=sw.officer, today=TODAY)
    approval_request_approve(request_id=request.pk, checker=sw.controller, today=TODAY)
    sw.session.refresh_from_db()
    assert sw.session.status == SessionStatus.CLOSED
    assert (sw.session.closed_by, sw.session.cash_carried) == (sw.controller, 1_400_000)
    entry = sw.session.transfer_entry
    lines = {line.account.code: line.amount for line in entry.lines.select_related("account")}
    assert lines == {"1012": 1_400_000, "1011": -1_400_000}
    assert SessionEntry.objects.get(entry=entry).role == CashRole.TRANSFER
    assert session_cash(sw.session) == 0
    book = cash_book(sw.controller, sw.session)
    assert (book.balance, book.carried, book.remaining) == (1_400_000, 1_400_000, 0)
    # A closed session takes no more postings.
    with pytest.raises(DomainError):
        repay(sw, interest=10_000, principal=0)
    with pytest.raises(DomainError):
        session_disburse(
            actor=sw.teller, session=sw.session, loan=sw.waiting, today=TODAY, idempotency_key="z"
        )
    assert_books_clean()


def test_a_rejected_closing_opens_the_session_again(session_world):  # noqa: F811
    sw = session_world
    repay(sw)
    request = session_closing_propose(
        actor=sw.teller, session=sw.session, cash_carried=1_500_000, today=TODAY
    )
    approval_request_reject(request_id=request.pk, checker=sw.controller, reason="Recount")
    sw.session.refresh_from_db()
    assert sw.session.status == SessionStatus.OPEN
    withdraw(sw)
    assert cash_book(sw.teller, sw.session).balance == 1_400_000


def test_a_session_with_nothing_posted_closes_without_a_transfer(session_world):  # noqa: F811
    sw = session_world
    request = session_closing_propose(
        actor=sw.teller, session=sw.session, cash_carried=0, today=TODAY
    )
    approval_request_approve(request_id=request.pk, checker=sw.controller, today=TODAY)
    sw.session.refresh_from_db()
    assert sw.session.status == SessionStatus.CLOSED
    assert sw.session.transfer_entry is None


# --- minutes --------------------------------------------------------------------------------------


def test_minutes_are_saved_updated_and_frozen_when_closed(session_world):  # noqa: F811
    sw = session_world
    with pytest.raises(DomainError) as chair:
        briefing_minutes_save(actor=sw.officer, session=sw.session, chaired_by=" ")
    assert chair.value.field == "chaired_by"
    with pytest.raises(Forbidden):
        briefing_minutes_save(actor=sw.teller, session=sw.session, chaired_by="Ông Tư")
    minutes = briefing_minutes_save(
        actor=sw.officer,
        session=sw.session,
        chaired_by="Hoàng Văn Tư, Phó Chủ tịch UBND xã",
        associations_present=[
            {"association_unit": sw.world.association_unit.pk, "name": "Hội ND", "present": True}
        ],
        leaders_present=[{"group": sw.group.pk, "name": "2060011", "leader": "X", "present": True}],
        results="Thu đủ lãi",
        decisions="Đôn đốc nợ quá hạn",
    )
    again = briefing_minutes_save(
        actor=sw.officer, session=sw.session, chaired_by="Hoàng Văn Tư", results="Thu 95 %"
    )
    assert again.pk == minutes.pk and again.results == "Thu 95 %"
    request = session_closing_propose(
        actor=sw.teller, session=sw.session, cash_carried=0, today=TODAY
    )
    approval_request_approve(request_id=request.pk, checker=sw.controller, today=TODAY)
    with pytest.raises(DomainError) as closed:
        briefing_minutes_save(actor=sw.officer, session=sw.session, chaired_by="Hoàng Văn Tư")
    assert closed.value.field == "session"
