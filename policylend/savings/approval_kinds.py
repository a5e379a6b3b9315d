"""Maker–checker kind "savings.reversal": reverse a wrongly recorded savings movement."""

from __future__ import annotations

from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from policylend.approvals.registry import ApprovalKind, register, register_result_link
from policylend.users.roles import Capability

from .models import SavingsTransaction, SavingsTransactionKind
from .services import reversal


def _apply(request, checker, today: date) -> str:
    record = SavingsTransaction.objects.get(pk=request.payload["transaction_id"])
    undone = reversal.savings_transaction_reverse(
        record=record,
        reason=request.payload["reason"],
        maker=request.maker,
        checker=checker,
        today=today,
    )
    return f"savings_account:{undone.account_id}"


def _describe(request) -> str:
    record = (
        SavingsTransaction.objects.select_related("account")
        .filter(pk=request.payload["transaction_id"])
        .first()
    )
    if record is None:
        return _("Reverse savings transaction #%(id)s") % {"id": request.payload["transaction_id"]}
    return _("Reverse %(kind)s of %(day)s on savings account %(number)s: %(reason)s") % {
        "kind": SavingsTransactionKind(record.kind).label,
        "day": record.value_date.strftime("%d/%m/%Y"),
        "number": record.account.number,
        "reason": request.payload["reason"],
    }


register(
    ApprovalKind(
        code=reversal.KIND,
        label=gettext_lazy("Reversal of a savings transaction"),
        maker_capability=Capability.PROPOSE_LOAN_DECISIONS,
        checker_capability=Capability.APPROVE_LOAN_DECISIONS,
        validate=reversal.validate,
        apply=_apply,
        describe=_describe,
        subject=lambda payload: f"savings_transaction:{payload['transaction_id']}",
    )
)

register_result_link("savings_account", lambda pk: reverse("savings:detail", args=[pk]))
