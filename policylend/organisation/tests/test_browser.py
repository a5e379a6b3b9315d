"""In Chromium: the tree loads a commune's villages when it is opened, and the unit page shows
what belonged to a commune on a date typed as dd/mm/yyyy."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD

pytestmark = pytest.mark.browser


def log_in(page, live_server, user):
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("#id_username").fill(user.username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page.locator("h1")).to_be_visible()


def test_tree_loads_villages_when_a_commune_opens(live_server, page, org, make_user):
    officer = make_user("credit_officer", org.office_a)
    log_in(page, live_server, officer)

    page.goto(f"{live_server.url}/organisation/")
    summary = page.locator("summary", has=page.get_by_role("link", name="Vũ Lăng", exact=True))
    commune = summary.locator("xpath=..")
    expect(commune).to_have_count(1)
    expect(page.get_by_text("Thôn 1 Vũ Lăng")).to_have_count(0)
    expect(page.get_by_text("Bình Gia")).to_have_count(0)

    summary.click(position={"x": 2, "y": 2})  # beside the name, which is a link to its page

    expect(commune.get_by_text("Thôn 1 Vũ Lăng")).to_be_visible()
    expect(commune.get_by_text("Thôn 2 Vũ Lăng")).to_be_visible()


def test_children_as_on_a_date(live_server, page, org, make_user):
    from policylend.organisation import services

    admin = make_user("system_admin", org.branch)
    services.unit_move(
        unit=org.villages["20600101"],
        new_parent=org.commune_a2,
        effective_on=date(2025, 3, 5),
        actor=admin,
    )
    log_in(page, live_server, admin)
    page.goto(f"{live_server.url}/organisation/units/{org.commune_a1.pk}/")

    page.locator("#id_on").fill("04/03/2025")
    page.locator("#as-on button[type=submit]").click()

    expect(page.locator("#as-on .children-on")).to_contain_text("Thôn 1 Vũ Lăng")
    page.locator("#id_on").fill("05/03/2025")
    page.locator("#as-on button[type=submit]").click()
    expect(page.locator("#as-on .children-on")).not_to_contain_text("Thôn 1 Vũ Lăng")
    expect(page.locator("#as-on .children-on")).to_contain_text("Thôn 2 Vũ Lăng")
    assert "on=05%2F03%2F2025" in page.url
