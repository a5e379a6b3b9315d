"""The ledger API: reads scoped like the pages, proposals with Idempotency-Key."""

from __future__ import annotations

import pytest

from policylend.approvals.models import ApprovalRequest
from policylend.approvals.tests.fixtures import client_of

# The shared book, people and frozen clock.
pytest_plugins = ["policylend.approvals.tests.fixtures"]
pytestmark = pytest.mark.django_db
BASE = "/api/v1/ledger"


def get(user, path, **params):
    return client_of(user).get(f"{BASE}{path}", params)


def post(user, path, body, key=None):
    headers = {"Idempotency-Key": key} if key else {}
    return client_of(user).post(
        f"{BASE}{path}", body, content_type="application/json", headers=headers
    )


def voucher(org, amount=1_500_000, **extra) -> dict:
    return {
        "value_date": "2026-11-20",
        "memo": "Chuyển tiền ra điểm giao dịch",
        "lines": [
            {"account": "1011", "side": "debit", "amount": amount, "office_id": org.office_a.pk},
            {"account": "1012", "side": "credit", "amount": amount, "office_id": org.office_a.pk},
        ],
        **extra,
    }


def test_accounts(frozen_today, people):
    response = get(people.auditor, "/accounts", active_only="true")
    assert response.status_code == 200
    accounts = {a["code"]: a for a in response.json()}
    assert accounts["2111.01"]["parent"] == "2111" and accounts["2111.01"]["is_postable"]
    assert accounts["9711"]["off_balance"]
    assert get(people.group_leader, "/accounts").status_code == 403


def test_trial_balance_numbers(frozen_today, org, people, book):
    response = get(people.branch_manager, "/trial-balance", start="2026-11-01", end="2026-11-25")
    data = response.json()
    rows = {
        r["account"]: (r["opening"], r["debits"], r["credits"], r["closing"]) for r in data["rows"]
    }
    assert rows["1012"] == (70_000_000, 50_000_000, 5_000_000, 115_000_000)
    assert rows["4511"] == (-100_000_000, 0, 50_000_000, -150_000_000)
    assert data["totals"] == {
        "opening_debit": 100_000_000,
        "opening_credit": 100_000_000,
        "debits": 56_200_000,
        "credits": 56_200_000,
        "closing_debit": 151_200_000,
        "closing_credit": 151_200_000,
    }
    assert data["is_balanced"] and data["office_id"] is None
    office = get(people.branch_manager, "/trial-balance", office_id=org.office_b.pk).json()
    assert office["start"] == "2026-11-01" and office["end"] == "2026-11-25"
    assert {r["account"]: r["closing"] for r in office["rows"]} == {
        "1012": 50_000_000,
        "4511": -50_000_000,
    }
    reversed_dates = get(
        people.branch_manager, "/trial-balance", start="2026-11-25", end="2026-11-01"
    )
    assert reversed_dates.status_code == 422


def test_office_a_user_gets_404_for_office_b(frozen_today, org, people, book):
    assert get(people.teller_a, f"/entries/{book.office_b.pk}").status_code == 404
    assert get(people.teller_a, "/trial-balance", office_id=org.office_b.pk).status_code == 404
    response = post(
        people.teller_a, f"/entries/{book.office_b.pk}/reversal", {"reason": "x"}, key="r1"
    )
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    ids = [e["id"] for e in get(people.teller_a, "/entries").json()["items"]]
    assert book.office_b.pk not in ids and book.to_point.pk in ids


def test_entries_list_and_detail(frozen_today, people, book):
    page = get(people.branch_staff, "/entries", size=2, page=1).json()
    assert page["count"] == 5 and [e["id"] for e in page["items"]] == [
        book.interest.pk,
        book.to_point.pk,
    ]
    assert page["items"][0]["total"] == 1_200_000
    assert (
        get(people.branch_staff, "/entries", memo="loan-a").json()["items"][0]["id"] == book.loan.pk
    )
    assert get(people.branch_staff, "/entries", start="2026-11-11").json()["count"] == 1
    assert get(people.branch_staff, "/entries", size=1000).status_code == 422
    detail = get(people.branch_staff, f"/entries/{book.loan.pk}").json()
    assert [(line["account"], line["debit"], line["credit"]) for line in detail["lines"]] == [
        ("2111.01", 30_000_000, 0),
        ("1012", 0, 30_000_000),
    ]
    assert detail["total"] == 30_000_000 and detail["value_date"] == "2026-10-20"


