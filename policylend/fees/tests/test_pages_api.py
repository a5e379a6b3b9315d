"""The pages and the API of commissions and fees on the stand-in session (conftest.py)."""

from __future__ import annotations

import io

import openpyxl
from django.test import Client
from django.urls import reverse

from ..models import CommissionPayment, EntrustmentFee


def _client(user) -> Client:
    client = Client()
    client.cookies["policylend_language"] = "en"
    client.force_login(user)
    return client


def test_the_session_page_previews_and_pays(fees_world, posted_sheet):
    client = _client(fees_world.staff.teller)
    url = reverse("fees:session_pay", args=[fees_world.session.pk])
    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Pay the commissions" in text and "Pay the entrustment fees" in text
    assert "10,800" in text and "9,072" in text and "10,000" in text
    for action in ("commissions", "fees"):
        response = client.post(url, {"action": action, "idempotency_key": f"page-{action}"})
        assert response.status_code == 302
    # A double click: the same key posts nothing more.
    client.post(url, {"action": "fees", "idempotency_key": "page-fees"})
    assert CommissionPayment.objects.count() == 1
    assert EntrustmentFee.objects.count() == 1
    text = client.get(url).content.decode()
    assert "Pay the commissions" not in text and "Pay the entrustment fees" not in text
    assert client.get(reverse("fees:index")).status_code == 200


def test_the_statement_page_pdf_and_excel(fees_world, posted_sheet):
    from .. import services
    from .conftest import TODAY

    services.entrustment_fee_pay(
        actor=fees_world.staff.teller, session=fees_world.session, today=TODAY, idempotency_key="f"
    )
    unit = fees_world.staff.world.association_unit
    client = _client(fees_world.staff.world.association_officer)
    url = reverse("fees:unit_statement", args=[unit.pk])
    page = client.get(url, {"month": "11/2026"})
    assert page.status_code == 200
    assert "24,000,000" in page.content.decode()
    pdf = client.get(url, {"month": "11/2026", "format": "pdf"})
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    xlsx = client.get(url, {"format": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][6] == 10_800 and rows[1][10] == 9_072
    # The teller transfers the other levels' shares from the statement.
    fee = EntrustmentFee.objects.get()
    teller = _client(fees_world.staff.teller)
    response = teller.post(reverse("fees:fee_transfer", args=[fee.pk]), {"idempotency_key": "tr-1"})
    assert response.status_code == 302
    fee.refresh_from_db()
    assert fee.transferred_on is not None


def test_the_api_previews_pays_once_and_reads_the_statement(fees_world, posted_sheet):
    client = _client(fees_world.staff.teller)
    base = f"/api/v1/fees/sessions/{fees_world.session.pk}"
    preview = client.get(f"{base}/preview").json()
    assert preview["commissions_total"] == 10_000
    assert preview["fees"][0]["shares"] == [324, 540, 864, 9_072]
    assert client.post(f"{base}/commissions").status_code == 422  # no Idempotency-Key
    first = client.post(f"{base}/commissions", headers={"Idempotency-Key": "api-c"})
    assert first.status_code == 201 and first.json()[0]["amount"] == 10_000
    again = client.post(f"{base}/commissions", headers={"Idempotency-Key": "api-c"})
    assert again.status_code == 200 and again.json()[0]["id"] == first.json()[0]["id"]
    other = client.post(f"{base}/commissions", headers={"Idempotency-Key": "api-c2"})
    assert other.status_code == 422
    assert other.json()["errors"][0]["code"] == "fees_commission_already_paid"
    fees = client.post(f"{base}/entrustment-fees", headers={"Idempotency-Key": "api-f"})
    assert fees.status_code == 201 and fees.json()[0]["commune_share"] == 9_072
    unit = fees_world.staff.world.association_unit
    statement = client.get(f"/api/v1/fees/units/{unit.pk}/statement", {"month": "11/2026"})
    assert [row["amount"] for row in statement.json()] == [10_800]
    # A credit officer may read but not pay.
    officer = _client(fees_world.staff.officer)
    assert officer.get(f"{base}/preview").status_code == 200
    assert (
        officer.post(f"{base}/entrustment-fees", headers={"Idempotency-Key": "x"}).status_code
        == 403
    )


def test_commission_terms_pages_and_api(fees_world, org):
    officer = _client(fees_world.staff.officer)
    assert officer.get(reverse("fees:terms_list")).status_code == 200
    group = fees_world.staff.world.group
    response = officer.post(
        reverse("fees:terms_propose"),
        {
            "group_code": group.code,
            "contract_number": "UQ-7",
            "effective_from": "01/12/2026",
            "rate_percent": "12",
        },
    )
    assert response.status_code == 302
    response = officer.post(
        "/api/v1/fees/commission-terms",
        data={"group_id": group.pk, "effective_from": "2027-01-01", "rate": "0.11"},
        content_type="application/json",
        headers={"Idempotency-Key": "terms-1"},
    )
    assert response.status_code == 201
    assert officer.get("/api/v1/fees/commission-terms").json() == []  # nothing approved yet
