# ruff: noqa: F811 (the ``world`` fixture is imported from origination_setup)
"""Origination pages, API operations and printable documents."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from policylend.core.pdf import render_html
from policylend.loans.models import Loan, LoanStatus, LoanTransaction
from policylend.loans.selectors.origination import _document_context
from policylend.loans.services.disbursement import loan_disburse
from policylend.programmes.models import Programme
from policylend.users.services import api_token_create

from .origination_setup import (  # noqa: F401 (fixtures)
    APPLIED,
    MEETING,
    apply,
    approved_loan,
    certify_loan,
    review_meeting,
    world,
)

pytestmark = pytest.mark.django_db


def client_of(user) -> Client:
    client = Client()
    client.cookies["policylend_language"] = "en"
    client.force_login(user)
    return client


def api_of(user) -> Client:
    _record, token = api_token_create(user=user, name="tests")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    client.cookies["policylend_language"] = "en"
    return client


def pdf_text(content: bytes, loan: Loan, document: str) -> str:
    """The PDF's text with pdftotext, else pypdf; when neither is on the machine, the HTML the
    PDF was laid out from (the same template and context)."""
    if shutil.which("pdftotext"):
        done = subprocess.run(
            ["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True
        )
        return done.stdout.decode()
    try:
        from io import BytesIO

        from pypdf import PdfReader
    except ImportError:
        return render_html(f"loans/pdf_{document}.html", _document_context(loan), "en")
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(content)).pages)


# --- application page ------------------------------------------------------------------------------


def test_application_page_records_an_application(world):
    client = client_of(world.officer)
    url = reverse("loans:application_create")
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "household_code": world.households[0].code,
            "programme": world.poor.pk,
            "amount": "50,000,000",
            "term_months": 36,
            "purpose": "Nuôi bò",
            "funding_source": "central",
            "applied_on": "03/03/2025",
        },
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    loan = Loan.objects.get()
    assert (loan.amount_requested, loan.applied_on) == (50_000_000, APPLIED)


def test_application_page_shows_the_refusal_beside_the_field(world):
    client = client_of(world.officer)
    response = client.post(
        reverse("loans:application_create"),
        {
            "household_code": world.households[5].code,
            "programme": world.poor.pk,
            "amount": "50,000,000",
            "term_months": 36,
            "purpose": "Nuôi bò",
            "funding_source": "central",
            "applied_on": "03/03/2025",
        },
    )
    assert response.status_code == 200
    assert "not a member of a savings-and-loan group" in response.content.decode()
    assert not Loan.objects.exists()


def test_programme_fields_are_swapped_in(world):
    client = client_of(world.officer)
    students = Programme.objects.get(code="02")
    response = client.get(reverse("loans:application_fields"), {"programme": students.pk})
    assert 'name="pf_course_end"' in response.content.decode()
    response = client.get(reverse("loans:application_fields"), {"programme": world.poor.pk})
    assert "pf_" not in response.content.decode()


def test_programme_field_problem_shown_beside_it(world):
    client = client_of(world.officer)
    students = Programme.objects.get(code="02")
    response = client.post(
        reverse("loans:application_create"),
        {
            "household_code": world.households[0].code,
            "programme": students.pk,
            "amount": "20,000,000",
            "term_months": 60,
            "purpose": "Học phí",
            "funding_source": "central",
            "applied_on": "03/03/2025",
        },
    )
    assert response.status_code == 200
    assert not Loan.objects.exists()


def test_review_list_and_review_page(world):
    loan = apply(world)
    meeting = review_meeting(world, [loan.household])
    client = client_of(world.officer)
    page = client.get(reverse("loans:review_list", args=[world.group.pk]))
    assert loan.number in page.content.decode()
    response = client.post(
        reverse("loans:review_record", args=[loan.pk]),
        {"stage": "group", "decision": "agreed", "decided_on": "05/03/2025", "meeting": meeting.pk},
    )
    assert response.status_code == 302
    assert loan.reviews.get().meeting == meeting
    # the association's review before… nothing: order is enforced, the error is shown
    response = client.post(
        reverse("loans:review_record", args=[loan.pk]),
        {"stage": "commune", "decision": "agreed", "decided_on": "10/03/2025"},
    )
    assert response.status_code == 200
    assert "comes before" in response.content.decode()


def test_decision_and_disbursement_pages(world, today):
    loan = certify_loan(world, apply(world))
    response = client_of(world.officer).post(
        reverse("loans:decision_propose", args=[loan.pk]),
        {"approve": "1", "amount": "50,000,000"},
    )
    assert response.status_code == 302
    # a teller may not propose
    assert (
        client_of(world.teller).get(reverse("loans:decision_propose", args=[loan.pk])).status_code
        == 403
    )
    loan = approved_loan(world, household=world.households[1])
    teller = client_of(world.teller)
    form = teller.get(reverse("loans:disburse", args=[loan.pk]))
    assert form.status_code == 200
    data = {"disbursed_on": "20/03/2025", "place": "office", "idempotency_key": "page-1"}
    assert teller.post(reverse("loans:disburse", args=[loan.pk]), data).status_code == 302
    assert teller.post(reverse("loans:disburse", args=[loan.pk]), data).status_code == 302
    assert LoanTransaction.objects.filter(loan=loan).count() == 1


def test_actions_include(world):
    loan = certify_loan(world, apply(world))
    html = render_to_string("loans/origination_actions.html", {"loan": loan, "user": world.officer})
    assert reverse("loans:decision_propose", args=[loan.pk]) in html


# --- API -------------------------------------------------------------------------------------------


def test_api_application_review_decision_disbursement(world, today):
    api = api_of(world.officer)
    response = api.post(
        "/api/v1/loans/applications",
        {
            "household_id": world.households[0].pk,
            "programme_id": world.poor.pk,
            "amount": 50_000_000,
            "term_months": 36,
            "purpose": "Nuôi bò",
            "applied_on": "2025-03-03",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    loan = Loan.objects.get(pk=response.json()["id"])
    refused = api.post(
        "/api/v1/loans/applications",
        {
            "household_id": world.households[5].pk,
            "programme_id": world.poor.pk,
            "amount": 50_000_000,
            "term_months": 36,
            "purpose": "x",
            "applied_on": "2025-03-03",
        },
        content_type="application/json",
    )
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "household_id"

    meeting = review_meeting(world, [loan.household])
    response = api.post(
        f"/api/v1/loans/{loan.pk}/reviews",
        {
            "stage": "group",
            "decision": "agreed",
            "decided_on": "2025-03-05",
            "meeting_id": meeting.pk,
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    certify_loan  # the remaining stages through the services
    from policylend.loans.services.review import loan_review_record

    loan_review_record(
        actor=world.association_officer,
        loan=loan,
        stage="association",
        decision="agreed",
        decided_on=date(2025, 3, 7),
    )
    loan_review_record(
        actor=world.officer,
        loan=loan,
        stage="commune",
        decision="agreed",
        decided_on=date(2025, 3, 10),
        decided_by_name="Chủ tịch",
        decision_number="1/XN",
    )
    response = api.post(
        f"/api/v1/loans/{loan.pk}/decision",
        {"approve": True, "amount": 40_000_000},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    from policylend.approvals.services import approval_request_approve

    approval_request_approve(
        request_id=response.json()["id"], checker=world.controller, today=date(2025, 3, 12)
    )
    teller = api_of(world.teller)
    url = f"/api/v1/loans/{loan.pk}/disbursement"
    body = {"disbursed_on": "2025-03-20"}
    assert teller.post(url, body, content_type="application/json").status_code == 422
    first = teller.post(
        url, body, content_type="application/json", headers={"Idempotency-Key": "a"}
    )
    again = teller.post(
        url, body, content_type="application/json", headers={"Idempotency-Key": "a"}
    )
    assert (first.status_code, again.status_code) == (201, 200), first.content
    assert first.json()["transaction_id"] == again.json()["transaction_id"]
    assert first.json()["amount"] == 40_000_000
    loan.refresh_from_db()
    assert loan.status == LoanStatus.IN_TERM

    pdf = api.get(f"/api/v1/loans/{loan.pk}/contract.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


# --- documents -------------------------------------------------------------------------------------


def test_notice_and_contract_pdfs(world, today):
    loan = approved_loan(world)
    client = client_of(world.officer)
    notice = client.get(reverse("loans:notice_pdf", args=[loan.pk]))
    assert notice.status_code == 200 and notice.content.startswith(b"%PDF")
    assert client.get(reverse("loans:contract_pdf", args=[loan.pk])).status_code == 404
    loan_disburse(
        actor=world.teller,
        loan=loan,
        disbursed_on=date(2025, 3, 20),
        today=today,
        idempotency_key="c",
    )
    loan.refresh_from_db()
    contract = client.get(reverse("loans:contract_pdf", args=[loan.pk]))
    assert contract.status_code == 200 and contract.content.startswith(b"%PDF")
    text = pdf_text(contract.content, loan, "contract")
    assert loan.number in text
    assert "16,600,000" in text and "16,800,000" in text


def test_pdf_in_hindi_and_vietnamese(world, today):
    from policylend.core.pdf import render_pdf

    loan = approved_loan(world)
    for language in ("hi", "vi"):
        content = render_pdf("loans/pdf_notice.html", _document_context(loan), language)
        assert content.startswith(b"%PDF")
    html = render_html("loans/pdf_notice.html", _document_context(loan), "vi")
    assert "50.000.000" in html and loan.number in html