def test_propose_entry_is_idempotent(frozen_today, org, people, book):
    # given a first proposal
    first = post(people.teller_a, "/entries", voucher(org), key="k-1")
    assert first.status_code == 201
    body = first.json()
    assert body["kind"] == "ledger.manual_entry" and body["status"] == "pending"
    assert body["payload"]["lines"][0]["amount"] == 1_500_000
    # when the same key and content come again, the first request is the answer
    again = post(people.teller_a, "/entries", voucher(org), key="k-1")
    assert again.status_code == 200 and again.json()["id"] == body["id"]
    # the same key with other content is refused and changes nothing
    other = post(people.teller_a, "/entries", voucher(org, amount=1_600_000), key="k-1")
    assert other.status_code == 422
    assert other.json()["errors"][0]["code"] == "approval_idempotency_key_reused"
    assert ApprovalRequest.objects.count() == 1
    # another maker's key is theirs alone
    assert post(people.controller_a, "/entries", voucher(org), key="k-1").status_code == 403
    assert post(people.teller_b, "/entries", voucher(org), key="k-1").status_code == 404
    # without a key there is no proposal
    assert post(people.teller_a, "/entries", voucher(org)).status_code == 422
    assert ApprovalRequest.objects.count() == 1


def test_propose_entry_validation(frozen_today, org, people, book):
    assert post(people.auditor, "/entries", voucher(org), key="a").status_code == 403
    floats = voucher(org)
    floats["lines"][0]["amount"] = 1.5
    assert post(people.teller_a, "/entries", floats, key="b").status_code == 422
    unbalanced = voucher(org)
    unbalanced["lines"][1]["amount"] = 1
    response = post(people.teller_a, "/entries", unbalanced, key="c")
    assert (
        response.status_code == 422 and response.json()["errors"][0]["code"] == "ledger_unbalanced"
    )
    unknown = voucher(org)
    unknown["lines"][1]["account"] = "9999"
    response = post(people.teller_a, "/entries", unknown, key="d")
    assert response.json()["errors"][0]["field"] == "lines[2].account"
    assert not ApprovalRequest.objects.exists()


def test_branch_level_voucher_for_one_office_belongs_to_that_office(
    frozen_today, org, people, book
):
    response = post(people.branch_staff, "/entries", voucher(org), key="s-1")
    assert response.json()["unit_id"] == org.office_a.pk
    lines = voucher(org)["lines"]
    lines[1]["office_id"] = None
    response = post(people.branch_staff, "/entries", voucher(org, lines=lines), key="s-2")
    assert response.json()["unit_id"] == org.branch.pk


def test_office_user_lines_default_to_their_office(frozen_today, org, people, book):
    lines = [{**line, "office_id": None} for line in voucher(org)["lines"]]
    response = post(people.teller_a, "/entries", voucher(org, lines=lines), key="o-1")
    assert response.status_code == 201
    assert {line["office_id"] for line in response.json()["payload"]["lines"]} == {org.office_a.pk}
    lines[0]["office_id"] = org.office_b.pk
    assert (
        post(people.teller_a, "/entries", voucher(org, lines=lines), key="o-2").status_code == 404
    )


def test_propose_reversal(frozen_today, people, book):
    response = post(
        people.teller_a, f"/entries/{book.interest.pk}/reversal", {"reason": "sai"}, key="rev-1"
    )
    assert response.status_code == 201
    assert response.json()["payload"] == {"entry_id": book.interest.pk, "reason": "sai"}
    again = post(
        people.teller_a, f"/entries/{book.interest.pk}/reversal", {"reason": "sai"}, key="rev-1"
    )
    assert again.status_code == 200
    assert again.json()["id"] == response.json()["id"]
    # A second, different request to reverse the same entry waits behind the first.
    other = post(
        people.teller_a, f"/entries/{book.interest.pk}/reversal", {"reason": "khác"}, key="rev-2"
    )
    assert other.status_code == 422
    assert other.json()["errors"][0]["code"] == "approval_already_waiting"
    assert (
        post(
            people.teller_a, f"/entries/{book.interest.pk}/reversal", {"reason": ""}, key="rev-2"
        ).status_code
        == 422
    )


def test_periods_and_close_requests(frozen_today, people, book):
    periods = get(people.auditor, "/periods").json()
    assert len(periods) == 24
    assert periods[1] == {
        "month": "2026-10",
        "status": "open",
        "ended": True,
        "lines": 4,
        "closed_at": None,
        "closed_by": None,
        "requested_by": None,
    }
    assert (
        client_of(people.teller_a)
        .post(
            f"{BASE}/periods/close-requests", {"month": "2026-10"}, content_type="application/json"
        )
        .status_code
        == 403
    )
    response = client_of(people.branch_staff).post(
        f"{BASE}/periods/close-requests", {"month": "2026-10"}, content_type="application/json"
    )
    assert response.status_code == 201 and response.json()["payload"]["month"] == "2026-10"
    bad = client_of(people.branch_staff).post(
        f"{BASE}/periods/close-requests", {"month": "2026-13"}, content_type="application/json"
    )
    assert bad.status_code == 422


def test_openapi_documents_the_ledger(people):
    schema = client_of(people.auditor).get("/api/v1/openapi.json").json()
    assert "/api/v1/ledger/entries" in schema["paths"]
    assert "post" in schema["paths"]["/api/v1/ledger/entries"]
    assert "/api/v1/approvals/requests/{request_id}/approve" in schema["paths"]
