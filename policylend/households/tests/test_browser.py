"""In Chromium: an officer finds a household by typing its name without accents (live search,
posted: the query never reaches the address bar), pages through a long result, registers a
household with an added member row, and shows one member's national ID in place."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD
from policylend.households.models import Household, NationalIdView
from policylend.households.rules import HouseholdInput
from policylend.households.services import households_create_bulk

from .conftest import ID_HEAD_A, head

pytestmark = pytest.mark.browser
TWELVE_DIGITS = re.compile(r"\d{12}")


def log_in(page, live_server, user):
    page.context.add_cookies(
        [{"name": "policylend_language", "value": "en", "url": live_server.url}]
    )
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("#id_username").fill(user.username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page.locator("h1")).to_be_visible()


def test_live_search_without_accents_and_pages_by_post(
    live_server, page, org, officer_a, household_a
):
    households_create_bulk(
        actor=officer_a,
        rows=[
            HouseholdInput(village=org.villages["20600102"], head=head("Nông Văn Tùng"))
            for _ in range(55)
        ],
    )
    log_in(page, live_server, officer_a)
    page.goto(f"{live_server.url}/households/")

    page.locator("#id_q").fill("nguyen van duc")  # typed, not submitted
    results = page.locator("#results tbody")
    expect(results.locator("tr")).to_have_count(1)
    expect(results).to_contain_text("Nguyễn Văn Đức")
    expect(results).to_contain_text("•••••••• 1234")
    assert page.url == f"{live_server.url}/households/"

    page.locator("#id_q").fill("nong van tung")
    expect(results.locator("tr")).to_have_count(50)
    page.locator("#results button[rel=next]").click()
    expect(results.locator("tr")).to_have_count(5)
    expect(page.locator("#results .pagination")).to_contain_text("Page 2 of 2")
    assert page.url == f"{live_server.url}/households/"


def test_register_with_an_added_member_then_show_an_id(live_server, page, org, officer_a):
    log_in(page, live_server, officer_a)
    page.goto(f"{live_server.url}/households/new/")
    page.locator("#id_village").select_option(label="20600101 Thôn 1 Vũ Lăng — Vũ Lăng")
    page.locator("#id_phone").fill("0912 345 678")
    page.locator("#id_head-full_name").fill("Nguyễn Văn Đức")
    page.locator("#id_head-sex").select_option("male")
    page.locator("#id_head-national_id").fill(ID_HEAD_A)
    page.locator("#id_members-0-full_name").fill("Hoàng Thị Lan")
    page.locator("#id_members-0-sex").select_option("female")
    page.locator("#id_members-0-relationship").select_option("spouse")

    page.get_by_role("button", name="Add a member").click()
    expect(page.locator("#id_members-1-full_name")).to_be_visible()
    page.locator("#id_members-1-full_name").fill("Nguyễn Văn Đông")
    page.locator("#id_members-1-sex").select_option("male")
    page.locator("#id_members-1-relationship").select_option("child")
    page.locator("#household-form .actions button[type=submit]").click()

    expect(page.locator("h1")).to_contain_text("Nguyễn Văn Đức")
    # htmx is loaded with "defer": a click before it is ready would post the plain form (which
    # shows the number on a page of its own); this test is about the in-place answer.
    page.wait_for_load_state("load")
    household = Household.objects.get()
    assert household.members.count() == 3
    assert not TWELVE_DIGITS.search(page.url)
    members = page.locator("#members ~ .table-wrap").first
    expect(members).to_contain_text("•••••••• 1234")
    expect(members).not_to_contain_text(ID_HEAD_A)

    members.get_by_role("button", name="Show").click()
    expect(members).to_contain_text(ID_HEAD_A)
    assert not TWELVE_DIGITS.search(page.url)
    assert NationalIdView.objects.filter(viewer=officer_a).count() == 1
