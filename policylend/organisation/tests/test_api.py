"""The organisation API: the same rules as the pages, JSON in and out, ISO dates."""

from __future__ import annotations

import json
from datetime import date

import pytest

from policylend.organisation import selectors
from policylend.organisation.models import OrganisationUnit, TransactionPoint
from policylend.users.models import User

BASE = "/api/v1/organisation"


@pytest.fixture
def api(sysadmin, api_of):
    return api_of(sysadmin)


def send(client, method, path, body):
    return getattr(client, method)(
        f"{BASE}{path}", json.dumps(body), content_type="application/json"
    )


def test_unauthenticated_is_refused(org, client):
    response = client.get(f"{BASE}/units")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"


def test_unit_list_paginated_and_filtered(org, api):
    page = api.get(f"{BASE}/units", {"size": 3, "page": 2}).json()
    assert page["count"] == OrganisationUnit.objects.count() == 15
    assert (page["page"], page["size"], len(page["items"])) == (2, 3, 3)

    communes = api.get(f"{BASE}/units", {"kind": "commune"}).json()
    assert [item["code"] for item in communes["items"]] == ["206001", "206002", "207001", "207002"]
    under_a = api.get(f"{BASE}/units", {"parent_id": org.office_a.pk}).json()
    assert {item["code"] for item in under_a["items"]} == {"206001", "206002"}
    found = api.get(f"{BASE}/units", {"q": "Tân", "kind": "commune"}).json()
    assert [item["code"] for item in found["items"]] == ["207002"]

    too_big = api.get(f"{BASE}/units", {"size": 201})
    assert too_big.status_code == 422
    assert too_big.json()["errors"][0]["field"] == "size"
    assert api.get(f"{BASE}/units", {"kind": "province"}).status_code == 422


def test_unit_get_children_and_history(org, api, sysadmin):
    from policylend.organisation import services

    village = org.villages["20600101"]
    services.unit_move(
        unit=village,
        new_parent=org.commune_a2,
        effective_on=date(2025, 3, 5),
        actor=sysadmin,
        reason="NQ 7",
    )

    unit = api.get(f"{BASE}/units/{org.commune_a1.pk}").json()
    assert unit | {"id": 0} == {
        "id": 0,
        "kind": "commune",
        "code": "206001",
        "name": "Vũ Lăng",
        "status": "active",
        "parent_id": org.office_a.pk,
        "branch_id": org.branch.pk,
        "depth": 2,
        "opened_on": "2020-01-01",
        "closed_on": None,
        "merged_into_id": None,
        "address": "",
    }
    today = api.get(f"{BASE}/units/{org.commune_a1.pk}/children").json()
    assert [c["code"] for c in today] == ["20600102"]
    before = api.get(f"{BASE}/units/{org.commune_a1.pk}/children", {"on": "2025-03-04"}).json()
    assert [c["code"] for c in before] == ["20600101", "20600102"]
    assert (
        api.get(f"{BASE}/units/{org.commune_a1.pk}/children", {"on": "04/03/2025"}).status_code
        == 422
    )

    history = api.get(f"{BASE}/units/{village.pk}/history").json()
    assert [(h["parent_code"], h["valid_from"], h["valid_to"], h["reason"]) for h in history] == [
        ("206001", "2020-01-01", "2025-03-05", ""),
        ("206002", "2025-03-05", None, "NQ 7"),
    ]
    assert history[0]["unit_code"] == "20600101"


def test_unit_create_and_update(org, api):
    response = send(
        api,
        "post",
        "/units",
        {
            "kind": "village",
            "code": "20600103",
            "name": "Thôn 3",
            "parent_id": org.commune_a1.pk,
            "opened_on": "2025-03-05",
        },
    )
    assert response.status_code == 201, response.content
    created = response.json()
    assert (created["code"], created["parent_id"], created["depth"], created["opened_on"]) == (
        "20600103",
        org.commune_a1.pk,
        3,
        "2025-03-05",
    )

    response = send(api, "patch", f"/units/{created['id']}", {"address": "Km 3"})
    assert response.status_code == 200
    assert (response.json()["name"], response.json()["address"]) == ("Thôn 3", "Km 3")


def test_unit_create_problems_name_the_api_fields(org, api):
    response = send(
        api,
        "post",
        "/units",
        {
            "kind": "village",
            "code": "123",
            "name": "Thôn",
            "parent_id": org.office_a.pk,
            "opened_on": "2025-03-05",
        },
    )
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    errors = {(e["field"], e["code"]) for e in response.json()["errors"]}
    assert errors == {
        ("code", "organisation_code_format"),
        ("parent_id", "organisation_parent_kind"),
    }
    assert not OrganisationUnit.objects.filter(code="123").exists()

    too_long = send(
        api,
        "post",
        "/units",
        {
            "kind": "village",
            "code": "20600104",
            "name": "x" * 121,
            "parent_id": org.commune_a1.pk,
            "opened_on": "2025-03-05",
        },
    )
    assert too_long.status_code == 422
    assert too_long.json()["errors"][0]["field"] == "name"


