"""A savings account and a loan follow their village when the tree changes: commune, office and
branch are kept in step in the same transaction (policylend/organisation/places.py)."""

from __future__ import annotations

from datetime import date

import pytest

from policylend.loans.tests.servicing_setup import new_loan
from policylend.organisation import services as organisation

from ..models import SavingsAccount

pytestmark = pytest.mark.django_db


def test_an_account_and_a_loan_follow_their_village_to_another_office(
    org, staff, account, make_user
):
    loan = new_loan(org, staff, amount=30_000_000, disbursed_on=date(2026, 7, 1))
    assert (account.office_id, loan.office_id) == (org.office_a.pk, org.office_a.pk)
    organisation.unit_move(
        unit=org.villages["20600101"],
        new_parent=org.commune_b1,
        effective_on=date(2026, 1, 1),
        reason="NQ 7",
        actor=make_user("system_admin", org.branch),
    )
    account = SavingsAccount.objects.get(pk=account.pk)
    loan.refresh_from_db()
    assert (account.commune, account.office) == (org.commune_b1, org.office_b)
    assert (loan.commune, loan.office) == (org.commune_b1, org.office_b)
