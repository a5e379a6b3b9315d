"""API of the changes to a loan after disbursement: rescheduling and extension requests, risk
batches with their dossiers and evidence. Requests that end in a posting (an extension may move
overdue principal back to term; a risk batch freezes or writes off) carry an ``Idempotency-Key``:
the same key with the same content returns the first request (200), other content is refused."""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Header, Router, Schema, Status
from ninja.files import UploadedFile

from policylend.api.common import api_fields
from policylend.approvals.api import ApprovalRequestOut, approval_out
from policylend.core.errors import DomainError, NotFound
from policylend.users import access
from policylend.users.roles import Capability

from ..models import RiskCause, RiskTreatment
from ..selectors.changes import risk_batch_get, risk_dossier_get, risk_dossiers_of
from ..selectors.loans import loan_get, loans_in_scope
from ..services import reschedule, risk

router = Router(tags=["loans"])

KEY_LENGTH_MAX = 120
IdempotencyKey = Header[
    str, {"alias": "Idempotency-Key", "min_length": 1, "max_length": KEY_LENGTH_MAX}
]
CREATED = {200: ApprovalRequestOut, 201: ApprovalRequestOut}


def _answer(approval):
    return Status(200 if getattr(approval, "replayed", False) else 201, approval_out(approval))


class RescheduleIn(Schema):
    instalment_id: int
    new_due: date
    amount: int | None = Field(None, gt=0, le=10**12)
    asked_on: date
    reason: str = Field(..., min_length=1, max_length=reschedule.REASON_LENGTH_MAX)


class ExtensionIn(Schema):
    months: int = Field(..., ge=1, le=120)
    asked_on: date
    reason: str = Field(..., min_length=1, max_length=reschedule.REASON_LENGTH_MAX)


@router.post(
    "/{loan_id}/reschedule-requests", response=CREATED, summary="Ask to reschedule an instalment"
)
def loan_reschedule_propose(
    request, loan_id: int, body: RescheduleIn, idempotency_key: IdempotencyKey
):
    loan = loan_get(request.user, loan_id)
    instalment = next(
        (row for row in reschedule.current_instalments(loan) if row.pk == body.instalment_id), None
    )
    if instalment is None:
        raise NotFound(
            "not_found", _("No such instalment in the loan's current schedule."), "instalment_id"
        )
    with api_fields({"instalment": "instalment_id"}):
        approval = reschedule.reschedule_propose(
            actor=request.user,
            loan=loan,
            instalment=instalment,
            new_due=body.new_due,
            amount=body.amount,
            asked_on=body.asked_on,
            reason=body.reason,
            today=timezone.localdate(),
            idempotency_key=idempotency_key.strip(),
        )
    return _answer(approval)


@router.post("/{loan_id}/extension-requests", response=CREATED, summary="Ask to extend a loan")
def loan_extension_propose(
    request, loan_id: int, body: ExtensionIn, idempotency_key: IdempotencyKey
):
    loan = loan_get(request.user, loan_id)
    approval = reschedule.extension_propose(
        actor=request.user,
        loan=loan,
        months=body.months,
        asked_on=body.asked_on,
        reason=body.reason,
        today=timezone.localdate(),
        idempotency_key=idempotency_key.strip(),
    )
    return _answer(approval)


# --- risk handling -----------------------------------------------------------------------------


class BatchIn(Schema):
    office_id: int
    name: str = Field(..., min_length=1, max_length=risk.NAME_LENGTH_MAX)


class DossierIn(Schema):
    loan_id: int
    cause: RiskCause
    occurred_on: date
    loss_percent: int = Field(..., ge=0, le=100)
    loss_assessment: str = Field(..., min_length=1, max_length=risk.ASSESSMENT_LENGTH_MAX)
    treatment: RiskTreatment
    freeze_months: int | None = Field(None, ge=1, le=60)
    extension_months: int | None = Field(None, ge=1, le=120)


class EvidenceOut(Schema):
    id: int
    description: str
    uploaded_at: datetime


class DossierOut(Schema):
    id: int
    loan_id: int
    loan_number: str
    cause: str
    occurred_on: date
    loss_percent: int
    treatment: str
    freeze_months: int | None
    extension_months: int | None
    freeze_until: date | None
    freeze_ended_on: date | None
    evidence: list[EvidenceOut]


class BatchOut(Schema):
    id: int
    name: str
    office_id: int
    status: str
    approval_id: int | None
    decided_on: date | None
    dossiers: list[DossierOut]


