"""Pages and API of rescheduling, extension and risk handling: success and refusal side by side."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import TODAY
from policylend.approvals.models import ApprovalRequest
from policylend.loans.models import RiskBatch, RiskBatchStatus
from policylend.loans.services import risk

from .changes_fixtures import disbursed_loan

PDF = b"%PDF-1.4\n% evidence\n"


@pytest.fixture(autouse=True)
def bank_today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def people(org, make_user):
    return {
        "maker": make_user("credit_officer", org.office_a),
        "checker": make_user("controller", org.office_a),
        "teller": make_user("teller", org.office_a),
    }


@pytest.fixture
def loan(org, people):
    return disbursed_loan(org, people["maker"])


def client_for(user):
    client = Client()
    client.force_login(user)
    client.cookies["policylend_language"] = "en"
    return client


def reschedule_form(loan, **changes):
    instalment = loan.instalments.order_by("number").first()
    return {
        "instalment": instalment.pk,
        "new_due": "21/06/2027",
        "amount": "",
        "asked_on": "25/11/2026",
        "reason": "Bò bị bệnh",
        **changes,
    }


def test_reschedule_page_asks_and_refuses_beside_the_field(loan, people):
    client = client_for(people["maker"])
    url = reverse("loans:changes_reschedule", args=[loan.pk])
    assert client.get(url).status_code == 200

    refused = client.post(url, reschedule_form(loan, new_due="22/09/2027"))
    assert refused.status_code == 200
    assert "after the next instalment" in refused.content.decode()

    done = client.post(url, reschedule_form(loan))
    approval = ApprovalRequest.objects.get(kind="loans.reschedule")
    assert done.status_code == 302
    assert done.url == reverse("approvals:detail", args=[approval.pk])

    # The checker sees what will happen before approving.
    page = client_for(people["checker"]).get(done.url)
    assert page.status_code == 200
    assert "Schedule after approval" in page.content.decode()


def test_extension_page_over_half_the_term_refused_within_accepted(loan, people):
    client = client_for(people["maker"])
    url = reverse("loans:changes_extension", args=[loan.pk])
    form = {"months": "19", "asked_on": "25/11/2026", "reason": "Thiên tai"}
    assert "at most half of the original term" in client.post(url, form).content.decode()
    assert client.post(url, {**form, "months": "12"}).status_code == 302
    approval = ApprovalRequest.objects.get(kind="loans.extension")
    page = client_for(people["checker"]).get(reverse("approvals:detail", args=[approval.pk]))
    assert "Schedule after approval" in page.content.decode()
    assert "21/09/2030" in page.content.decode()


def test_a_teller_may_not_ask_for_changes(loan, people):
    client = client_for(people["teller"])
    assert client.get(reverse("loans:changes_reschedule", args=[loan.pk])).status_code == 403
    assert client.get(reverse("loans:risk_batch_create")).status_code == 403


def test_the_loan_page_include_offers_changes_to_a_maker_only(loan, people):
    shown = render_to_string("loans/changes_actions.html", {"loan": loan, "user": people["maker"]})
    assert reverse("loans:changes_reschedule", args=[loan.pk]) in shown
    shown = render_to_string("loans/changes_actions.html", {"loan": loan, "user": people["teller"]})
    assert reverse("loans:changes_reschedule", args=[loan.pk]) not in shown


def test_risk_batch_pages_from_creation_to_submission(org, loan, people):
    client = client_for(people["maker"])
    created = client.post(
        reverse("loans:risk_batch_create"), {"name": "Đợt 2/2026", "office": org.office_a.pk}
    )
    batch = RiskBatch.objects.get()
    assert created.url == reverse("loans:risk_batch_detail", args=[batch.pk])

    add_url = reverse("loans:risk_dossier_add", args=[batch.pk])
    dossier = {
        "loan_number": loan.number,
        "cause": "natural_disaster",
        "occurred_on": "30/09/2026",
        "loss_percent": "60",
        "loss_assessment": "Lũ quét",
        "treatment": "freeze",
        "freeze_months": "40",
    }
    assert "at most 36 months" in client.post(add_url, dossier).content.decode()
    assert client.post(add_url, {**dossier, "freeze_months": "36"}).status_code == 302

    submit_url = reverse("loans:risk_batch_submit", args=[batch.pk])
    client.post(submit_url)
    batch.refresh_from_db()
    assert batch.status == RiskBatchStatus.DRAFT  # no evidence yet

    evidence_url = reverse("loans:risk_evidence_add", args=[batch.dossiers.get().pk])
    wrong = client.post(
        evidence_url, {"file": SimpleUploadedFile("a.txt", b"hello"), "description": "x"}
    )
    assert wrong.status_code == 422
    right = client.post(
        evidence_url,
        {"file": SimpleUploadedFile("bien-ban.pdf", PDF), "description": "Biên bản"},
    )
    assert right.status_code == 302
    evidence = batch.dossiers.get().evidence.get()
    assert client.get(reverse("loans:risk_evidence_file", args=[evidence.pk])).status_code == 200

    assert client.post(submit_url).status_code == 302
    batch.refresh_from_db()
    assert batch.status == RiskBatchStatus.SUBMITTED
    page = client_for(people["checker"]).get(reverse("approvals:detail", args=[batch.approval_id]))
    assert "Dr 6131" in page.content.decode()
    assert client.get(reverse("loans:risk_batch_list")).status_code == 200


# --- API ---------------------------------------------------------------------------------------


def test_api_reschedule_request_is_idempotent_and_refusals_are_problems(loan, people):
    client = client_for(people["maker"])
    url = f"/api/v1/loans/{loan.pk}/reschedule-requests"
    body = {
        "instalment_id": loan.instalments.order_by("number").first().pk,
        "new_due": "2027-06-21",
        "asked_on": "2026-11-25",
        "reason": "Bò bị bệnh",
    }
    first = client.post(
        url, body, content_type="application/json", headers={"Idempotency-Key": "r1"}
    )
    again = client.post(
        url, body, content_type="application/json", headers={"Idempotency-Key": "r1"}
    )
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]

    no_key = client.post(url, body, content_type="application/json")
    assert no_key.status_code == 422
    past = client.post(
        f"/api/v1/loans/{loan.pk}/extension-requests",
        {"months": 19, "asked_on": "2026-11-25", "reason": "x"},
        content_type="application/json",
        headers={"Idempotency-Key": "e1"},
    )
    assert past.status_code == 422
    assert past.json()["errors"][0]["code"] == "loans_extension_too_long"


def test_api_risk_batch_from_creation_to_submission(org, loan, people):
    client = client_for(people["maker"])
    created = client.post(
        "/api/v1/loans/risk-batches",
        {"office_id": org.office_a.pk, "name": "Đợt 2/2026"},
        content_type="application/json",
    )
    assert created.status_code == 201
    batch_id = created.json()["id"]
    dossier = {
        "loan_id": loan.pk,
        "cause": "death",
        "occurred_on": "2026-10-01",
        "loss_percent": 100,
        "loss_assessment": "Chủ hộ mất, không có người thừa kế nghĩa vụ",
        "treatment": "write_off",
    }
    added = client.post(
        f"/api/v1/loans/risk-batches/{batch_id}/dossiers", dossier, content_type="application/json"
    )
    assert added.status_code == 201, added.content
    refused = client.post(
        f"/api/v1/loans/risk-batches/{batch_id}/dossiers",
        {**dossier, "loss_percent": 90},
        content_type="application/json",
    )
    assert refused.status_code == 422
    uploaded = client.post(
        f"/api/v1/loans/risk-dossiers/{added.json()['id']}/evidence",
        {"file": SimpleUploadedFile("giay-chung-tu.pdf", PDF), "description": "Giấy chứng tử"},
    )
    assert uploaded.status_code == 201, uploaded.content
    sent = client.post(
        f"/api/v1/loans/risk-batches/{batch_id}/submit", headers={"Idempotency-Key": "b1"}
    )
    again = client.post(
        f"/api/v1/loans/risk-batches/{batch_id}/submit", headers={"Idempotency-Key": "b1"}
    )
    assert (sent.status_code, again.status_code) == (201, 200)
    read = client.get(f"/api/v1/loans/risk-batches/{batch_id}")
    assert read.json()["status"] == "submitted"
    assert read.json()["dossiers"][0]["evidence"][0]["description"] == "Giấy chứng tử"


def test_a_rejected_batch_can_be_prepared_again(org, loan, people):
    from policylend.approvals.services import approval_request_reject

    batch = risk.risk_batch_create(actor=people["maker"], office=org.office_a, name="Đợt")
    dossier = risk.risk_dossier_add(
        actor=people["maker"],
        batch=batch,
        loan=loan,
        cause="fire",
        occurred_on=date(2026, 10, 1),
        loss_percent=50,
        loss_assessment="Cháy",
        treatment="freeze",
        freeze_months=12,
        today=TODAY,
    )
    risk.risk_evidence_add(
        actor=people["maker"],
        dossier=dossier,
        file=SimpleUploadedFile("a.pdf", PDF),
        description="x",
    )
    request = risk.risk_batch_submit(actor=people["maker"], batch=batch, today=TODAY)
    approval_request_reject(
        request_id=request.pk, checker=people["checker"], reason="Thiếu biên bản"
    )
    batch.refresh_from_db()
    again = risk.risk_batch_submit(actor=people["maker"], batch=batch, today=TODAY)
    assert again.pk != request.pk
