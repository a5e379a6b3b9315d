"""Member savings in the API (/api/v1/savings/…): accounts (list, detail with transactions),
opening, deposits and withdrawals (``Idempotency-Key`` required: they move money), paying a
loan's interest from savings, closing, the half-year interest run, a reversal request. The same
services and selectors as the pages."""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Header, Query, Router, Schema, Status

from policylend.api.common import api_fields, page_of
from policylend.approvals.api import ApprovalRequestOut, approval_out
from policylend.core.errors import NotFound
from policylend.core.money import AMOUNT_MAX
from policylend.households.selectors import household_get
from policylend.loans.selectors.loans import loan_get
from policylend.users import access

from . import selectors
from .services import (
    savings_account_close,
    savings_account_open,
    savings_deposit,
    savings_interest_credit_run,
    savings_pay_loan_interest,
    savings_transaction_reversal_propose,
    savings_withdraw,
)
from .services.reversal import reversal_problems

router = Router(tags=["savings"])

PAGE_SIZE_MAX = 200
KEY_LENGTH_MAX = 100
IdempotencyKey = Header[
    str, {"alias": "Idempotency-Key", "min_length": 1, "max_length": KEY_LENGTH_MAX}
]
KEY_FIELD = {"idempotency_key": "Idempotency-Key"}


class AccountRow(Schema):
    id: int
    number: str
    status: str
    household_id: int
    household_code: str = Field(alias="household.code")
    group_id: int
    monthly_plan: int
    balance: int


class AccountPage(Schema):
    items: list[AccountRow]
    count: int
    page: int
    size: int


class AccountFilters(Schema):
    q: str = Field("", max_length=40)
    status: str | None = Field(None, max_length=6)
    group_id: int | None = None
    household_id: int | None = None
    page: int = Field(1, ge=1)
    size: int = Field(50, ge=1, le=PAGE_SIZE_MAX)


class TransactionOut(Schema):
    id: int
    kind: str
    value_date: date
    amount: int
    entry_id: int
    loan_id: int | None
    period_end: date | None
    reverses_id: int | None


class AccountDetail(Schema):
    id: int
    number: str
    status: str
    household_id: int
    group_id: int
    commune_id: int
    opened_on: date
    closed_on: date | None
    monthly_plan: int
    annual_rate: str
    balance: int
    interest_counted_from: date
    last_transaction_on: date | None
    transactions: list[TransactionOut]

    @staticmethod
    def resolve_annual_rate(obj):
        return str(obj.annual_rate)

    @staticmethod
    def resolve_transactions(obj):
        return list(selectors.account_transactions(obj)[:PAGE_SIZE_MAX])


class OpenIn(Schema):
    household_id: int
    opened_on: date
    monthly_plan: int = Field(0, ge=0, le=AMOUNT_MAX)


class MovementIn(Schema):
    value_date: date
    amount: int = Field(ge=1, le=AMOUNT_MAX)
    at_session: bool = True


class LoanInterestIn(Schema):
    loan_id: int
    amount: int = Field(ge=1, le=AMOUNT_MAX)
    paid_on: date


class CloseIn(Schema):
    closed_on: date
    at_session: bool = True


class InterestRunIn(Schema):
    branch_id: int
    half_year_end: date


class InterestRunOut(Schema):
    half_year_end: date
    accounts: int
    credited: int
    total: int
    entry_ids: list[int]


class ReversalIn(Schema):
    transaction_id: int
    reason: str = Field(min_length=1, max_length=300)


def _created(record):
    return Status(200 if getattr(record, "replayed", False) else 201, record)


@router.get("/accounts", response=AccountPage, summary="Savings accounts in your scope")
def account_list_api(request, filters: Query[AccountFilters]):
    accounts = selectors.account_list(
        request.user,
        search=filters.q,
        status=filters.status,
        group_id=filters.group_id,
        household_id=filters.household_id,
    )
    return page_of(accounts, filters.page, filters.size)


@router.get(
    "/accounts/{int:account_id}",
    response=AccountDetail,
    summary="A savings account with its latest transactions",
)
def account_detail_api(request, account_id: int):
    return selectors.account_get(request.user, account_id)


