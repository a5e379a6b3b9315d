"""The programme catalogue in the JSON API (/api/v1/programmes): the list with the terms in force,
one programme with the history of its terms, the terms in force on a day, and asking for a new
version (maker–checker). Rates are fractions as decimal strings ("0.066" is 6.6 % a year);
amounts are whole dong. Every role but the system administrator reads (403 otherwise)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Header, Query, Router, Schema, Status

from policylend.approvals.api import ApprovalRequestOut, approval_out
from policylend.core.errors import DomainError
from policylend.core.pagination import PAGE_SIZE, PAGE_SIZE_MAX

from . import rules, selectors, services
from .models import Programme, ProgrammeTerms

router = Router(tags=["programmes"])

KEY_LENGTH_MAX = 120
# Optional: a change of terms moves no money, but a client may retry safely with it.
IdempotencyKey = Header[str, {"alias": "Idempotency-Key", "max_length": KEY_LENGTH_MAX}]
RateText = Field(None, max_digits=14, decimal_places=10)


class TermsOut(Schema):
    id: int
    effective_from: date
    last_day: date | None = None
    in_force: bool = False
    rate_basis: str
    annual_rate: Decimal | None = Field(None, description="The rate the version gives, resolved")
    fixed_rate: Decimal | None
    rate_factor: Decimal | None
    overdue_factor: Decimal
    amount_max: int
    amount_basis: str
    amount_share: Decimal | None
    term_months_max: int
    repayment_mode: str
    repayment_interval_months: int
    grace_months: int
    eligible_classifications: list[str]
    eligible_areas: list[str]
    applies_to_existing: bool
    note: str
    approval_id: int | None
    approved_by: str | None
    proposed_by: str | None


class ProgrammeOut(Schema):
    id: int
    code: str
    name: str
    name_vi: str
    name_en: str
    name_hi: str
    legal_basis: str
    channel: str
    funding_sources: list[str]
    extra_fields: list[str]
    is_active: bool


class ProgrammeListItem(ProgrammeOut):
    current_terms: TermsOut | None


class ProgrammePage(Schema):
    items: list[ProgrammeListItem]
    count: int
    page: int
    size: int


class ProgrammeDetailOut(ProgrammeOut):
    terms: list[TermsOut]
    terms_changes_waiting: list[int]


class ProgrammeFilters(Schema):
    page: int = Field(1, ge=1, le=1_000_000)
    size: int = Field(PAGE_SIZE, ge=1, le=PAGE_SIZE_MAX)
    active: bool | None = None
    on: str = Field("", max_length=10, description="dd/mm/yyyy or yyyy-mm-dd; today by default")


class OnFilter(Schema):
    on: str = Field("", max_length=10, description="dd/mm/yyyy or yyyy-mm-dd; today by default")


class TermsChangeIn(Schema):
    effective_from: date
    rate_basis: Literal["fixed", "poor_rate_multiple"] | None = None
    annual_rate: Decimal | None = RateText
    rate_factor: Decimal | None = RateText
    overdue_factor: Decimal | None = RateText
    amount_max: int | None = Field(None, ge=-(10**15), le=10**15)
    amount_basis: Literal["household", "worker", "study_month", "facility", "contract"] | None = (
        None
    )
    amount_share: Decimal | None = RateText
    term_months_max: int | None = Field(None, ge=-10_000, le=10_000)
    repayment_mode: Literal["equal_principal", "after_course", "lump_sum"] | None = None
    repayment_interval_months: int | None = Field(None, ge=-10_000, le=10_000)
    grace_months: int | None = Field(None, ge=-10_000, le=10_000)
    eligible_classifications: list[str] | None = Field(None, max_length=rules.CLASSIFICATIONS_MAX)
    eligible_areas: list[str] | None = Field(None, max_length=rules.CLASSIFICATIONS_MAX)
    applies_to_existing: bool = False
    note: str = Field("", max_length=rules.NOTE_LENGTH_MAX)
    maker_note: str = Field("", max_length=500)


# --- helpers ---------------------------------------------------------------------------------------


def _day(text: str) -> date:
    """ "25/11/2026" or "2026-11-25"; today when empty."""
    text = (text or "").strip()
    if not text:
        return timezone.localdate()
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise DomainError(
        "programmes_date_format",
        _("“%(text)s” is not a date; write dd/mm/yyyy or yyyy-mm-dd.") % {"text": text},
        "on",
    )


def _terms_out(version: ProgrammeTerms, *, rate, last_day=None, in_force=False) -> dict:
    approval = version.approval
    return {
        "id": version.pk,
        "effective_from": version.effective_from,
        "last_day": last_day,
        "in_force": in_force,
        "rate_basis": version.rate_basis,
        "annual_rate": rate,
        "fixed_rate": version.annual_rate,
        "rate_factor": version.rate_factor,
        "overdue_factor": version.overdue_factor,
        "amount_max": version.amount_max,
        "amount_basis": version.amount_basis,
        "amount_share": version.amount_share,
        "term_months_max": version.term_months_max,
        "repayment_mode": version.repayment_mode,
        "repayment_interval_months": version.repayment_interval_months,
        "grace_months": version.grace_months,
        "eligible_classifications": list(version.eligible_classifications),
        "eligible_areas": list(version.eligible_areas),
        "applies_to_existing": version.applies_to_existing,
        "note": version.note,
        "approval_id": version.approval_id,
        "approved_by": approval.checker.username if approval and approval.checker else None,
        "proposed_by": approval.maker.username if approval else None,
    }


def _programme_fields(programme: Programme) -> dict:
    return {
        name: getattr(programme, name)
        for name in (
            "id",
            "code",
            "name",
            "name_vi",
            "name_en",
            "name_hi",
            "legal_basis",
            "channel",
            "funding_sources",
            "extra_fields",
            "is_active",
        )
    }


# --- operations ------------------------------------------------------------------------------------


@router.get("", response=ProgrammePage, summary="The programmes with the terms in force on a day")
def programme_list(request, filters: Query[ProgrammeFilters]):
    day = _day(filters.on)
    rows = [
        row
        for row in selectors.catalogue_on(request.user, day)
        if filters.active is None or row.programme.is_active == filters.active
    ]
    start = (filters.page - 1) * filters.size
    page = {
        "items": rows[start : start + filters.size],
        "count": len(rows),
        "page": filters.page,
        "size": filters.size,
    }
    page["items"] = [
        {
            **_programme_fields(row.programme),
            "current_terms": _terms_out(row.terms, rate=row.annual_rate, in_force=True)
            if row.terms is not None
            else None,
        }
        for row in page["items"]
    ]
    return page


@router.get(
    "/{programme_id}",
    response=ProgrammeDetailOut,
    summary="One programme with every version of its terms, newest first",
)
def programme_get(request, programme_id: int):
    programme = selectors.programme_get(request.user, programme_id)
    history = selectors.terms_history(programme, timezone.localdate())
    return {
        **_programme_fields(programme),
        "terms": [
            _terms_out(
                row.terms, rate=row.annual_rate, last_day=row.last_day, in_force=row.in_force
            )
            for row in history
        ],
        "terms_changes_waiting": list(
            selectors.terms_changes_waiting(programme).values_list("pk", flat=True)
        ),
    }


@router.get(
    "/{programme_id}/terms",
    response=TermsOut,
    summary="The terms in force on a day (?on=dd/mm/yyyy or yyyy-mm-dd) and the rate they give",
)
def programme_terms_on(request, programme_id: int, filters: Query[OnFilter]):
    programme = selectors.programme_get(request.user, programme_id)
    day = _day(filters.on)
    version = selectors.terms_on(programme, day)
    return _terms_out(version, rate=selectors.annual_rate_of(version, day), in_force=True)


@router.post(
    "/{programme_id}/terms-changes",
    response={200: ApprovalRequestOut, 201: ApprovalRequestOut},
    summary="Ask for new terms from a date (maker–checker); fields not given keep the latest",
)
def programme_terms_change(
    request,
    programme_id: int,
    payload: TermsChangeIn,
    idempotency_key: IdempotencyKey = "",
):
    programme = selectors.programme_get(request.user, programme_id)
    given = payload.dict(exclude={"effective_from", "maker_note"})
    changes = {
        name: value
        for name, value in given.items()
        if name in ("applies_to_existing", "note") or value is not None
    }
    if payload.rate_basis == "fixed":
        changes.setdefault("rate_factor", None)
    elif payload.rate_basis == "poor_rate_multiple":
        changes.setdefault("annual_rate", None)
    approval = services.terms_change_propose(
        actor=request.user,
        programme=programme,
        effective_from=payload.effective_from,
        today=timezone.localdate(),
        maker_note=payload.maker_note.strip(),
        idempotency_key=idempotency_key.strip(),
        **changes,
    )
    return Status(200 if approval.replayed else 201, approval_out(approval))
