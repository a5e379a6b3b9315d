"""The foundation journey in Chromium: a transaction-office user logs in (Vietnamese by default),
switches to Hindi and back, opens the trial balance, and sees only their own office's books."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from conftest import PASSWORD
from policylend.ledger.rules import credit, debit
from policylend.ledger.services import journal_entry_post

pytestmark = pytest.mark.browser

DEVANAGARI = re.compile(r"[\u0900-\u097F]")


@pytest.fixture
def browser_context_args(browser_context_args):
    # An English browser: the bank's default language must still be Vietnamese.
    return {**browser_context_args, "locale": "en-US"}


def post_cash(org, maker, office, amount, key):
    today = timezone.localdate()
    return journal_entry_post(
        branch=org.branch,
        value_date=today,
        kind="cash_transfer",
        memo=f"Cash to a point of {office.name}",
        lines=[
            debit("1011", amount, office_id=office.pk),
            credit("1012", amount, office_id=office.pk),
        ],
        idempotency_key=key,
        maker=maker,
        today=today,
    )


def test_office_user_switches_language_and_sees_only_their_office_in_the_trial_balance(
    live_server, page, org, make_user
):
    # given books with money in office A and in office B
    staff = make_user("branch_staff", org.branch)
    post_cash(org, staff, org.office_a, 1_234_567, "journey-a")
    post_cash(org, staff, org.office_b, 7_654_321, "journey-b")
    teller = make_user("teller", org.office_a, username="teller.bacson")

    # when the office-A teller logs in
    page.goto(f"{live_server.url}/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    page.locator("#id_username").fill(teller.username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(f"{live_server.url}/")
    menu_in_vietnamese = page.locator("nav.menu").inner_text()

    # and switches to Hindi: the whole page follows, not only the menu
    page.locator("#language-select").select_option("hi")
    expect(page.locator("html")).to_have_attribute("lang", "hi")
    assert DEVANAGARI.search(page.locator("nav.menu").inner_text())
    assert DEVANAGARI.search(page.locator("main h1").inner_text())
    assert DEVANAGARI.search(page.locator("footer").inner_text())

    # and back to Vietnamese
    page.locator("#language-select").select_option("vi")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    assert page.locator("nav.menu").inner_text() == menu_in_vietnamese

    # then the trial balance shows office A's money and not office B's
    page.locator("nav.menu a[href='/ledger/trial-balance/']").click()
    expect(page.locator("main h1")).to_be_visible()
    body = page.locator("main").inner_text()
    assert "1.234.567" in body
    assert "7.654.321" not in body and "8.888.888" not in body
    assert org.office_a.name in body and org.office_b.name not in body

    # and asking for office B by its id in the address shows nothing of office B
    page.goto(f"{live_server.url}/ledger/trial-balance/?office={org.office_b.pk}")
    assert "7.654.321" not in page.locator("main").inner_text()
