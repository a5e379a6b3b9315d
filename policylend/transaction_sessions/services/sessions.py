"""Opening a session and the postings it makes (domain.md §8).

A session is opened by the team on the point's session day; every posting that moves the point's
cash during the session is linked to it (``session_entry_link``), and the cash book reads those.
"""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from policylend.core.errors import DomainError
from policylend.core.periods import day_text
from policylend.ledger.models import JournalEntry
from policylend.organisation.models import OrganisationUnit, TransactionPoint
from policylend.users import access
from policylend.users.roles import Capability

from ..error_codes import SessionDayError as E
from ..models import CashRole, SessionEntry, SessionStatus, TransactionSession
from ..selectors.calendar import session_month_of


def session_open(
    *, actor, point: TransactionPoint, held_on: date, today: date, team=()
) -> TransactionSession:
    """Open the session of ``point`` held on ``held_on`` (its session day, today or earlier when
    the books of a past session are entered late). ``team``: the logins working at the point."""
    access.require(actor, Capability.RUN_SESSIONS)
    access.require_unit(actor, point.commune)
    if held_on > today:
        raise DomainError(
            E.NOT_TODAY,
            _("The session of %(day)s cannot be opened before that day (today is %(today)s).")
            % {"day": day_text(held_on), "today": day_text(today)},
            "held_on",
        )
    month = session_month_of(point, held_on)
    members = _team_check(team, point)
    commune = point.commune
    office = OrganisationUnit.objects.get(pk=commune.parent_id)
    try:
        with transaction.atomic():
            session = TransactionSession.objects.create(
                point=point,
                branch_id=point.branch_id,
                office=office,
                commune=commune,
                month=month.first_day,
                held_on=held_on,
                opened_by=actor,
            )
    except IntegrityError:
        raise DomainError(
            E.ALREADY_OPEN,
            _("The session of %(point)s for %(month)s is already open or held.")
            % {"point": point.name, "month": month.first_day.strftime("%m/%Y")},
            "held_on",
        ) from None
    session.team.set([actor, *members])
    return session


def _team_check(team, point: TransactionPoint) -> list:
    members = list(team)
    for member in members:
        if not access.unit_visible(member, point.commune):
            raise DomainError(
                E.TEAM_OUT_OF_SCOPE,
                _("%(user)s does not work for the office of %(point)s.")
                % {"user": member.get_full_name() or member.username, "point": point.name},
                "team",
            )
    return members


def session_lock(session_id: int) -> TransactionSession:
    """The session row, locked for the caller's transaction (postings of one session queue)."""
    return (
        TransactionSession.objects.select_for_update()
        .select_related("point", "commune")
        .get(pk=session_id)
    )


def require_open(session: TransactionSession, field: str = "session") -> None:
    if session.status != SessionStatus.OPEN:
        raise DomainError(
            E.NOT_OPEN,
            _("The session of %(point)s on %(day)s is %(status)s; nothing more is posted to it.")
            % {
                "point": session.point.name,
                "day": day_text(session.held_on),
                "status": SessionStatus(session.status).label.lower(),
            },
            field,
        )


def session_entry_link(*, session: TransactionSession, entry: JournalEntry, role: CashRole):
    """Put a posting that moved the point's cash into the session's cash book (idempotent: a
    replayed posting is linked once)."""
    link, _created = SessionEntry.objects.get_or_create(
        entry=entry, defaults={"session": session, "role": role}
    )
    return link


# --- the team and the postings of the session ---------------------------------------------------


def session_team_set(*, actor, session: TransactionSession, team) -> TransactionSession:
    """Replace the team working at the session (the opener stays in it)."""
    access.require(actor, Capability.RUN_SESSIONS)
    access.require_unit(actor, session.commune)
    with transaction.atomic():
        session = session_lock(session.pk)
        require_open(session)
        members = _team_check(team, session.point)
        session.team.set({session.opened_by, *members})
    return session


def _key_required(idempotency_key: str) -> str:
    key = (idempotency_key or "").strip()
    if not key:
        raise DomainError(
            E.KEY_MISSING,
            _("A posting at the session needs an idempotency key."),
            "Idempotency-Key",
        )
    return key


def _same_commune(session: TransactionSession, unit_id: int, what: str, field: str) -> None:
    if unit_id != session.commune_id:
        raise DomainError(
            E.OTHER_COMMUNE,
            _(
                "%(what)s belongs to another commune than %(point)s; it is not posted at this session."
            )
            % {"what": what, "point": session.point.name},
            field,
        )


def _running(actor, session: TransactionSession) -> TransactionSession:
    """Lock the session for the caller's transaction and refuse unless it is open."""
    access.require_unit(actor, session.commune)
    locked = session_lock(session.pk)
    require_open(locked)
    return locked


def _posted_at_session(actor, session, key, *, commune_id, what, field, role, post):
    """Run ``post(session, key)`` (a loans or savings service at the point) in the session's
    transaction, refused unless the session is open and the subject is of its commune, and put
    its entry in the cash book."""
    access.require(actor, Capability.RUN_SESSIONS)
    key = _key_required(key)
    with transaction.atomic():
        session = _running(actor, session)
        _same_commune(session, commune_id, what, field)
        record = post(session, key)
        session_entry_link(session=session, entry=record.entry, role=role)
    return record


def session_disburse(
    *, actor, session: TransactionSession, loan, today: date, idempotency_key: str
):
    """Pay out an approved loan of the commune at the session (Cr 1011 on the session day), in
    the session's cash book (role disbursement)."""
    from policylend.loans.services.disbursement import loan_disburse

    return _posted_at_session(
        actor,
        session,
        idempotency_key,
        commune_id=loan.commune_id,
        what=_("Loan %(n)s") % {"n": loan.number},
        field="loan",
        role=CashRole.DISBURSEMENT,
        post=lambda session, key: loan_disburse(
            actor=actor,
            loan=loan,
            disbursed_on=session.held_on,
            today=today,
            idempotency_key=key,
            at_point=session.point,
        ),
    )


def session_repayment(
    *,
    actor,
    session: TransactionSession,
    loan,
    interest: int,
    principal: int,
    today: date,
    idempotency_key: str,
):
    """A repayment paid in person at the session outside a collection sheet (Dr 1011)."""
    from policylend.loans.services.repayment import loan_repay

    return _posted_at_session(
        actor,
        session,
        idempotency_key,
        commune_id=loan.commune_id,
        what=_("Loan %(n)s") % {"n": loan.number},
        field="loan",
        role=CashRole.REPAYMENT,
        post=lambda session, key: loan_repay(
            actor=actor,
            loan=loan,
            paid_on=session.held_on,
            today=today,
            interest=interest,
            principal=principal,
            idempotency_key=key,
            at_point=session.point,
        ),
    )


def session_withdrawal(
    *, actor, session: TransactionSession, account, amount: int, today: date, idempotency_key: str
):
    """A savings withdrawal asked through the group leader, paid at the session (Cr 1011)."""
    from policylend.savings.services.movements import savings_withdraw

    return _posted_at_session(
        actor,
        session,
        idempotency_key,
        commune_id=account.commune_id,
        what=_("Account %(n)s") % {"n": account.number},
        field="account",
        role=CashRole.WITHDRAWAL,
        post=lambda session, key: savings_withdraw(
            actor=actor,
            account=account,
            amount=amount,
            value_date=session.held_on,
            today=today,
            idempotency_key=key,
            at_session=True,
        ),
    )
