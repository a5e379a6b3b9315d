"""The households API: the same services and scope as the pages, IDs masked in every answer, the
whole ID only from the logged POST, a search only in a POST body."""

from __future__ import annotations

import json

import pytest

from policylend.households.models import Classification, Household, NationalIdView

from .conftest import ID_HEAD_A, ID_HEAD_B, ID_SPOUSE_A, TWELVE_DIGITS

BASE = "/api/v1/households"


def post(client, path: str, body: dict):
    return client.post(f"{BASE}{path}", json.dumps(body), content_type="application/json")


def patch(client, path: str, body: dict):
    return client.patch(f"{BASE}{path}", json.dumps(body), content_type="application/json")


def test_the_list_is_paginated_scoped_and_masked(org, officer_a, api_of, household_a, household_b):
    response = api_of(officer_a).get(BASE, {"size": 200})
    body = response.json()
    assert response.status_code == 200
    assert [item["code"] for item in body["items"]] == [household_a.code]
    item = body["items"][0]
    assert item["head_name"] == "Nguyễn Văn Đức"
    assert item["head_national_id_masked"] == "•••••••• 1234"
    assert item["ethnicity"] == "02" and item["ethnicity_name"] == "Tày"
    assert item["member_count"] == 2
    assert not TWELVE_DIGITS.search(response.content.decode())
    assert api_of(officer_a).get(BASE, {"size": 201}).status_code == 422


def test_search_goes_in_a_posted_body(org, officer_a, api_of, household_a):
    api = api_of(officer_a)
    by_name = post(api, "/search", {"q": "nguyen van duc"}).json()
    by_suffix = post(api, "/search", {"q": ID_SPOUSE_A[-4:]}).json()
    by_phone = post(api, "/search", {"q": "+84912345678"}).json()
    assert [i["code"] for i in by_name["items"]] == [household_a.code]
    assert [i["code"] for i in by_suffix["items"]] == [household_a.code]
    assert [i["code"] for i in by_phone["items"]] == [household_a.code]
    # a GET does not search: a query in a URL is ignored
    listed = api.get(BASE, {"q": "nobody"}).json()
    assert [i["code"] for i in listed["items"]] == [household_a.code]


def test_the_detail_has_members_and_classifications_with_masked_ids(
    org, officer_a, api_of, household_a
):
    response = api_of(officer_a).get(f"{BASE}/{household_a.pk}")
    body = response.json()
    assert [m["national_id_masked"] for m in body["members"]] == ["•••••••• 1234", "•••••••• 5678"]
    assert "national_id" not in body["members"][0]
    assert not TWELVE_DIGITS.search(response.content.decode())


def test_a_household_is_registered_and_its_problems_named_by_field(
    org, officer_a, api_of, household_b
):
    api = api_of(officer_a)
    body = {
        "village_id": org.villages["20600101"].pk,
        "head": {"full_name": "Nguyễn Văn Đức", "sex": "male", "national_id": ID_HEAD_A},
        "members": [
            {
                "full_name": "Hoàng Thị Lan",
                "sex": "female",
                "relationship": "spouse",
                "national_id": ID_SPOUSE_A,
                "birth_date": "1987-09-01",
            }
        ],
        "phone": "0912345678",
        "ethnicity": "Tày",
    }
    created = post(api, "", body)
    assert created.status_code == 201
    answer = created.json()
    assert answer["code"] == "2060010001" and len(answer["members"]) == 2
    assert not TWELVE_DIGITS.search(created.content.decode())
    # the same people again, and a member whose ID is registered in office B
    body["members"].append(
        {
            "full_name": "Lộc Thị Hoa",
            "sex": "female",
            "relationship": "child",
            "national_id": ID_HEAD_B,
        }
    )
    refused = post(api, "", body)
    assert refused.status_code == 422
    assert refused["Content-Type"] == "application/problem+json"
    fields = {(e["field"], e["code"]) for e in refused.json()["errors"]}
    assert fields == {
        ("head.national_id", "household_national_id_taken"),
        ("members[0].national_id", "household_national_id_taken"),
        ("members[1].national_id", "household_national_id_taken"),
    }
    assert "Lộc Văn Bình" not in refused.content.decode()
    assert Household.objects.filter(commune=org.commune_a1).count() == 1


def test_a_village_outside_the_scope_is_a_fault_of_the_field(org, officer_a, api_of):
    body = {
        "village_id": org.villages["20700101"].pk,
        "head": {"full_name": "Ai Đó", "sex": "male"},
    }
    response = post(api_of(officer_a), "", body)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "village_id"


