"""Reads of the first half of a loan's life: a group's applications with their review state
(Form 03/TD-like list), what the origination forms offer, and the printable documents — the
approval notice (Form 04/TD) and the contract with its schedule — always scoped by the viewer."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from policylend.core.errors import NotFound
from policylend.core.pdf import render_pdf
from policylend.core.rates import percent
from policylend.groups.models import GroupMeeting, MeetingKind, SavingsGroup
from policylend.groups.selectors import group_get
from policylend.users import access
from policylend.users.roles import Capability

from ..models import APPLICATION_STATUSES, Instalment, Loan, LoanReview, LoanStatus, ScheduleVersion
from .loans import loan_get, loans_in_scope

REVIEW_LIST_MAX = 500


@dataclass(frozen=True)
class ReviewRow:
    loan: Loan
    reviews: dict  # stage → LoanReview


def review_list(viewer, group_id: int) -> tuple[SavingsGroup, list[ReviewRow], list[GroupMeeting]]:
    """The group's applications still before disbursement (and those rejected on the way) with
    each stage's decision, and the group's loan-review meetings."""
    access.require(viewer, Capability.VIEW_LOANS)
    group = group_get(viewer, group_id)
    loans = (
        loans_in_scope(viewer)
        .filter(group=group, status__in=[*APPLICATION_STATUSES, LoanStatus.REJECTED])
        .select_related("household", "borrower", "programme")
        .prefetch_related(
            Prefetch("reviews", queryset=LoanReview.objects.select_related("meeting"))
        )
        .order_by("applied_on", "number")[:REVIEW_LIST_MAX]
    )
    rows = [ReviewRow(loan, {r.stage: r for r in loan.reviews.all()}) for loan in loans]
    meetings = list(
        GroupMeeting.objects.filter(group=group, kind=MeetingKind.LOAN_REVIEW)
        .prefetch_related("attendees")
        .order_by("-held_on")[:20]
    )
    return group, rows, meetings


def review_meetings(loan: Loan) -> QuerySet[GroupMeeting]:
    return GroupMeeting.objects.filter(
        group_id=loan.group_id, kind=MeetingKind.LOAN_REVIEW, held_on__gte=loan.applied_on
    ).order_by("-held_on")


def current_schedule(loan: Loan) -> list[Instalment]:
    version = ScheduleVersion.objects.filter(loan=loan, is_current=True).first()
    if version is None:
        return []
    return list(version.instalments.order_by("number"))


def _document_context(loan: Loan) -> dict:
    return {
        "loan": loan,
        "reviews": {r.stage: r for r in loan.reviews.all()},
        "annual_rate_percent": percent(loan.annual_rate) if loan.annual_rate is not None else None,
        "overdue_rate_percent": percent(loan.overdue_rate)
        if loan.overdue_rate is not None
        else None,
        "instalments": current_schedule(loan),
    }


def loan_document_pdf(viewer, loan_id: int, document: str, language: str) -> tuple[Loan, bytes]:
    """The approval notice (``notice``: an approved or disbursed loan) or the contract with its
    schedule (``contract``: a disbursed loan) as an A4 PDF in ``language``."""
    loan = loan_get(viewer, loan_id)
    if document == "notice" and loan.approved_on is None:
        raise NotFound("not_found", _("Loan %(number)s has no approval notice.") % {"number": loan})
    if document == "contract" and loan.disbursed_on is None:
        raise NotFound("not_found", _("Loan %(number)s is not disbursed yet.") % {"number": loan})
    context = _document_context(loan)
    if document == "notice" and loan.annual_rate is None:
        from policylend.programmes.selectors import annual_rate_of

        context["annual_rate_percent"] = percent(annual_rate_of(loan.terms, loan.approved_on))
    return loan, render_pdf(f"loans/pdf_{document}.html", context, language)
