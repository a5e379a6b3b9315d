"""The programmes' maker–checker request: a new version of a programme's terms from a date.
Branch staff ask; the branch manager (never the maker) approves; the version then applies from
its date and the earlier ones stay in the history."""

from __future__ import annotations

from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from policylend.approvals.registry import ApprovalKind, register, register_result_link
from policylend.users.roles import Capability

from . import rules
from .rules import TermsInput
from .services import terms_change_validate, terms_version_add

TERMS_CHANGE = rules.TERMS_CHANGE_KIND


def _validate(payload: dict, maker, today: date) -> None:
    terms_change_validate(payload)


def _apply(request, checker, today: date) -> str:
    version = terms_version_add(approval=request, checker=checker, today=today)
    return f"programme:{version.programme_id}"


def _describe(request) -> str:
    payload = request.payload
    terms = TermsInput.from_payload(payload)
    if terms.rate_basis == "fixed" and terms.annual_rate is not None:
        rate = _("%(rate)s %% a year") % {"rate": rules.percent_text(terms.annual_rate)}
    else:
        rate = _("%(factor)s × the poor-household rate") % {"factor": terms.rate_factor}
    text = _("Programme %(code)s: %(rate)s, from %(day)s") % {
        "code": payload.get("programme_code") or payload.get("programme_id"),
        "rate": rate,
        "day": rules.format_day(date.fromisoformat(payload["effective_from"])),
    }
    if terms.applies_to_existing:
        text += " · " + _("also for loans already disbursed")
    return text


register(
    ApprovalKind(
        code=TERMS_CHANGE,
        label=gettext_lazy("Change of a programme's terms"),
        maker_capability=Capability.PROPOSE_PROGRAMME_TERMS,
        checker_capability=Capability.APPROVE_PROGRAMME_TERMS,
        validate=_validate,
        apply=_apply,
        describe=_describe,
        detail_template="programmes/approval_terms_change.html",
        subject=lambda payload: f"programme:{payload['programme_id']}",
    )
)

__all__ = ["TERMS_CHANGE"]

register_result_link("programme", lambda pk: reverse("programmes:detail", args=[pk]))
