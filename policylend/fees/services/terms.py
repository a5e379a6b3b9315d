"""Changing the group commission terms (maker–checker): a group's own rate, or the branch's
default, from a date."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from policylend.approvals.models import ApprovalRequest
from policylend.approvals.services import approval_request_create
from policylend.core.errors import DomainError, Problem
from policylend.core.periods import day_text
from policylend.groups.models import SavingsGroup
from policylend.users import access
from policylend.users.roles import Capability

from .. import rules
from ..error_codes import FeeError as E
from ..models import CommissionTerms


def commission_terms_problems(
    *,
    actor,
    branch,
    group: SavingsGroup | None,
    effective_from: date,
    rate: Decimal,
    contract_number: str,
) -> list[Problem]:
    problems = []
    if not rules.commission_rate_ok(rate):
        problems.append(
            Problem(
                E.RATE_RANGE,
                _(
                    "The commission is more than 0 %% and at most 100 %% of the interest collected; %(rate)s %% is not."
                )
                % {
                    "rate": (rate * 100).normalize()
                    if isinstance(rate, Decimal) and rate.is_finite()
                    else "—"
                },
                "rate",
            )
        )
    if len(contract_number or "") > 40:
        problems.append(
            Problem(
                E.CONTRACT_NUMBER,
                _("The contract number may have at most 40 characters."),
                "contract_number",
            )
        )
    if group is not None and group.branch_id != branch.pk:
        problems.append(Problem(E.GROUP_BRANCH, _("The group is not of this branch."), "group"))
    latest = (
        CommissionTerms.objects.filter(branch=branch, group=group)
        .order_by("-effective_from")
        .values_list("effective_from", flat=True)
        .first()
    )
    if latest is not None and effective_from <= latest:
        problems.append(
            Problem(
                E.TERMS_DATE,
                _(
                    "The new terms must apply from a day after %(day)s, when the latest terms took effect."
                )
                % {"day": day_text(latest)},
                "effective_from",
            )
        )
    return problems


def commission_terms_payload(*, branch, group, effective_from, rate, contract_number) -> dict:
    return {
        "branch_id": branch.pk,
        "group_id": group.pk if group is not None else None,
        "group_code": group.code if group is not None else "",
        "effective_from": effective_from.isoformat(),
        "rate": str(rate),
        "contract_number": (contract_number or "").strip(),
    }


def commission_terms_propose(
    *,
    actor,
    branch,
    group: SavingsGroup | None,
    effective_from: date,
    rate: Decimal,
    contract_number: str = "",
    today: date,
    note: str = "",
    idempotency_key: str = "",
) -> ApprovalRequest:
    """Ask for a group's commission rate (or the branch default, ``group`` None) from a date;
    a branch manager (never the maker) approves."""
    access.require(actor, Capability.PROPOSE_COMMISSION_TERMS)
    access.require_unit(actor, group.commune if group is not None else branch)
    problems = commission_terms_problems(
        actor=actor,
        branch=branch,
        group=group,
        effective_from=effective_from,
        rate=rate,
        contract_number=contract_number,
    )
    if problems:
        raise DomainError.of(problems)
    return approval_request_create(
        kind=rules.COMMISSION_TERMS_KIND,
        payload=commission_terms_payload(
            branch=branch,
            group=group,
            effective_from=effective_from,
            rate=rate,
            contract_number=contract_number,
        ),
        unit=group.office if group is not None else branch,
        maker=actor,
        today=today,
        note=note,
        idempotency_key=idempotency_key,
    )


def commission_terms_apply(*, approval: ApprovalRequest) -> CommissionTerms:
    from policylend.organisation.models import OrganisationUnit

    payload = approval.payload
    with transaction.atomic():
        branch = OrganisationUnit.objects.select_for_update().get(pk=payload["branch_id"])
        group = (
            SavingsGroup.objects.get(pk=payload["group_id"]) if payload.get("group_id") else None
        )
        effective_from = date.fromisoformat(payload["effective_from"])
        rate = Decimal(payload["rate"])
        problems = commission_terms_problems(
            actor=approval.maker,
            branch=branch,
            group=group,
            effective_from=effective_from,
            rate=rate,
            contract_number=payload.get("contract_number", ""),
        )
        if problems:
            raise DomainError.of(problems)
        return CommissionTerms.objects.create(
            branch=branch,
            group=group,
            contract_number=payload.get("contract_number", ""),
            effective_from=effective_from,
            rate=rate,
            approval=approval,
            created_by=approval.maker,
        )
