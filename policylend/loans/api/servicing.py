"""Servicing in the API (/api/v1/loans/…): the list and a loan's page (schedule, transactions,
what is owed today), repayment (``Idempotency-Key`` required: it moves money), the month-end
accrual and overdue runs, and a reversal request. The same services and selectors as the pages."""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Header, Query, Router, Schema, Status

from policylend.api.common import api_fields, page_of
from policylend.approvals.api import ApprovalRequestOut, approval_out
from policylend.core.errors import DomainError, NotFound
from policylend.core.periods import Month
from policylend.organisation.models import TransactionPoint
from policylend.users import access

from ..error_codes import ServicingErrorCode as E
from ..models import Instalment
from ..selectors import servicing as selectors
from ..selectors.loans import loan_get, loan_list
from ..services.accrual import interest_accrual_run
from ..services.overdue import overdue_run
from ..services.repayment import loan_repay
from ..services.reversal import loan_transaction_reversal_propose, reversal_problems

router = Router(tags=["loans"])

PAGE_SIZE_MAX = 200
KEY_LENGTH_MAX = 100
IdempotencyKey = Header[
    str, {"alias": "Idempotency-Key", "min_length": 1, "max_length": KEY_LENGTH_MAX}
]
AMOUNT_MAX = 10**15


class LoanRow(Schema):
    id: int
    number: str
    status: str
    household_id: int
    household_code: str = Field(alias="household.code")
    borrower_name: str = Field(alias="borrower.full_name")
    programme_code: str = Field(alias="programme.code")
    amount_approved: int | None
    principal_outstanding: int


class LoanPage(Schema):
    items: list[LoanRow]
    count: int
    page: int
    size: int


class LoanFilters(Schema):
    q: str = Field("", max_length=40)
    status: str | None = Field(None, max_length=12)
    programme_id: int | None = None
    commune_id: int | None = None
    group_id: int | None = None
    page: int = Field(1, ge=1)
    size: int = Field(50, ge=1, le=PAGE_SIZE_MAX)


class LoanDetail(Schema):
    id: int
    number: str
    status: str
    household_id: int
    borrower_id: int
    group_id: int | None
    programme_id: int
    commune_id: int
    amount_approved: int | None
    term_months: int
    disbursed_on: date | None
    maturity_on: date | None
    maturity_extended_on: date | None
    settled_on: date | None
    annual_rate: str | None
    overdue_rate: str | None
    principal_in_term: int
    principal_overdue: int
    principal_frozen: int
    interest_receivable: int
    penalty_receivable: int
    interest_current: int
    interest_arrears: int
    last_transaction_on: date | None

    @staticmethod
    def resolve_annual_rate(obj):
        return str(obj.annual_rate) if obj.annual_rate is not None else None

    @staticmethod
    def resolve_overdue_rate(obj):
        return str(obj.overdue_rate) if obj.overdue_rate is not None else None


class InstalmentOut(Schema):
    id: int
    schedule_version: int = Field(alias="schedule.number")
    is_current: bool = Field(alias="schedule.is_current")
    number: int
    principal: int
    principal_paid: int
    due_contract: date
    due_extended: date | None
    due_session: date
    status: str
    overdue_from: date | None


class TransactionOut(Schema):
    id: int
    kind: str
    value_date: date
    entry_id: int
    principal_in_term: int
    principal_overdue: int
    principal_frozen: int
    interest: int
    penalty: int
    cash: int
    instalments: list[dict]
    status_before: str
    reverses_id: int | None


class OwedOut(Schema):
    day: date
    penalty: int
    interest_arrears: int
    interest_current: int
    interest_accruing: int
    principal_overdue: int
    principal_due: int
    total: int


class RepaymentIn(Schema):
    paid_on: date
    interest: int = Field(0, ge=0, le=AMOUNT_MAX)
    principal: int = Field(0, ge=0, le=AMOUNT_MAX)
    at_point_id: int | None = None


class AccrualIn(Schema):
    branch_id: int
    month: str = Field(max_length=7, description="yyyy-mm or mm/yyyy")


class AccrualOut(Schema):
    id: int
    branch_id: int
    month: date
    entry_id: int | None
    loans: int
    interest: int
    penalty: int


class OverdueIn(Schema):
    unit_id: int
    session_date: date


class OverdueOut(Schema):
    loans: int


class ReversalIn(Schema):
    transaction_id: int
    reason: str = Field(min_length=1, max_length=300)