@router.post("/accounts", response={201: AccountDetail}, summary="Open a household's account")
def account_open_api(request, payload: OpenIn):
    household = household_get(request.user, payload.household_id)
    with api_fields({"household": "household_id"}):
        account = savings_account_open(
            actor=request.user,
            household=household,
            opened_on=payload.opened_on,
            today=timezone.localdate(),
            monthly_plan=payload.monthly_plan,
        )
    return Status(201, account)


def _movement(request, account_id: int, payload: MovementIn, key: str, service):
    account = selectors.account_get(request.user, account_id)
    with api_fields(KEY_FIELD):
        record = service(
            actor=request.user,
            account=account,
            amount=payload.amount,
            value_date=payload.value_date,
            today=timezone.localdate(),
            idempotency_key=key,
            at_session=payload.at_session,
        )
    return _created(record)


@router.post(
    "/accounts/{int:account_id}/deposits",
    response={200: TransactionOut, 201: TransactionOut},
    summary="A deposit handed over by the group leader (at least 5,000 ₫)",
)
def deposit_api(request, account_id: int, payload: MovementIn, idempotency_key: IdempotencyKey):
    return _movement(request, account_id, payload, idempotency_key, savings_deposit)


@router.post(
    "/accounts/{int:account_id}/withdrawals",
    response={200: TransactionOut, 201: TransactionOut},
    summary="A withdrawal asked through the group leader (at most the balance)",
)
def withdraw_api(request, account_id: int, payload: MovementIn, idempotency_key: IdempotencyKey):
    return _movement(request, account_id, payload, idempotency_key, savings_withdraw)


@router.post(
    "/accounts/{int:account_id}/loan-interest",
    response={200: TransactionOut, 201: TransactionOut},
    summary="Pay a loan's interest from the member's savings",
)
def loan_interest_api(
    request, account_id: int, payload: LoanInterestIn, idempotency_key: IdempotencyKey
):
    account = selectors.account_get(request.user, account_id)
    loan = loan_get(request.user, payload.loan_id)
    with api_fields({**KEY_FIELD, "loan": "loan_id", "paid_on": "paid_on"}):
        record = savings_pay_loan_interest(
            actor=request.user,
            account=account,
            loan=loan,
            amount=payload.amount,
            paid_on=payload.paid_on,
            today=timezone.localdate(),
            idempotency_key=idempotency_key,
        )
    return _created(record)


@router.post(
    "/accounts/{int:account_id}/close",
    response={200: AccountDetail, 201: AccountDetail},
    summary="Close the account: interest to the day, the balance paid out",
)
def close_api(request, account_id: int, payload: CloseIn, idempotency_key: IdempotencyKey):
    account = selectors.account_get(request.user, account_id)
    with api_fields(KEY_FIELD):
        closed = savings_account_close(
            actor=request.user,
            account=account,
            closed_on=payload.closed_on,
            today=timezone.localdate(),
            idempotency_key=idempotency_key,
            at_session=payload.at_session,
        )
    return _created(closed)


@router.post(
    "/interest-runs",
    response=InterestRunOut,
    summary="Credit the half-year's interest (30/06 or 31/12) to a branch's accounts",
)
def interest_run_api(request, payload: InterestRunIn):
    branch = access.unit_get_visible(request.user, payload.branch_id)
    with api_fields({"branch": "branch_id"}):
        run = savings_interest_credit_run(
            actor=request.user,
            branch=branch,
            half_year_end=payload.half_year_end,
            today=timezone.localdate(),
        )
    return {**run.__dict__, "entry_ids": [e.pk for e in run.entries]}


@router.post(
    "/accounts/{int:account_id}/reversals",
    response={201: ApprovalRequestOut},
    summary="Ask for the reversal of one of the account's transactions (maker–checker)",
)
def reversal_api(request, account_id: int, payload: ReversalIn):
    account = selectors.account_get(request.user, account_id)
    record = selectors.transaction_get(request.user, payload.transaction_id)
    if record.account_id != account.pk:
        raise NotFound("not_found", _("No such savings transaction in your scope."))
    reversal_problems(record)
    with api_fields({"transaction": "transaction_id"}):
        approval = savings_transaction_reversal_propose(
            actor=request.user,
            transaction=record,
            reason=payload.reason,
            today=timezone.localdate(),
        )
    return Status(201, approval_out(approval))
