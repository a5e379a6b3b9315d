"""The maker-checker journey in Chromium: a teller types a voucher (adding a line and watching
the running totals with htmx), a controller approves it in place, the entry is in the journal."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD

pytest_plugins = ["policylend.approvals.tests.fixtures"]
pytestmark = pytest.mark.browser


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "vi-VN"}


def log_in(page, live_server, user):
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("#id_username").fill(user.username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"^{re.escape(live_server.url)}/$"))


def test_voucher_typed_added_to_and_approved(live_server, page, browser, org, people, frozen_today):
    from policylend.ledger.models import JournalEntry

    log_in(page, live_server, people.teller_a)
    page.goto(f"{live_server.url}/ledger/journal/new/")
    page.locator("#id_value_date").fill("20/11/2026")
    page.locator("#id_memo").fill("Chuyển tiền mặt ra điểm giao dịch")
    # a third line arrives without a reload
    page.locator("#add-line button").click()
    expect(page.locator("#id_lines-2-account")).to_be_visible()
    expect(page.locator("#id_lines-TOTAL_FORMS")).to_have_value("3")
    page.locator("#id_lines-0-account").select_option("1011")
    page.locator("#id_lines-0-amount").fill("1.500.000")
    page.locator("#id_lines-1-account").select_option("1012")
    page.locator("#id_lines-1-side").select_option("credit")
    page.locator("#id_lines-1-amount").fill("1.000.000")
    expect(page.locator("#voucher-totals")).to_contain_text("500.000")
    page.locator("#id_lines-2-account").select_option("4511")
    page.locator("#id_lines-2-side").select_option("credit")
    page.locator("#id_lines-2-amount").fill("500.000")
    expect(page.locator("#voucher-totals .status.ok")).to_be_visible()
    page.locator(".actions button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/approvals/\d+/$"))
    request_url = page.url

    checker = browser.new_context(locale="vi-VN").new_page()
    log_in(checker, live_server, people.controller_a)
    checker.goto(request_url)
    checker.locator("#decision form").first.locator("button[type=submit]").click()
    expect(checker.locator("#decision a[href*='/ledger/journal/']")).to_be_visible()
    entry = JournalEntry.objects.get(maker=people.teller_a)
    assert entry.checker == people.controller_a
    assert sorted(entry.lines.values_list("amount", flat=True)) == [-1_000_000, -500_000, 1_500_000]
