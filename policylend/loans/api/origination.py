"""The first half of a loan's life in the API (/api/v1/loans/…): apply, record a review, propose
the decision, disburse (``Idempotency-Key`` required: it moves money), and the approval notice
and contract as PDFs. The same services as the pages; a loan outside the caller's scope is 404,
a role that may not act 403, a broken rule 422 naming the field."""

from __future__ import annotations

from datetime import date

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Field, Header, Router, Schema, Status

from policylend.api.common import api_fields
from policylend.approvals.api import ApprovalRequestOut, approval_out
from policylend.core.errors import DomainError, NotFound
from policylend.groups.models import GroupMeeting
from policylend.households.models import Person
from policylend.households.selectors import household_get
from policylend.organisation.models import TransactionPoint
from policylend.programmes.models import Programme
from policylend.programmes.selectors import programme_get

from ..selectors.loans import loan_get
from ..selectors.origination import loan_document_pdf
from ..services.application import loan_apply
from ..services.decision import loan_decision_propose
from ..services.disbursement import loan_disburse
from ..services.review import loan_review_record

router = Router(tags=["loans"])

KEY_LENGTH_MAX = 100
IdempotencyKey = Header[
    str, {"alias": "Idempotency-Key", "min_length": 1, "max_length": KEY_LENGTH_MAX}
]
OptionalKey = Header[str, {"alias": "Idempotency-Key", "max_length": KEY_LENGTH_MAX}]


class ApplicationIn(Schema):
    household_id: int
    programme_id: int
    amount: int = Field(gt=0, le=10**15)
    term_months: int = Field(ge=1, le=600)
    purpose: str = Field(max_length=300)
    plan: str = Field("", max_length=4000)
    programme_fields: dict[str, str | int] = Field(default_factory=dict, max_length=20)
    workers: int = Field(0, ge=0, le=100_000)
    funding_source: str = Field("central", max_length=10)
    applied_on: date
    borrower_id: int | None = None


class LoanOut(Schema):
    id: int
    number: str
    status: str
    household_id: int
    borrower_id: int
    group_id: int | None
    programme_id: int
    amount_requested: int
    amount_approved: int | None
    term_months: int
    applied_on: date
    approved_on: date | None
    disbursed_on: date | None
    maturity_on: date | None
    principal_in_term: int


class ReviewIn(Schema):
    stage: str = Field(max_length=12)
    decision: str = Field(max_length=8)
    decided_on: date
    meeting_id: int | None = None
    decided_by_name: str = Field("", max_length=200)
    decision_number: str = Field("", max_length=60)
    note: str = Field("", max_length=300)


class ReviewOut(Schema):
    id: int
    loan_id: int
    stage: str
    decision: str
    decided_on: date
    meeting_id: int | None
    loan_status: str


class DecisionIn(Schema):
    approve: bool
    amount: int | None = Field(None, gt=0, le=10**15)
    reason: str = Field("", max_length=300)


class DisbursementIn(Schema):
    disbursed_on: date
    at_point_id: int | None = None


class DisbursementOut(Schema):
    transaction_id: int
    loan_id: int
    entry_id: int
    value_date: date
    amount: int
    loan_status: str


def _ref(queryset, pk, field: str, message: str):
    if pk is None:
        return None
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise DomainError("not_found", message, field)
    return found


@router.post("/applications", response={201: LoanOut}, summary="Apply for a loan (Form 01/TD)")
def loan_application_create(request, payload: ApplicationIn):
    try:
        household = household_get(request.user, payload.household_id)
    except NotFound:
        raise DomainError(
            "not_found", _("No such household in your scope."), "household_id"
        ) from None
    try:
        programme: Programme = programme_get(request.user, payload.programme_id)
    except NotFound:
        raise DomainError("not_found", _("No such programme."), "programme_id") from None
    borrower = _ref(
        Person.objects.filter(household=household),
        payload.borrower_id,
        "borrower_id",
        _("No such member of the household."),
    )
    with api_fields(
        {"household": "household_id", "programme": "programme_id", "borrower": "borrower_id"}
    ):
        loan = loan_apply(
            actor=request.user,
            household=household,
            programme=programme,
            amount=payload.amount,
            term_months=payload.term_months,
            purpose=payload.purpose,
            plan=payload.plan,
            programme_fields=payload.programme_fields,
            workers=payload.workers,
            funding_source=payload.funding_source,
            applied_on=payload.applied_on,
            borrower=borrower,
        )
    return Status(201, loan)


