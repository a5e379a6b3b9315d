"""Entrustment contracts between the bank and an association unit, and their fee terms: the first
version is signed with the contract; every later version is a maker–checker request that takes
effect from its date once a checker approves it (domain.md §2)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from policylend.approvals.models import ApprovalRequest
from policylend.approvals.services import approval_request_create
from policylend.core.errors import DomainError, NotFound, Problem
from policylend.organisation.models import OrganisationUnit, UnitKind
from policylend.users import access
from policylend.users.roles import Capability

from .. import rules, selectors
from ..error_codes import AssociationErrorCode as E
from ..models import (
    AssociationLevel,
    AssociationUnit,
    ContractStatus,
    EntrustmentContract,
    EntrustmentTask,
    EntrustmentTerms,
)
from ..rules import TermsInput
from .checks import require_association_unit


def expected_bank_unit(association_unit: AssociationUnit) -> OrganisationUnit:
    """Who signs for the bank (domain.md §2): the branch with the province level, the transaction
    office with the district level and with the communes under it."""
    place = association_unit.unit
    if association_unit.level == AssociationLevel.COMMUNE:
        return place.parent
    return place


def _bank_unit_problems(
    association_unit: AssociationUnit, bank_unit: OrganisationUnit
) -> list[Problem]:
    if bank_unit.kind not in (UnitKind.BRANCH, UnitKind.OFFICE):
        return [
            Problem(
                E.BANK_UNIT_KIND,
                _("The bank signs at the branch or a transaction office; %(unit)s is neither.")
                % {"unit": bank_unit},
                "bank_unit",
            )
        ]
    expected = expected_bank_unit(association_unit)
    if expected is None or bank_unit.pk != expected.pk:
        return [
            Problem(
                E.BANK_UNIT_MISMATCH,
                _("%(association_unit)s signs its contract with %(expected)s, not %(unit)s.")
                % {
                    "association_unit": association_unit,
                    "expected": expected or "—",
                    "unit": bank_unit,
                },
                "bank_unit",
            )
        ]
    return []


def _number_problems(number: str, branch_id: int) -> list[Problem]:
    if number and EntrustmentContract.objects.filter(branch_id=branch_id, number=number).exists():
        return [
            Problem(
                E.NUMBER_TAKEN,
                _("The branch already has a contract numbered %(number)s.") % {"number": number},
                "number",
            )
        ]
    return []


def _terms_row(contract: EntrustmentContract, effective_from: date, terms: TermsInput, approval):
    central, province, district, commune = terms.split_bp
    return EntrustmentTerms(
        contract=contract,
        effective_from=effective_from,
        fee_rate_monthly=terms.fee_rate_monthly,
        split_central_bp=central,
        split_province_bp=province,
        split_district_bp=district,
        split_commune_bp=commune,
        reductions=[reduction.as_dict() for reduction in terms.reductions],
        approval=approval,
    )


def contract_create(
    *,
    actor,
    association_unit: AssociationUnit,
    bank_unit: OrganisationUnit,
    number: str,
    signed_on: date,
    valid_from: date,
    valid_to: date | None = None,
    tasks: Sequence[str],
    terms: TermsInput,
) -> EntrustmentContract:
    """Record a contract signed by the bank with an association unit, its entrusted tasks and
    its first fee terms, in force from the day the contract is."""
    access.require(actor, Capability.MANAGE_ASSOCIATIONS)
    access.require_unit(actor, bank_unit)
    require_association_unit(actor, association_unit)
    number = (number or "").strip()
    tasks = list(dict.fromkeys(tasks or ()))
    problems = rules.contract_problems(
        number=number,
        signed_on=signed_on,
        valid_from=valid_from,
        valid_to=valid_to,
        tasks=tasks,
        known_tasks=EntrustmentTask.values,
    )
    if not association_unit.is_active:
        problems.append(
            Problem(
                E.UNIT_INACTIVE,
                _("%(unit)s is no longer active.") % {"unit": association_unit},
                "association_unit",
            )
        )
    problems += _bank_unit_problems(association_unit, bank_unit)
    problems += rules.terms_problems(terms)
    problems += _number_problems(number, bank_unit.branch_id)
    if problems:
        raise DomainError.of(problems)
    try:
        with transaction.atomic():
            contract = EntrustmentContract.objects.create(
                number=number,
                association_unit=association_unit,
                bank_unit=bank_unit,
                branch_id=bank_unit.branch_id,
                signed_on=signed_on,
                valid_from=valid_from,
                valid_to=valid_to,
                tasks=tasks,
                created_by=actor,
            )
            _terms_row(contract, valid_from, terms, None).save()
    except IntegrityError:
        # Another contract with the same number was recorded at the same moment.
        raise DomainError.of(
            _number_problems(number, bank_unit.branch_id)
            or [Problem(E.NUMBER_TAKEN, _("The contract number is already used."), "number")]
        ) from None
    return contract


# --- a change of terms (maker–checker) --------------------------------------------------------------


def _latest_effective_from(contract: EntrustmentContract) -> date | None:
    return (
        EntrustmentTerms.objects.filter(contract=contract)
        .order_by("-effective_from")
        .values_list("effective_from", flat=True)
        .first()
    )


def _same_terms(version: EntrustmentTerms | None, terms: TermsInput) -> bool:
    return version is not None and (
        version.fee_rate_monthly == terms.fee_rate_monthly
        and tuple(version.split) == tuple(terms.split_bp)
        and list(version.reductions) == [r.as_dict() for r in terms.reductions]
    )


def _require_visible_contract(actor, contract: EntrustmentContract) -> None:
    if not selectors.contract_list(actor).filter(pk=contract.pk).exists():
        raise NotFound("not_found", _("No such entrustment contract in your scope."))


def terms_change_check(
    *, actor, contract: EntrustmentContract, effective_from: date, terms: TermsInput
) -> None:
    """The rules of a change of terms, checked when it is asked for and again when approved: the
    contract is in force, the new terms are valid and differ from the latest, and they take
    effect inside the contract's validity after the latest version."""
    _require_visible_contract(actor, contract)
    problems: list[Problem] = []
    if contract.status != ContractStatus.ACTIVE:
        problems.append(
            Problem(
                E.CONTRACT_ENDED,
                _("Contract %(number)s has ended; its terms no longer change.")
                % {"number": contract.number},
                "contract",
            )
        )
    problems += rules.terms_problems(terms)
    problems += rules.terms_date_problems(
        effective_from,
        valid_from=contract.valid_from,
        valid_to=contract.valid_to,
        latest_effective_from=_latest_effective_from(contract),
    )
    latest = EntrustmentTerms.objects.filter(contract=contract).order_by("-effective_from").first()
    if not problems and _same_terms(latest, terms):
        problems.append(
            Problem(
                E.TERMS_UNCHANGED,
                _("These are the terms already in force from %(day)s; change something.")
                % {"day": rules.format_day(latest.effective_from)},
                "terms",
            )
        )
    if problems:
        raise DomainError.of(problems)


