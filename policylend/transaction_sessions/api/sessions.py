"""The session day in the JSON API (/api/v1/sessions): list and open sessions, one session, its
cash book, the closing proposal, the briefing minutes, disbursements and withdrawals at the
session. A session outside the caller's scope is 404, a change the role may not make 403, a
broken rule 422 naming the field; postings that move cash carry an ``Idempotency-Key`` header."""

from __future__ import annotations

from datetime import date, datetime

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Header, Query, Router, Schema, Status

from policylend.api.common import page_of
from policylend.approvals.api import ApprovalRequestOut, approval_out
from policylend.core.errors import DomainError, NotFound
from policylend.loans.selectors.loans import loan_get
from policylend.organisation.selectors import transaction_point_get
from policylend.savings.selectors import account_get
from policylend.users import access

from ..error_codes import SessionDayError
from ..models import BriefingMinutes
from ..selectors import cashbook as cashbook_selectors
from ..selectors import sessions as selectors
from ..services import closing, minutes, sessions

router = Router(tags=["sessions"])

KEY_LENGTH_MAX = 100
IdempotencyKey = Header[
    str, {"alias": "Idempotency-Key", "min_length": 1, "max_length": KEY_LENGTH_MAX}
]
PAGE_SIZE_MAX = 200


def _today() -> date:
    return timezone.localdate()


class SessionOut(Schema):
    id: int
    point_id: int
    point_code: str
    point_name: str
    office_id: int
    commune_id: int
    month: date
    held_on: date
    status: str
    team_ids: list[int]
    cash_carried: int | None
    closing_approval_id: int | None
    transfer_entry_id: int | None
    closed_at: datetime | None


class SessionPage(Schema):
    items: list[SessionOut]
    count: int
    page: int
    size: int


class SessionOpenIn(Schema):
    point_id: int
    held_on: date
    team_ids: list[int] = Field(default_factory=list, max_length=50)


class CashBookLineOut(Schema):
    entry_id: int
    value_date: date
    role: str
    memo: str
    cash_in: int
    cash_out: int


class CashBookOut(Schema):
    session_id: int
    cash_in: dict[str, int]
    cash_out: dict[str, int]
    other: int
    total_in: int
    total_out: int
    balance: int
    carried: int
    remaining: int
    lines: list[CashBookLineOut]


class TeamIn(Schema):
    team: list[int] = Field(..., max_length=50, description="user ids; the opener stays")


class ClosingIn(Schema):
    cash_carried: int


class AssociationPresentIn(Schema):
    association_unit: int
    name: str = Field("", max_length=120)
    present: bool = False


class LeaderPresentIn(Schema):
    group: int
    name: str = Field("", max_length=120)
    leader: str = Field("", max_length=120)
    present: bool = False


class MinutesIn(Schema):
    chaired_by: str = Field(..., max_length=120)
    commune_attendees: str = Field("", max_length=4000)
    associations_present: list[AssociationPresentIn] = Field(default_factory=list, max_length=100)
    leaders_present: list[LeaderPresentIn] = Field(default_factory=list, max_length=500)
    results: str = Field("", max_length=4000)
    issues_raised: str = Field("", max_length=4000)
    decisions: str = Field("", max_length=4000)


class MinutesOut(Schema):
    session_id: int
    chaired_by: str
    commune_attendees: str
    associations_present: list[dict]
    leaders_present: list[dict]
    results: str
    issues_raised: str
    decisions: str


class DisbursementIn(Schema):
    loan_id: int


class WithdrawalIn(Schema):
    account_id: int
    amount: int = Field(..., gt=0)


class PostingOut(Schema):
    session_id: int
    entry_id: int
    role: str
    amount: int


def session_out(session) -> dict:
    return {
        "id": session.pk,
        "point_id": session.point_id,
        "point_code": session.point.code,
        "point_name": session.point.name,
        "office_id": session.office_id,
        "commune_id": session.commune_id,
        "month": session.month,
        "held_on": session.held_on,
        "status": session.status,
        "team_ids": sorted(session.team.values_list("pk", flat=True)),
        "cash_carried": session.cash_carried,
        "closing_approval_id": session.closing_approval_id,
        "transfer_entry_id": session.transfer_entry_id,
        "closed_at": session.closed_at,
    }


@router.get("", response=SessionPage, summary="Sessions in scope, latest first")
def session_list(
    request,
    point_id: int | None = None,
    office_id: int | None = None,
    status: str = "",
    page: int = Query(1, ge=1),
    size: int = Query(50, ge=1, le=PAGE_SIZE_MAX),
):
    result = page_of(
        selectors.session_list(request.user, office_id=office_id, point_id=point_id, status=status),
        page,
        size,
    )
    result["items"] = [session_out(s) for s in result["items"]]
    return result


@router.post("", response={201: SessionOut}, summary="Open the session of a point")
def session_open(request, payload: SessionOpenIn):
    point = transaction_point_get(request.user, payload.point_id)
    users = get_user_model().objects.filter(pk__in=payload.team_ids, is_active=True)
    users = users.filter(access.unit_q(request.user, "scope_unit"))
    team = list(users)
    if len(team) != len(set(payload.team_ids)):
        raise NotFound("not_found", _("No such user in your scope."))
    session = sessions.session_open(
        actor=request.user, point=point, held_on=payload.held_on, today=_today(), team=team
    )
    return Status(201, session_out(session))


