"""The associations' maker–checker request: a change of an entrustment contract's fee terms from
a date. Branch staff or a credit officer ask; a branch manager or controller (never the maker)
approves; the new version then applies from its date and the earlier ones stay in the history."""

from __future__ import annotations

from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from policylend.approvals.registry import ApprovalKind, register, register_result_link
from policylend.core.errors import NotFound
from policylend.users.roles import Capability

from . import rules
from .models import EntrustmentContract
from .rules import TermsInput
from .services import terms_change_apply, terms_change_check

TERMS_CHANGE = rules.TERMS_CHANGE_KIND


def _contract(payload: dict) -> EntrustmentContract:
    contract = (
        EntrustmentContract.objects.select_related("association_unit", "bank_unit")
        .filter(pk=payload.get("contract_id"))
        .first()
    )
    if contract is None:
        raise NotFound("not_found", _("No such entrustment contract in your scope."))
    return contract


def _validate(payload: dict, maker, today: date) -> None:
    terms_change_check(
        actor=maker,
        contract=_contract(payload),
        effective_from=date.fromisoformat(payload["effective_from"]),
        terms=TermsInput.from_payload(payload),
    )


def _apply(request, checker, today: date) -> str:
    version = terms_change_apply(approval=request)
    return f"entrustment_contract:{version.contract_id}"


def _describe(request) -> str:
    payload = request.payload
    terms = TermsInput.from_payload(payload)
    # The payload carries the number, so a list of requests needs no query per row.
    number = payload.get("contract_number") or (
        EntrustmentContract.objects.filter(pk=payload["contract_id"])
        .values_list("number", flat=True)
        .first()
    )
    return _("Contract %(number)s: fee %(rate)s %% a month, split %(split)s %%, from %(day)s") % {
        "number": number or payload["contract_id"],
        "rate": rules.format_percent(terms.fee_rate_monthly * 100),
        "split": " / ".join(rules.format_basis_points(bp) for bp in terms.split_bp),
        "day": rules.format_day(date.fromisoformat(payload["effective_from"])),
    }


register(
    ApprovalKind(
        code=TERMS_CHANGE,
        label=gettext_lazy("Change of an entrustment contract's fee terms"),
        maker_capability=Capability.PROPOSE_TERMS_CHANGE,
        checker_capability=Capability.APPROVE_TERMS_CHANGE,
        validate=_validate,
        apply=_apply,
        describe=_describe,
        detail_template="associations/approval_terms_change.html",
        subject=lambda payload: f"contract:{payload['contract_id']}:{payload['effective_from']}",
    )
)

__all__ = ["TERMS_CHANGE"]

register_result_link(
    "entrustment_contract", lambda pk: reverse("associations:contract_detail", args=[pk])
)