def terms_change_payload(contract: EntrustmentContract, effective_from: date, terms: TermsInput):
    return {
        "contract_id": contract.pk,
        "contract_number": contract.number,
        "effective_from": effective_from.isoformat(),
        **terms.as_payload(),
    }


def terms_change_request(
    *,
    actor,
    contract: EntrustmentContract,
    effective_from: date,
    terms: TermsInput,
    today: date,
    note: str = "",
    idempotency_key: str = "",
) -> ApprovalRequest:
    """Ask for new fee terms from a date. Nothing changes until a checker (branch manager or
    controller, never the maker) approves; then the new version applies from its date and the
    earlier ones stay in the history."""
    access.require(actor, Capability.PROPOSE_TERMS_CHANGE)
    _require_visible_contract(actor, contract)
    return approval_request_create(
        kind=rules.TERMS_CHANGE_KIND,
        payload=terms_change_payload(contract, effective_from, terms),
        unit=contract.bank_unit,
        maker=actor,
        today=today,
        note=note,
        idempotency_key=idempotency_key,
    )


def terms_change_apply(*, approval: ApprovalRequest) -> EntrustmentTerms:
    """Write the approved version (inside the approval's transaction), after checking the rules
    once more against the contract as it is now."""
    payload = approval.payload
    with transaction.atomic():
        contract = (
            EntrustmentContract.objects.select_for_update()
            .select_related("association_unit", "bank_unit")
            .get(pk=payload["contract_id"])
        )
        effective_from = date.fromisoformat(payload["effective_from"])
        terms = TermsInput.from_payload(payload)
        terms_change_check(
            actor=approval.maker, contract=contract, effective_from=effective_from, terms=terms
        )
        version = _terms_row(contract, effective_from, terms, approval)
        version.save()
    return version
