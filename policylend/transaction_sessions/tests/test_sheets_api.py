"""The collection sheet over the JSON API: the pre-filled sheet, posting with an
Idempotency-Key (201, then 200 with the same body on a retry), one sheet, its reversal."""

from __future__ import annotations

import pytest
from django.test import Client

from ..models import CollectionSheet
from .sheet_setup import sheet_world  # noqa: F401

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.force_login(user)
    client.cookies["policylend_language"] = "en"
    return client


def test_prefill_post_replay_read_and_reversal(sheet_world):  # noqa: F811
    w = sheet_world
    client = _client(w.teller)
    base = f"/api/v1/sessions/{w.session.pk}/groups/{w.group.pk}/sheet"
    prefill = client.get(base)
    assert prefill.status_code == 200, prefill.content
    rows = prefill.json()["rows"]
    assert len(rows) == 5 and rows[0]["number"] == 1
    body = {
        "rows": [
            {
                "household_id": row["household_id"],
                "loan_id": row["loan_id"],
                "interest": min(row["interest_due"], 10_000),
                "savings": row["savings_expected"],
            }
            for row in rows
        ],
        "handed_over_by": "Leader",
    }
    missing_key = client.post(base, body, content_type="application/json")
    assert missing_key.status_code == 422
    posted = client.post(
        base, body, content_type="application/json", headers={"Idempotency-Key": "api-1"}
    )
    assert posted.status_code == 201, posted.content
    data = posted.json()
    sheet = CollectionSheet.objects.get()
    assert data["receipt_number"] == sheet.entry_id and data["total"] == sheet.total
    again = client.post(
        base, body, content_type="application/json", headers={"Idempotency-Key": "api-1"}
    )
    assert again.status_code == 200 and again.json() == data
    other = dict(body, rows=body["rows"][:1])
    refused = client.post(
        base, other, content_type="application/json", headers={"Idempotency-Key": "api-1"}
    )
    assert refused.status_code == 422
    assert "idempotency_key" in refused.content.decode()

    got = client.get(f"/api/v1/sessions/sheets/{sheet.pk}")
    assert got.status_code == 200 and got.json()["id"] == sheet.pk
    reversal = client.post(
        f"/api/v1/sessions/sheets/{sheet.pk}/reversal",
        {"reason": "Twice"},
        content_type="application/json",
    )
    assert reversal.status_code == 201, reversal.content
    assert reversal.json()["kind"] == "transaction_sessions.sheet_reversal"


def test_a_wrong_row_answers_422_naming_the_row(sheet_world):  # noqa: F811
    w = sheet_world
    client = _client(w.teller)
    base = f"/api/v1/sessions/{w.session.pk}/groups/{w.group.pk}/sheet"
    body = {"rows": [{"household_id": w.households[4].pk, "savings": 50_000}]}
    answer = client.post(
        base, body, content_type="application/json", headers={"Idempotency-Key": "k"}
    )
    assert answer.status_code == 422
    assert "rows[0].savings" in answer.content.decode()
