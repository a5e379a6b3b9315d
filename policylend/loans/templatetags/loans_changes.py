"""Template tags of the loan-change pages: what a viewer may ask about a loan, and what an
approval request will do (the schedule after it, the postings of a risk batch)."""

from __future__ import annotations

from django import template
from django.utils import timezone

from policylend.core.errors import DomainError
from policylend.users import access
from policylend.users.roles import Capability

from ..models import Loan, LoanStatus, RiskBatch, ScheduleVersion
from ..services import reschedule

register = template.Library()


@register.simple_tag
def loan_changes(loan: Loan, user) -> dict:
    """What the loan page offers: asking to reschedule or extend, and the schedule's history."""
    may_propose = access.can(user, Capability.PROPOSE_LOAN_DECISIONS)
    repaying = loan.status in (LoanStatus.IN_TERM, LoanStatus.OVERDUE)
    return {
        "can_reschedule": may_propose and repaying,
        "can_extend": may_propose and repaying,
        "versions": ScheduleVersion.objects.filter(loan=loan).order_by("number"),
        "dossiers": loan.risk_dossiers.select_related("batch").order_by("-id"),
    }


def _loan(payload: dict) -> Loan | None:
    return Loan.objects.select_related("programme").filter(pk=payload.get("loan_id")).first()


@register.simple_tag
def schedule_preview(approval) -> dict:
    """The loan's current schedule and, while the request waits, the schedule it would make."""
    loan = _loan(approval.payload)
    if loan is None:
        return {}
    preview = {"loan": loan, "current": reschedule.current_instalments(loan), "rows": []}
    if approval.status != "pending":
        return preview
    try:
        if approval.kind == reschedule.RESCHEDULE_KIND:
            preview["rows"] = reschedule.reschedule_rows(loan, approval.payload)
        else:
            today = timezone.localdate()
            preview["maturity"], preview["rows"] = reschedule.extension_rows(
                loan, approval.payload["months"], today
            )
    except DomainError as error:
        preview["problems"] = [problem.message for problem in error.problems]
    return preview


@register.simple_tag
def risk_batch_preview(approval) -> RiskBatch | None:
    batch = RiskBatch.objects.filter(pk=approval.payload.get("batch_id")).first()
    if batch is not None:
        batch.rows = list(
            batch.dossiers.select_related(
                "loan", "loan__programme", "loan__borrower"
            ).prefetch_related("evidence")
        )
    return batch
