"""The associations API: the same rules and scope as the pages; rates as decimal strings,
shares in basis points, ISO dates, problems naming the API's fields."""

from __future__ import annotations

import json

import pytest

from policylend.approvals.models import ApprovalRequest
from policylend.associations.models import AssociationUnit, EntrustmentContract, SupervisionItem

BASE = "/api/v1/associations"


def send(client, method, path, body=None, **headers):
    return getattr(client, method)(
        f"{BASE}{path}", json.dumps(body or {}), content_type="application/json", headers=headers
    )


@pytest.fixture
def admin_api(sysadmin, api_of):
    return api_of(sysadmin)


def test_unauthenticated_is_refused(org, client):
    response = client.get(f"{BASE}/units")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"


def test_units_list_detail_and_filters(units, org, make_user, api_of):
    officer = make_user("association_officer", org.commune_a1, "11", username="lan")
    api = api_of(make_user("credit_officer", org.office_a))
    page = api.get(f"{BASE}/units").json()
    assert page["count"] == 4
    assert {item["name"] for item in page["items"]} == {
        "Hội Nông dân huyện Bắc Sơn",
        "Hội Nông dân xã Vũ Lăng",
        "Hội Nông dân xã Hưng Vũ",
        "Hội Phụ nữ xã Vũ Lăng",
    }
    women = api.get(f"{BASE}/units", {"association_id": units.women.pk}).json()
    assert [item["association_code"] for item in women["items"]] == ["12"]
    communes = api.get(f"{BASE}/units", {"level": "commune", "size": 1, "page": 2}).json()
    assert (communes["count"], len(communes["items"])) == (3, 1)
    assert api.get(f"{BASE}/units", {"size": 201}).status_code == 422
    assert api.get(f"{BASE}/units", {"level": "central"}).status_code == 422

    detail = api.get(f"{BASE}/units/{units.commune_a1.pk}").json()
    assert detail | {"id": 0} == {
        "id": 0,
        "association_id": units.farmers.pk,
        "association_code": "11",
        "name": "Hội Nông dân xã Vũ Lăng",
        "level": "commune",
        "unit_id": org.commune_a1.pk,
        "unit_code": "206001",
        "unit_name": "Vũ Lăng",
        "branch_id": org.branch.pk,
        "parent_id": units.district_a.pk,
        "chair_name": "",
        "phone": "",
        "is_active": True,
        "officers": [
            {"id": officer.pk, "username": "lan", "full_name": officer.full_name, "phone": ""}
        ],
    }


def test_opening_a_unit(units, org, admin_api, make_user, api_of):
    response = send(
        admin_api,
        "post",
        "/units",
        {"association_id": units.women.pk, "unit_id": org.office_a.pk, "name": "Hội Phụ nữ huyện"},
    )
    assert response.status_code == 201, response.content
    assert (response.json()["level"], response.json()["officers"]) == ("district", [])
    again = send(
        admin_api,
        "post",
        "/units",
        {"association_id": units.women.pk, "unit_id": org.office_a.pk, "name": "x"},
    )
    assert again.status_code == 422
    assert again.json()["errors"][0] | {"message": ""} == {
        "field": "unit_id",
        "code": "associations_unit_exists",
        "message": "",
    }
    unknown = send(
        admin_api, "post", "/units", {"association_id": 99, "unit_id": org.office_a.pk, "name": "x"}
    )
    assert unknown.json()["errors"][0]["field"] == "association_id"
    credit = api_of(make_user("credit_officer", org.office_a))
    refused = send(
        credit,
        "post",
        "/units",
        {"association_id": units.women.pk, "unit_id": org.commune_a2.pk, "name": "x"},
    )
    assert refused.status_code == 403


CONTRACT = {
    "number": "01/2025/HĐUT",
    "signed_on": "2024-12-20",
    "valid_from": "2025-01-01",
    "tasks": ["communicate", "form_groups"],
}


def test_recording_a_contract_with_the_default_terms(units, org, admin_api):
    response = send(
        admin_api, "post", "/contracts", {**CONTRACT, "association_unit_id": units.commune_a1.pk}
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["bank_unit_id"], body["tasks"], body["status"]) == (
        org.office_a.pk,
        ["communicate", "form_groups"],
        "active",
    )
    assert body["terms"] == [
        {
            "effective_from": "2025-01-01",
            "last_day": None,
            "in_force": True,
            "fee_rate_monthly": "0.0004500000",
            "split_central_bp": 300,
            "split_province_bp": 500,
            "split_district_bp": 800,
            "split_commune_bp": 8400,
            "reductions": [],
            "approval_id": None,
        }
    ]
    listed = admin_api.get(f"{BASE}/contracts", {"association_unit_id": units.commune_a1.pk})
    assert [c["number"] for c in listed.json()["items"]] == ["01/2025/HĐUT"]


def test_a_contract_refused_names_the_api_fields(units, org, admin_api):
    response = send(
        admin_api,
        "post",
        "/contracts",
        {
            **CONTRACT,
            "association_unit_id": units.commune_a1.pk,
            "bank_unit_id": org.office_b.pk,
            "tasks": ["dance"],
            "terms": {
                "fee_rate_monthly": "0.00045",
                "split_central_bp": 300,
                "split_province_bp": 500,
                "split_district_bp": -800,
                "split_commune_bp": 8400,
                "reductions": [
                    {"condition": "overdue_ratio_above", "threshold": "0.02", "reduce_by": "2"}
                ],
            },
        },
    )
    assert response.status_code == 422
    fields = [(e["field"], e["code"]) for e in response.json()["errors"]]
    assert fields == [
        ("tasks", "associations_task_unknown"),
        ("bank_unit_id", "associations_bank_unit_mismatch"),
        ("terms.split_district_bp", "associations_split_negative"),
        ("terms", "associations_split_sum"),
        ("terms.reductions[1].reduce_by", "associations_reduction_range"),
    ]
    assert not EntrustmentContract.objects.exists()


