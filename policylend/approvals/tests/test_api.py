"""Maker-checker over the API: list, read, approve, reject, withdraw, and the refusals."""

from __future__ import annotations

import pytest

from policylend.approvals.models import ApprovalStatus
from policylend.approvals.tests.fixtures import client_of
from policylend.ledger.models import JournalEntry
from policylend.ledger.tests.test_api import voucher

# The shared book, people and frozen clock.
pytest_plugins = ["policylend.approvals.tests.fixtures"]
pytestmark = pytest.mark.django_db
BASE = "/api/v1/approvals"


def call(user, method, path, body=None, **params):
    client = client_of(user)
    if method == "get":
        return client.get(f"{BASE}{path}", params)
    return client.post(f"{BASE}{path}", body or {}, content_type="application/json")


@pytest.fixture
def proposal(frozen_today, org, people, book) -> int:
    response = client_of(people.teller_a).post(
        "/api/v1/ledger/entries",
        voucher(org),
        content_type="application/json",
        headers={"Idempotency-Key": "api-1"},
    )
    assert response.status_code == 201
    return response.json()["id"]


def test_list_and_get(people, proposal):
    to_check = call(people.controller_a, "get", "/requests", to_check="true").json()
    assert [r["id"] for r in to_check["items"]] == [proposal]
    assert call(people.teller_a, "get", "/requests", to_check="true").json()["count"] == 0
    assert (
        call(people.teller_a, "get", "/requests", mine="true", status="pending").json()["count"]
        == 1
    )
    one = call(people.auditor, "get", f"/requests/{proposal}").json()
    assert one["maker"] == "teller_a" and one["kind_label"] and "1.500.000" in one["description"]
    assert call(people.controller_b, "get", f"/requests/{proposal}").status_code == 404
    assert call(people.auditor, "get", "/requests", size=500).status_code == 422


def test_approve(people, proposal):
    assert call(people.teller_a, "post", f"/requests/{proposal}/approve").status_code == 403
    assert call(people.auditor, "post", f"/requests/{proposal}/approve").status_code == 403
    response = call(people.controller_a, "post", f"/requests/{proposal}/approve", {"note": "đúng"})
    assert response.status_code == 200
    data = response.json()
    assert (data["status"], data["checker"], data["decision_note"]) == (
        "approved",
        "controller_a",
        "đúng",
    )
    entry = JournalEntry.objects.get(pk=int(data["result_reference"].split(":")[1]))
    assert entry.checker == people.controller_a
    second = call(people.branch_manager, "post", f"/requests/{proposal}/approve")
    assert second.status_code == 409
    assert second["Content-Type"] == "application/problem+json"


def test_reject_needs_a_reason(people, proposal):
    assert (
        call(
            people.controller_a, "post", f"/requests/{proposal}/reject", {"reason": ""}
        ).status_code
        == 422
    )
    assert call(people.controller_a, "post", f"/requests/{proposal}/reject", {}).status_code == 422
    response = call(people.controller_a, "post", f"/requests/{proposal}/reject", {"reason": "sai"})
    assert response.json()["status"] == ApprovalStatus.REJECTED


def test_withdraw(people, proposal):
    assert call(people.controller_a, "post", f"/requests/{proposal}/withdraw").status_code == 403
    assert call(people.controller_b, "post", f"/requests/{proposal}/withdraw").status_code == 404
    assert (
        call(people.teller_a, "post", f"/requests/{proposal}/withdraw").json()["status"]
        == "withdrawn"
    )
    assert call(people.controller_a, "post", f"/requests/{proposal}/approve").status_code == 409
