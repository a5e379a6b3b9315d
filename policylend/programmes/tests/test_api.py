"""The programme catalogue in the API: rates as decimal strings, dates dd/mm/yyyy or ISO, a change
of terms through maker–checker, problems naming the API's fields."""

from __future__ import annotations

import json
from decimal import Decimal

BASE = "/api/v1/programmes"


def post(client, path, body, **headers):
    return client.post(path, json.dumps(body), content_type="application/json", headers=headers)


def test_unauthenticated_is_refused(org, client):
    assert client.get(BASE).status_code == 401


def test_the_list_with_the_terms_in_force(org, make_user, api_of):
    api = api_of(make_user("teller", org.office_a))
    page = api.get(BASE).json()
    assert page["count"] == 19 and len(page["items"]) == 19
    escaped = next(item for item in page["items"] if item["code"] == "09")
    assert escaped["name"] == "Households just escaped poverty"
    assert escaped["current_terms"]["rate_basis"] == "poor_rate_multiple"
    assert Decimal(escaped["current_terms"]["annual_rate"]) == Decimal("0.0825")
    assert Decimal(escaped["current_terms"]["rate_factor"]) == Decimal("1.25")
    small = api.get(BASE, {"size": 5, "page": 4}).json()
    assert (small["count"], len(small["items"])) == (19, 4)
    assert api.get(BASE, {"size": 201}).status_code == 422
    housing_2024 = api.get(BASE, {"on": "01/01/2024"}).json()
    housing = next(item for item in housing_2024["items"] if item["code"] == "12")
    assert Decimal(housing["current_terms"]["annual_rate"]) == Decimal("0.066")


def test_one_programme_with_its_history(org, make_user, api_of, programme):
    api = api_of(make_user("association_officer", org.commune_a1, "11"))
    detail = api.get(f"{BASE}/{programme('12').pk}").json()
    assert detail["code"] == "12"
    assert [
        (t["effective_from"], t["in_force"], t["applies_to_existing"]) for t in detail["terms"]
    ] == [
        ("2025-10-10", True, True),
        ("2020-01-01", False, False),
    ]
    assert detail["terms"][1]["last_day"] == "2025-10-09"
    assert api.get(f"{BASE}/99999").status_code == 404


def test_terms_on_a_day(org, make_user, api_of, programme):
    api = api_of(make_user("controller", org.office_a))
    url = f"{BASE}/{programme('12').pk}/terms"
    assert Decimal(api.get(url, {"on": "10/10/2025"}).json()["annual_rate"]) == Decimal("0.054")
    assert Decimal(api.get(url, {"on": "2025-10-09"}).json()["annual_rate"]) == Decimal("0.066")
    jobs = api.get(f"{BASE}/{programme('03').pk}/terms", {"on": "01/01/2026"}).json()
    assert Decimal(jobs["annual_rate"]) == Decimal("0.08382")
    bad = api.get(url, {"on": "31/02/2025"})
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "on"
    early = api.get(url, {"on": "01/01/2019"})
    assert early.status_code == 422
    assert early.json()["errors"][0]["code"] == "programmes_no_terms"


def test_propose_a_change(org, staff, manager, make_user, api_of, programme):
    api = api_of(staff)
    url = f"{BASE}/{programme('19').pk}/terms-changes"
    body = {"effective_from": "2027-01-01", "annual_rate": "0.075", "note": "QĐ giả định"}
    created = post(api, url, body, **{"Idempotency-Key": "k1"})
    assert created.status_code == 201
    assert created.json()["kind"] == "programmes.terms_change"
    assert created.json()["payload"]["annual_rate"] == "0.075"
    assert created.json()["payload"]["amount_max"] == 100_000_000  # kept from the latest
    replay = post(api, url, body, **{"Idempotency-Key": "k1"})
    assert (replay.status_code, replay.json()["id"]) == (200, created.json()["id"])

    broken = post(
        api,
        f"{BASE}/{programme('06').pk}/terms-changes",
        {"effective_from": "2027-01-01", "annual_rate": "0.5"},
    )
    assert broken.status_code == 422
    assert broken.json()["errors"][0]["field"] == "annual_rate"

    officer = api_of(make_user("credit_officer", org.office_a))
    assert post(officer, url, body).status_code == 403

    approve = post(
        api_of(manager), f"/api/v1/approvals/requests/{created.json()['id']}/approve", {}
    )
    assert approve.status_code == 200, approve.content
    detail = api.get(f"{BASE}/{programme('19').pk}").json()
    assert detail["terms"][0]["effective_from"] == "2027-01-01"
    assert detail["terms"][0]["approved_by"] == "manager"
    assert detail["terms"][0]["proposed_by"] == "staff"


def test_the_system_administrator_gets_403(org, make_user, api_of, programme):
    api = api_of(make_user("system_admin", org.branch))
    assert api.get(BASE).status_code == 403
    assert api.get(f"{BASE}/{programme('01').pk}").status_code == 403
    assert api.get(f"{BASE}/99999").status_code == 403
