"""Maker–checker kind "transaction_sessions.closing": the controller checks the cash of a session
before it is carried to the office and the session closes."""

from __future__ import annotations

from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from policylend.approvals.registry import ApprovalKind, register, register_result_link
from policylend.core.money import format_amount
from policylend.users.roles import Capability

from ..models import TransactionSession
from ..services import closing


def _apply(request, checker, today: date) -> str:
    session = closing.session_close(request=request, checker=checker, today=today)
    return f"transaction_session:{session.pk}"


def _describe(request) -> str:
    session = (
        TransactionSession.objects.select_related("point")
        .filter(pk=request.payload["session_id"])
        .first()
    )
    amount = format_amount(int(request.payload["cash_carried"]))
    if session is None:
        return _("Close session #%(id)s carrying %(amount)s") % {
            "id": request.payload["session_id"],
            "amount": amount,
        }
    return _("Close the session of %(point)s on %(day)s, carrying %(amount)s to the office") % {
        "point": session.point.name,
        "day": session.held_on.strftime("%d/%m/%Y"),
        "amount": amount,
    }


register(
    ApprovalKind(
        code=closing.KIND,
        label=gettext_lazy("Closing of a transaction session"),
        maker_capability=Capability.RUN_SESSIONS,
        checker_capability=Capability.CHECK_SESSION_CLOSING,
        validate=closing.validate,
        apply=_apply,
        describe=_describe,
        subject=lambda payload: f"transaction_session:{payload['session_id']}",
        on_reject=closing.session_reopen,
    )
)

register_result_link(
    "transaction_session",
    lambda pk: reverse("transaction_sessions:session_detail", args=[pk]),
)
