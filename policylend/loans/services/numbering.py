"""Loan numbers: ``<office code>-<yy>-<6-digit sequence>`` (7401-26-000042), one sequence per
office and year of application, given when the application is recorded."""

from __future__ import annotations

from datetime import date

from django.db.models import Max

from policylend.organisation.models import OrganisationUnit

from ..models import Loan

SEQUENCE_DIGITS = 6


def loan_number_next(office: OrganisationUnit, applied_on: date) -> str:
    """The next free number of the office's year. Call inside the transaction that saves the
    loan: the office row is locked, so two applications of one office are numbered one after the
    other (PostgreSQL); SQLite serialises writers anyway. The unique column is the last guard."""
    list(OrganisationUnit.objects.select_for_update().filter(pk=office.pk))
    prefix = f"{office.code}-{applied_on:%y}-"
    last = Loan.objects.filter(number__startswith=prefix).aggregate(last=Max("number"))["last"]
    sequence = int(last[len(prefix) :]) + 1 if last else 1
    return f"{prefix}{sequence:0{SEQUENCE_DIGITS}d}"
