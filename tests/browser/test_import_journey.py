"""The import journey in Chromium: an office's credit officer uploads a workbook with three bad
rows, reads the problems at their rows, fixes the file, imports it, and finds a household by
typing its head's name without accents."""

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD
from policylend.households.models import Household
from policylend.imports.tests.workbooks import household, workbook_bytes

pytestmark = pytest.mark.browser


def rows(bad: bool) -> list[dict]:
    households = [household(n) for n in range(6)]
    households[0]["head_name"] = "Nguyễn Văn Đức"
    if bad:
        households[1]["national_id"] = "0201234"  # row 3: too short
        households[3]["sex"] = "?"  # row 5
        households[4]["birth_date"] = "30/02/1985"  # row 6: no such day
    return households


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "en-US"}


def upload(page, live_server, path):
    page.goto(f"{live_server.url}/imports/")
    page.locator("input[type=file]").set_input_files(str(path))
    page.locator("form.upload-form button[type=submit]").click()


def test_an_office_user_fixes_a_workbook_imports_it_and_finds_a_household(
    live_server, page, org, make_user, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    officer = make_user("credit_officer", org.office_a, username="officer.bacson")

    # the officer logs in (the pages are in Vietnamese) and opens the import page from the menu
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("#id_username").fill(officer.username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.locator("nav.menu a[href='/imports/']").click()
    expect(page.locator("a[href='/imports/template.xlsx']")).to_be_visible()

    # uploads a workbook with three bad rows
    bad = tmp_path / "ho-gia-dinh.xlsx"
    bad.write_bytes(workbook_bytes("vi", households=rows(bad=True)))
    upload(page, live_server, bad)

    # and sees exactly those rows, each with its problem, and no way to import
    expect(page.locator("#count-problems")).to_have_text("3")
    problem_rows = page.locator("#preview tbody tr.outcome-problem")
    expect(problem_rows).to_have_count(3)
    numbers = [problem_rows.nth(i).locator("td").nth(1).inner_text() for i in range(3)]
    assert numbers == ["3", "5", "6"]
    assert problem_rows.nth(0).locator("p.error").get_attribute("data-field") == "national_id"
    expect(page.locator("#confirm-import")).to_have_count(0)
    assert Household.objects.count() == 0

    # fixes the file, uploads it again, and imports it
    good = tmp_path / "ho-gia-dinh-da-sua.xlsx"
    good.write_bytes(workbook_bytes("vi", households=rows(bad=False)))
    upload(page, live_server, good)
    expect(page.locator("#count-new")).to_have_text("6")
    page.locator("#confirm-import").click()
    expect(page.locator("p.status.ok")).to_be_visible()
    assert Household.objects.count() == 6

    # then finds the household by typing the head's name without accents
    page.goto(f"{live_server.url}/households/")
    page.locator("#id_q").fill("nguyen van duc")
    expect(page.locator("#results")).to_contain_text("Nguyễn Văn Đức")