def _dossier_out(dossier) -> dict:
    return {
        "id": dossier.pk,
        "loan_id": dossier.loan_id,
        "loan_number": dossier.loan.number,
        "cause": dossier.cause,
        "occurred_on": dossier.occurred_on,
        "loss_percent": dossier.loss_percent,
        "treatment": dossier.treatment,
        "freeze_months": dossier.freeze_months,
        "extension_months": dossier.extension_months,
        "freeze_until": dossier.freeze_until,
        "freeze_ended_on": dossier.freeze_ended_on,
        "evidence": list(dossier.evidence.all()),
    }


def _batch_out(batch) -> dict:
    return {
        "id": batch.pk,
        "name": batch.name,
        "office_id": batch.office_id,
        "status": batch.status,
        "approval_id": batch.approval_id,
        "decided_on": batch.decided_on,
        "dossiers": [_dossier_out(d) for d in risk_dossiers_of(batch)],
    }


@router.post("/risk-batches", response={201: BatchOut}, summary="Start a risk-handling batch")
def risk_batch_start(request, body: BatchIn):
    access.require(request.user, Capability.PROPOSE_LOAN_DECISIONS)
    office = access.unit_get_visible(request.user, body.office_id)
    batch = risk.risk_batch_create(actor=request.user, office=office, name=body.name)
    return Status(201, _batch_out(batch))


@router.get("/risk-batches/{batch_id}", response=BatchOut, summary="A risk-handling batch")
def risk_batch_read(request, batch_id: int):
    return _batch_out(risk_batch_get(request.user, batch_id))


@router.post(
    "/risk-batches/{batch_id}/dossiers", response={201: DossierOut}, summary="Add a loan's dossier"
)
def risk_batch_dossier_add(request, batch_id: int, body: DossierIn):
    batch = risk_batch_get(request.user, batch_id)
    access.require(request.user, Capability.PROPOSE_LOAN_DECISIONS)
    loan = loans_in_scope(request.user).filter(pk=body.loan_id).first()
    if loan is None:
        raise DomainError("not_found", _("No such loan in your scope."), "loan_id")
    with api_fields({"loan": "loan_id"}):
        dossier = risk.risk_dossier_add(
            actor=request.user,
            batch=batch,
            loan=loan,
            cause=body.cause,
            occurred_on=body.occurred_on,
            loss_percent=body.loss_percent,
            loss_assessment=body.loss_assessment,
            treatment=body.treatment,
            freeze_months=body.freeze_months,
            extension_months=body.extension_months,
            today=timezone.localdate(),
        )
    return Status(201, _dossier_out(dossier))


@router.post(
    "/risk-dossiers/{dossier_id}/evidence",
    response={201: EvidenceOut},
    summary="Upload a dossier's evidence (PDF, JPEG or PNG, at most 10 MB)",
)
def risk_dossier_evidence_add(
    request,
    dossier_id: int,
    file: File[UploadedFile] = None,
    description: Form[str] = "",
):
    dossier = risk_dossier_get(request.user, dossier_id)
    # The file is checked after the dossier, so an id out of scope answers 404 whatever is sent.
    if file is None:
        raise DomainError("required", _("Attach the evidence file."), "file")
    evidence = risk.risk_evidence_add(
        actor=request.user, dossier=dossier, file=file, description=description[:200]
    )
    return Status(201, evidence)


@router.post(
    "/risk-batches/{batch_id}/submit", response=CREATED, summary="Send a batch for approval"
)
def risk_batch_send(request, batch_id: int, idempotency_key: IdempotencyKey):
    batch = risk_batch_get(request.user, batch_id)
    approval = risk.risk_batch_submit(
        actor=request.user,
        batch=batch,
        today=timezone.localdate(),
        idempotency_key=idempotency_key.strip(),
    )
    return _answer(approval)


class FreezeEndIn(Schema):
    unit_id: int = Field(description="The transaction office or branch whose freezes are checked")


class FreezeEndOut(Schema):
    loans: int


@router.post(
    "/jobs/freeze-end",
    response={200: FreezeEndOut},
    summary="Return the loans whose freeze has ended to repayment",
)
def loan_freeze_end_run(request, payload: FreezeEndIn):
    unit = access.unit_get_visible(request.user, payload.unit_id)
    with api_fields({"branch": "unit_id"}):
        moved = risk.freeze_end_run(actor=request.user, branch=unit, today=timezone.localdate())
    return {"loans": moved}
