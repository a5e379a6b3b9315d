"""Loans join the association's supervision plan (guidance 727/HD-NHCS, domain.md §6.9): every
new loan within 30 days of its disbursement, and every loan with a balance and no transaction
for three months or more."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from policylend.associations.models import InspectionReason, SupervisionItem
from policylend.associations.services import supervision_plan_build

from .servicing_setup import new_loan, staff, world  # noqa: F401

pytestmark = pytest.mark.django_db


def test_new_and_silent_loans_are_put_on_the_plan_once(org, staff):  # noqa: F811
    # given a loan disbursed on 01/07/2026 with no transaction since
    loan = new_loan(org, staff, amount=30_000_000, disbursed_on=date(2026, 7, 1))
    unit = loan.association_unit
    # when the association unit's plan for 2026 is built on 25/11/2026
    supervision_plan_build(
        actor=staff.world.association_officer,
        association_unit=unit,
        year=2026,
        today=date(2026, 11, 25),
    )
    # then the loan is on it as new (due 30 days after disbursement) and as silent
    items = SupervisionItem.objects.filter(association_unit=unit, loan_ref=loan.pk)
    assert {(i.reason, i.due_by) for i in items} == {
        (InspectionReason.NEW_LOAN, date(2026, 7, 1) + timedelta(days=30)),
        (InspectionReason.NO_TRANSACTION, date(2026, 12, 25)),
    }
    # and building again adds nothing
    supervision_plan_build(
        actor=staff.world.association_officer,
        association_unit=unit,
        year=2026,
        today=date(2026, 11, 26),
    )
    assert SupervisionItem.objects.filter(association_unit=unit, loan_ref=loan.pk).count() == 2


def test_a_loan_with_a_recent_transaction_is_not_silent(org, staff):  # noqa: F811
    loan = new_loan(org, staff, amount=30_000_000, disbursed_on=date(2026, 9, 1))
    supervision_plan_build(
        actor=staff.world.association_officer,
        association_unit=loan.association_unit,
        year=2026,
        today=date(2026, 11, 25),
    )
    reasons = set(SupervisionItem.objects.filter(loan_ref=loan.pk).values_list("reason", flat=True))
    assert reasons == {InspectionReason.NEW_LOAN}
