"""The facts eligibility is judged on (a household's certified lists for the year, what its other
loans under the programme already take) and the judgement, at application and again when the
decision is approved."""

from __future__ import annotations

from datetime import date

from django.db.models import BigIntegerField, Case, F, Sum, Value, When
from django.db.models.functions import Coalesce

from policylend.core.errors import DomainError
from policylend.households.models import Classification, ClassificationKind, Household
from policylend.programmes.eligibility import EligibilityFacts, eligibility_problems
from policylend.programmes.models import Programme, ProgrammeTerms

from ..models import ACTIVE_STATUSES, Loan, LoanStatus

# Loans that no longer count toward a programme's maximum.
CLOSED_STATUSES = (LoanStatus.REJECTED, LoanStatus.SETTLED, LoanStatus.WRITTEN_OFF)


def classifications_of(household: Household, year: int) -> set[str]:
    return set(
        Classification.objects.filter(household=household, year=year).values_list("kind", flat=True)
    )


def other_loans(household: Household, programme: Programme, exclude: int | None) -> tuple[int, int]:
    """What the household's other open loans under the programme take: the principal still owed
    on disbursed loans, and the approved (else requested) amounts of open applications."""
    loans = Loan.objects.filter(household=household, programme=programme).exclude(
        status__in=CLOSED_STATUSES
    )
    if exclude is not None:
        loans = loans.exclude(pk=exclude)
    totals = loans.aggregate(
        outstanding=Sum(
            Case(
                When(
                    status__in=ACTIVE_STATUSES,
                    then=F("principal_in_term") + F("principal_overdue") + F("principal_frozen"),
                ),
                default=Value(0),
                output_field=BigIntegerField(),
            )
        ),
        asked=Sum(
            Case(
                When(status__in=ACTIVE_STATUSES, then=Value(0)),
                default=Coalesce(F("amount_approved"), F("amount_requested")),
                output_field=BigIntegerField(),
            )
        ),
    )
    return int(totals["outstanding"] or 0), int(totals["asked"] or 0)


def eligibility_check(
    *,
    household: Household,
    programme: Programme,
    terms: ProgrammeTerms,
    amount: int,
    term_months: int,
    fields: dict,
    day: date,
    exclude_loan: int | None = None,
) -> None:
    """The programme's rules (``programmes.eligibility``) against the household's facts on
    ``day``: its certified lists for that year, what its other open loans under the programme
    owe or ask. The group and the programme fields are checked by the caller."""
    outstanding, asked = other_loans(household, programme, exclude_loan)
    facts = EligibilityFacts(
        programme_code=programme.code,
        year=day.year,
        amount=amount,
        term_months=term_months,
        classifications=frozenset(classifications_of(household, day.year)),
        outstanding=outstanding,
        other_applications=asked,
        group_active=True,
        channel=programme.channel,
        programme_open=programme.is_active,
        fields=fields,
    )
    labels = {kind.value: str(kind.label) for kind in ClassificationKind}
    problems = eligibility_problems(facts, terms, labels)
    if problems:
        raise DomainError.of(problems)
