"""Scope: a user of office A sees A's part of the tree and never B's — in the selectors, on the
pages (404) and in the API (404); only a system administrator changes the tree (403 otherwise)."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from policylend.core.errors import NotFound
from policylend.organisation import selectors
from policylend.organisation.models import OrganisationUnit, TransactionPoint

READ_ROLES = [
    "branch_manager",
    "branch_staff",
    "credit_officer",
    "teller",
    "controller",
    "auditor",
    "board_member",
]


def test_selectors_of_an_office_a_user(org, officer_a):
    codes = set(selectors.unit_list(officer_a).values_list("code", flat=True))
    assert codes == {"7401", "206001", "206002", "20600101", "20600102", "20600201", "20600202"}
    assert selectors.unit_get(officer_a, org.commune_a1.pk) == org.commune_a1
    for unit in (org.office_b, org.commune_b1, org.villages["20700101"], org.branch):
        with pytest.raises(NotFound):
            selectors.unit_get(officer_a, unit.pk)
    assert [node["unit"] for node in selectors.unit_tree(officer_a)] == [org.office_a]
    points = set(selectors.transaction_point_list(officer_a).values_list("code", flat=True))
    assert points == {"TXN206001", "TXN206002"}
    with pytest.raises(NotFound):
        selectors.transaction_point_get(officer_a, org.points["207001"].pk)
    assert list(selectors.unit_children_on(officer_a, org.office_b, org.commune_b1.opened_on)) == []
    assert org.commune_b1 not in selectors.merge_choices(officer_a, org.commune_a1)


def b_object_urls(org):
    """Every organisation page that takes an object id, with one of office B's objects."""
    unit, commune, point = org.villages["20700101"].pk, org.commune_b1.pk, org.points["207001"].pk
    return [
        ("unit_detail", unit),
        ("unit_children", commune),
        ("unit_edit", unit),
        ("unit_move", unit),
        ("commune_merge", commune),
        ("unit_close", unit),
        ("point_detail", point),
        ("point_edit", point),
    ]


def test_pages_of_office_b_are_not_found_for_office_a(org, make_user, client_of):
    for role in ("credit_officer", "system_admin"):
        client = client_of(make_user(role, org.office_a))
        for name, pk in b_object_urls(org):
            target = reverse(f"organisation:{name}", args=[pk])
            assert client.get(target).status_code == 404, (role, name)
            assert (
                client.post(target, {"name": "x", "closed_on": "05/03/2025"}).status_code == 404
            ), (role, name)
    assert OrganisationUnit.objects.get(pk=org.villages["20700101"].pk).status == "active"


def test_the_same_pages_open_for_office_b(org, make_user, client_of):
    client = client_of(make_user("system_admin", org.office_b))
    for name, pk in b_object_urls(org):
        response = client.get(reverse(f"organisation:{name}", args=[pk]), HTTP_HX_REQUEST="true")
        assert response.status_code == 200, name


API_B_GETS = [
    "/api/v1/organisation/units/{unit}",
    "/api/v1/organisation/units/{unit}/children",
    "/api/v1/organisation/units/{unit}/history",
    "/api/v1/organisation/points/{point}",
]
API_B_WRITES = [
    ("patch", "/api/v1/organisation/units/{unit}", {"name": "x"}),
    (
        "post",
        "/api/v1/organisation/units/{unit}/move",
        {"new_parent_id": 0, "effective_on": "2025-03-05"},
    ),
    (
        "post",
        "/api/v1/organisation/units/{commune}/merge",
        {"target_id": 0, "effective_on": "2025-03-05"},
    ),
    ("post", "/api/v1/organisation/units/{unit}/close", {"closed_on": "2025-03-05"}),
    ("patch", "/api/v1/organisation/points/{point}", {"session_day": 5}),
]


def test_api_objects_of_office_b_are_not_found_for_office_a(org, make_user, api_of):
    ids = {
        "unit": org.villages["20700101"].pk,
        "commune": org.commune_b1.pk,
        "point": org.points["207001"].pk,
    }
    for role in ("credit_officer", "system_admin"):
        api = api_of(make_user(role, org.office_a))
        for path in API_B_GETS:
            assert api.get(path.format(**ids)).status_code == 404, (role, path)
        for method, path, body in API_B_WRITES:
            response = getattr(api, method)(
                path.format(**ids), json.dumps(body), content_type="application/json"
            )
            assert response.status_code == 404, (role, path)
        listed = api.get("/api/v1/organisation/units", {"size": 200}).json()
        assert {item["code"] for item in listed["items"]}.isdisjoint({"7402", "207001", "20700101"})
        points = api.get("/api/v1/organisation/points").json()
        assert {item["code"] for item in points["items"]} == {"TXN206001", "TXN206002"}


