"""The loan application (Form 01/TD, domain.md §6.1): recorded through the household's group,
checked against the programme's terms in force that day, numbered at once.

Every refusal names the rule and the numbers: which certified list the programme asks for and
for which year, the programme's maximum and what the household's other loans under it already
take, the term allowed, the fields the programme needs.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from policylend.core.errors import DomainError, NotFound, Problem
from policylend.core.money import AMOUNT_MAX
from policylend.groups.models import GroupMembership, GroupStatus
from policylend.households.models import Household, HouseholdStatus, Person
from policylend.programmes.models import FundingSource, Programme
from policylend.programmes.selectors import terms_on
from policylend.users import access
from policylend.users.roles import Capability

from ..error_codes import OriginationErrorCode as E
from ..models import Loan, LoanStatus, LoanStatusChange
from .eligibility_facts import eligibility_check
from .numbering import loan_number_next

PURPOSE_LENGTH_MAX = 300
PLAN_LENGTH_MAX = 4000
FIELD_LENGTH_MAX = 200
TERM_MONTHS_MAX = 600
WORKERS_MAX = 100_000

# Programme fields that hold a positive whole number, and the one that holds a date.
NUMBER_FIELDS = {"workers", "study_months", "facilities", "contract_value"}
DATE_FIELDS = {"course_end"}


def format_day(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def _open_membership(household: Household, applied_on: date) -> GroupMembership:
    membership = (
        GroupMembership.objects.select_related("group__association_unit")
        .filter(household=household, joined_on__lte=applied_on)
        .filter(Q(left_on__isnull=True) | Q(left_on__gt=applied_on))
        .order_by("-joined_on")
        .first()
    )
    if membership is None or membership.left_on is not None:
        raise DomainError(
            E.NOT_GROUP_MEMBER,
            _(
                "Household %(household)s is not a member of a savings-and-loan group on %(day)s; "
                "a loan is applied for through the household's group."
            )
            % {"household": household.code, "day": format_day(applied_on)},
            "household",
        )
    group = membership.group
    if group.status != GroupStatus.ACTIVE:
        raise DomainError(
            E.GROUP_CLOSED,
            _("The group %(group)s is %(status)s; a closed group takes no application.")
            % {"group": group, "status": group.get_status_display().lower()},
            "household",
        )
    return membership


def _borrower(household: Household, borrower: Person | None) -> Person:
    if borrower is None:
        borrower = household.head
    if borrower is None or borrower.household_id != household.pk or not borrower.is_active:
        raise DomainError(
            E.BORROWER_NOT_MEMBER,
            _("The borrower must be a present member of household %(household)s.")
            % {"household": household.code},
            "borrower",
        )
    return borrower


def _input_problems(
    *, programme: Programme, amount, term_months, purpose: str, plan: str, funding_source: str
) -> list[Problem]:
    problems = []
    if not isinstance(amount, int) or amount <= 0 or amount > AMOUNT_MAX:
        problems.append(
            Problem(E.AMOUNT_INVALID, _("The amount must be a positive whole amount."), "amount")
        )
    if not isinstance(term_months, int) or not 1 <= term_months <= TERM_MONTHS_MAX:
        problems.append(
            Problem(
                E.TERM_INVALID,
                _("The term must be between 1 and %(n)d months.") % {"n": TERM_MONTHS_MAX},
                "term_months",
            )
        )
    if not purpose:
        problems.append(Problem(E.TEXT_INVALID, _("Write what the loan is for."), "purpose"))
    for name, text, limit in (
        ("purpose", purpose, PURPOSE_LENGTH_MAX),
        ("plan", plan, PLAN_LENGTH_MAX),
    ):
        if len(text) > limit:
            problems.append(
                Problem(
                    E.TEXT_INVALID,
                    _("This text may have at most %(n)d characters; it has %(length)d.")
                    % {"n": limit, "length": len(text)},
                    name,
                )
            )
    allowed = programme.funding_sources or [FundingSource.CENTRAL]
    if funding_source not in allowed:
        problems.append(
            Problem(
                E.FUNDING_SOURCE,
                _("The programme %(programme)s is funded from: %(sources)s.")
                % {
                    "programme": programme.code,
                    "sources": ", ".join(str(FundingSource(s).label) for s in allowed),
                },
                "funding_source",
            )
        )
    return problems


def programme_field_values(
    programme: Programme, fields: dict, workers: int
) -> tuple[dict, list[Problem]]:
    """The programme's own fields (domain.md §5), cleaned: required ones present, numbers
    positive whole numbers, the course's end an ISO date. Unknown keys are dropped."""
    from policylend.programmes.models import ProgrammeField

    cleaned: dict = {}
    problems: list[Problem] = []
    for name in programme.extra_fields or []:
        label = ProgrammeField(name).label if name in ProgrammeField.values else name
        value = fields.get(name)
        if name == "workers" and value in (None, "") and workers:
            value = workers
        if value is None or (isinstance(value, str) and not value.strip()):
            problems.append(
                Problem(
                    E.FIELD_REQUIRED,
                    _("The programme %(programme)s needs this field: %(field)s.")
                    % {"programme": programme.code, "field": label},
                    f"programme_fields.{name}",
                )
            )
            continue
        try:
            if name in NUMBER_FIELDS:
                value = int(str(value).replace(".", "").strip())
                if value <= 0:
                    raise ValueError
            elif name in DATE_FIELDS:
                value = (
                    value if isinstance(value, date) else date.fromisoformat(str(value).strip())
                ).isoformat()
            else:
                value = str(value).strip()
                if len(value) > FIELD_LENGTH_MAX:
                    raise ValueError
        except ValueError:
            problems.append(
                Problem(
                    E.FIELD_INVALID,
                    _("%(field)s: the value %(value)s is not valid.")
                    % {"field": label, "value": str(fields.get(name))[:40]},
                    f"programme_fields.{name}",
                )
            )
            continue
        cleaned[name] = value
    return cleaned, problems


