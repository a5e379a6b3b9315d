"""Maker–checker requests that change a loan after disbursement (domain.md §6.8, §6.10):
rescheduling an instalment, extending the maturity, and a batch of risk-handling dossiers.
Credit officers and branch staff ask; a controller or branch manager (never the maker) approves."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from policylend.approvals.registry import ApprovalKind, register
from policylend.core.money import format_amount
from policylend.users.roles import Capability

from ..services import reschedule, risk

RESCHEDULE = reschedule.RESCHEDULE_KIND
EXTENSION = reschedule.EXTENSION_KIND
RISK_BATCH = risk.RISK_BATCH_KIND


def _day(text: str | None) -> str:
    return date.fromisoformat(text).strftime("%d/%m/%Y") if text else "—"


# --- rescheduling ------------------------------------------------------------------------------


def _validate_reschedule(payload: dict, maker, today: date) -> None:
    reschedule.reschedule_check(payload=payload, maker=maker, today=today)


def _apply_reschedule(request, checker, today: date) -> str:
    version = reschedule.reschedule_apply(approval=request, today=today)
    return f"loan:{version.loan_id}"


def _describe_reschedule(request) -> str:
    payload = request.payload
    amount = payload.get("amount")
    return _("Loan %(number)s: instalment %(n)s (%(amount)s) moved to %(day)s") % {
        "number": payload["loan_number"],
        "n": payload["instalment_number"],
        "amount": format_amount(amount) if amount else _("all unpaid principal"),
        "day": _day(payload["new_due"]),
    }


register(
    ApprovalKind(
        code=RESCHEDULE,
        label=gettext_lazy("Rescheduling of an instalment"),
        maker_capability=Capability.PROPOSE_LOAN_DECISIONS,
        checker_capability=Capability.APPROVE_LOAN_DECISIONS,
        validate=_validate_reschedule,
        apply=_apply_reschedule,
        describe=_describe_reschedule,
        detail_template="loans/changes_approval_reschedule.html",
        subject=lambda payload: f"loan:{payload['loan_id']}:schedule",
    )
)


# --- extension ---------------------------------------------------------------------------------


def _validate_extension(payload: dict, maker, today: date) -> None:
    loan = reschedule._loan_in_scope(maker, payload["loan_id"])
    reschedule.extension_check(
        loan=loan, months=payload["months"], asked_on=date.fromisoformat(payload["asked_on"])
    )


def _apply_extension(request, checker, today: date) -> str:
    version = reschedule.extension_approve(approval=request, checker=checker, today=today)
    return f"loan:{version.loan_id}"


def _describe_extension(request) -> str:
    payload = request.payload
    return _("Loan %(number)s: extension of %(months)d months, maturity %(old)s → %(new)s") % {
        "number": payload["loan_number"],
        "months": payload["months"],
        "old": _day(payload.get("maturity")),
        "new": _day(payload.get("new_maturity")),
    }


register(
    ApprovalKind(
        code=EXTENSION,
        label=gettext_lazy("Extension of a loan"),
        maker_capability=Capability.PROPOSE_LOAN_DECISIONS,
        checker_capability=Capability.APPROVE_LOAN_DECISIONS,
        validate=_validate_extension,
        apply=_apply_extension,
        describe=_describe_extension,
        detail_template="loans/changes_approval_extension.html",
        subject=lambda payload: f"loan:{payload['loan_id']}:schedule",
    )
)


# --- risk handling -----------------------------------------------------------------------------


def _validate_risk_batch(payload: dict, maker, today: date) -> None:
    risk.risk_batch_check(payload=payload, maker=maker, today=today)


def _apply_risk_batch(request, checker, today: date) -> str:
    batch = risk.risk_batch_approve(approval=request, checker=checker, today=today)
    return f"risk_batch:{batch.pk}"


def _describe_risk_batch(request) -> str:
    payload = request.payload
    return _("Risk-handling batch %(name)s: %(count)d dossiers") % {
        "name": payload["batch_name"],
        "count": payload["dossiers"],
    }


register(
    ApprovalKind(
        code=RISK_BATCH,
        label=gettext_lazy("Risk-handling batch"),
        maker_capability=Capability.PROPOSE_LOAN_DECISIONS,
        checker_capability=Capability.APPROVE_LOAN_DECISIONS,
        validate=_validate_risk_batch,
        apply=_apply_risk_batch,
        describe=_describe_risk_batch,
        detail_template="loans/changes_approval_risk_batch.html",
        subject=lambda payload: f"risk_batch:{payload['batch_id']}",
    )
)

__all__ = ["EXTENSION", "RESCHEDULE", "RISK_BATCH"]