def test_api_body_reference_outside_scope_is_refused(org, make_user, api_of):
    api = api_of(make_user("system_admin", org.office_a))
    village = org.villages["20600101"]
    response = api.post(
        f"/api/v1/organisation/units/{village.pk}/move",
        json.dumps({"new_parent_id": org.commune_b1.pk, "effective_on": "2025-03-05"}),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "new_parent_id"
    village.refresh_from_db()
    assert village.parent == org.commune_a1


@pytest.mark.parametrize("role", READ_ROLES)
def test_only_system_admin_writes_on_pages(org, make_user, client_of, role):
    scope = (
        org.branch
        if role in ("branch_manager", "branch_staff", "controller", "auditor", "board_member")
        else org.office_a
    )
    client = client_of(make_user(role, scope))
    commune, point = org.commune_a1, org.points["206001"]
    for name, args, data in [
        (
            "unit_create",
            [],
            {
                "kind": "village",
                "parent": commune.pk,
                "code": "20600103",
                "name": "X",
                "opened_on": "05/03/2025",
            },
        ),
        ("unit_edit", [commune.pk], {"name": "X", "address": ""}),
        (
            "unit_move",
            [commune.pk],
            {"new_parent": org.office_b.pk, "effective_on": "05/03/2025", "reason": "x"},
        ),
        (
            "commune_merge",
            [commune.pk],
            {"target": org.commune_a2.pk, "effective_on": "05/03/2025", "reason": "x"},
        ),
        ("unit_close", [org.villages["20600101"].pk], {"closed_on": "05/03/2025"}),
        (
            "point_create",
            [],
            {
                "commune": commune.pk,
                "code": "TXN206999",
                "name": "X",
                "session_day": 5,
                "address": "X",
                "opened_on": "05/03/2025",
            },
        ),
        ("point_edit", [point.pk], {"name": "X", "session_day": 5, "address": "X"}),
    ]:
        target = reverse(f"organisation:{name}", args=args)
        assert client.get(target).status_code == 403, name
        assert client.post(target, data).status_code == 403, name
    commune.refresh_from_db()
    assert (commune.name, commune.status, commune.parent_id) == (
        "Vũ Lăng",
        "active",
        org.office_a.pk,
    )
    assert not OrganisationUnit.objects.filter(code="20600103").exists()
    assert TransactionPoint.objects.get(pk=point.pk).session_day == 21


@pytest.mark.parametrize("role", ["branch_manager", "credit_officer", "auditor"])
def test_only_system_admin_writes_through_the_api(org, make_user, api_of, role):
    api = api_of(make_user(role, org.branch if role != "credit_officer" else org.office_a))
    commune, point = org.commune_a1, org.points["206001"]
    calls = [
        (
            "post",
            "/api/v1/organisation/units",
            {
                "kind": "village",
                "code": "20600103",
                "name": "X",
                "parent_id": commune.pk,
                "opened_on": "2025-03-05",
            },
        ),
        ("patch", f"/api/v1/organisation/units/{commune.pk}", {"name": "X"}),
        (
            "post",
            f"/api/v1/organisation/units/{commune.pk}/move",
            {"new_parent_id": org.office_a.pk, "effective_on": "2025-03-05"},
        ),
        (
            "post",
            f"/api/v1/organisation/units/{commune.pk}/merge",
            {"target_id": org.commune_a2.pk, "effective_on": "2025-03-05"},
        ),
        ("post", f"/api/v1/organisation/units/{commune.pk}/close", {"closed_on": "2025-03-05"}),
        (
            "post",
            "/api/v1/organisation/points",
            {
                "commune_id": commune.pk,
                "code": "TXN206999",
                "name": "X",
                "session_day": 5,
                "address": "X",
                "opened_on": "2025-03-05",
            },
        ),
        ("patch", f"/api/v1/organisation/points/{point.pk}", {"session_day": 5}),
    ]
    for method, path, body in calls:
        response = getattr(api, method)(path, json.dumps(body), content_type="application/json")
        assert response.status_code == 403, (method, path, response.content)
        assert response["Content-Type"] == "application/problem+json"
    commune.refresh_from_db()
    assert (commune.name, commune.status) == ("Vũ Lăng", "active")
    assert TransactionPoint.objects.get(pk=point.pk).session_day == 21
