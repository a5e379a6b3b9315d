"""The transaction office's decision on a certified application (domain.md §6.3): approve an
amount (at most the amount asked, within the programme's limits) or reject with a reason, by
maker–checker (approval kind ``loans.decision``). The approval notice is Form 04/TD."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from policylend.approvals.models import ApprovalRequest
from policylend.approvals.services import approval_request_create
from policylend.core.errors import DomainError, NotFound
from policylend.core.money import format_amount
from policylend.users import access
from policylend.users.roles import Capability

from ..error_codes import OriginationErrorCode as E
from ..models import Loan, LoanStatus
from ..selectors.loans import loans_in_scope
from .common import loan_lock, status_move
from .eligibility_facts import eligibility_check

DECISION_KIND = "loans.decision"
REASON_LENGTH_MAX = 300


def decision_payload(*, loan: Loan, approve: bool, amount: int | None, reason: str) -> dict:
    return {
        "loan_id": loan.pk,
        "loan_number": loan.number,
        "approve": bool(approve),
        "amount": (amount if amount is not None else loan.amount_requested) if approve else None,
        "reason": "" if approve else (reason or "").strip(),
    }


def decision_check(*, loan: Loan, payload: dict) -> None:
    """The decision can be taken: the loan is certified; an approval's amount is positive, at
    most the amount asked and within the programme's limits (counting the household's other
    loans); a rejection has a reason. Checked when proposed and again when approved."""
    if loan.status != LoanStatus.CERTIFIED:
        raise DomainError(
            E.DECISION_STATUS,
            _("Loan %(number)s is %(status)s; only a certified application is decided.")
            % {"number": loan.number, "status": loan.get_status_display().lower()},
            "loan",
        )
    if not payload["approve"]:
        reason = payload.get("reason") or ""
        if not reason or len(reason) > REASON_LENGTH_MAX:
            raise DomainError(
                E.DECISION_REASON,
                _("Give the reason for the rejection (at most %(n)d characters).")
                % {"n": REASON_LENGTH_MAX},
                "reason",
            )
        return
    amount = payload.get("amount")
    if not isinstance(amount, int) or amount <= 0 or amount > loan.amount_requested:
        raise DomainError(
            E.DECISION_AMOUNT,
            _("The amount approved must be positive and at most the %(asked)s asked.")
            % {"asked": format_amount(loan.amount_requested)},
            "amount",
        )
    eligibility_check(
        household=loan.household,
        programme=loan.programme,
        terms=loan.terms,
        amount=amount,
        term_months=loan.term_months,
        fields=loan.programme_fields,
        day=loan.applied_on,
        exclude_loan=loan.pk,
    )


def loan_decision_propose(
    *,
    actor,
    loan: Loan,
    approve: bool,
    amount: int | None = None,
    reason: str = "",
    today: date,
    idempotency_key: str = "",
) -> ApprovalRequest:
    """Propose to approve (an amount, by default the one asked) or reject (with a reason) a
    certified application; a checker of the office decides (``loans.decision``)."""
    access.require(actor, Capability.PROPOSE_LOAN_DECISIONS)
    if not loans_in_scope(actor).filter(pk=loan.pk).exists():
        raise NotFound("not_found", _("No such loan in your scope."))
    payload = decision_payload(loan=loan, approve=approve, amount=amount, reason=reason)
    return approval_request_create(
        kind=DECISION_KIND,
        payload=payload,
        unit=loan.office,
        maker=actor,
        today=today,
        idempotency_key=idempotency_key,
    )


def decision_validate(payload: dict, maker, today: date) -> None:
    loan = (
        Loan.objects.select_related("household", "programme", "terms")
        .filter(pk=payload.get("loan_id"))
        .first()
    )
    if loan is None:
        raise NotFound("not_found", _("No such loan in your scope."))
    decision_check(loan=loan, payload=payload)


def decision_apply(request: ApprovalRequest, checker, today: date) -> str:
    """Carry out an approved decision: certified → approved (the day and the amount) or →
    rejected (the day and the reason)."""
    payload = request.payload
    with transaction.atomic():
        loan = loan_lock(payload["loan_id"])
        if payload["approve"]:
            status_move(loan=loan, to=LoanStatus.APPROVED, on=today, actor=checker)
            loan.approved_on = today
            loan.amount_approved = payload["amount"]
        else:
            reason = payload["reason"]
            status_move(loan=loan, to=LoanStatus.REJECTED, on=today, actor=checker, reason=reason)
            loan.rejected_on = today
            loan.rejection_reason = reason[:REASON_LENGTH_MAX]
        loan.save()
    return f"loan:{loan.pk}"


def decision_describe(request: ApprovalRequest) -> str:
    payload = request.payload
    if payload.get("approve"):
        return _("Approve loan %(number)s: %(amount)s") % {
            "number": payload.get("loan_number"),
            "amount": format_amount(payload.get("amount") or 0),
        }
    return _("Reject loan %(number)s: %(reason)s") % {
        "number": payload.get("loan_number"),
        "reason": payload.get("reason"),
    }


__all__ = [
    "DECISION_KIND",
    "decision_apply",
    "decision_describe",
    "decision_validate",
    "loan_decision_propose",
]
