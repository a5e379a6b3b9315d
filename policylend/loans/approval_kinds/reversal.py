"""Maker–checker kind "loans.reversal": reverse a wrongly posted loan step, with a reason."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from policylend.approvals.registry import ApprovalKind, register
from policylend.users.roles import Capability

from ..models import LoanTransaction, TransactionKind
from ..services import reversal


def _apply(request, checker, today: date) -> str:
    record = LoanTransaction.objects.get(pk=request.payload["transaction_id"])
    undone = reversal.loan_transaction_reverse(
        record=record,
        reason=request.payload["reason"],
        maker=request.maker,
        checker=checker,
        today=today,
    )
    return f"loan:{undone.loan_id}"


def _describe(request) -> str:
    record = (
        LoanTransaction.objects.select_related("loan")
        .filter(pk=request.payload["transaction_id"])
        .first()
    )
    if record is None:
        return _("Reverse loan transaction #%(id)s") % {"id": request.payload["transaction_id"]}
    return _("Reverse %(kind)s of %(day)s on loan %(number)s: %(reason)s") % {
        "kind": TransactionKind(record.kind).label,
        "day": record.value_date.strftime("%d/%m/%Y"),
        "number": record.loan.number,
        "reason": request.payload["reason"],
    }


register(
    ApprovalKind(
        code=reversal.KIND,
        label=gettext_lazy("Reversal of a loan transaction"),
        maker_capability=Capability.PROPOSE_LOAN_DECISIONS,
        checker_capability=Capability.APPROVE_LOAN_DECISIONS,
        validate=reversal.validate,
        apply=_apply,
        describe=_describe,
        subject=lambda payload: f"loan_transaction:{payload['transaction_id']}",
    )
)
