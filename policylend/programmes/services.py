"""Writes of the programme catalogue: a change of a programme's terms is a new version from a date,
asked by branch staff and approved by the branch manager (maker–checker); a version is never
edited (domain.md §5). Also the programmes' side of an application's eligibility."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from policylend.approvals.models import ApprovalRequest
from policylend.approvals.services import approval_request_create
from policylend.core.errors import DomainError, NotFound, Problem
from policylend.households.models import ClassificationKind
from policylend.organisation.models import OrganisationUnit
from policylend.users import access
from policylend.users.roles import Capability

from . import rules
from .catalogue import POOR_PROGRAMME_CODE
from .eligibility import EligibilityFacts, eligibility_problems
from .error_codes import ProgrammeErrorCode as E
from .models import Programme, ProgrammeTerms
from .rules import TermsInput
from .signals import terms_version_added

# Lists that describe where a household lives rather than who it is.
AREA_KINDS = frozenset({ClassificationKind.DISADVANTAGED_AREA.value})


class _Unchanged:
    def __repr__(self) -> str:
        return "UNCHANGED"


UNCHANGED: Any = _Unchanged()


def _known_lists() -> dict:
    return {
        "known_classifications": set(ClassificationKind.values),
        "known_areas": AREA_KINDS,
    }


def _latest(programme: Programme) -> ProgrammeTerms | None:
    return ProgrammeTerms.objects.filter(programme=programme).order_by("-effective_from").first()


def _substance(terms: TermsInput) -> dict:
    """The terms themselves: a version that only changes the note, or says the same terms apply
    to existing loans, changes nothing."""
    payload = terms.as_payload()
    payload.pop("note")
    payload.pop("applies_to_existing")
    return payload


def terms_change_check(*, programme: Programme, effective_from: date, terms: TermsInput) -> None:
    """The rules of a new version, checked when it is asked for and again when it is approved:
    valid terms (rate 0–20 % a year or a factor of the poor-household rate, positive maximum,
    term with its instalments and grace, known certified lists), starting after the latest
    version, and different from it."""
    problems = rules.terms_problems(terms, **_known_lists())
    if programme.code == POOR_PROGRAMME_CODE and terms.rate_basis != "fixed":
        problems.append(
            Problem(
                E.RATE_BASIS,
                _("The poor-household programme's rate is the one others refer to; it is fixed."),
                "rate_basis",
            )
        )
    latest = _latest(programme)
    problems += rules.terms_date_problems(effective_from, latest.effective_from if latest else None)
    if (
        not problems
        and latest is not None
        and _substance(TermsInput.of(latest)) == _substance(terms)
    ):
        problems.append(
            Problem(
                E.TERMS_UNCHANGED,
                _("These are the terms in force from %(day)s; change something.")
                % {"day": rules.format_day(latest.effective_from)},
                "terms",
            )
        )
    if problems:
        raise DomainError.of(problems)


def _request_unit(actor) -> OrganisationUnit:
    """The catalogue is the same for every branch; the request belongs to the maker's branch, so
    that branch's manager checks it."""
    scope = access.scope_of(actor)
    unit = OrganisationUnit.objects.filter(pk=scope.branch_id).first() if scope.branch_id else None
    if unit is None:
        raise DomainError(
            E.NO_BRANCH, _("A change of terms is asked for by the staff of a branch."), "actor"
        )
    return unit


def terms_change_payload(programme: Programme, effective_from: date, terms: TermsInput) -> dict:
    return {
        "programme_id": programme.pk,
        "programme_code": programme.code,
        "effective_from": effective_from.isoformat(),
        **terms.as_payload(),
    }


def terms_change_propose(
    *,
    actor,
    programme: Programme,
    effective_from: date,
    today: date,
    rate_basis: str = UNCHANGED,
    annual_rate: Decimal | None = UNCHANGED,
    rate_factor: Decimal | None = UNCHANGED,
    overdue_factor: Decimal = UNCHANGED,
    amount_max: int = UNCHANGED,
    amount_basis: str = UNCHANGED,
    amount_share: Decimal | None = UNCHANGED,
    term_months_max: int = UNCHANGED,
    repayment_mode: str = UNCHANGED,
    repayment_interval_months: int = UNCHANGED,
    grace_months: int = UNCHANGED,
    eligible_classifications: Collection[str] = UNCHANGED,
    eligible_areas: Collection[str] = UNCHANGED,
    applies_to_existing: bool = False,
    note: str = "",
    maker_note: str = "",
    idempotency_key: str = "",
) -> ApprovalRequest:
    """Ask for a new version of the programme's terms from ``effective_from``. A field not given
    keeps the latest version's value. Nothing changes until a checker (branch manager, never the
    maker) approves; the new version then applies from its date — to loans already disbursed too
    when ``applies_to_existing`` — and the earlier versions stay as they were."""
    access.require(actor, Capability.PROPOSE_PROGRAMME_TERMS)
    given = {
        "rate_basis": rate_basis,
        "annual_rate": annual_rate,
        "rate_factor": rate_factor,
        "overdue_factor": overdue_factor,
        "amount_max": amount_max,
        "amount_basis": amount_basis,
        "amount_share": amount_share,
        "term_months_max": term_months_max,
        "repayment_mode": repayment_mode,
        "repayment_interval_months": repayment_interval_months,
        "grace_months": grace_months,
        "eligible_classifications": eligible_classifications,
        "eligible_areas": eligible_areas,
        "applies_to_existing": applies_to_existing,
        "note": (note or "").strip(),
    }
    latest = _latest(programme)
    base = TermsInput.of(latest).as_payload() if latest is not None else TermsInput().as_payload()
    payload = {**base, **{k: v for k, v in given.items() if v is not UNCHANGED}}
    terms = TermsInput.from_payload(
        {
            **payload,
            "eligible_classifications": list(payload["eligible_classifications"] or ()),
            "eligible_areas": list(payload["eligible_areas"] or ()),
        }
    )
    return approval_request_create(
        kind=rules.TERMS_CHANGE_KIND,
        payload=terms_change_payload(programme, effective_from, terms),
        unit=_request_unit(actor),
        maker=actor,
        today=today,
        note=maker_note,
        idempotency_key=idempotency_key,
    )


