"""The savings pages and API as the teller, branch staff and an association officer use them."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from ..models import SavingsAccount, SavingsTransaction
from .conftest import assert_books_clean, deposit, open_account

pytestmark = pytest.mark.django_db


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies["policylend_language"] = "en"
    return client


def test_teller_opens_an_account_from_the_household_page_and_takes_a_deposit(staff):
    household = staff.world.households[0]
    teller = client_of(staff.teller)
    page = teller.get(reverse("households:detail", args=[household.pk]))
    assert b"No savings account." in page.content
    assert reverse("savings:open").encode() in page.content
    response = teller.post(
        reverse("savings:open") + f"?household={household.pk}",
        {"opened_on": "01/11/2026", "monthly_plan": "50000", "household": household.pk},
    )
    account = SavingsAccount.objects.get(household=household)
    assert response.status_code == 302
    assert account.monthly_plan == 50_000
    # Below the minimum: refused beside the field, nothing posted.
    url = reverse("savings:deposit", args=[account.pk])
    refused = teller.post(
        url,
        {
            "value_date": "21/11/2026",
            "amount": "4999",
            "at_session": "on",
            "idempotency_key": "p-1",
        },
    )
    assert refused.status_code == 200 and b"minimum deposit" in refused.content
    accepted = teller.post(
        url,
        {
            "value_date": "21/11/2026",
            "amount": "5000",
            "at_session": "on",
            "idempotency_key": "p-2",
        },
    )
    assert accepted.status_code == 302
    account.refresh_from_db()
    assert account.balance == 5_000
    detail = teller.get(reverse("savings:detail", args=[account.pk]))
    assert b"7401-TK-000001" in detail.content and b"Deposit" in detail.content
    assert teller.get(reverse("households:detail", args=[household.pk])).status_code == 200
    assert_books_clean()


def test_group_page_lists_members_plans_and_balances(staff):
    account = open_account(staff)
    deposit(staff, account, 70_000, date(2026, 1, 21))
    page = client_of(staff.world.association_officer).get(
        reverse("savings:group", args=[staff.world.group.pk])
    )
    assert page.status_code == 200
    assert b"7401-TK-000001" in page.content
    assert page.content.count(b"No savings account.") == 4
    # The association officer reads, records nothing.
    assert (
        client_of(staff.world.association_officer)
        .get(reverse("savings:deposit", args=[account.pk]))
        .status_code
        == 403
    )


def test_interest_run_page(org, staff):
    account = open_account(staff, opened_on=date(2026, 1, 1))
    deposit(staff, account, 1_000_000, date(2026, 1, 1))
    client = client_of(staff.staff)
    assert client.get(reverse("savings:interest_run")).status_code == 200
    response = client.post(
        reverse("savings:interest_run"), {"branch": org.branch.pk, "half_year_end": "30/06/2026"}
    )
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.balance == 1_006_000
    assert client_of(staff.teller).get(reverse("savings:interest_run")).status_code == 403


def test_api_deposit_needs_an_idempotency_key_and_replays(staff):
    account = open_account(staff)
    client = client_of(staff.teller)
    url = f"/api/v1/savings/accounts/{account.pk}/deposits"
    body = {"value_date": "2026-11-21", "amount": 20_000}
    assert client.post(url, body, content_type="application/json").status_code == 422
    first = client.post(
        url, body, content_type="application/json", headers={"Idempotency-Key": "api-1"}
    )
    again = client.post(
        url, body, content_type="application/json", headers={"Idempotency-Key": "api-1"}
    )
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    small = client.post(
        url,
        {**body, "amount": 4_000},
        content_type="application/json",
        headers={"Idempotency-Key": "api-2"},
    )
    assert small.status_code == 422
    assert small.json()["errors"][0]["code"] == "savings_deposit_too_small"
    detail = client.get(f"/api/v1/savings/accounts/{account.pk}").json()
    assert detail["balance"] == 20_000 and len(detail["transactions"]) == 1
    listed = client.get("/api/v1/savings/accounts?size=10").json()
    assert listed["count"] == 1
    withdrawn = client.post(
        f"/api/v1/savings/accounts/{account.pk}/withdrawals",
        {"value_date": "2026-11-22", "amount": 30_000},
        content_type="application/json",
        headers={"Idempotency-Key": "api-3"},
    )
    assert withdrawn.status_code == 422
    assert SavingsTransaction.objects.count() == 1
    assert_books_clean()
