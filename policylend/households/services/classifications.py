"""Certified classifications: a household's place on a commune's certified list for a year."""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction

from policylend.core.errors import DomainError

from ..models import Classification, Household
from ..rules import classification_conflicts, classification_problems, normalise_text
from .common import bank_today, require_active, require_manage


def classification_add(
    *,
    actor,
    household: Household,
    year: int,
    kind: str,
    certified_by: str,
    certified_on: date,
    exit_year: int | None = None,
    today: date | None = None,
) -> Classification:
    """Record that the commune People's Committee certified ``household`` as poor, near-poor,
    just escaped poverty (with its exit year, at most 3 years back), ethnic minority … for
    ``year`` (domain.md §4). Not certified after today nor for a year after the certification
    date; a kind once a year; poor, near-poor and just-escaped exclude each other in a year."""
    if actor is None:
        raise ValueError("A classification records the user who entered it: pass the actor.")
    require_manage(actor, household.village)
    require_active(household)
    certified_by = normalise_text(certified_by)
    problems = classification_problems(
        year=year,
        kind=kind,
        certified_by=certified_by,
        certified_on=certified_on,
        exit_year=exit_year,
        today=bank_today(today),
    )
    if problems:
        raise DomainError.of(problems)
    try:
        with transaction.atomic():
            # The household's row is the lock: two officers recording the same year at once
            # see each other's classification.
            Household.objects.select_for_update().filter(pk=household.pk).first()
            _check_conflicts(household, kind, year)
            return Classification.objects.create(
                household=household,
                year=year,
                kind=kind,
                exit_year=exit_year,
                certified_by=certified_by,
                certified_on=certified_on,
                recorded_by=actor,
            )
    except IntegrityError:
        _check_conflicts(household, kind, year)
        raise


def _check_conflicts(household: Household, kind: str, year: int) -> None:
    existing = Classification.objects.filter(household=household, year=year).values_list(
        "kind", flat=True
    )
    problems = classification_conflicts(kind, year, existing)
    if problems:
        raise DomainError.of(problems)