def loan_apply(
    *,
    actor,
    household: Household,
    programme: Programme,
    amount: int,
    term_months: int,
    purpose: str,
    plan: str = "",
    programme_fields: dict | None = None,
    workers: int = 0,
    funding_source: str = "central",
    applied_on: date,
    borrower: Person | None = None,
) -> Loan:
    """Record an application through the household's group (Form 01/TD, domain.md §6.1).

    The household must be an active member of an active group that day; the loan belongs to
    that group and its association unit. Eligibility and limits are those of the programme's
    terms in force on ``applied_on``; the household's other loans under the programme that are
    not rejected, settled or written off count toward the maximum."""
    access.require(actor, Capability.RECORD_LOAN_APPLICATIONS)
    if not access.unit_visible(actor, household.village):
        raise NotFound(E.HOUSEHOLD_UNKNOWN, _("No such household in your scope."), "household")
    purpose, plan = (purpose or "").strip(), (plan or "").strip()
    if applied_on > timezone.localdate():
        raise DomainError(
            E.DATE_INVALID,
            _("The application date %(day)s is in the future.") % {"day": format_day(applied_on)},
            "applied_on",
        )
    with transaction.atomic():
        # The household's row serialises its applications: the limit counts what is there.
        household = Household.objects.select_for_update().get(pk=household.pk)
        if household.status != HouseholdStatus.ACTIVE:
            raise DomainError(
                E.HOUSEHOLD_INACTIVE,
                _("Household %(household)s is %(status)s; only an active household borrows.")
                % {
                    "household": household.code,
                    "status": household.get_status_display().lower(),
                },
                "household",
            )
        membership = _open_membership(household, applied_on)
        borrower = _borrower(household, borrower)
        problems = _input_problems(
            programme=programme,
            amount=amount,
            term_months=term_months,
            purpose=purpose,
            plan=plan,
            funding_source=funding_source,
        )
        fields, field_problems = programme_field_values(programme, programme_fields or {}, workers)
        problems += field_problems
        if problems:
            raise DomainError.of(problems)
        if "workers" in fields:
            workers = fields["workers"]
        if not 0 <= workers <= WORKERS_MAX:
            raise DomainError(E.FIELD_INVALID, _("The number of workers is not valid."), "workers")
        terms = terms_on(programme, applied_on)
        eligibility_check(
            household=household,
            programme=programme,
            terms=terms,
            amount=amount,
            term_months=term_months,
            fields=fields,
            day=applied_on,
        )
        group = membership.group
        loan = Loan.objects.create(
            number=loan_number_next(household.office, applied_on),
            household=household,
            borrower=borrower,
            group=group,
            association_unit=group.association_unit,
            programme=programme,
            terms=terms,
            funding_source=funding_source,
            branch_id=household.branch_id,
            office_id=household.office_id,
            commune_id=household.commune_id,
            village_id=household.village_id,
            amount_requested=amount,
            term_months=term_months,
            repayment_interval_months=terms.repayment_interval_months,
            purpose=purpose,
            plan=plan,
            programme_fields=fields,
            workers=workers,
            applied_on=applied_on,
            status=LoanStatus.APPLIED,
            status_changed_on=applied_on,
            created_by=actor,
        )
        LoanStatusChange.objects.create(
            loan=loan,
            from_status="",
            to_status=LoanStatus.APPLIED,
            changed_on=applied_on,
            changed_by=actor,
        )
    return loan


__all__ = ["loan_apply", "programme_field_values"]
