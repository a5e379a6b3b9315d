# ruff: noqa: F811 (the ``world``/``staff`` fixtures are imported from the loans' set-ups)
"""A collection sheet typed with the keyboard only, in Chromium, in Vietnamese: the teller opens
the sheet of a group of 30 borrowers at the open session of 21/11/2026 (pre-filled with what is
due), changes five amounts without touching the mouse (every key press is counted; at most 100),
sees the grand total follow, posts with Ctrl+Enter and gets the receipt number."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from conftest import PASSWORD, TODAY
from policylend.core.money import format_amount
from policylend.groups.services.membership import membership_join
from policylend.households.rules import PersonInput
from policylend.households.services import household_create
from policylend.loans.tests.origination_setup import certify, world  # noqa: F401
from policylend.loans.tests.servicing_setup import new_loan, staff  # noqa: F401
from policylend.transaction_sessions.models import CollectionSheet
from policylend.transaction_sessions.selectors.sheets import collection_sheet_prefill
from policylend.transaction_sessions.services.sessions import session_open

pytestmark = pytest.mark.browser

SESSION_DAY = date(2026, 11, 21)
MEMBERS = 30
KEY_PRESSES_MAX = 100


@pytest.fixture
def frozen_today(monkeypatch):
    """The pages read the bank's date from ``timezone.localdate``: fix it at the root's TODAY."""
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: TODAY)
    return TODAY


FAMILY = ("Hoàng", "Lộc", "Vi", "Lăng", "Nông", "Mã")
GIVEN = ("Văn Bảo", "Thị Cúc", "Văn Đức", "Thị Hoa", "Văn Hùng")


def member_name(number: int) -> str:
    return f"{FAMILY[number % 6]} {GIVEN[number // 6 % 5]}"


@pytest.fixture
def thirty(org, staff, world):
    """Group 2060011 grown to 30 member households, each with a loan of 6,000,000 ₫ paid out on
    21/11/2025 (its first yearly instalment is due at the session of 21/11/2026), and that
    session open."""
    village = org.villages["20600101"]
    for number in range(len(world.households), MEMBERS + 1):
        household = household_create(
            actor=world.officer,
            village=village,
            head=PersonInput(full_name=member_name(number), sex="male", relationship="head"),
        )
        for year in (2025, 2026):
            certify(household, year, actor=world.officer)
        world.households.append(household)
    for household in world.households[5:MEMBERS]:
        membership_join(
            actor=world.officer,
            group=world.group,
            household=household,
            joined_on=date(2024, 6, 1),
            today=TODAY,
        )
    for index in range(MEMBERS):
        new_loan(org, staff, amount=6_000_000, disbursed_on=date(2025, 11, 21), household=index)
    session = session_open(
        actor=staff.teller, point=org.points["206001"], held_on=SESSION_DAY, today=TODAY
    )
    return session


class Keyboard:
    """The page's keyboard, counting every key press (a typed character is one press)."""

    def __init__(self, page):
        self.page = page
        self.presses = 0

    def press(self, key: str, times: int = 1) -> None:
        for _ in range(times):
            self.presses += 1
            self.page.keyboard.press(key)

    def type(self, text: str) -> None:
        self.presses += len(text)
        self.page.keyboard.type(text)


