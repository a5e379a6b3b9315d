# ruff: noqa: F811 (the set-up's fixtures are imported)
"""The collection sheet's pages: the entry page pre-filled from what is due, posting (once per
key), refused posts shown next to the cell, the posted sheet and its PDFs."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from django.test import Client
from django.urls import reverse

from policylend.core.money import format_amount
from policylend.core.pdf import render_html

from ..models import CollectionSheet
from ..selectors.sheets import collection_sheet_prefill
from ..views.sheets import sheet_document_context
from .session_setup import TODAY, session_world, staff, world  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def bank_day(monkeypatch):
    """The pages read the bank's date from ``timezone.localdate``: the set-up's today."""
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies["policylend_language"] = "en"
    return client


def entry_url(w) -> str:
    return reverse("transaction_sessions:sheet_entry", args=[w.session.pk, w.group.pk])


def form_data(response, **changes) -> dict:
    """What the page posts as rendered, with some cells changed (by field name)."""
    data = {
        "idempotency_key": response.context["idempotency_key"],
        "handed_over_by": response.context["handed_over_by"],
        "row": [row.key for row in response.context["rows"]],
    }
    for row in response.context["rows"]:
        for cell in (row.interest, row.principal, row.savings):
            if cell is not None:
                data[cell.name] = cell.value
    data.update(changes)
    return data


def pdf_text(content: bytes, sheet, document: str, language: str) -> str:
    """The PDF's text with pdftotext, else pypdf; when neither is on the machine, the HTML the
    PDF was laid out from (the same template and context)."""
    assert content.startswith(b"%PDF")
    if shutil.which("pdftotext"):
        done = subprocess.run(
            ["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True
        )
        return done.stdout.decode()
    try:
        from io import BytesIO

        from pypdf import PdfReader
    except ImportError:
        return render_html(
            f"transaction_sessions/sheet_pdf_{document}.html",
            sheet_document_context(sheet, language),
            language,
        )

    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(content)).pages)


def test_the_page_is_prefilled_with_what_is_due(session_world):
    w = session_world
    prefill = collection_sheet_prefill(w.teller, w.session, w.group)
    response = client_of(w.teller).get(entry_url(w))
    assert response.status_code == 200
    page = response.content.decode()
    rows = response.context["rows"]
    assert [row.prefill for row in rows] == prefill
    an = next(row for row in rows if row.prefill.loan_id == w.disbursed.pk)
    assert an.interest.value == format_amount(an.prefill.interest_due, "en", symbol=False)
    assert an.principal.value == format_amount(an.prefill.principal_due, "en", symbol=False)
    assert w.disbursed.number in page and "Hoàng Văn An" in page
    totals = response.context["totals"]
    assert totals["interest"] == sum(row.interest_due for row in prefill)
    assert totals["principal"] == sum(row.principal_due for row in prefill)
    assert totals["total"] == totals["interest"] + totals["principal"] + totals["savings"]
    assert (
        f'id="total-all" data-total="all">{format_amount(totals["total"], "en", symbol=False)}'
        in page
    )
    assert "autofocus" in page and 'inputmode="numeric"' in page
    assert "js/collection_sheet.js" in page
    assert f'value="{response.context["idempotency_key"]}"' in page


def test_a_post_with_differences_shows_the_receipt_and_posts_once_per_key(session_world):
    w = session_world
    client = client_of(w.teller)
    page = client.get(entry_url(w))
    an = next(row for row in page.context["rows"] if row.prefill.loan_id == w.disbursed.pk)
    data = form_data(page, **{an.interest.name: "150.000", an.principal.name: "0"})
    response = client.post(entry_url(w), data)
    assert response.status_code == 303
    sheet = CollectionSheet.objects.get()
    assert response["Location"] == reverse("transaction_sessions:sheet_detail", args=[sheet.pk])
    line = sheet.lines.get(loan=w.disbursed)
    assert (line.interest, line.principal) == (150_000, 0)
    detail = client.get(response["Location"])
    assert f"Receipt no. {sheet.receipt_number}" in detail.content.decode()
    # The same page posted again (a double click, a lost answer): nothing more is posted.
    again = client.post(entry_url(w), data)
    assert again.status_code == 303 and again["Location"] == response["Location"]
    assert CollectionSheet.objects.count() == 1
    shown = client.get(again["Location"]).content.decode()
    assert "already posted" in shown and f"Receipt no. {sheet.receipt_number}" in shown
    # The entry page now says so, with the sheet's link.
    assert reverse("transaction_sessions:sheet_detail", args=[sheet.pk]) in (
        client.get(entry_url(w)).content.decode()
    )


def test_amounts_are_read_in_any_grouping(session_world):
    w = session_world
    client = client_of(w.teller)
    page = client.get(entry_url(w))
    an = next(row for row in page.context["rows"] if row.prefill.loan_id == w.disbursed.pk)
    binh = next(row for row in page.context["rows"] if row.prefill.loan_id == w.second.pk)
    data = form_data(
        page, **{an.interest.name: "150,000", an.principal.name: "0", binh.interest.name: "20000"}
    )
    assert client.post(entry_url(w), data).status_code == 303
    sheet = CollectionSheet.objects.get()
    assert sheet.lines.get(loan=w.disbursed).interest == 150_000
    assert sheet.lines.get(loan=w.second).interest == 20_000


def test_a_refused_sheet_names_the_member_next_to_the_cell_and_posts_nothing(session_world):
    w = session_world
    client = client_of(w.teller)
    page = client.get(entry_url(w))
    an = next(row for row in page.context["rows"] if row.prefill.loan_id == w.disbursed.pk)
    response = client.post(entry_url(w), form_data(page, **{an.principal.name: "999.000.000"}))
    assert response.status_code == 400
    assert CollectionSheet.objects.count() == 0
    rows = response.context["rows"]
    refused = next(row for row in rows if row.prefill.loan_id == w.disbursed.pk)
    problem = refused.principal.error or " ".join(refused.errors)
    assert "Hoàng Văn An" in problem
    assert response.context["summary"]
    page_text = response.content.decode()
    assert "Nothing was posted" in page_text
    # The user's entries stay on the page.
    assert refused.principal.value == "999.000.000"
    assert 'aria-invalid="true"' in page_text


def test_a_cell_that_is_no_amount_is_refused_next_to_it(session_world):
    w = session_world
    client = client_of(w.teller)
    page = client.get(entry_url(w))
    an = next(row for row in page.context["rows"] if row.prefill.loan_id == w.disbursed.pk)
    response = client.post(entry_url(w), form_data(page, **{an.interest.name: "12a"}))
    assert response.status_code == 400
    assert CollectionSheet.objects.count() == 0
    refused = next(r for r in response.context["rows"] if r.prefill.loan_id == w.disbursed.pk)
    assert refused.interest.error
    assert response.context["autofocus"] == refused.interest.name


def _posted(w) -> CollectionSheet:
    client = client_of(w.teller)
    page = client.get(entry_url(w))
    client.post(entry_url(w), form_data(page))
    return CollectionSheet.objects.get()


def test_the_pdfs_carry_the_receipt_number_and_the_words(session_world):
    w = session_world
    sheet = _posted(w)
    client = client_of(w.teller)
    receipts = client.get(
        reverse("transaction_sessions:sheet_receipts", args=[sheet.pk]) + "?lang=en"
    )
    assert receipts.status_code == 200 and receipts["Content-Type"] == "application/pdf"
    text = pdf_text(receipts.content, sheet, "receipts", "en")
    first = sheet.lines.order_by("number").first()
    assert f"{sheet.receipt_number}-{first.number}" in text
    assert "dong" in text
    listing = client.get(reverse("transaction_sessions:sheet_list_pdf", args=[sheet.pk]))
    assert listing.status_code == 200 and listing["Content-Type"] == "application/pdf"
    assert str(sheet.receipt_number) in pdf_text(listing.content, sheet, "list", "vi")


def test_the_reversal_is_asked_from_the_sheet_page(session_world):
    w = session_world
    sheet = _posted(w)
    client = client_of(w.officer)
    url = reverse("transaction_sessions:sheet_detail", args=[sheet.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": "Typed on the wrong group"})
    if response.status_code == 302:
        assert "/approvals/" in response["Location"]
    else:  # the officer's role may not ask: the form says why
        assert response.status_code in (200, 403)


def test_a_role_without_sheets_gets_403_and_posting_needs_its_capability(session_world, make_user):
    w = session_world
    leader_like = make_user("group_leader", w.org.commune_a1, username="sheet.leader")
    assert client_of(leader_like).get(entry_url(w)).status_code == 403
    controller = client_of(w.controller)
    page = controller.get(entry_url(w))
    assert page.status_code == 200
    assert controller.post(entry_url(w), form_data(page)).status_code == 403
    assert CollectionSheet.objects.count() == 0
