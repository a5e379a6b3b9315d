"""The associations in the JSON API (/api/v1/associations/): units and their officers,
entrustment contracts with their terms history, asking for a change of terms (maker–checker),
the supervision plan and inspections. The same selectors and services as the pages: an object
outside the caller's scope is 404, a change the role may not make 403, a broken rule 422 naming
the field. Rates are fractions as decimal strings ("0.00045" is 0.045 % a month); shares are
basis points (8400 is 84 %)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Header, Query, Router, Schema, Status

from policylend.api.common import api_fields, page_of
from policylend.approvals.api import ApprovalRequestOut, approval_out
from policylend.core.errors import DomainError, NotFound
from policylend.core.pagination import PAGE_SIZE, PAGE_SIZE_MAX
from policylend.users import access

from . import rules, selectors, services
from .error_codes import AssociationErrorCode as E
from .models import EntrustmentContract, Inspection, SupervisionItem
from .rules import Reduction, TermsInput
from .services.contracts import expected_bank_unit

router = Router(tags=["associations"])

Level = Literal["province", "district", "commune"]
SHARE_BP_LIMIT = 1_000_000
TASKS_MAX = 20
KEY_LENGTH_MAX = 120
# Optional here: a change of terms moves no money, but a client may still retry safely with it.
IdempotencyKey = Header[str, {"alias": "Idempotency-Key", "max_length": KEY_LENGTH_MAX}]


# --- schemas ---------------------------------------------------------------------------------------


class OfficerOut(Schema):
    id: int
    username: str
    full_name: str
    phone: str


class AssociationUnitOut(Schema):
    id: int
    association_id: int
    association_code: str
    name: str
    level: str
    unit_id: int
    unit_code: str
    unit_name: str
    branch_id: int
    parent_id: int | None
    chair_name: str
    phone: str
    is_active: bool

    @staticmethod
    def resolve_association_code(obj):
        return obj.association.code

    @staticmethod
    def resolve_unit_code(obj):
        return obj.unit.code

    @staticmethod
    def resolve_unit_name(obj):
        return obj.unit.name


class AssociationUnitDetailOut(AssociationUnitOut):
    officers: list[OfficerOut]

    @staticmethod
    def resolve_officers(obj):
        return list(selectors.association_unit_officers(obj))


class AssociationUnitPage(Schema):
    items: list[AssociationUnitOut]
    count: int
    page: int
    size: int


class AssociationUnitFilters(Schema):
    page: int = Field(1, ge=1, le=1_000_000)
    size: int = Field(PAGE_SIZE, ge=1, le=PAGE_SIZE_MAX)
    association_id: int | None = None
    level: Level | None = None
    q: str = Field("", max_length=60, description="Part of the name, the place's name or code")
    active: bool | None = None


class AssociationUnitCreateIn(Schema):
    association_id: int
    unit_id: int = Field(..., description="The branch, transaction office or commune it sits by")
    name: str = Field(..., min_length=1, max_length=160)
    chair_name: str = Field("", max_length=120)
    phone: str = Field("", max_length=20)


class ReductionIn(Schema):
    condition: Literal["overdue_ratio_above", "interest_collection_below"]
    threshold: Decimal = Field(..., max_digits=12, decimal_places=10, description="A fraction")
    reduce_by: Decimal = Field(..., max_digits=12, decimal_places=10, description="A fraction")


class TermsIn(Schema):
    fee_rate_monthly: Decimal = Field(
        rules.DEFAULT_FEE_RATE_MONTHLY,
        max_digits=14,
        decimal_places=10,
        description="A fraction a month: 0.00045 is 0.045 %",
    )
    split_central_bp: int = Field(rules.DEFAULT_SPLIT_BP[0], ge=-SHARE_BP_LIMIT, le=SHARE_BP_LIMIT)
    split_province_bp: int = Field(rules.DEFAULT_SPLIT_BP[1], ge=-SHARE_BP_LIMIT, le=SHARE_BP_LIMIT)
    split_district_bp: int = Field(rules.DEFAULT_SPLIT_BP[2], ge=-SHARE_BP_LIMIT, le=SHARE_BP_LIMIT)
    split_commune_bp: int = Field(rules.DEFAULT_SPLIT_BP[3], ge=-SHARE_BP_LIMIT, le=SHARE_BP_LIMIT)
    reductions: list[ReductionIn] = Field(default_factory=list, max_length=rules.REDUCTIONS_MAX)

    def as_input(self) -> TermsInput:
        return TermsInput(
            fee_rate_monthly=self.fee_rate_monthly,
            split_bp=(
                self.split_central_bp,
                self.split_province_bp,
                self.split_district_bp,
                self.split_commune_bp,
            ),
            reductions=tuple(
                Reduction(condition=r.condition, threshold=r.threshold, reduce_by=r.reduce_by)
                for r in self.reductions
            ),
        )


class TermsOut(Schema):
    effective_from: date
    last_day: date | None
    in_force: bool
    fee_rate_monthly: Decimal
    split_central_bp: int
    split_province_bp: int
    split_district_bp: int
    split_commune_bp: int
    reductions: list[dict]
    approval_id: int | None


class ContractOut(Schema):
    id: int
    number: str
    association_unit_id: int
    association_unit_name: str
    association_code: str
    bank_unit_id: int
    branch_id: int
    signed_on: date
    valid_from: date
    valid_to: date | None
    tasks: list[str]
    status: str

    @staticmethod
    def resolve_association_unit_name(obj):
        return obj.association_unit.name

    @staticmethod
    def resolve_association_code(obj):
        return obj.association_unit.association.code


class ContractDetailOut(ContractOut):
    terms: list[TermsOut]
    terms_changes_waiting: list[int]


class ContractPage(Schema):
    items: list[ContractOut]
    count: int
    page: int
    size: int


class ContractFilters(Schema):
    page: int = Field(1, ge=1, le=1_000_000)
    size: int = Field(PAGE_SIZE, ge=1, le=PAGE_SIZE_MAX)
    association_id: int | None = None
    association_unit_id: int | None = None
    status: Literal["active", "ended"] | None = None
    q: str = Field("", max_length=60)


class ContractCreateIn(Schema):
    association_unit_id: int
    bank_unit_id: int | None = Field(
        None,
        description="Who signs for the bank; by default the branch for a province unit, the "
        "transaction office otherwise",
    )
    number: str = Field(..., min_length=1, max_length=rules.NUMBER_LENGTH_MAX)
    signed_on: date
    valid_from: date
    valid_to: date | None = None
    tasks: list[str] = Field(..., max_length=TASKS_MAX)
    terms: TermsIn = Field(default_factory=TermsIn)


class TermsChangeIn(Schema):
    effective_from: date
    terms: TermsIn
    note: str = Field("", max_length=500)


class PlanItemOut(Schema):
    id: int
    year: int
    reason: str
    group_id: int | None
    group_code: str | None
    group_name: str | None
    loan_ref: int | None
    due_by: date
    inspection_id: int | None
    done: bool

    @staticmethod
    def resolve_group_code(obj):
        return obj.group.code if obj.group_id else None

    @staticmethod
    def resolve_group_name(obj):
        return obj.group.name if obj.group_id else None

    @staticmethod
    def resolve_done(obj):
        return obj.inspection_id is not None


class PlanOut(Schema):
    association_unit_id: int
    year: int
    total: int
    done: int
    items: list[PlanItemOut]


class InspectionOut(Schema):
    id: int
    association_unit_id: int
    group_id: int | None
    group_code: str | None
    loan_ref: int | None
    inspected_on: date
    inspector_name: str
    checked: list[str]
    findings: str
    reported_on: date | None
    recorded_by: str
    recorded_at: datetime

    @staticmethod
    def resolve_group_code(obj):
        return obj.group.code if obj.group_id else None

    @staticmethod
    def resolve_recorded_by(obj):
        return obj.recorded_by.username


class InspectionPage(Schema):
    items: list[InspectionOut]
    count: int
    page: int
    size: int


class InspectionFilters(Schema):
    page: int = Field(1, ge=1, le=1_000_000)
    size: int = Field(PAGE_SIZE, ge=1, le=PAGE_SIZE_MAX)
    association_id: int | None = None
    association_unit_id: int | None = None
    year: int | None = Field(None, ge=rules.YEAR_MIN, le=rules.YEAR_MAX)
    group_id: int | None = None


class InspectionIn(Schema):
    association_unit_id: int
    group_id: int | None = None
    loan_ref: int | None = Field(None, ge=1)
    inspected_on: date
    inspector_name: str = Field(..., max_length=rules.INSPECTOR_LENGTH_MAX)
    checked: list[str] = Field(..., max_length=len(rules.CHECKLIST))
    findings: str = Field(..., max_length=rules.FINDINGS_LENGTH_MAX)
    reported_on: date | None = None


# --- helpers ---------------------------------------------------------------------------------------


def _unknown(field: str) -> DomainError:
    return DomainError(E.REFERENCE_UNKNOWN, _("No such object in your scope."), field)


TERMS_PREFIXES = {"reductions": "terms."}
TERMS_FIELDS = {
    "fee_rate_monthly": "terms.fee_rate_monthly",
    "split": "terms",
    **{f"split_{level}": f"terms.split_{level}_bp" for level in rules.SPLIT_LEVELS},
}


def _association_unit_ref(request, association_unit_id: int, field: str):
    try:
        return selectors.association_unit_get(request.user, association_unit_id)
    except NotFound:
        raise _unknown(field) from None


def _terms_out(contract: EntrustmentContract) -> list[dict]:
    return [
        {
            "effective_from": row.terms.effective_from,
            "last_day": row.last_day,
            "in_force": row.in_force,
            "fee_rate_monthly": row.terms.fee_rate_monthly,
            "split_central_bp": row.terms.split_central_bp,
            "split_province_bp": row.terms.split_province_bp,
            "split_district_bp": row.terms.split_district_bp,
            "split_commune_bp": row.terms.split_commune_bp,
            "reductions": row.terms.reductions,
            "approval_id": row.terms.approval_id,
        }
        for row in selectors.contract_terms_history(contract, timezone.localdate())
    ]


def _contract_detail(contract: EntrustmentContract) -> EntrustmentContract:
    contract.terms_list = _terms_out(contract)
    return contract


class _ContractDetail(ContractDetailOut):
    @staticmethod
    def resolve_terms(obj):
        return obj.terms_list

    @staticmethod
    def resolve_terms_changes_waiting(obj):
        return list(selectors.contract_terms_changes_waiting(obj).values_list("pk", flat=True))


# --- units -----------------------------------------------------------------------------------------


@router.get("/units", response=AssociationUnitPage, summary="Association units in your scope")
def association_unit_list(request, filters: Query[AssociationUnitFilters]):
    units = selectors.association_unit_list(
        request.user,
        association_id=filters.association_id,
        level=filters.level,
        search=filters.q,
        active=filters.active,
    ).order_by("association__code", "unit__path")
    return page_of(units, filters.page, filters.size)


@router.get(
    "/units/{association_unit_id}",
    response=AssociationUnitDetailOut,
    summary="One association unit with its officers",
)
def association_unit_get(request, association_unit_id: int):
    return selectors.association_unit_get(request.user, association_unit_id)


@router.post("/units", response={201: AssociationUnitDetailOut}, summary="Open an association unit")
def association_unit_create(request, payload: AssociationUnitCreateIn):
    association = selectors.association_list(request.user).filter(pk=payload.association_id).first()
    if association is None:
        raise _unknown("association_id")
    try:
        place = access.unit_get_visible(request.user, payload.unit_id)
    except NotFound:
        raise _unknown("unit_id") from None
    with api_fields({"unit": "unit_id"}):
        created = services.association_unit_create(
            actor=request.user,
            association=association,
            unit=place,
            name=payload.name,
            chair_name=payload.chair_name,
            phone=payload.phone,
        )
    return Status(201, created)


# --- contracts -------------------------------------------------------------------------------------


@router.get("/contracts", response=ContractPage, summary="Entrustment contracts in your scope")
def contract_list(request, filters: Query[ContractFilters]):
    contracts = selectors.contract_list(
        request.user,
        association_id=filters.association_id,
        association_unit_id=filters.association_unit_id,
        status=filters.status,
        search=filters.q,
    )
    return page_of(contracts, filters.page, filters.size)


@router.get(
    "/contracts/{contract_id}",
    response=_ContractDetail,
    summary="One contract with every version of its terms",
)
def contract_get(request, contract_id: int):
    return _contract_detail(selectors.contract_get(request.user, contract_id))


@router.post("/contracts", response={201: _ContractDetail}, summary="Record a contract")
def contract_create(request, payload: ContractCreateIn):
    association_unit = _association_unit_ref(
        request, payload.association_unit_id, "association_unit_id"
    )
    if payload.bank_unit_id is None:
        bank_unit = expected_bank_unit(association_unit)
    else:
        try:
            bank_unit = access.unit_get_visible(request.user, payload.bank_unit_id)
        except NotFound:
            raise _unknown("bank_unit_id") from None
    with api_fields(
        {**TERMS_FIELDS, "association_unit": "association_unit_id", "bank_unit": "bank_unit_id"},
        prefixes=TERMS_PREFIXES,
    ):
        contract = services.contract_create(
            actor=request.user,
            association_unit=association_unit,
            bank_unit=bank_unit,
            number=payload.number,
            signed_on=payload.signed_on,
            valid_from=payload.valid_from,
            valid_to=payload.valid_to,
            tasks=payload.tasks,
            terms=payload.terms.as_input(),
        )
    return Status(201, _contract_detail(contract))


@router.post(
    "/contracts/{contract_id}/terms-changes",
    response={200: ApprovalRequestOut, 201: ApprovalRequestOut},
    summary="Ask for new fee terms from a date (maker–checker)",
)
def contract_terms_change(
    request,
    contract_id: int,
    payload: TermsChangeIn,
    idempotency_key: IdempotencyKey = "",
):
    contract = selectors.contract_get(request.user, contract_id)
    with api_fields({**TERMS_FIELDS, "contract": None}, prefixes=TERMS_PREFIXES):
        approval = services.terms_change_request(
            actor=request.user,
            contract=contract,
            effective_from=payload.effective_from,
            terms=payload.terms.as_input(),
            today=timezone.localdate(),
            note=payload.note.strip(),
            idempotency_key=idempotency_key.strip(),
        )
    return Status(200 if approval.replayed else 201, approval_out(approval))


# --- supervision plan and inspections --------------------------------------------------------------


def _plan_out(association_unit, year: int, items) -> dict:
    items = list(items)
    return {
        "association_unit_id": association_unit.pk,
        "year": year,
        "total": len(items),
        "done": sum(1 for item in items if item.inspection_id is not None),
        "items": items,
    }


@router.get(
    "/units/{association_unit_id}/plan/{year}",
    response=PlanOut,
    summary="A unit's supervision plan for a year",
)
def supervision_plan_get(request, association_unit_id: int, year: int):
    unit = selectors.association_unit_get(request.user, association_unit_id)
    items = selectors.supervision_plan(request.user, unit, year)
    return _plan_out(unit, year, items)


@router.post(
    "/units/{association_unit_id}/plan/{year}",
    response=PlanOut,
    summary="Build the plan for a year: every active group the unit manages (idempotent)",
)
def supervision_plan_build(request, association_unit_id: int, year: int):
    unit = selectors.association_unit_get(request.user, association_unit_id)
    items: list[SupervisionItem] = services.supervision_plan_build(
        actor=request.user, association_unit=unit, year=year
    )
    return _plan_out(unit, year, items)


@router.get("/inspections", response=InspectionPage, summary="Inspections in your scope")
def inspection_list(request, filters: Query[InspectionFilters]):
    inspections = selectors.inspection_list(
        request.user,
        association_id=filters.association_id,
        association_unit_id=filters.association_unit_id,
        year=filters.year,
        group_id=filters.group_id,
    ).select_related("recorded_by")
    return page_of(inspections, filters.page, filters.size)


@router.get("/inspections/{inspection_id}", response=InspectionOut, summary="One inspection")
def inspection_get(request, inspection_id: int):
    return selectors.inspection_get(request.user, inspection_id)


@router.post("/inspections", response={201: InspectionOut}, summary="Record an inspection")
def inspection_create(request, payload: InspectionIn):
    unit = _association_unit_ref(request, payload.association_unit_id, "association_unit_id")
    group = None
    if payload.group_id is not None:
        group = selectors.managed_groups(unit).filter(pk=payload.group_id).first()
        if group is None:
            raise DomainError(
                E.GROUP_NOT_MANAGED,
                _("No active group %(id)d is managed by %(unit)s or a unit under it.")
                % {"id": payload.group_id, "unit": unit},
                "group_id",
            )
    with api_fields({"association_unit": "association_unit_id", "group": "group_id"}):
        inspection: Inspection = services.inspection_record(
            actor=request.user,
            association_unit=unit,
            inspected_on=payload.inspected_on,
            inspector_name=payload.inspector_name,
            checked=payload.checked,
            findings=payload.findings,
            group=group,
            loan_ref=payload.loan_ref,
            reported_on=payload.reported_on,
            today=timezone.localdate(),
        )
    return Status(201, inspection)
