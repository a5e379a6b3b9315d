"""Smoke test of the browser harness: Debian's Chromium logs in against the live server."""

import re

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD

pytestmark = pytest.mark.browser


def test_a_teller_logs_in_in_vietnamese_and_lands_on_home(live_server, page, org, make_user):
    teller = make_user("teller", org.office_a)
    statics = {}

    def record_static(response):
        if "/static/" in response.url:
            statics[response.url] = response.status

    page.on("response", record_static)

    # Playwright's browser asks for en-US (Accept-Language): the bank's language still comes first.
    page.goto(f"{live_server.url}/accounts/login/")

    expect(page.locator("html")).to_have_attribute("lang", "vi")
    # The stylesheet and htmx (from django_htmx) are served by the live server.
    assert any(
        url.endswith("/policylend/app.css") and status == 200 for url, status in statics.items()
    )
    assert any("/django_htmx/" in url and status == 200 for url, status in statics.items()), statics

    page.locator("#id_username").fill(teller.username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()

    expect(page).to_have_url(re.compile(rf"^{re.escape(live_server.url)}/$"))
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.locator("h1")).to_contain_text(str(teller))