def _programme_of(payload: dict, *, lock: bool = False) -> Programme:
    programmes = Programme.objects.select_for_update() if lock else Programme.objects
    programme = programmes.filter(pk=payload.get("programme_id")).first()
    if programme is None:
        raise NotFound("not_found", _("No such programme."))
    return programme


def terms_change_validate(payload: dict) -> None:
    terms_change_check(
        programme=_programme_of(payload),
        effective_from=date.fromisoformat(payload["effective_from"]),
        terms=TermsInput.from_payload(payload),
    )


def terms_version_add(*, approval: ApprovalRequest, checker, today: date) -> ProgrammeTerms:
    """Write the approved version (inside the approval's transaction) after checking the rules
    once more against the catalogue as it is now. A version that applies to existing loans is
    announced with ``terms_version_added`` so the loans app reprices them in the same
    transaction."""
    payload = approval.payload
    with transaction.atomic():
        programme = _programme_of(payload, lock=True)
        effective_from = date.fromisoformat(payload["effective_from"])
        terms = TermsInput.from_payload(payload)
        terms_change_check(programme=programme, effective_from=effective_from, terms=terms)
        values = terms.as_payload()
        try:
            with transaction.atomic():
                version = ProgrammeTerms.objects.create(
                    programme=programme,
                    effective_from=effective_from,
                    rate_basis=terms.rate_basis,
                    annual_rate=terms.annual_rate,
                    rate_factor=terms.rate_factor,
                    overdue_factor=terms.overdue_factor,
                    amount_max=terms.amount_max,
                    amount_basis=terms.amount_basis,
                    amount_share=terms.amount_share,
                    term_months_max=terms.term_months_max,
                    repayment_mode=terms.repayment_mode,
                    repayment_interval_months=terms.repayment_interval_months,
                    grace_months=terms.grace_months,
                    eligible_classifications=values["eligible_classifications"],
                    eligible_areas=values["eligible_areas"],
                    applies_to_existing=terms.applies_to_existing,
                    note=terms.note,
                    approval=approval,
                    recorded_by=checker,
                )
        except IntegrityError:
            raise DomainError(
                E.DATE_NOT_AFTER_LATEST,
                _("The programme already has a version from %(day)s.")
                % {"day": rules.format_day(effective_from)},
                "effective_from",
            ) from None
        if version.applies_to_existing:
            terms_version_added.send(
                sender=ProgrammeTerms, version=version, actor=checker, today=today
            )
    return version


# --- eligibility of an application ------------------------------------------------------------------


def application_check(
    *,
    programme: Programme,
    terms: ProgrammeTerms,
    year: int,
    classifications: Collection[str],
    amount: int,
    term_months: int,
    outstanding: int = 0,
    other_applications: int = 0,
    group_active: bool | None = True,
    programme_fields: Mapping[str, object] | None = None,
    workers: int = 0,
) -> list[Problem]:
    """The programme's side of an application's eligibility (no query): the household's
    certified lists for the year of the application, the programme's limits counting what it
    already owes and asks under the same programme, the programme fields and the group's status.
    ``workers`` counts as the programme field of the same name when the fields do not give it."""
    fields = dict(programme_fields or {})
    if workers and not fields.get("workers"):
        fields["workers"] = workers
    facts = EligibilityFacts(
        programme_code=programme.code,
        year=year,
        amount=amount,
        term_months=term_months,
        classifications=frozenset(classifications),
        outstanding=outstanding,
        other_applications=other_applications,
        group_active=group_active,
        channel=programme.channel,
        programme_open=programme.is_active,
        required_fields=tuple(programme.extra_fields or ()),
        fields=fields,
    )
    return eligibility_problems(facts, terms, labels=dict(ClassificationKind.choices))
