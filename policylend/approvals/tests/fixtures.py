"""A small hand-made book and the people who work on it, shared by the page, API and verify
tests of the ledger and of maker-checker.

The book of branch 740 (office A = 7401, office B = 7402), in dong:

    15/10/2026  A  Dr 1012 cash at office      100.000.000 / Cr 4511 central funds   100.000.000
    20/10/2026  A  Dr 2111.01 loans in term     30.000.000 / Cr 1012 cash at office   30.000.000
    05/11/2026  B  Dr 1012 cash at office       50.000.000 / Cr 4511 central funds    50.000.000
    10/11/2026  A  Dr 1011 cash at point         5.000.000 / Cr 1012 cash at office    5.000.000
    12/11/2026  A  Dr 1011 cash at point         1.200.000 / Cr 7021 interest income   1.200.000

Trial balance of the branch for 01/11/2026-25/11/2026 (opening / debits / credits / closing):

    1011       0 Dr  /  6.200.000 /          0 /   6.200.000 Dr
    1012  70.000.000 Dr  / 50.000.000 /  5.000.000 / 115.000.000 Dr
    2111.01  30.000.000 Dr  /       0 /          0 /  30.000.000 Dr
    4511 100.000.000 Cr  /          0 / 50.000.000 / 150.000.000 Cr
    7021       0       /          0 /  1.200.000 /   1.200.000 Cr
    totals 100.000.000 = 100.000.000; 56.200.000 = 56.200.000; 151.200.000 = 151.200.000

Test modules load it with ``pytest_plugins`` and also import its helpers, so pytest is told not
to rewrite its (absent) asserts: PYTEST_DONT_REWRITE.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from django.test import Client

# The root conftest's "today".
TODAY = date(2026, 11, 25)


@dataclass
class People:
    teller_a: object
    controller_a: object
    teller_b: object
    controller_b: object
    branch_staff: object
    branch_manager: object
    auditor: object
    credit_officer_a: object
    group_leader: object


@dataclass
class Book:
    opening: object
    loan: object
    office_b: object
    to_point: object
    interest: object


@pytest.fixture
def frozen_today(monkeypatch):
    """Pages and the API read the bank's date from ``timezone.localdate``: fix it at TODAY."""
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: TODAY)
    return TODAY


@pytest.fixture
def people(org, make_user) -> People:
    return People(
        teller_a=make_user("teller", org.office_a, username="teller_a"),
        controller_a=make_user("controller", org.office_a, username="controller_a"),
        teller_b=make_user("teller", org.office_b, username="teller_b"),
        controller_b=make_user("controller", org.office_b, username="controller_b"),
        branch_staff=make_user("branch_staff", org.branch, username="branch_staff"),
        branch_manager=make_user("branch_manager", org.branch, username="branch_manager"),
        auditor=make_user("auditor", org.branch, username="auditor"),
        credit_officer_a=make_user("credit_officer", org.office_a, username="credit_officer_a"),
        group_leader=make_user("group_leader", org.commune_a1, username="group_leader"),
    )


def post(
    org, maker, day: date, office, debit_account: str, credit_account: str, amount: int, key: str
):
    from policylend.ledger.rules import credit, debit
    from policylend.ledger.services import journal_entry_post

    return journal_entry_post(
        branch=org.branch,
        value_date=day,
        kind="manual",
        memo=f"test {key}",
        lines=[
            debit(debit_account, amount, office_id=office.pk),
            credit(credit_account, amount, office_id=office.pk),
        ],
        idempotency_key=key,
        maker=maker,
        today=TODAY,
    )


@pytest.fixture
def book(org, people) -> Book:
    maker = people.branch_staff
    return Book(
        opening=post(
            org, maker, date(2026, 10, 15), org.office_a, "1012", "4511", 100_000_000, "opening-a"
        ),
        loan=post(
            org, maker, date(2026, 10, 20), org.office_a, "2111.01", "1012", 30_000_000, "loan-a"
        ),
        office_b=post(
            org, maker, date(2026, 11, 5), org.office_b, "1012", "4511", 50_000_000, "opening-b"
        ),
        to_point=post(
            org, maker, date(2026, 11, 10), org.office_a, "1011", "1012", 5_000_000, "to-point-a"
        ),
        interest=post(
            org, maker, date(2026, 11, 12), org.office_a, "1011", "7021", 1_200_000, "interest-a"
        ),
    )


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def close_month(org, people, year: int, month: int):
    from policylend.core.periods import Month
    from policylend.ledger.services import period_close

    return period_close(
        branch_id=org.branch.pk,
        month=Month(year, month),
        closed_by=people.branch_manager,
        requested_by=people.branch_staff,
        today=TODAY,
    )
