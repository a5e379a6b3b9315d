"""Commissions and fees in the JSON API (/api/v1/fees/): the same selectors and services as the
pages. A session or unit outside the caller's scope is 404, a role that may not pay 403, a broken
rule 422 naming the field. Paying requires an ``Idempotency-Key`` header: a retry with the same
key returns the first payment."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Header, Query, Router, Schema, Status

from policylend.approvals.api import ApprovalRequestOut, approval_out
from policylend.core.errors import DomainError, NotFound
from policylend.core.periods import Month
from policylend.organisation.models import OrganisationUnit
from policylend.users import access

from . import selectors, services

router = Router(tags=["fees"])

KEY_LENGTH_MAX = 100
IdempotencyKey = Header[
    str, {"alias": "Idempotency-Key", "min_length": 1, "max_length": KEY_LENGTH_MAX}
]


class CommissionRowOut(Schema):
    group_id: int
    group_code: str
    interest_collected: int
    rate: Decimal
    amount: int
    paid_entry_id: int | None


class FeeRowOut(Schema):
    association_unit_id: int
    association_unit: str
    contract_number: str | None
    basis: int
    loans_count: int
    rate: Decimal | None
    reduction: Decimal | None
    amount: int | None
    shares: list[int] = Field(..., description="central, province, district, commune")
    problem: str
    paid_entry_id: int | None


class PreviewOut(Schema):
    session_id: int
    held_on: date
    status: str
    commissions: list[CommissionRowOut]
    fees: list[FeeRowOut]
    commissions_total: int
    fees_total: int
    fees_paid_at_session: int


class CommissionOut(Schema):
    id: int
    session_id: int
    group_id: int
    month: date
    interest_collected: int
    rate: Decimal
    amount: int
    entry_id: int
    status: str


class FeeOut(Schema):
    id: int
    session_id: int
    association_unit_id: int
    contract_id: int
    month: date
    basis_outstanding: int
    loans_count: int
    rate: Decimal
    reduction: Decimal
    amount: int
    central_share: int
    province_share: int
    district_share: int
    commune_share: int
    entry_id: int
    transfer_entry_id: int | None
    transferred_on: date | None
    status: str


class CommissionTermsOut(Schema):
    id: int
    branch_id: int
    group_id: int | None
    contract_number: str
    effective_from: date
    rate: Decimal


class CommissionTermsIn(Schema):
    group_id: int | None = None
    effective_from: date
    rate: Decimal = Field(..., gt=0, le=1, description="a fraction of the interest collected")
    contract_number: str = Field("", max_length=40)
    note: str = Field("", max_length=500)


def _preview_out(preview) -> PreviewOut:
    return PreviewOut(
        session_id=preview.session.pk,
        held_on=preview.session.held_on,
        status=preview.session.status,
        commissions=[
            CommissionRowOut(
                group_id=row.group.pk,
                group_code=row.group.code,
                interest_collected=row.interest_collected,
                rate=row.rate,
                amount=row.amount,
                paid_entry_id=row.paid.entry_id if row.paid else None,
            )
            for row in preview.commissions
        ],
        fees=[
            FeeRowOut(
                association_unit_id=row.association_unit.pk,
                association_unit=row.association_unit.name,
                contract_number=row.contract.number if row.contract else None,
                basis=row.basis,
                loans_count=row.loans_count,
                rate=row.terms.fee_rate_monthly if row.terms else None,
                reduction=row.fee.reduction if row.fee else None,
                amount=row.fee.amount if row.fee else None,
                shares=list(row.fee.shares) if row.fee else [],
                problem=str(row.problem),
                paid_entry_id=row.paid.entry_id if row.paid else None,
            )
            for row in preview.fees
        ],
        commissions_total=preview.commissions_total,
        fees_total=preview.fees_total,
        fees_paid_at_session=preview.fees_at_session,
    )


@router.get("/sessions/{session_id}/preview", response=PreviewOut, url_name="fees_session_preview")
def session_preview(request, session_id: int):
    session = selectors.session_get(request.user, session_id)
    return _preview_out(selectors.session_preview(request.user, session))


def _paid(rows) -> int:
    return 200 if rows and getattr(rows[0], "replayed", False) else 201


@router.post(
    "/sessions/{session_id}/commissions",
    response={200: list[CommissionOut], 201: list[CommissionOut]},
    url_name="fees_commission_pay",
)
def commission_pay(request, session_id: int, idempotency_key: IdempotencyKey):
    session = selectors.session_get(request.user, session_id)
    rows = services.commission_pay(
        actor=request.user,
        session=session,
        today=timezone.localdate(),
        idempotency_key=idempotency_key,
    )
    return Status(_paid(rows), rows)


@router.post(
    "/sessions/{session_id}/entrustment-fees",
    response={200: list[FeeOut], 201: list[FeeOut]},
    url_name="fees_entrustment_fee_pay",
)
def entrustment_fee_pay(request, session_id: int, idempotency_key: IdempotencyKey):
    session = selectors.session_get(request.user, session_id)
    rows = services.entrustment_fee_pay(
        actor=request.user,
        session=session,
        today=timezone.localdate(),
        idempotency_key=idempotency_key,
    )
    return Status(_paid(rows), rows)


@router.post(
    "/entrustment-fees/{fee_id}/transfer",
    response={200: FeeOut, 201: FeeOut},
    url_name="fees_fee_transfer",
)
def fee_transfer(request, fee_id: int, idempotency_key: IdempotencyKey):
    fee = selectors.fee_get(request.user, fee_id)
    fee = services.fee_transfer(
        actor=request.user, fee=fee, today=timezone.localdate(), idempotency_key=idempotency_key
    )
    return Status(200 if fee.replayed else 201, fee)


class PaymentReversalIn(Schema):
    reason: str = Field(..., min_length=1, max_length=300)


@router.post(
    "/payments/{entry_id}/reversal",
    response={201: ApprovalRequestOut},
    url_name="fees_payment_reversal",
    summary="Ask to reverse the entry that paid a session's commissions or fees",
)
def payment_reversal(request, entry_id: int, body: PaymentReversalIn):
    selectors.payment_session(request.user, entry_id)
    approval = services.payment_reversal_propose(
        actor=request.user, entry_id=entry_id, reason=body.reason, today=timezone.localdate()
    )
    return Status(201, approval_out(approval))


class StatementQuery(Schema):
    month: str | None = Field(None, pattern=r"^\d{2}/\d{4}$|^\d{4}-\d{2}$", description="mm/yyyy")


@router.get("/units/{unit_id}/statement", response=list[FeeOut], url_name="fees_unit_statement")
def unit_statement(request, unit_id: int, query: Query[StatementQuery]):
    unit = selectors.unit_get(request.user, unit_id)
    month = Month.parse(query.month) if query.month else None
    return list(selectors.fee_statement(request.user, unit, month)[:200])


@router.get("/commission-terms", response=list[CommissionTermsOut], url_name="fees_terms_list")
def terms_list(request):
    return list(selectors.commission_terms_list(request.user)[:200])


@router.post(
    "/commission-terms",
    response={200: ApprovalRequestOut, 201: ApprovalRequestOut},
    url_name="fees_terms_propose",
)
def terms_propose(request, body: CommissionTermsIn, idempotency_key: IdempotencyKey):
    if body.group_id is not None:
        group = selectors.group_get(request.user, body.group_id)
        branch = group.branch
    else:
        group = None
        branch_id = access.scope_of(request.user).branch_id
        if branch_id is None:
            raise NotFound("not_found", _("No branch in your scope."))
        branch = OrganisationUnit.objects.get(pk=branch_id)
    approval = services.commission_terms_propose(
        actor=request.user,
        branch=branch,
        group=group,
        effective_from=body.effective_from,
        rate=body.rate,
        contract_number=body.contract_number,
        today=timezone.localdate(),
        note=body.note,
        idempotency_key=idempotency_key,
    )
    return Status(200 if approval.replayed else 201, approval_out(approval))


__all__ = ["DomainError", "router"]
