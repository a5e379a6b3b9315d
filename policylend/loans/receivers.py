"""Receivers of other apps' signals, run in the sender's database transaction.

* A new version of a programme's terms that applies to loans already disbursed (social housing
  5.4 % from 10/10/2025, domain.md §5) reprices every active loan of the programme from the
  version's date: the interest up to that day is carried at the old rate first.
* When the organisation tree changes (a village moves, communes merge), each loan's commune,
  office and branch follow its village, like the households' own (households/receivers.py).
"""

from __future__ import annotations

from datetime import date, timedelta

from django.dispatch import receiver

from policylend.associations.models import InspectionReason
from policylend.associations.signals import supervision_plan_built
from policylend.core.periods import add_months
from policylend.organisation.places import place_columns_refresh
from policylend.organisation.signals import unit_merged, unit_moved
from policylend.programmes.signals import terms_version_added

from .models import ACTIVE_STATUSES, Loan, LoanRate


@receiver(terms_version_added, dispatch_uid="loans_reprice_existing")
def reprice_existing_loans(sender, version, actor=None, today=None, **kwargs):
    """Give every active loan of the programme disbursed under an earlier version the new rate
    from the version's date (or from the first day whose interest is not carried yet, for a
    version dated back). Interest up to that day stays at the old rate: ``accrue_to`` and the
    month-end run split at the ``LoanRate`` row."""
    loans = (
        Loan.objects.filter(programme_id=version.programme_id, status__in=ACTIVE_STATUSES)
        .exclude(terms__effective_from__gte=version.effective_from)
        .order_by("pk")
    )
    rate_rows_for(version, list(loans), apply_now_to_carried=True)


def rate_rows_for(version, loans: list, *, apply_now_to_carried: bool) -> None:
    """LoanRate rows of ``version`` for ``loans`` (and, for loans whose interest is already
    carried past the version's date, the new rate at once)."""
    from policylend.programmes.selectors import annual_rate_of, overdue_rate_of

    annual = annual_rate_of(version, version.effective_from)
    overdue = overdue_rate_of(version, version.effective_from)
    rates, now = [], []
    for loan in loans:
        start = version.effective_from
        if loan.interest_accrued_from and loan.interest_accrued_from >= start:
            start = loan.interest_accrued_from
            if apply_now_to_carried:
                now.append(loan.pk)
        rates.append(
            LoanRate(
                loan=loan,
                effective_from=start,
                annual_rate=annual,
                overdue_rate=overdue,
                terms=version,
            )
        )
    if now:
        Loan.objects.filter(pk__in=now).update(
            annual_rate=annual, overdue_rate=overdue, terms_id=version.pk
        )
    # A loan disbursed on the version's first day already has a rate row for that day.
    LoanRate.objects.bulk_create(
        rates,
        batch_size=500,
        update_conflicts=True,
        unique_fields=["loan", "effective_from"],
        update_fields=["annual_rate", "overdue_rate", "terms"],
    )


NEW_LOAN_DAYS = 30


@receiver(supervision_plan_built, dispatch_uid="loans_on_the_supervision_plan")
def put_loans_on_the_plan(sender, association_unit, year: int, today: date, **kwargs):
    """The association inspects every new loan within 30 days of its disbursement and every
    loan with a balance and no transaction for three months or more (guidance 727/HD-NHCS,
    domain.md §6.9): both join the unit's plan for the year when it is built."""
    from policylend.associations.services import supervision_loans_add

    from .selectors.servicing import INACTIVE_MONTHS

    year_end = date(year, 12, 31)
    day = min(today, year_end)
    loans = Loan.objects.filter(association_unit=association_unit, group__isnull=False)
    items = [
        (InspectionReason.NEW_LOAN, loan_id, group_id, disbursed_on + timedelta(days=NEW_LOAN_DAYS))
        for loan_id, group_id, disbursed_on in loans.filter(
            disbursed_on__year=year, disbursed_on__lte=day
        ).values_list("pk", "group_id", "disbursed_on")
    ]
    items += [
        (
            InspectionReason.NO_TRANSACTION,
            loan_id,
            group_id,
            min(day + timedelta(days=30), year_end),
        )
        for loan_id, group_id in loans.filter(
            status__in=ACTIVE_STATUSES,
            last_transaction_on__lte=add_months(day, -INACTIVE_MONTHS),
        ).values_list("pk", "group_id")
    ]
    supervision_loans_add(association_unit=association_unit, year=year, loans=items)


@receiver(unit_moved, dispatch_uid="loans_follow_moved_unit")
def follow_moved_unit(sender, unit, **kwargs):
    place_columns_refresh(Loan, unit)


@receiver(unit_merged, dispatch_uid="loans_follow_merged_commune")
def follow_merged_commune(sender, target, **kwargs):
    place_columns_refresh(Loan, target)