def test_move_merge_close(org, api, sysadmin, make_user):
    village = org.villages["20600101"]
    response = send(
        api,
        "post",
        f"/units/{village.pk}/move",
        {
            "new_parent_id": org.commune_b1.pk,
            "effective_on": "2025-03-05",
            "reason": "QĐ 9",
        },
    )
    assert response.status_code == 200
    assert response.json()["parent_id"] == org.commune_b1.pk

    leader = make_user("group_leader", org.commune_a2)
    response = send(
        api,
        "post",
        f"/units/{org.commune_a2.pk}/merge",
        {
            "target_id": org.commune_a1.pk,
            "effective_on": "2025-07-01",
            "reason": "NQ 1",
        },
    )
    assert response.status_code == 200
    assert response.json()["code"] == "206001"
    source = api.get(f"{BASE}/units/{org.commune_a2.pk}").json()
    assert (source["status"], source["merged_into_id"], source["closed_on"]) == (
        "merged",
        org.commune_a1.pk,
        "2025-07-01",
    )
    assert User.objects.get(pk=leader.pk).scope_unit_id == org.commune_a1.pk

    again = send(
        api,
        "post",
        f"/units/{org.commune_a2.pk}/merge",
        {"target_id": org.commune_b1.pk, "effective_on": "2025-08-01"},
    )
    assert again.status_code == 422
    assert again.json()["errors"][0]["code"] == "organisation_unit_inactive"

    refused = send(api, "post", f"/units/{org.commune_a1.pk}/close", {"closed_on": "2025-08-01"})
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["code"] == "organisation_unit_has_children"
    closed = send(
        api, "post", f"/units/{org.villages['20600102'].pk}/close", {"closed_on": "2025-08-01"}
    )
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    assert selectors.unit_parent_on(village, date(2025, 3, 4)) == org.commune_a1


def test_points(org, api, sysadmin):
    from policylend.organisation import services

    listed = api.get(f"{BASE}/points", {"office_id": org.office_b.pk}).json()
    assert [p["code"] for p in listed["items"]] == ["TXN207001", "TXN207002"]
    assert listed["items"][0] | {"id": 0} == {
        "id": 0,
        "code": "TXN207001",
        "name": "Điểm giao dịch xã Hoàng Văn Thụ",
        "commune_id": org.commune_b1.pk,
        "commune_code": "207001",
        "commune_name": "Hoàng Văn Thụ",
        "office_id": org.office_b.pk,
        "session_day": 10,
        "address": "UBND xã Hoàng Văn Thụ",
        "is_active": True,
        "opened_on": "2020-01-01",
        "closed_on": None,
    }
    assert [p["code"] for p in api.get(f"{BASE}/points", {"session_day": 21}).json()["items"]] == [
        "TXN206001"
    ]

    commune = services.unit_create(
        kind="commune",
        code="206003",
        name="Tân Lập",
        parent=org.office_a,
        opened_on=date(2024, 1, 1),
        actor=sysadmin,
    )
    body = {
        "commune_id": commune.pk,
        "code": "TXN206003",
        "name": "Điểm Tân Lập",
        "session_day": 29,
        "address": "UBND",
        "opened_on": "2025-03-05",
    }
    refused = send(api, "post", "/points", body)
    assert refused.status_code == 422
    assert {(e["field"], e["code"]) for e in refused.json()["errors"]} == {
        ("session_day", "organisation_session_day_range")
    }
    created = send(api, "post", "/points", body | {"session_day": 28})
    assert created.status_code == 201
    point_id = created.json()["id"]
    assert api.get(f"{BASE}/points/{point_id}").json()["session_day"] == 28

    second = send(api, "post", "/points", body | {"code": "TXN206004", "session_day": 3})
    assert {(e["field"], e["code"]) for e in second.json()["errors"]} == {
        ("commune_id", "organisation_point_exists")
    }

    patched = send(api, "patch", f"/points/{point_id}", {"session_day": 0})
    assert patched.status_code == 422
    patched = send(
        api, "patch", f"/points/{point_id}", {"session_day": 14, "name": "Điểm GD Tân Lập"}
    )
    assert patched.status_code == 200
    assert TransactionPoint.objects.get(pk=point_id).session_day == 14


def test_openapi_lists_the_operations(org, api):
    schema = api.get("/api/v1/openapi.json").json()
    paths = {path for path in schema["paths"] if path.startswith(BASE)}
    assert {
        f"{BASE}/units",
        f"{BASE}/units/{{unit_id}}",
        f"{BASE}/units/{{unit_id}}/children",
        f"{BASE}/units/{{unit_id}}/history",
        f"{BASE}/units/{{unit_id}}/move",
        f"{BASE}/units/{{unit_id}}/merge",
        f"{BASE}/units/{{unit_id}}/close",
        f"{BASE}/points",
        f"{BASE}/points/{{point_id}}",
    } <= paths
