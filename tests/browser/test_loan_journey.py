# ruff: noqa: F811 (the ``world`` fixture is imported from origination_setup)
"""The loan journey in Chromium, in Vietnamese: a credit officer opens a certified-poor household's
page, records its application under programme 01, the group's review (at the group's loan-review
meeting), the association's review and the commune's certification, and proposes to approve it; a
controller approves it on the approvals page; a teller disburses it (refused at the commune point
off its session day, then at the office); the loan's page shows it in term with its schedule and
its disbursement posting."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from conftest import PASSWORD, TODAY
from policylend.core.money import format_amount
from policylend.loans.models import Loan, LoanStatus, ReviewStage, TransactionKind
from policylend.loans.tests.origination_setup import review_meeting, world  # noqa: F401
from policylend.programmes.templatetags.programmes_tags import rate_year

pytestmark = pytest.mark.browser

AMOUNT = 50_000_000
MEETING_ON = date(2026, 11, 5)


@pytest.fixture
def browser_context_args(browser_context_args):
    # An English browser: the bank's pages are still in Vietnamese.
    return {**browser_context_args, "locale": "en-US"}


@pytest.fixture
def frozen_today(monkeypatch):
    """The pages read the bank's date from ``timezone.localdate``: fix it at the root's TODAY."""
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: TODAY)
    return TODAY


@pytest.fixture
def new_page(browser, browser_context_args):
    """A page in a browser context of its own (another user's session), closed after the test:
    an open context would keep a live-server thread, and its database connection, alive."""
    contexts = []

    def make():
        contexts.append(browser.new_context(**browser_context_args))
        return contexts[-1].new_page()

    yield make
    for context in contexts:
        context.close()


def vi(text) -> str:
    """A label as the Vietnamese pages show it (whatever its translation is today)."""
    with translation.override("vi"):
        return translation.gettext(text) if isinstance(text, str) else str(text)


def money(amount: int) -> str:
    return format_amount(amount, "vi")


def log_in(page, live_server, user):
    page.goto(f"{live_server.url}/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    page.locator("#id_username").fill(user.username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password").press("Enter")
    expect(page).to_have_url(re.compile(rf"^{re.escape(live_server.url)}/$"))


def record_review(page, loan, stage: str, decided_on: str, **fields):
    """Open "Record a review" on the loan's page, fill the form by keyboard, submit with Enter."""
    page.locator(f"main a[href='{reverse('loans:review_record', args=[loan.pk])}']").click()
    page.locator("#id_stage").select_option(stage)
    page.locator("#id_decision").select_option("agreed")
    if "meeting" in fields:
        page.locator("#id_meeting").select_option(label=fields.pop("meeting"))
    for name, value in fields.items():
        page.locator(f"#id_{name}").fill(value)
    page.locator("#id_decided_on").fill(decided_on)
    page.locator("#id_decided_on").press("Enter")
    expect(page).to_have_url(re.compile(rf"{reverse('loans:detail', args=[loan.pk])}$"))
    expect(page.locator("ul.messages")).to_be_visible()


def test_a_poor_household_borrows_from_application_to_disbursement(
    live_server, page, new_page, world, frozen_today
):
    household = world.households[0]
    borrower = household.head.full_name
    review_meeting(world, [household], held_on=MEETING_ON)

    # --- the credit officer records the application from the household's page ------------------
    log_in(page, live_server, world.officer)
    page.goto(f"{live_server.url}{reverse('households:detail', args=[household.pk])}")
    expect(page.locator("main h1")).to_contain_text(borrower)
    new_application = page.locator(
        f"#loans ~ .actions a[href='{reverse('loans:application_create')}?household={household.pk}']"
    )
    expect(new_application).to_have_text(vi("New loan application"))
    new_application.click()

    expect(page.locator("#id_household_code")).to_have_value(household.code)
    page.locator("#id_programme").select_option(str(world.poor.pk))
    page.locator("#id_amount").fill("50.000.000")
    page.locator("#id_term_months").fill("36")
    page.locator("#id_purpose").fill("Nuôi bò sinh sản")
    page.locator("#id_plan").fill("Mua 2 con bò cái, làm chuồng")
    page.locator("#id_applied_on").fill("02/11/2026")
    page.locator("#id_applied_on").press("Enter")

    expect(page).to_have_url(re.compile(r"/loans/\d+/$"))
    loan = Loan.objects.get(household=household)
    assert loan.number == "7401-26-000001"
    with translation.override("vi"):
        recorded = translation.gettext("Application %(number)s was recorded.") % {"number": loan}
    expect(page.locator("ul.messages")).to_contain_text(recorded)
    expect(page.locator("main h1")).to_contain_text(loan.number)
    expect(page.locator("main h1 .badge")).to_have_text(vi(LoanStatus.APPLIED.label))
    facts = page.locator("main dl.facts")
    expect(facts).to_contain_text(household.code)
    expect(facts).to_contain_text(borrower)
    expect(facts).to_contain_text(f"01 · {world.poor.name_vi}")
    expect(facts).to_contain_text(money(AMOUNT))
    expect(facts).to_contain_text("Nuôi bò sinh sản")

    # --- the group's review at its meeting, the association's review, the commune's certificate -
    record_review(page, loan, ReviewStage.GROUP, "05/11/2026", meeting="05/11/2026")
    expect(page.locator("main h1 .badge")).to_have_text(vi(LoanStatus.APPLIED.label))
    record_review(page, loan, ReviewStage.ASSOCIATION, "09/11/2026")
    expect(page.locator("main h1 .badge")).to_have_text(vi(LoanStatus.REVIEWED.label))
    record_review(
        page,
        loan,
        ReviewStage.COMMUNE,
        "12/11/2026",
        decided_by_name="Hoàng Văn Tư, Chủ tịch UBND xã",
        decision_number="25/XN-UBND",
    )
    expect(page.locator("main h1 .badge")).to_have_text(vi(LoanStatus.CERTIFIED.label))
    reviews = page.locator("main section", has=page.locator("h2", has_text=vi("Reviews")))
    expect(reviews.locator("tr")).to_have_count(3)
    for stage, day in (
        (ReviewStage.GROUP, "05/11/2026"),
        (ReviewStage.ASSOCIATION, "09/11/2026"),
        (ReviewStage.COMMUNE, "12/11/2026"),
    ):
        expect(reviews.locator("tr", has_text=vi(stage.label))).to_contain_text(day)
    expect(reviews).to_contain_text("25/XN-UBND")
    # once certified, no more review is recorded
    expect(
        page.locator(f"main a[href='{reverse('loans:review_record', args=[loan.pk])}']")
    ).to_have_count(0)

    # --- the officer proposes to approve the amount asked ----------------------------------------
    page.locator(f"main a[href='{reverse('loans:decision_propose', args=[loan.pk])}']").click()
    expect(page.locator("#id_approve_0")).to_be_checked()
    expect(page.locator("#id_amount")).to_have_value("50.000.000")
    page.locator("#id_amount").press("Enter")
    expect(page).to_have_url(re.compile(rf"{reverse('loans:detail', args=[loan.pk])}$"))
    expect(page.locator("ul.messages")).to_contain_text(re.compile(r"#\d+"))
    expect(page.locator("main h1 .badge")).to_have_text(vi(LoanStatus.CERTIFIED.label))

    # --- a controller approves it on the approvals page ------------------------------------------
    controller = new_page()
    log_in(controller, live_server, world.controller)
    controller.goto(f"{live_server.url}{reverse('approvals:list')}")
    waiting = controller.locator("main table tbody tr", has_text=loan.number)
    expect(waiting).to_have_count(1)
    expect(waiting).to_contain_text(money(AMOUNT))
    waiting.locator("a").first.click()
    expect(controller.locator("main")).to_contain_text(loan.number)
    expect(controller.locator("main")).to_contain_text(money(AMOUNT))
    controller.wait_for_load_state("load")  # htmx (deferred) answers the decision in place
    controller.locator("#decision form").first.locator("button[type=submit]").click()
    expect(controller.locator("#decision .status.approved")).to_be_visible()
    result = controller.locator(f"#decision a[href='{reverse('loans:detail', args=[loan.pk])}']")
    expect(result).to_have_text(vi("Open the result"))
    result.click()
    expect(controller.locator("main h1 .badge")).to_have_text(vi(LoanStatus.APPROVED.label))
    expect(controller.locator("main dl.facts")).to_contain_text(money(AMOUNT))

    # --- a teller disburses it -------------------------------------------------------------------
    teller = new_page()
    log_in(teller, live_server, world.teller)
    teller.goto(f"{live_server.url}{reverse('loans:list')}?q={loan.number}")
    row = teller.locator("main table tbody tr", has_text=loan.number)
    expect(row).to_contain_text(vi(LoanStatus.APPROVED.label))
    expect(row).to_contain_text(money(AMOUNT))
    row.locator("a").click()
    expect(teller.locator("main h1 .badge")).to_have_text(vi(LoanStatus.APPROVED.label))
    teller.locator(f"main a[href='{reverse('loans:disburse', args=[loan.pk])}']").click()
    expect(teller.locator("#id_disbursed_on")).to_have_value("25/11/2026")

    # at the commune's point (the default) on a day that is not its session day: refused there
    expect(teller.locator("#id_place_0")).to_be_checked()
    teller.locator("main form button[type=submit]").click()
    problem = teller.locator(".field.has-error p.error")
    expect(problem).to_have_count(1)
    expect(problem).to_contain_text("25/11/2026")
    expect(problem).to_contain_text(world.org.points["206001"].name)
    assert loan.transactions.count() == 0

    # at the office, chosen with the keyboard: the loan is paid out
    teller.locator("#id_place_0").focus()
    teller.keyboard.press("ArrowDown")
    expect(teller.locator("#id_place_1")).to_be_checked()
    teller.keyboard.press("Tab")
    teller.keyboard.press("Enter")
    expect(teller).to_have_url(re.compile(rf"{reverse('loans:detail', args=[loan.pk])}$"))
    with translation.override("vi"):
        disbursed = translation.gettext("Loan %(number)s was disbursed.") % {"number": loan}
    expect(teller.locator("ul.messages")).to_contain_text(disbursed)

    # --- the loan's page: in term, its schedule, the disbursement posting ------------------------
    expect(teller.locator("main h1 .badge")).to_have_text(vi(LoanStatus.IN_TERM.label))
    facts = teller.locator("main dl.facts")
    expect(facts).to_contain_text("25/11/2026")  # disbursed on
    expect(facts).to_contain_text("25/11/2029")  # maturity: 36 months
    with translation.override("vi"):
        expect(facts).to_contain_text(rate_year(Decimal("0.066")))
    balances = teller.locator("main table.owed")
    expect(balances.locator("tr").first).to_contain_text(money(AMOUNT))

    with translation.override("vi"):
        heading = translation.gettext("Repayment schedule (version %(number)s)") % {"number": 1}
    schedule = teller.locator("main section", has=teller.locator("h2", has_text=heading))
    rows = schedule.locator("tbody tr")
    expect(rows).to_have_count(3)
    for index, (due, session, principal) in enumerate(
        (
            ("25/11/2027", "21/11/2027", 16_600_000),
            ("25/11/2028", "21/11/2028", 16_600_000),
            ("25/11/2029", "21/11/2029", 16_800_000),
        )
    ):
        cells = rows.nth(index).locator("td")
        expect(cells.nth(0)).to_have_text(str(index + 1))
        expect(cells.nth(1)).to_have_text(due)
        expect(cells.nth(3)).to_have_text(session)
        expect(cells.nth(4)).to_have_text(money(principal))
    assert money(16_600_000) == "16.600.000\u00a0₫"

    postings = teller.locator(
        "main section", has=teller.locator("h2", has_text=vi("Postings"))
    ).locator("tbody tr")
    expect(postings).to_have_count(1)
    posting = postings.first
    record = loan.transactions.get()
    assert record.kind == TransactionKind.DISBURSEMENT
    expect(posting).to_contain_text("25/11/2026")
    expect(posting).to_contain_text(vi(TransactionKind.DISBURSEMENT.label))
    expect(posting.locator("td").nth(2)).to_have_text(money(-AMOUNT))
    expect(posting.locator("td").nth(3)).to_have_text(money(AMOUNT))
    entry_link = posting.locator(
        f"a[href='{reverse('ledger:entry_detail', args=[record.entry_id])}']"
    )
    expect(entry_link).to_have_text(f"#{record.entry_id}")

    # the journal entry behind it: loans in term of programme 01 against the office's cash
    entry_link.click()
    lines = teller.locator("main")
    expect(lines).to_contain_text("2111.01")
    expect(lines).to_contain_text("1012")
    expect(lines).to_contain_text(money(AMOUNT).replace("\u00a0₫", ""))
    loan.refresh_from_db()
    assert loan.status == LoanStatus.IN_TERM and loan.principal_in_term == AMOUNT
    assert loan.disbursed_at_point is None
