"""Maker–checker kind "transaction_sessions.sheet_reversal": reverse a posted collection sheet."""

from __future__ import annotations

from datetime import date

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from policylend.approvals.registry import ApprovalKind, register, register_result_link
from policylend.users.roles import Capability

from ..models import CollectionSheet
from ..services import sheet_reversal


def _apply(request, checker, today: date) -> str:
    sheet = CollectionSheet.objects.get(pk=request.payload["sheet_id"])
    sheet_reversal.sheet_reverse(
        sheet=sheet,
        reason=request.payload["reason"],
        maker=request.maker,
        checker=checker,
        today=today,
    )
    return f"collection_sheet:{sheet.pk}"


def _describe(request) -> str:
    sheet = (
        CollectionSheet.objects.select_related("group", "session")
        .filter(pk=request.payload["sheet_id"])
        .first()
    )
    if sheet is None:
        return _("Reverse collection sheet #%(id)s") % {"id": request.payload["sheet_id"]}
    return _(
        "Reverse the collection sheet no. %(receipt)s of group %(group)s (session of %(day)s): "
        "%(reason)s"
    ) % {
        "receipt": sheet.receipt_number,
        "group": sheet.group.name,
        "day": sheet.session.held_on.strftime("%d/%m/%Y"),
        "reason": request.payload["reason"],
    }


register(
    ApprovalKind(
        code=sheet_reversal.KIND,
        label=gettext_lazy("Reversal of a collection sheet"),
        maker_capability=Capability.POST_COLLECTION_SHEETS,
        checker_capability=Capability.CHECK_SESSION_CLOSING,
        validate=sheet_reversal.validate,
        apply=_apply,
        describe=_describe,
        subject=lambda payload: f"collection_sheet:{payload['sheet_id']}",
    )
)


def _sheet_url(pk: int) -> str | None:
    try:
        return reverse("transaction_sessions:sheet_detail", kwargs={"sheet_id": pk})
    except NoReverseMatch:  # the page is added with the sheet's views
        return None


register_result_link("collection_sheet", _sheet_url)