def test_a_household_and_a_member_are_changed(org, officer_a, api_of, household_a):
    api = api_of(officer_a)
    changed = patch(api, f"/{household_a.pk}", {"phone": "0356789012", "status": "moved_away"})
    assert changed.status_code == 200 and changed.json()["status"] == "moved_away"
    assert changed.json()["phone"] == "0356789012"
    wife = household_a.members.get(relationship="spouse")
    renamed = patch(api, f"/persons/{wife.pk}", {"full_name": "Hoàng Thị Lan Anh"})
    assert renamed.status_code == 200 and renamed.json()["full_name"] == "Hoàng Thị Lan Anh"
    wife.refresh_from_db()
    assert wife.national_id == ID_SPOUSE_A and wife.birth_date is not None
    wrong = patch(api, f"/{household_a.pk}", {"phone": "123"})
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["field"] == "phone"


def test_members_and_classifications_are_added(org, officer_a, api_of, household_a):
    api = api_of(officer_a)
    added = post(
        api,
        f"/{household_a.pk}/members",
        {"full_name": "Nguyễn Thị Mai", "sex": "female", "relationship": "child"},
    )
    assert added.status_code == 201 and added.json()["national_id_masked"] == ""
    classified = post(
        api,
        f"/{household_a.pk}/classifications",
        {"year": 2026, "kind": "poor", "certified_by": "QĐ 12", "certified_on": "2026-01-15"},
    )
    assert classified.status_code == 201 and Classification.objects.count() == 1
    future = post(
        api,
        f"/{household_a.pk}/classifications",
        {
            "year": 2026,
            "kind": "ethnic_minority",
            "certified_by": "QĐ 13",
            "certified_on": "2027-01-15",
        },
    )
    assert future.status_code == 422
    assert future.json()["errors"][0]["field"] == "certified_on"


def test_the_whole_id_comes_only_from_the_logged_post(
    org, officer_a, association_officer_a, officer_b, api_of, household_a
):
    url = f"/persons/{household_a.head_id}/national-id"
    shown = post(api_of(officer_a), url, {})
    assert shown.status_code == 200
    assert shown.json() == {"person_id": household_a.head_id, "national_id": ID_HEAD_A}
    assert shown["Cache-Control"] == "no-store"
    view = NationalIdView.objects.get()
    assert view.viewer == officer_a and view.where.startswith("api")
    assert post(api_of(association_officer_a), url, {}).status_code == 403
    assert post(api_of(officer_b), url, {}).status_code == 404
    assert NationalIdView.objects.count() == 1


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("get", "/{household}", None),
        ("patch", "/{household}", {"phone": "0912345678"}),
        (
            "post",
            "/{household}/members",
            {"full_name": "X", "sex": "male", "relationship": "child"},
        ),
        (
            "post",
            "/{household}/classifications",
            {"year": 2026, "kind": "poor", "certified_by": "x", "certified_on": "2026-01-01"},
        ),
        ("patch", "/persons/{person}", {"full_name": "X"}),
        ("post", "/persons/{person}/national-id", {}),
    ],
)
def test_office_b_households_are_not_found_for_office_a(
    org, officer_a, api_of, household_b, method, path, body
):
    url = BASE + path.format(household=household_b.pk, person=household_b.head_id)
    api = api_of(officer_a)
    if method == "get":
        response = api.get(url)
    else:
        response = getattr(api, method)(url, json.dumps(body), content_type="application/json")
    assert response.status_code == 404


def test_readers_may_not_write_through_the_api(org, make_user, api_of, household_a):
    api = api_of(make_user("teller", org.office_a))
    assert api.get(f"{BASE}/{household_a.pk}").status_code == 200
    assert patch(api, f"/{household_a.pk}", {"phone": "0912345678"}).status_code == 403
    body = {"village_id": org.villages["20600101"].pk, "head": {"full_name": "X", "sex": "male"}}
    assert post(api, "", body).status_code == 403


def test_the_operations_are_in_the_openapi_document(org, officer_a, api_of):
    paths = api_of(officer_a).get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/households",
        "/api/v1/households/search",
        "/api/v1/households/{household_id}",
        "/api/v1/households/{household_id}/members",
        "/api/v1/households/{household_id}/classifications",
        "/api/v1/households/persons/{person_id}",
        "/api/v1/households/persons/{person_id}/national-id",
    ):
        assert path in paths, path