def log_in(page, live_server, user):
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("#id_username").fill(user.username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password").press("Enter")
    expect(page).to_have_url(re.compile(rf"^{re.escape(live_server.url)}/$"))


def plain(amount: int) -> str:
    return format_amount(amount, "vi", symbol=False)


def test_a_teller_types_a_thirty_member_sheet_with_the_keyboard_only(
    live_server, page, staff, world, thirty, frozen_today
):
    session = thirty
    prefill = collection_sheet_prefill(staff.teller, session, world.group)
    loan_rows = [row for row in prefill if row.loan_id]
    assert len(loan_rows) == MEMBERS
    expected = {
        (row.household_id, row.loan_id): {
            "interest": row.interest_due,
            "principal": row.principal_due,
            "savings": row.savings_expected,
        }
        for row in prefill
    }
    grand = sum(sum(amounts.values()) for amounts in expected.values())

    log_in(page, live_server, staff.teller)
    page.goto(
        live_server.url
        + reverse("transaction_sessions:sheet_entry", args=[session.pk, world.group.pk])
    )
    expect(page.locator("table.collection-sheet tbody tr")).to_have_count(len(prefill))
    expect(page.locator("#total-all")).to_have_text(plain(grand))

    def cell(row, column: str):
        return page.locator(f"input[name='{row.household_id}-{row.loan_id or 0}-{column}']")

    def change(row, column: str, amount: int):
        nonlocal grand
        amounts = expected[(row.household_id, row.loan_id)]
        grand += amount - amounts[column]
        amounts[column] = amount

    keys = Keyboard(page)
    # Five differences spread over the sheet: rows 1, 8, 15, 22 and 29.
    row1, row8, row15, row22, row29 = (loan_rows[i] for i in (0, 7, 14, 21, 28))
    # The first amount cell has the focus, its amount selected: typing replaces it.
    expect(cell(row1, "interest")).to_be_focused()
    keys.type("100000")  # 1. interest of row 1
    change(row1, "interest", 100_000)
    keys.press("Enter", 7)  # down the interest column to row 8
    expect(cell(row8, "interest")).to_be_focused()
    keys.type("50.000")  # 2. interest of row 8
    change(row8, "interest", 50_000)
    keys.press("Tab")  # across the row: the principal of row 8
    keys.press("Enter", 7)  # down the principal column to row 15
    expect(cell(row15, "principal")).to_be_focused()
    keys.type("1.000.000")  # 3. principal paid in person on row 15
    change(row15, "principal", 1_000_000)
    keys.press("Shift+Tab")  # back across the row: the interest of row 15
    keys.press("Enter", 8)  # down to row 23
    keys.press("Shift+Enter")  # and one up: row 22
    expect(cell(row22, "interest")).to_be_focused()
    keys.type("75,000")  # 4. interest of row 22
    change(row22, "interest", 75_000)
    keys.press("Enter", 7)  # down to row 29
    expect(cell(row29, "interest")).to_be_focused()
    keys.type("0")  # 5. nothing brought for row 29
    change(row29, "interest", 0)

    # The totals follow every key press.
    expect(page.locator("#total-all")).to_have_text(plain(grand))
    interest_total = sum(amounts["interest"] for amounts in expected.values())
    expect(page.locator("#total-interest")).to_have_text(plain(interest_total))

    keys.press("Control+Enter")
    expect(page).to_have_url(re.compile(r"/sheets/\d+/$"))
    sheet = CollectionSheet.objects.get()
    expect(page.locator("#receipt-number")).to_contain_text(str(sheet.receipt_number))
    assert sheet.interest_total + sheet.principal_total + sheet.savings_total == grand
    for line in sheet.lines.all():
        amounts = expected[(line.household_id, line.loan_id)]
        assert (line.interest, line.principal) == (amounts["interest"], amounts["principal"])

    assert keys.presses <= KEY_PRESSES_MAX, keys.presses
    print(f"collection sheet of {MEMBERS} members: {keys.presses} key presses")

    # Then the cash book of the session, with the sheet's cash in it, printed (its PDF).
    page.goto(
        live_server.url
        + reverse("transaction_sessions:cash_book", kwargs={"session_id": session.pk})
    )
    expect(page.locator("main")).to_contain_text(plain(grand))
    expect(page.locator("main button", has_text=re.compile(".+")).first).to_be_visible()
    pdf_link = page.locator(
        f"a[href^='{reverse('transaction_sessions:cash_book_pdf', args=[session.pk])}']"
    ).first
    response = page.request.get(live_server.url + pdf_link.get_attribute("href"))
    assert response.ok and response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")