def _owed(owed) -> dict:
    return {**owed.__dict__, "total": owed.total}


@router.get("", response=LoanPage, summary="Loans in your scope")
def loan_list_api(request, filters: Query[LoanFilters]):
    loans = loan_list(
        request.user,
        search=filters.q,
        status=filters.status,
        programme_id=filters.programme_id,
        commune_id=filters.commune_id,
        group_id=filters.group_id,
    )
    return page_of(loans, filters.page, filters.size)


@router.get("/{int:loan_id}", response=LoanDetail, summary="A loan with its kept balances")
def loan_detail_api(request, loan_id: int):
    return loan_get(request.user, loan_id)


@router.get(
    "/{int:loan_id}/schedule", response=list[InstalmentOut], summary="Every schedule version"
)
def loan_schedule_api(request, loan_id: int):
    loan = loan_get(request.user, loan_id)
    return list(
        Instalment.objects.filter(loan=loan)
        .select_related("schedule")
        .order_by("schedule__number", "number")
    )


@router.get("/{int:loan_id}/transactions", response=list[TransactionOut], summary="Every posting")
def loan_transactions_api(request, loan_id: int):
    return list(selectors.loan_transactions(loan_get(request.user, loan_id)))


@router.get("/{int:loan_id}/owed", response=OwedOut, summary="What the borrower owes on a day")
def loan_owed_api(request, loan_id: int, day: date | None = None):
    loan = loan_get(request.user, loan_id)
    return _owed(selectors.owed_on(loan, day or timezone.localdate()))


@router.post(
    "/{int:loan_id}/repayments",
    response={200: TransactionOut, 201: TransactionOut},
    summary="Record a repayment (interest and principal components)",
)
def loan_repayment_create(
    request, loan_id: int, payload: RepaymentIn, idempotency_key: IdempotencyKey
):
    loan = loan_get(request.user, loan_id)
    point = None
    if payload.at_point_id is not None:
        point = TransactionPoint.objects.filter(
            pk=payload.at_point_id, commune_id=loan.commune_id
        ).first()
        if point is None:
            raise NotFound("not_found", _("No such transaction point of the loan's commune."))
    with api_fields({"at_point": "at_point_id", "idempotency_key": "Idempotency-Key"}):
        record = loan_repay(
            actor=request.user,
            loan=loan,
            paid_on=payload.paid_on,
            today=timezone.localdate(),
            interest=payload.interest,
            principal=payload.principal,
            idempotency_key=idempotency_key,
            at_point=point,
        )
    return Status(200 if getattr(record, "replayed", False) else 201, record)


@router.post(
    "/{int:loan_id}/reversals",
    response={200: ApprovalRequestOut, 201: ApprovalRequestOut},
    summary="Ask for the reversal of one of the loan's transactions (maker–checker)",
)
def loan_reversal_create(request, loan_id: int, payload: ReversalIn):
    loan = loan_get(request.user, loan_id)
    record = selectors.loan_transaction_get(request.user, payload.transaction_id)
    if record.loan_id != loan.pk:
        raise NotFound("not_found", _("No such transaction of this loan."))
    reversal_problems(record)
    approval = loan_transaction_reversal_propose(
        actor=request.user, transaction=record, reason=payload.reason, today=timezone.localdate()
    )
    return Status(200 if getattr(approval, "replayed", False) else 201, approval_out(approval))


@router.post("/jobs/accrual", response={201: AccrualOut}, summary="Month-end interest of a branch")
def loan_accrual_run_api(request, payload: AccrualIn):
    branch = access.unit_get_visible(request.user, payload.branch_id)
    try:
        month = Month.parse(payload.month)
    except ValueError:
        raise DomainError(E.INVALID_MONTH, _("Write the month as yyyy-mm."), "month") from None
    run = interest_accrual_run(
        actor=request.user, branch=branch, month=month, today=timezone.localdate()
    )
    return Status(201, run)


@router.post(
    "/jobs/overdue", response={200: OverdueOut}, summary="Move unpaid instalments to overdue"
)
def loan_overdue_run_api(request, payload: OverdueIn):
    unit = access.unit_get_visible(request.user, payload.unit_id)
    with api_fields({"unit": "unit_id"}):
        moved = overdue_run(
            actor=request.user,
            unit=unit,
            session_date=payload.session_date,
            today=timezone.localdate(),
        )
    return {"loans": moved}
