"""Asking to reverse a session's commission or fee payment from the session page and the API."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from policylend.approvals.models import ApprovalRequest

from .. import rules, services
from .conftest import TODAY


def _client(user) -> Client:
    client = Client()
    client.cookies["policylend_language"] = "en"
    client.force_login(user)
    return client


def test_a_teller_proposes_from_the_session_page(fees_world, posted_sheet):
    teller = fees_world.staff.teller
    session = fees_world.session
    payment = services.commission_pay(
        actor=teller, session=session, today=TODAY, idempotency_key="c"
    )[0]
    fee = services.entrustment_fee_pay(
        actor=teller, session=session, today=TODAY, idempotency_key="f"
    )[0]
    client = _client(teller)
    page = client.get(reverse("fees:session_pay", args=[session.pk])).content.decode()
    url = reverse("fees:payment_reversal", args=[session.pk, payment.entry_id])
    assert url in page
    assert reverse("fees:payment_reversal", args=[session.pk, fee.entry_id]) in page
    # Without a reason nothing is asked.
    response = client.post(url, {"reason": ""})
    assert response.status_code == 302
    assert not ApprovalRequest.objects.filter(kind=rules.REVERSAL_KIND).exists()
    response = client.post(url, {"reason": "wrong rate"})
    request = ApprovalRequest.objects.get(kind=rules.REVERSAL_KIND)
    assert response.status_code == 302
    assert response["Location"] == reverse("approvals:detail", args=[request.pk])
    assert request.payload["entry_id"] == payment.entry_id
    # A credit officer sees no reversal form.
    officer_page = _client(fees_world.staff.officer).get(
        reverse("fees:session_pay", args=[session.pk])
    )
    assert url not in officer_page.content.decode()


def test_the_api_returns_the_request(fees_world, posted_sheet):
    teller = fees_world.staff.teller
    fee = services.entrustment_fee_pay(
        actor=teller, session=fees_world.session, today=TODAY, idempotency_key="f"
    )[0]
    client = _client(teller)
    url = f"/api/v1/fees/payments/{fee.entry_id}/reversal"
    assert client.post(url, {"reason": ""}, content_type="application/json").status_code == 422
    response = client.post(url, {"reason": "wrong basis"}, content_type="application/json")
    assert response.status_code == 201
    request = ApprovalRequest.objects.get(pk=response.json()["id"])
    assert request.kind == rules.REVERSAL_KIND and request.payload["entry_id"] == fee.entry_id


def test_an_entry_out_of_scope_is_404(fees_world, posted_sheet, org, make_user):
    teller = fees_world.staff.teller
    payment = services.commission_pay(
        actor=teller, session=fees_world.session, today=TODAY, idempotency_key="c"
    )[0]
    teller_b = _client(make_user("teller", org.office_b, username="fees.teller.b"))
    response = teller_b.post(
        f"/api/v1/fees/payments/{payment.entry_id}/reversal",
        {"reason": "x"},
        content_type="application/json",
    )
    assert response.status_code == 404
    page = teller_b.post(
        reverse("fees:payment_reversal", args=[fees_world.session.pk, payment.entry_id]),
        {"reason": "x"},
    )
    assert page.status_code == 404
    # An entry that is not a payment of this session is 404 too, even in scope.
    other_entry = posted_sheet.entry_id
    response = _client(teller).post(
        reverse("fees:payment_reversal", args=[fees_world.session.pk, other_entry]),
        {"reason": "x"},
    )
    assert response.status_code == 404
    assert not ApprovalRequest.objects.filter(kind=rules.REVERSAL_KIND).exists()
