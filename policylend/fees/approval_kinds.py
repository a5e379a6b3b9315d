"""The fees' maker–checker request: a group's commission rate (or the branch default) from a
date. A credit officer or branch staff ask; a branch manager (never the maker) approves."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from policylend.approvals.registry import ApprovalKind, register, register_result_link
from policylend.core.errors import DomainError, NotFound
from policylend.groups.models import SavingsGroup
from policylend.organisation.models import OrganisationUnit
from policylend.users.roles import Capability

from . import rules
from .services import (
    commission_terms_apply,
    commission_terms_problems,
    payment_reversal_apply,
    payment_reversal_check,
)

COMMISSION_TERMS = rules.COMMISSION_TERMS_KIND
REVERSAL = rules.REVERSAL_KIND


def _validate(payload: dict, maker, today: date) -> None:
    branch = OrganisationUnit.objects.filter(pk=payload.get("branch_id")).first()
    if branch is None:
        raise NotFound("not_found", _("No such branch."))
    group = None
    if payload.get("group_id"):
        group = SavingsGroup.objects.filter(pk=payload["group_id"]).first()
        if group is None:
            raise NotFound("not_found", _("No such group in your scope."))
    problems = commission_terms_problems(
        actor=maker,
        branch=branch,
        group=group,
        effective_from=date.fromisoformat(payload["effective_from"]),
        rate=Decimal(payload["rate"]),
        contract_number=payload.get("contract_number", ""),
    )
    if problems:
        raise DomainError.of(problems)


def _apply(request, checker, today: date) -> str:
    terms = commission_terms_apply(approval=request)
    return f"commission_terms:{terms.pk}"


def _describe(request) -> str:
    payload = request.payload
    rate = (Decimal(payload["rate"]) * 100).normalize()
    day = date.fromisoformat(payload["effective_from"]).strftime("%d/%m/%Y")
    if payload.get("group_code"):
        return _(
            "Commission of group %(group)s: %(rate)s %% of the interest collected, from %(day)s"
        ) % {
            "group": payload["group_code"],
            "rate": rate,
            "day": day,
        }
    return _("Default group commission: %(rate)s %% of the interest collected, from %(day)s") % {
        "rate": rate,
        "day": day,
    }


register(
    ApprovalKind(
        code=COMMISSION_TERMS,
        label=gettext_lazy("Change of a group's commission rate"),
        maker_capability=Capability.PROPOSE_COMMISSION_TERMS,
        checker_capability=Capability.APPROVE_COMMISSION_TERMS,
        validate=_validate,
        apply=_apply,
        describe=_describe,
        subject=lambda payload: (
            f"commission_terms:{payload['branch_id']}:{payload.get('group_id')}:"
            f"{payload['effective_from']}"
        ),
    )
)


def _validate_reversal(payload: dict, maker, today: date) -> None:
    payment_reversal_check(actor=maker, entry_id=payload["entry_id"], reason=payload["reason"])


def _apply_reversal(request, checker, today: date) -> str:
    entry = payment_reversal_apply(approval=request, checker=checker, today=today)
    return f"journal_entry:{entry.pk}"


def _describe_reversal(request) -> str:
    return _("Reversal of the commission or fee payment #%(id)d: %(reason)s") % {
        "id": request.payload["entry_id"],
        "reason": request.payload["reason"],
    }


register(
    ApprovalKind(
        code=REVERSAL,
        label=gettext_lazy("Reversal of a commission or fee payment"),
        maker_capability=Capability.PAY_FEES,
        checker_capability=Capability.CHECK_SESSION_CLOSING,
        validate=_validate_reversal,
        apply=_apply_reversal,
        describe=_describe_reversal,
        subject=lambda payload: f"fees_reversal:{payload['entry_id']}",
    )
)

register_result_link("commission_terms", lambda pk: reverse("fees:terms_list"))
