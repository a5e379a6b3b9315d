"""Reads of the programme catalogue. The catalogue is the same for every branch: every role but
the system administrator reads it (VIEW_PROGRAMMES); without that capability any programme, real
or not, answers 403."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from policylend.approvals.models import ApprovalRequest, ApprovalStatus
from policylend.core.errors import DomainError, NotFound
from policylend.users import access
from policylend.users.roles import Capability

from . import rules
from .catalogue import POOR_PROGRAMME_CODE
from .error_codes import ProgrammeErrorCode as E
from .models import Programme, ProgrammeTerms, RateBasis


def _versions(programme: Programme) -> list[ProgrammeTerms]:
    """The programme's versions; from the prefetch cache when the caller prefetched ``terms``
    (a list of programmes then costs no query per row)."""
    cache = getattr(programme, "_prefetched_objects_cache", {})
    if "terms" in cache:
        return list(cache["terms"])
    return list(ProgrammeTerms.objects.filter(programme=programme))


def terms_on(programme: Programme, day: date) -> ProgrammeTerms:
    """The version of the programme's terms in force on ``day``; a DomainError before the first."""
    version = rules.terms_in_force(_versions(programme), day)
    if version is None:
        raise DomainError(
            E.NO_TERMS,
            _("Programme %(code)s has no terms in force on %(day)s.")
            % {"code": programme.code, "day": rules.format_day(day)},
            "programme",
        )
    return version


def terms_on_or_none(programme: Programme, day: date) -> ProgrammeTerms | None:
    return rules.terms_in_force(_versions(programme), day)


def poor_rate_on(day: date) -> Decimal:
    """The poor-household programme's (01) annual rate on ``day``."""
    poor = Programme.objects.get(code=POOR_PROGRAMME_CODE)
    version = terms_on(poor, day)
    if version.rate_basis != RateBasis.FIXED:
        raise DomainError(
            E.RATE_BASIS,
            _("The poor-household programme's rate must be a fixed rate."),
            "rate_basis",
        )
    return Decimal(version.annual_rate)


def annual_rate_of(terms: ProgrammeTerms, day: date) -> Decimal:
    """The annual rate a version gives on ``day``: its own, or the poor-household rate in force
    that day times its factor (09: 1.25 × 6.6 % = 8.25 %), to 10 decimals."""
    if terms.rate_basis == RateBasis.FIXED:
        return rules.resolved_rate(terms.rate_basis, terms.annual_rate, None, None)
    return rules.resolved_rate(terms.rate_basis, None, terms.rate_factor, poor_rate_on(day))


def overdue_rate_of(terms: ProgrammeTerms, day: date) -> Decimal:
    """130 % of the loan's rate (domain.md §5), to 10 decimals."""
    return (annual_rate_of(terms, day) * Decimal(terms.overdue_factor)).quantize(rules.RATE_QUANTUM)


# --- the catalogue, for people ----------------------------------------------------------------------


def programme_list(viewer, *, active: bool | None = None) -> QuerySet[Programme]:
    access.require(viewer, Capability.VIEW_PROGRAMMES)
    programmes = Programme.objects.prefetch_related(
        Prefetch("terms", queryset=ProgrammeTerms.objects.order_by("effective_from"))
    ).order_by("code")
    if active is not None:
        programmes = programmes.filter(is_active=active)
    return programmes


def programme_get(viewer, programme_id: int) -> Programme:
    access.require(viewer, Capability.VIEW_PROGRAMMES)
    programme = Programme.objects.filter(pk=programme_id).first()
    if programme is None:
        raise NotFound("not_found", _("No such programme."))
    return programme


@dataclass(frozen=True)
class TermsRow:
    """A version with the last day it was in force and whether it is in force on the day asked."""

    terms: ProgrammeTerms
    last_day: date | None
    in_force: bool
    annual_rate: Decimal | None  # resolved on the version's first day (None: no poor rate then)


def _rate_or_none(version: ProgrammeTerms, day: date) -> Decimal | None:
    try:
        return annual_rate_of(version, day)
    except (DomainError, Programme.DoesNotExist):
        return None


def terms_history(programme: Programme, on: date | None = None) -> list[TermsRow]:
    """Every version of the programme's terms, newest first, with who approved it; the one in
    force on ``on`` marked."""
    versions = list(
        ProgrammeTerms.objects.filter(programme=programme).select_related(
            "approval", "approval__maker", "approval__checker", "recorded_by"
        )
    )
    current = rules.terms_in_force(versions, on) if on is not None else None
    rows = [
        TermsRow(
            terms=version,
            last_day=last_day,
            in_force=version is current,
            annual_rate=_rate_or_none(version, version.effective_from),
        )
        for version, last_day in rules.terms_periods(versions)
    ]
    return rows[::-1]


@dataclass(frozen=True)
class CatalogueRow:
    programme: Programme
    terms: ProgrammeTerms | None
    annual_rate: Decimal | None


def catalogue_on(viewer, day: date) -> list[CatalogueRow]:
    """Each programme with the terms in force on ``day`` and the rate they give."""
    rows = []
    for programme in programme_list(viewer):
        version = terms_on_or_none(programme, day)
        rate = _rate_or_none(version, day) if version is not None else None
        rows.append(CatalogueRow(programme, version, rate))
    return rows


def terms_changes_waiting(programme: Programme) -> QuerySet[ApprovalRequest]:
    return ApprovalRequest.objects.filter(
        kind=rules.TERMS_CHANGE_KIND,
        status=ApprovalStatus.PENDING,
        payload__programme_id=programme.pk,
    ).select_related("maker")
