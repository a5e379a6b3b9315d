"""The ledger's pages: who sees what, the trial balance's numbers, the journal, the voucher form."""

from __future__ import annotations

import pytest
from django.urls import reverse

from policylend.approvals.models import ApprovalRequest
from policylend.approvals.tests.fixtures import client_of, close_month

# The shared book, people and frozen clock.
pytest_plugins = ["policylend.approvals.tests.fixtures"]
pytestmark = pytest.mark.django_db


def page_urls(book) -> list[str]:
    return [
        reverse("ledger:trial_balance"),
        reverse("ledger:entry_list"),
        reverse("ledger:entry_detail", args=[book.to_point.pk]),
        reverse("ledger:period_list"),
        reverse("ledger:account_list"),
    ]


@pytest.mark.parametrize(
    "who",
    ["teller_a", "controller_a", "credit_officer_a", "branch_staff", "branch_manager", "auditor"],
)
def test_pages_render_for_users_in_scope(frozen_today, people, book, who):
    client = client_of(getattr(people, who))
    for url in page_urls(book):
        response = client.get(url)
        assert response.status_code == 200, url


def test_proposal_pages_render_for_makers(frozen_today, people, book):
    client = client_of(people.teller_a)
    assert client.get(reverse("ledger:entry_create")).status_code == 200
    assert client.get(reverse("ledger:entry_reverse", args=[book.to_point.pk])).status_code == 200