@router.get("/{int:session_id}", response=SessionOut, summary="One session")
def session_get(request, session_id: int):
    return session_out(selectors.session_get(request.user, session_id))


@router.get("/{int:session_id}/cash-book", response=CashBookOut, summary="The session's cash book")
def session_cash_book(request, session_id: int):
    book = cashbook_selectors.cash_book(request.user, session_id)
    return {
        "session_id": session_id,
        "cash_in": book.cash_in,
        "cash_out": book.cash_out,
        "other": book.other,
        "total_in": book.total_in,
        "total_out": book.total_out,
        "balance": book.balance,
        "carried": book.carried,
        "remaining": book.remaining,
        "lines": [
            {
                "entry_id": line.entry_id,
                "value_date": line.value_date,
                "role": line.role,
                "memo": line.memo,
                "cash_in": line.cash_in,
                "cash_out": line.cash_out,
            }
            for line in book.lines
        ],
    }


@router.put("/{int:session_id}/team", response=SessionOut, summary="Replace the session team")
def session_team_put(request, session_id: int, payload: TeamIn):
    session = selectors.session_get(request.user, session_id)
    wanted = set(payload.team)
    team = list(
        get_user_model().objects.filter(
            access.unit_q(request.user, "scope_unit"), pk__in=wanted, is_active=True
        )
    )
    missing = sorted(wanted - {user.pk for user in team})
    if missing:
        raise DomainError(
            SessionDayError.TEAM_OUT_OF_SCOPE,
            _("No such user in your scope: %(ids)s.") % {"ids": ", ".join(map(str, missing))},
            "team",
        )
    session = sessions.session_team_set(actor=request.user, session=session, team=team)
    return session_out(session)


@router.post(
    "/{int:session_id}/closing",
    response={201: ApprovalRequestOut},
    summary="Propose to close the session, carrying its cash to the office",
)
def session_closing(request, session_id: int, payload: ClosingIn):
    session = selectors.session_get(request.user, session_id)
    approval = closing.session_closing_propose(
        actor=request.user, session=session, cash_carried=payload.cash_carried, today=_today()
    )
    return Status(201, approval_out(approval))


def minutes_out(saved: BriefingMinutes) -> dict:
    return {
        "session_id": saved.session_id,
        "chaired_by": saved.chaired_by,
        "commune_attendees": saved.commune_attendees,
        "associations_present": saved.associations_present,
        "leaders_present": saved.leaders_present,
        "results": saved.results,
        "issues_raised": saved.issues_raised,
        "decisions": saved.decisions,
    }


@router.get("/{int:session_id}/minutes", response=MinutesOut, summary="The briefing minutes")
def session_minutes_get(request, session_id: int):
    session = selectors.session_get(request.user, session_id)
    saved = BriefingMinutes.objects.filter(session=session).first()
    if saved is None:
        raise NotFound("not_found", _("The minutes of this session are not written yet."))
    return minutes_out(saved)


@router.put("/{int:session_id}/minutes", response=MinutesOut, summary="Write the briefing minutes")
def session_minutes_put(request, session_id: int, payload: MinutesIn):
    session = selectors.session_get(request.user, session_id)
    saved = minutes.briefing_minutes_save(
        actor=request.user,
        session=session,
        chaired_by=payload.chaired_by,
        commune_attendees=payload.commune_attendees,
        associations_present=[row.dict() for row in payload.associations_present],
        leaders_present=[row.dict() for row in payload.leaders_present],
        results=payload.results,
        issues_raised=payload.issues_raised,
        decisions=payload.decisions,
    )
    return minutes_out(saved)


def _posting(session, record, role: str, amount: int, replayed: bool):
    body = {"session_id": session.pk, "entry_id": record.entry_id, "role": role, "amount": amount}
    return Status(200 if replayed else 201, body)


@router.post(
    "/{int:session_id}/disbursements",
    response={200: PostingOut, 201: PostingOut},
    summary="Pay out an approved loan at the session",
)
def session_disbursement(
    request, session_id: int, payload: DisbursementIn, idempotency_key: IdempotencyKey
):
    session = selectors.session_get(request.user, session_id)
    loan = loan_get(request.user, payload.loan_id)
    record = sessions.session_disburse(
        actor=request.user,
        session=session,
        loan=loan,
        today=_today(),
        idempotency_key=idempotency_key,
    )
    return _posting(
        session, record, "disbursement", -record.cash, getattr(record, "replayed", False)
    )


@router.post(
    "/{int:session_id}/withdrawals",
    response={200: PostingOut, 201: PostingOut},
    summary="Pay a savings withdrawal at the session",
)
def session_withdrawal(
    request, session_id: int, payload: WithdrawalIn, idempotency_key: IdempotencyKey
):
    session = selectors.session_get(request.user, session_id)
    account = account_get(request.user, payload.account_id)
    record = sessions.session_withdrawal(
        actor=request.user,
        session=session,
        account=account,
        amount=payload.amount,
        today=_today(),
        idempotency_key=idempotency_key,
    )
    return _posting(
        session, record, "withdrawal", payload.amount, getattr(record, "replayed", False)
    )
