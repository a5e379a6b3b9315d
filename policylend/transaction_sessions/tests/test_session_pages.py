"""The session day's pages and API: the list, opening, the session page and its postings, the
cash book (page and PDF), closing, the minutes (page and PDF), scope 404/403."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from policylend.approvals.services import approval_request_approve

from ..models import BriefingMinutes, CashRole, SessionEntry, SessionStatus
from ..services.closing import session_closing_propose
from .session_setup import SESSION_DAY, TODAY, session_world  # noqa: F401

pytestmark = pytest.mark.django_db


def client_of(user, language="en") -> Client:
    client = Client()
    client.force_login(user)
    client.cookies["policylend_language"] = language
    return client


def url(name, session, suffix=None):
    return reverse(f"transaction_sessions:{name}", args=[session.pk])


def test_the_list_and_the_session_page(session_world):  # noqa: F811
    sw = session_world
    client = client_of(sw.officer)
    page = client.get(reverse("transaction_sessions:session_list"))
    assert page.status_code == 200
    assert url("session_detail", sw.session) in page.content.decode()
    detail = client_of(sw.teller).get(url("session_detail", sw.session))
    text = detail.content.decode()
    assert detail.status_code == 200
    assert sw.group.code in text
    assert sw.waiting.number in text  # waiting for disbursement, with its button
    assert url("session_disburse", sw.session) in text
    assert url("cash_book", sw.session) in text and url("session_minutes", sw.session) in text


def test_opening_through_the_page(session_world):  # noqa: F811
    sw = session_world
    client = client_of(sw.teller)
    point = sw.org.points["206002"]
    response = client.post(
        reverse("transaction_sessions:session_open"),
        {"point": point.pk, "held_on": "20/11/2026", "team": [sw.officer.pk]},
    )
    assert response.status_code == 400
    assert "not a session day" in response.content.decode()
    response = client.post(
        reverse("transaction_sessions:session_open"),
        {"point": point.pk, "held_on": "06/11/2026", "team": [sw.officer.pk]},
    )
    assert response.status_code == 302
    assert (
        client_of(sw.controller).get(reverse("transaction_sessions:session_open")).status_code
        == 403
    )


def test_disbursing_and_withdrawing_through_the_page_land_in_the_cash_book(session_world):  # noqa: F811
    sw = session_world
    client = client_of(sw.teller)
    posted = {"loan": sw.waiting.pk, "idempotency_key": "page-dis-1"}
    assert client.post(url("session_disburse", sw.session), posted).status_code == 303
    assert (
        client.post(url("session_disburse", sw.session), posted).status_code == 302
    )  # no longer waiting
    assert SessionEntry.objects.filter(session=sw.session, role=CashRole.DISBURSEMENT).count() == 1
    response = client.post(
        url("session_withdrawal", sw.session),
        {"account": sw.account.pk, "amount": "100,000", "idempotency_key": "page-wd-1"},
    )
    assert response.status_code == 303, response.content.decode()[:2000]
    response = client.post(
        url("session_repayment", sw.session),
        {
            "loan": sw.disbursed.pk,
            "interest": "20,000,000",
            "principal": "",
            "idempotency_key": "k",
        },
    )
    assert response.status_code == 400  # more interest than owed: said beside the field
    book = client.get(url("cash_book", sw.session))
    text = book.content.decode()
    assert book.status_code == 200
    assert "window.print()" in text
    assert "10,000,000" in text and "100,000" in text
    pdf = client.get(url("cash_book_pdf", sw.session) + "?lang=vi")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_closing_through_the_page_names_the_difference(session_world):  # noqa: F811
    sw = session_world
    client = client_of(sw.teller)
    response = client.post(url("session_closing", sw.session), {"cash_carried": "5000"})
    assert response.status_code == 400
    assert "5,000" in response.content.decode()
    response = client.post(url("session_closing", sw.session), {"cash_carried": "0"})
    assert response.status_code == 303
    sw.session.refresh_from_db()
    assert sw.session.status == SessionStatus.CLOSING


def test_minutes_page_prefilled_saved_and_printed(session_world):  # noqa: F811
    sw = session_world
    client = client_of(sw.officer)
    page = client.get(url("session_minutes", sw.session))
    assert page.status_code == 200
    assert sw.world.association_unit.name in page.content.decode()
    assert client.get(url("session_minutes_pdf", sw.session)).status_code == 404
    response = client.post(
        url("session_minutes", sw.session),
        {
            "chaired_by": "Hoàng Văn Tư",
            "associations": [str(sw.world.association_unit.pk)],
            "results": "Thu đủ",
        },
    )
    assert response.status_code == 303
    minutes = BriefingMinutes.objects.get(session=sw.session)
    assert minutes.associations_present[0]["present"] is True
    pdf = client.get(url("session_minutes_pdf", sw.session) + "?lang=en")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert (
        client_of(sw.teller)
        .post(url("session_minutes", sw.session), {"chaired_by": "X"})
        .status_code
        == 403
    )


def test_outside_the_office_is_404(session_world, make_user):  # noqa: F811
    sw = session_world
    other = client_of(make_user("credit_officer", sw.org.office_b, username="officer-b"))
    for name in ("session_detail", "cash_book", "cash_book_pdf", "session_minutes"):
        assert other.get(url(name, sw.session)).status_code == 404, name
    assert other.get(f"/api/v1/sessions/{sw.session.pk}").status_code == 404


# --- API --------------------------------------------------------------------------------------


def test_the_api_lists_opens_posts_and_closes(session_world):  # noqa: F811
    sw = session_world
    client = client_of(sw.teller)
    listed = client.get(f"/api/v1/sessions/?point_id={sw.point.pk}").json()
    assert [item["id"] for item in listed["items"]] == [sw.session.pk]
    opened = client.post(
        "/api/v1/sessions/",  # nested routers: the list takes the slash, like /api/v1/loans/
        {
            "point_id": sw.org.points["206002"].pk,
            "held_on": "2026-11-06",
            "team_ids": [sw.officer.pk],
        },
        content_type="application/json",
    )
    assert opened.status_code == 201, opened.content
    assert opened.json()["status"] == "open"
    base = f"/api/v1/sessions/{sw.session.pk}"
    assert (
        client.post(
            f"{base}/disbursements", {"loan_id": sw.waiting.pk}, content_type="application/json"
        ).status_code
        == 422
    )
    paid = client.post(
        f"{base}/disbursements",
        {"loan_id": sw.waiting.pk},
        content_type="application/json",
        headers={"Idempotency-Key": "api-dis-1"},
    )
    assert paid.status_code == 201, paid.content
    again = client.post(
        f"{base}/disbursements",
        {"loan_id": sw.waiting.pk},
        content_type="application/json",
        headers={"Idempotency-Key": "api-dis-1"},
    )
    assert again.status_code == 200 and again.json()["entry_id"] == paid.json()["entry_id"]
    withdrawn = client.post(
        f"{base}/withdrawals",
        {"account_id": sw.account.pk, "amount": 100_000},
        content_type="application/json",
        headers={"Idempotency-Key": "api-wd-1"},
    )
    assert withdrawn.status_code == 201, withdrawn.content
    book = client.get(f"{base}/cash-book").json()
    assert book["cash_out"]["disbursements"] == 10_000_000
    assert book["cash_out"]["withdrawals"] == 100_000
    assert book["balance"] == -10_100_000
    refused = client.post(f"{base}/closing", {"cash_carried": 0}, content_type="application/json")
    assert refused.status_code == 422
    proposed = client.post(
        f"{base}/closing", {"cash_carried": -10_100_000}, content_type="application/json"
    )
    assert proposed.status_code == 201, proposed.content
    approval_request_approve(request_id=proposed.json()["id"], checker=sw.controller, today=TODAY)
    closed = client.get(base).json()
    assert closed["status"] == "closed" and closed["transfer_entry_id"]
    assert client.get(f"{base}/cash-book").json()["remaining"] == 0


def test_the_api_minutes(session_world):  # noqa: F811
    sw = session_world
    client = client_of(sw.officer)
    base = f"/api/v1/sessions/{sw.session.pk}"
    saved = client.put(
        f"{base}/minutes",
        {
            "chaired_by": "Hoàng Văn Tư",
            "leaders_present": [{"group": sw.group.pk, "present": True}],
        },
        content_type="application/json",
    )
    assert saved.status_code == 200, saved.content
    assert client.get(f"{base}/minutes").json()["leaders_present"][0]["present"] is True
    missing = client.put(f"{base}/minutes", {"chaired_by": ""}, content_type="application/json")
    assert missing.status_code == 422
    assert (
        client_of(sw.teller)
        .put(f"{base}/minutes", {"chaired_by": "X"}, content_type="application/json")
        .status_code
        == 403
    )


def test_a_closed_session_refuses_postings_over_the_api(session_world):  # noqa: F811
    sw = session_world
    request = session_closing_propose(
        actor=sw.teller, session=sw.session, cash_carried=0, today=TODAY
    )
    approval_request_approve(request_id=request.pk, checker=sw.controller, today=TODAY)
    response = client_of(sw.teller).post(
        f"/api/v1/sessions/{sw.session.pk}/withdrawals",
        {"account_id": sw.account.pk, "amount": 10_000},
        content_type="application/json",
        headers={"Idempotency-Key": "late"},
    )
    assert response.status_code == 422
    assert SESSION_DAY.strftime("%d/%m/%Y") in response.content.decode()