def test_anonymous_is_sent_to_login(book):
    from django.test import Client

    response = Client().get(reverse("ledger:trial_balance"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_office_a_user_gets_404_for_office_b_entries(frozen_today, people, book):
    client = client_of(people.teller_a)
    for name in ("ledger:entry_detail", "ledger:entry_reverse"):
        assert client.get(reverse(name, args=[book.office_b.pk])).status_code == 404
    response = client.post(
        reverse("ledger:entry_reverse", args=[book.office_b.pk]), {"reason": "x"}
    )
    assert response.status_code == 404
    assert not ApprovalRequest.objects.exists()
    # and the journal lists A's entries, never B's
    listing = client.get(reverse("ledger:entry_list")).content.decode()
    assert f"#{book.to_point.pk}<" in listing
    assert f"#{book.office_b.pk}<" not in listing


def test_office_b_user_sees_office_b_entry(frozen_today, people, book):
    response = client_of(people.teller_b).get(
        reverse("ledger:entry_detail", args=[book.office_b.pk])
    )
    assert response.status_code == 200


def test_commune_level_role_has_no_ledger(frozen_today, people, book):
    client = client_of(people.group_leader)
    for url in page_urls(book):
        assert client.get(url).status_code in (403, 404), url


def test_auditor_cannot_propose(frozen_today, people, book):
    client = client_of(people.auditor)
    assert client.get(reverse("ledger:entry_create")).status_code == 403
    assert client.post(reverse("ledger:entry_create"), voucher_data()).status_code == 403
    response = client.post(
        reverse("ledger:entry_reverse", args=[book.to_point.pk]), {"reason": "wrong"}
    )
    assert response.status_code == 403
    assert client.post(reverse("ledger:period_close"), {"month": "2026-10"}).status_code == 403
    assert not ApprovalRequest.objects.exists()


def test_detail_shows_reverse_button_only_to_makers(frozen_today, people, book):
    url = reverse("ledger:entry_detail", args=[book.to_point.pk])
    reverse_url = reverse("ledger:entry_reverse", args=[book.to_point.pk])
    assert reverse_url in client_of(people.teller_a).get(url).content.decode()
    assert reverse_url not in client_of(people.auditor).get(url).content.decode()


# --- trial balance -------------------------------------------------------------------------------


def rows_of(response) -> dict[str, tuple]:
    report = response.context["report"]
    return {r.account.code: (r.opening, r.debits, r.credits, r.closing) for r in report.rows}


BRANCH_NOVEMBER = {
    "1011": (0, 6_200_000, 0, 6_200_000),
    "1012": (70_000_000, 50_000_000, 5_000_000, 115_000_000),
    "2111.01": (30_000_000, 0, 0, 30_000_000),
    "4511": (-100_000_000, 0, 50_000_000, -150_000_000),
    "7021": (0, 0, 1_200_000, -1_200_000),
}


@pytest.mark.parametrize("closed", [False, True], ids=["open-october", "closed-october"])
def test_trial_balance_of_the_branch(frozen_today, org, people, book, closed):
    # given the hand-made book (with October closed or not: the snapshot gives the same opening)
    if closed:
        close_month(org, people, 2026, 10)
    # when the branch staff opens the trial balance with its default period (1-25/11/2026)
    response = client_of(people.branch_staff).get(reverse("ledger:trial_balance"))
    # then
    assert rows_of(response) == BRANCH_NOVEMBER
    report = response.context["report"]
    assert report.totals == {
        "opening_debit": 100_000_000,
        "opening_credit": 100_000_000,
        "debits": 56_200_000,
        "credits": 56_200_000,
        "closing_debit": 151_200_000,
        "closing_credit": 151_200_000,
    }
    assert report.is_balanced
    page = response.content.decode()
    assert "151.200.000" in page
    assert "01/11/2026" in page and "25/11/2026" in page
    assert "Lạng Sơn" in page


def test_trial_balance_office_filter_and_dates(frozen_today, org, people, book):
    client = client_of(people.branch_staff)
    response = client.get(
        reverse("ledger:trial_balance"),
        {
            "start": "01/10/2026",
            "end": "31/10/2026",
            "office": org.office_b.pk,
        },
    )
    assert rows_of(response) == {}
    response = client.get(
        reverse("ledger:trial_balance"), {"start": "01/11/2026", "office": org.office_b.pk}
    )
    assert rows_of(response) == {
        "1012": (0, 50_000_000, 0, 50_000_000),
        "4511": (0, 0, 50_000_000, -50_000_000),
    }
    assert "Bình Gia" in response.content.decode()


def test_trial_balance_of_an_office_user_is_their_office_only(frozen_today, org, people, book):
    response = client_of(people.teller_a).get(
        reverse("ledger:trial_balance"), {"office": org.office_b.pk}
    )
    rows = rows_of(response)
    assert rows["1012"] == (70_000_000, 0, 5_000_000, 65_000_000)
    assert "Bắc Sơn" in response.content.decode()
    assert "office" not in response.context["form"].fields


def test_trial_balance_refuses_reversed_dates(frozen_today, people, book):
    response = client_of(people.branch_staff).get(
        reverse("ledger:trial_balance"), {"start": "25/11/2026", "end": "01/11/2026"}
    )
    assert response.context["report"] is None
    assert response.context["form"].errors["end"]


def test_off_balance_accounts_are_shown_apart(frozen_today, org, people, book):
    from policylend.approvals.tests.fixtures import post

    post(org, people.branch_staff, frozen_today, org.office_a, "9711", "9719", 7_000_000, "memo-a")
    response = client_of(people.branch_staff).get(reverse("ledger:trial_balance"))
    report = response.context["report"]
    assert {r.account.code for r in report.off_balance_rows} == {"9711", "9719"}
    assert "9711" not in rows_of(response)
    assert report.is_balanced


# --- journal --------------------------------------------------------------------------------------


def test_journal_filters(frozen_today, people, book):
    client = client_of(people.branch_staff)

    def ids(**params):
        return [e.pk for e in client.get(reverse("ledger:entry_list"), params).context["page"]]

    assert ids() == [
        book.interest.pk,
        book.to_point.pk,
        book.office_b.pk,
        book.loan.pk,
        book.opening.pk,
    ]
    assert ids(start="01/11/2026", end="10/11/2026") == [book.to_point.pk, book.office_b.pk]
    assert ids(q="interest-a") == [book.interest.pk]
    assert ids(kind="reversal") == []
    assert ids(size="2", page="2") == [book.office_b.pk, book.loan.pk]


def test_entry_detail_shows_lines_and_reversal_links(frozen_today, people, book):
    from policylend.ledger.services import journal_entry_reverse

    reversal = journal_entry_reverse(
        entry_id=book.interest.pk,
        reason="wrong account",
        maker=people.branch_staff,
        checker=people.branch_manager,
        today=frozen_today,
    )
    client = client_of(people.teller_a)
    page = client.get(reverse("ledger:entry_detail", args=[book.interest.pk])).content.decode()
    assert reverse("ledger:entry_detail", args=[reversal.pk]) in page
    assert "1.200.000" in page
    assert reverse("ledger:entry_reverse", args=[book.interest.pk]) not in page
    page = client.get(reverse("ledger:entry_detail", args=[reversal.pk])).content.decode()
    assert reverse("ledger:entry_detail", args=[book.interest.pk]) in page
    assert people.branch_manager.full_name in page


# --- the voucher form ---------------------------------------------------------------------------


def voucher_data(lines=None, **header) -> dict:
    lines = (
        lines
        if lines is not None
        else [("1011", "debit", "1.500.000"), ("1012", "credit", "1.500.000")]
    )
    data = {
        "value_date": "20/11/2026",
        "memo": "Chuyển tiền mặt ra điểm giao dịch",
        "note": "",
        "lines-TOTAL_FORMS": str(len(lines)),
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "2",
        "lines-MAX_NUM_FORMS": "100",
        **header,
    }
    for i, (account, side, amount) in enumerate(lines):
        data.update(
            {f"lines-{i}-account": account, f"lines-{i}-side": side, f"lines-{i}-amount": amount}
        )
    return data


def test_voucher_creates_a_request_not_an_entry(frozen_today, org, people, book):
    from policylend.ledger.models import JournalEntry

    entries = JournalEntry.objects.count()
    response = client_of(people.teller_a).post(
        reverse("ledger:entry_create"), voucher_data(office=org.office_a.pk)
    )
    approval = ApprovalRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("approvals:detail", args=[approval.pk])
    assert approval.kind == "ledger.manual_entry"
    assert approval.unit == org.office_a
    assert approval.payload["lines"][0] == {
        "account": "1011",
        "side": "debit",
        "amount": 1_500_000,
        "office_id": org.office_a.pk,
        "association_id": None,
        "group_ref": None,
        "loan_ref": None,
        "savings_account_ref": None,
        "campaign_ref": None,
    }
    assert approval.payload["value_date"] == "2026-11-20"
    assert JournalEntry.objects.count() == entries


def test_voucher_lines_of_an_office_user_belong_to_their_office(frozen_today, org, people, book):
    response = client_of(people.teller_a).post(
        reverse("ledger:entry_create"), voucher_data(office=org.office_b.pk)
    )
    assert response.status_code == 200
    assert response.context["form"].errors["office"]
    assert not ApprovalRequest.objects.exists()


@pytest.mark.parametrize(
    ("lines", "where", "words"),
    [
        # The messages are the Vietnamese a teller reads (the default language).
        (
            [("1011", "debit", "1.500.000"), ("1012", "credit", "1.400.000")],
            "form",
            "chênh lệch 100.000",
        ),
        ([("1011", "debit", "80,5"), ("1012", "credit", "80")], "line0.amount", "phần thập phân"),
        ([("1011", "debit", "0"), ("1012", "credit", "0")], "line0.amount", "phải lớn hơn 0"),
        ([("1011", "debit", "1.000")], "formset", "2"),
    ],
    ids=["unbalanced", "fraction", "zero", "one-line"],
)
def test_voucher_errors_are_shown_beside_their_field(
    frozen_today, org, people, book, lines, where, words
):
    response = client_of(people.teller_a).post(
        reverse("ledger:entry_create"), voucher_data(lines, office=org.office_a.pk)
    )
    assert response.status_code == 200
    if where == "form":
        errors = " ".join(response.context["form"].non_field_errors())
    elif where == "formset":
        errors = " ".join(response.context["formset"].non_form_errors())
    else:
        errors = " ".join(response.context["formset"].forms[0].errors["amount"])
    assert words in errors
    assert words in response.content.decode().replace("&quot;", '"').replace("&#x27;", "'")
    assert not ApprovalRequest.objects.exists()


def test_voucher_into_a_closed_month_is_refused_on_the_value_date(frozen_today, org, people, book):
    close_month(org, people, 2026, 10)
    response = client_of(people.teller_a).post(
        reverse("ledger:entry_create"),
        voucher_data(value_date="15/10/2026", office=org.office_a.pk),
    )
    assert "10/2026" in " ".join(response.context["form"].errors["value_date"])
    assert not ApprovalRequest.objects.exists()


def test_service_problems_land_on_the_line_they_name(frozen_today):
    from policylend.core.errors import DomainError, Problem
    from policylend.ledger.forms import VoucherForm, add_voucher_problems, voucher_line_formset
    from policylend.organisation.models import OrganisationUnit

    data = voucher_data(
        [
            ("1011", "debit", "5"),
            ("1012", "credit", "3"),
            ("", "debit", ""),
            ("4511", "credit", "2"),
        ]
    )
    form = VoucherForm(data, offices=OrganisationUnit.objects.none(), office_required=False)
    formset = voucher_line_formset(data)
    assert form.is_valid() and formset.is_valid()
    error = DomainError.of(
        [
            Problem("x", "third filled line", "lines[3].account"),
            Problem("y", "about the memo", "memo"),
            Problem("z", "about all lines", "lines"),
        ]
    )
    add_voucher_problems(form, formset, error)
    # the blank line is skipped: "lines[3]" is the fourth row on screen
    assert formset.forms[3].errors["account"] == ["third filled line"]
    assert form.errors["memo"] == ["about the memo"]
    assert form.non_field_errors() == ["about all lines"]


def test_add_line_without_javascript_keeps_what_was_typed(frozen_today, org, people, book):
    data = voucher_data(office=org.office_a.pk) | {"add_line": "1"}
    response = client_of(people.teller_a).post(reverse("ledger:entry_create"), data)
    assert response.status_code == 200
    assert len(response.context["formset"].forms) == 3
    assert 'value="1.500.000"' in response.content.decode()
    assert not ApprovalRequest.objects.exists()


def test_htmx_add_line_and_running_totals(frozen_today, people, book):
    client = client_of(people.teller_a)
    response = client.get(
        reverse("ledger:entry_line"), {"index": 2}, headers={"HX-Request": "true"}
    )
    page = response.content.decode()
    assert 'name="lines-2-account"' in page
    assert 'name="lines-TOTAL_FORMS" value="3"' in page
    assert "index=3" in page
    assert client.get(reverse("ledger:entry_line"), {"index": 100}).status_code == 400
    data = voucher_data([("1011", "debit", "1.500.000"), ("1012", "credit", "1.000.000")])
    page = client.post(reverse("ledger:entry_totals"), data).content.decode()
    assert "1.500.000" in page and "1.000.000" in page and "500.000" in page


def test_period_list(frozen_today, org, people, book):
    client = client_of(people.branch_staff)

    def rows():
        response = client.get(reverse("ledger:period_list"))
        return {row["key"]: row for row in response.context["rows"]}

    before = rows()
    assert len(before) == 24
    assert before["2026-10"]["may_request"] and before["2026-10"]["lines"] == 4
    assert not before["2026-09"]["may_request"]  # nothing posted: nothing to close
    assert not before["2026-11"]["may_request"]  # not ended
    assert before["2026-11"]["lines"] == 6
    close_month(org, people, 2026, 10)
    after = rows()
    assert after["2026-10"]["closed"] and not after["2026-10"]["may_request"]
    assert after["2026-10"]["period"].closed_by == people.branch_manager
    assert not any(row["may_request"] for row in after.values())
    assert client_of(people.auditor).get(reverse("ledger:period_list")).status_code == 200


def test_account_list_is_a_tree_in_the_reader_language(frozen_today, people):
    client = client_of(people.auditor)
    client.cookies["policylend_language"] = "en"
    response = client.get(reverse("ledger:account_list"))
    rows = response.context["rows"]
    depth = {row["account"].code: row["depth"] for row in rows}
    assert depth["1"] == 0 and depth["21"] == 1 and depth["2111"] == 2 and depth["2111.01"] == 3
    assert "Cash at transaction point" in response.content.decode()
    codes = [row["account"].code for row in rows]
    assert codes.index("21") < codes.index("2111") < codes.index("2111.01") < codes.index("2112")