def test_a_change_of_terms_through_the_api(units, org, admin_api, make_user, api_of):
    contract = send(
        admin_api, "post", "/contracts", {**CONTRACT, "association_unit_id": units.commune_a1.pk}
    ).json()
    maker = api_of(make_user("credit_officer", org.office_a))
    body = {
        "effective_from": "2027-01-01",
        "terms": {"fee_rate_monthly": "0.0004", "split_commune_bp": 8400},
        "note": "Phụ lục 01",
    }
    made = send(
        maker,
        "post",
        f"/contracts/{contract['id']}/terms-changes",
        body,
        **{"Idempotency-Key": "k1"},
    )
    assert made.status_code == 201, made.content
    assert (made.json()["kind"], made.json()["status"]) == ("associations.terms_change", "pending")
    replay = send(
        maker,
        "post",
        f"/contracts/{contract['id']}/terms-changes",
        body,
        **{"Idempotency-Key": "k1"},
    )
    assert replay.status_code == 200 and replay.json()["id"] == made.json()["id"]
    assert ApprovalRequest.objects.count() == 1
    detail = maker.get(f"{BASE}/contracts/{contract['id']}").json()
    assert detail["terms_changes_waiting"] == [made.json()["id"]]

    # the maker cannot approve; the controller can; the history keeps both versions
    own = maker.post(
        f"/api/v1/approvals/requests/{made.json()['id']}/approve",
        "{}",
        content_type="application/json",
    )
    assert own.status_code == 403
    checker = api_of(make_user("controller", org.office_a))
    approved = checker.post(
        f"/api/v1/approvals/requests/{made.json()['id']}/approve",
        "{}",
        content_type="application/json",
    )
    assert approved.status_code == 200, approved.content
    terms = maker.get(f"{BASE}/contracts/{contract['id']}").json()["terms"]
    assert [
        (t["effective_from"], t["last_day"], t["fee_rate_monthly"], t["in_force"]) for t in terms
    ] == [
        ("2027-01-01", None, "0.0004000000", False),
        ("2025-01-01", "2026-12-31", "0.0004500000", True),
    ]
    assert terms[0]["approval_id"] == made.json()["id"]

    late = send(
        maker,
        "post",
        f"/contracts/{contract['id']}/terms-changes",
        {**body, "effective_from": "2026-06-01"},
    )
    assert late.status_code == 422
    assert late.json()["errors"][0]["field"] == "effective_from"


def test_the_plan_and_inspections_through_the_api(units, org, make_user, api_of, make_group):
    group = make_group(units.commune_a1)
    officer = api_of(make_user("association_officer", org.commune_a1, "11"))
    built = officer.post(f"{BASE}/units/{units.commune_a1.pk}/plan/2026")
    assert built.status_code == 200, built.content
    plan = built.json()
    assert (plan["total"], plan["done"]) == (1, 0)
    assert plan["items"][0] | {"id": 0} == {
        "id": 0,
        "year": 2026,
        "reason": "group_yearly",
        "group_id": group.pk,
        "group_code": group.code,
        "group_name": group.name,
        "loan_ref": None,
        "due_by": "2026-12-31",
        "inspection_id": None,
        "done": False,
    }
    assert officer.post(f"{BASE}/units/{units.commune_a1.pk}/plan/2026").json()["total"] == 1
    assert SupervisionItem.objects.count() == 1

    inspection = {
        "association_unit_id": units.commune_a1.pk,
        "group_id": group.pk,
        "inspected_on": "2026-11-20",
        "inspector_name": "Hoàng Thị Lan",
        "checked": ["loan_use", "repayment"],
        "findings": "Tốt.",
        "reported_on": "2026-11-23",
    }
    created = send(officer, "post", "/inspections", inspection)
    assert created.status_code == 201, created.content
    assert created.json()["group_code"] == group.code
    after = officer.get(f"{BASE}/units/{units.commune_a1.pk}/plan/2026").json()
    assert (after["done"], after["items"][0]["inspection_id"]) == (1, created.json()["id"])
    listed = officer.get(f"{BASE}/inspections", {"year": 2026}).json()
    assert [i["id"] for i in listed["items"]] == [created.json()["id"]]
    assert officer.get(f"{BASE}/inspections/{created.json()['id']}").status_code == 200

    women_group = make_group(units.women_a1)
    refused = send(officer, "post", "/inspections", {**inspection, "group_id": women_group.pk})
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "group_id"
    bad = send(
        officer, "post", "/inspections", {**inspection, "checked": ["weather"], "findings": ""}
    )
    assert [(e["field"], e["code"]) for e in bad.json()["errors"]] == [
        ("checked", "associations_check_unknown"),
        ("findings", "associations_findings_required"),
    ]
    too_many = send(officer, "post", "/inspections", {**inspection, "checked": ["loan_use"] * 50})
    assert too_many.status_code == 422


def test_the_openapi_document_lists_the_operations(org, client):
    schema = client.get("/api/v1/openapi.json").json()
    paths = [p for p in schema["paths"] if p.startswith(BASE)]
    assert set(paths) == {
        f"{BASE}/units",
        f"{BASE}/units/{{association_unit_id}}",
        f"{BASE}/units/{{association_unit_id}}/plan/{{year}}",
        f"{BASE}/contracts",
        f"{BASE}/contracts/{{contract_id}}",
        f"{BASE}/contracts/{{contract_id}}/terms-changes",
        f"{BASE}/inspections",
        f"{BASE}/inspections/{{inspection_id}}",
    }
    assert AssociationUnit.objects.count() == 0