@router.post("/{loan_id}/reviews", response={201: ReviewOut}, summary="Record a review")
def loan_review_create(request, loan_id: int, payload: ReviewIn):
    loan = loan_get(request.user, loan_id)
    meeting = _ref(
        GroupMeeting.objects.filter(group_id=loan.group_id),
        payload.meeting_id,
        "meeting_id",
        _("No such meeting of the loan's group."),
    )
    with api_fields({"meeting": "meeting_id"}):
        review = loan_review_record(
            actor=request.user,
            loan=loan,
            stage=payload.stage,
            decision=payload.decision,
            decided_on=payload.decided_on,
            meeting=meeting,
            decided_by_name=payload.decided_by_name,
            decision_number=payload.decision_number,
            note=payload.note,
        )
    return Status(
        201,
        {
            "id": review.pk,
            "loan_id": loan.pk,
            "stage": review.stage,
            "decision": review.decision,
            "decided_on": review.decided_on,
            "meeting_id": review.meeting_id,
            "loan_status": review.loan.status,
        },
    )


@router.post(
    "/{loan_id}/decision",
    response={200: ApprovalRequestOut, 201: ApprovalRequestOut},
    summary="Propose to approve or reject (maker–checker)",
)
def loan_decision_create(
    request, loan_id: int, payload: DecisionIn, idempotency_key: OptionalKey = ""
):
    loan = loan_get(request.user, loan_id)
    approval = loan_decision_propose(
        actor=request.user,
        loan=loan,
        approve=payload.approve,
        amount=payload.amount,
        reason=payload.reason,
        today=timezone.localdate(),
        idempotency_key=idempotency_key,
    )
    return Status(200 if getattr(approval, "replayed", False) else 201, approval_out(approval))


@router.post(
    "/{loan_id}/disbursement",
    response={200: DisbursementOut, 201: DisbursementOut},
    summary="Disburse an approved loan",
)
def loan_disbursement_create(
    request, loan_id: int, payload: DisbursementIn, idempotency_key: IdempotencyKey
):
    loan = loan_get(request.user, loan_id)
    point = _ref(
        TransactionPoint.objects.filter(commune_id=loan.commune_id),
        payload.at_point_id,
        "at_point_id",
        _("No such transaction point of the household's commune."),
    )
    with api_fields({"at_point": "at_point_id"}):
        record = loan_disburse(
            actor=request.user,
            loan=loan,
            disbursed_on=payload.disbursed_on,
            today=timezone.localdate(),
            idempotency_key=idempotency_key,
            at_point=point,
        )
    body = {
        "transaction_id": record.pk,
        "loan_id": loan.pk,
        "entry_id": record.entry_id,
        "value_date": record.value_date,
        "amount": -record.cash,
        "loan_status": record.loan.status,
    }
    return Status(200 if getattr(record, "replayed", False) else 201, body)


def _pdf(request, loan_id: int, document: str) -> HttpResponse:
    language = request.GET.get("language") or get_language() or "vi"
    if language not in ("vi", "en", "hi"):
        language = "vi"
    loan, content = loan_document_pdf(request.user, loan_id, document, language)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{document}-{loan.number}.pdf"'
    return response


@router.get("/{loan_id}/notice.pdf", summary="The approval notice (Form 04/TD) as a PDF")
def loan_notice_pdf(request, loan_id: int):
    return _pdf(request, loan_id, "notice")


@router.get("/{loan_id}/contract.pdf", summary="The contract with its schedule as a PDF")
def loan_contract_pdf(request, loan_id: int):
    return _pdf(request, loan_id, "contract")


__all__ = ["LoanOut", "router"]
