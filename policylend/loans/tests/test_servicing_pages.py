"""The servicing pages and API: list (filters, export), a loan's page, repayment by the teller,
a reversal request, the month-end and overdue runs (queued as tasks, run at once in tests), the
loans to inspect; scope and roles."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.test import Client

from policylend.core.excel import CONTENT_TYPE

from ..models import AccrualRun, LoanStatus, LoanTransaction, TransactionKind
from .servicing_setup import assert_books_clean, new_loan, staff, world  # noqa: F401


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies["policylend_language"] = "en"
    return client


@pytest.fixture
def loan(org, staff):  # noqa: F811
    return new_loan(org, staff, amount=30_000_000, disbursed_on=date(2026, 7, 1))


@pytest.mark.django_db
def test_list_filters_and_export(loan, staff):  # noqa: F811
    client = client_of(staff.officer)

    page = client.get("/loans/", {"status": "in_term", "q": loan.number})
    assert page.status_code == 200
    assert loan.number in page.content.decode()
    assert loan.number not in client.get("/loans/", {"status": "settled"}).content.decode()

    export = client.get("/loans/", {"format": "xlsx"})
    assert export.status_code == 200
    assert export["Content-Type"] == CONTENT_TYPE


@pytest.mark.django_db
def test_detail_shows_owed_and_postings(loan, staff):  # noqa: F811
    response = client_of(staff.officer).get(f"/loans/{loan.pk}/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Owed today" in body
    assert "30,000,000" in body
    assert "Disbursement" in body


@pytest.mark.django_db
def test_teller_records_a_repayment_and_others_may_not(loan, staff):  # noqa: F811
    url = f"/loans/{loan.pk}/repay/"
    assert client_of(staff.officer).get(url).status_code == 403
    client = client_of(staff.teller)
    form = {
        "paid_on": "21/07/2026",
        "interest": "",
        "principal": "1.000.000",
        "idempotency_key": "page-1",
    }
    client.cookies["policylend_language"] = "vi"

    response = client.post(url, form)

    assert response.status_code == 302
    loan.refresh_from_db()
    assert loan.principal_in_term == 29_000_000
    # Too much is refused beside the field, with the numbers.
    too_much = client.post(url, {**form, "principal": "40.000.000", "idempotency_key": "page-2"})
    assert too_much.status_code == 200
    assert "29.000.000" in too_much.content.decode()
    assert_books_clean()


@pytest.mark.django_db
def test_reversal_request_from_the_page(loan, staff):  # noqa: F811
    record = LoanTransaction.objects.get(loan=loan, kind=TransactionKind.DISBURSEMENT)
    response = client_of(staff.officer).post(
        f"/loans/{loan.pk}/reversal/", {"transaction": record.pk, "reason": "Wrong household"}
    )
    assert response.status_code == 302
    assert "/approvals/" in response["Location"]


@pytest.mark.django_db
def test_month_end_and_overdue_pages_run_the_jobs(org, loan, staff):  # noqa: F811
    client = client_of(staff.staff)

    response = client.post(
        "/loans/jobs/accrual/", {"branch": org.branch.pk, "month": "07/2026"}, follow=True
    )
    assert response.status_code == 200
    assert "Interest posted for 1 loans." in response.content.decode()
    assert AccrualRun.objects.get().interest == 170_500

    response = client.post(
        "/loans/jobs/overdue/", {"unit": org.office_a.pk, "session_date": "21/10/2026"}, follow=True
    )
    assert "0 loans moved to overdue." in response.content.decode()
    assert client_of(staff.teller).get("/loans/jobs/accrual/").status_code == 403


@pytest.mark.django_db
def test_inactive_loans_page(loan, staff):  # noqa: F811
    # Disbursed 01/07/2026, nothing since: on 25/11/2026 that is more than three months.
    response = client_of(staff.officer).get("/loans/inactive/")
    assert loan.number in response.content.decode()


@pytest.mark.django_db
def test_api_repay_needs_a_key_and_is_idempotent(loan, staff):  # noqa: F811
    client = client_of(staff.teller)
    url = f"/api/v1/loans/{loan.pk}/repayments"
    body = json.dumps({"paid_on": "2026-07-21", "principal": 1_000_000})

    assert client.post(url, body, content_type="application/json").status_code == 422
    first = client.post(
        url, body, content_type="application/json", headers={"Idempotency-Key": "a"}
    )
    again = client.post(
        url, body, content_type="application/json", headers={"Idempotency-Key": "a"}
    )

    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    owed = client.get(f"/api/v1/loans/{loan.pk}/owed", {"day": "2026-07-21"}).json()
    assert owed["principal_due"] == 0
    detail = client.get(f"/api/v1/loans/{loan.pk}").json()
    assert (detail["principal_in_term"], detail["status"]) == (29_000_000, LoanStatus.IN_TERM)
    assert len(client.get(f"/api/v1/loans/{loan.pk}/schedule").json()) == 3
    assert len(client.get(f"/api/v1/loans/{loan.pk}/transactions").json()) == 2


@pytest.mark.django_db
def test_api_runs_and_reversal(org, loan, staff):  # noqa: F811
    staff_client = client_of(staff.staff)
    run = staff_client.post(
        "/api/v1/loans/jobs/accrual",
        json.dumps({"branch_id": org.branch.pk, "month": "2026-07"}),
        content_type="application/json",
    )
    assert run.status_code == 201
    assert run.json()["interest"] == 170_500
    overdue = staff_client.post(
        "/api/v1/loans/jobs/overdue",
        json.dumps({"unit_id": org.branch.pk, "session_date": "2026-10-21"}),
        content_type="application/json",
    )
    assert overdue.json() == {"loans": 0}
    record = LoanTransaction.objects.get(loan=loan, kind=TransactionKind.DISBURSEMENT)
    reversal = client_of(staff.officer).post(
        f"/api/v1/loans/{loan.pk}/reversals",
        json.dumps({"transaction_id": record.pk, "reason": "x"}),
        content_type="application/json",
    )
    # Interest was posted since the disbursement: it can no longer be reversed.
    assert reversal.status_code == 422
    assert reversal.json()["errors"][0]["code"] == "loans_later_transaction_depends"


def test_api_freeze_end_run_in_scope_only(org, staff, make_user):  # noqa: F811
    controller = make_user("controller", org.office_a, username="freeze-end-controller")
    own = client_of(controller).post(
        "/api/v1/loans/jobs/freeze-end",
        json.dumps({"unit_id": org.office_a.pk}),
        content_type="application/json",
    )
    assert (own.status_code, own.json()) == (200, {"loans": 0})
    other = client_of(controller).post(
        "/api/v1/loans/jobs/freeze-end",
        json.dumps({"unit_id": org.office_b.pk}),
        content_type="application/json",
    )
    assert other.status_code == 404
    teller = client_of(staff.teller).post(
        "/api/v1/loans/jobs/freeze-end",
        json.dumps({"unit_id": org.office_a.pk}),
        content_type="application/json",
    )
    assert teller.status_code == 403
