"""The groups API: the same rules and scope as the pages, JSON in and out, ISO dates."""

from __future__ import annotations

import json
from datetime import date

import pytest

from policylend.groups import services
from policylend.groups.models import GroupMembership, SavingsGroup

from .conftest import make_household

BASE = "/api/v1/groups"


def send(client, method, path, body):
    return getattr(client, method)(
        f"{BASE}{path}", json.dumps(body), content_type="application/json"
    )


@pytest.fixture
def api(officer_a, api_of):
    return api_of(officer_a)


def test_unauthenticated_is_refused(client):
    response = client.get(BASE)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"


def test_list_filters_and_pages(org, group_a, group_b, found, make_households, api, units, farmers):
    a2 = org.villages["20600201"]
    found(
        "2060021", a2, make_households(a2, 5), name="Tổ Đồng Tâm", association_unit=units.farmers_a2
    )
    page = api.get(BASE, {"size": 1, "page": 2}).json()
    assert (page["count"], page["page"], page["size"], len(page["items"])) == (2, 2, 1, 1)
    codes = [item["code"] for item in api.get(BASE).json()["items"]]
    assert codes == ["2060011", "2060021"]  # never office B's group
    assert [i["code"] for i in api.get(BASE, {"q": "dong tam"}).json()["items"]] == ["2060021"]
    assert [
        i["code"] for i in api.get(BASE, {"commune_id": org.commune_a1.pk}).json()["items"]
    ] == ["2060011"]
    assert len(api.get(BASE, {"association_id": farmers.pk}).json()["items"]) == 2
    assert api.get(BASE, {"status": "below_minimum"}).json()["count"] == 0
    too_big = api.get(BASE, {"size": 201})
    assert too_big.status_code == 422 and too_big.json()["errors"][0]["field"] == "size"
    assert api.get(BASE, {"status": "sleeping"}).status_code == 422


def test_detail(org, group_a, api, units):
    item = api.get(f"{BASE}/{group_a.pk}").json()
    assert item | {"id": 0} == {
        "id": 0,
        "code": "2060011",
        "name": "Tổ 2060011",
        "status": "active",
        "branch_id": org.branch.pk,
        "office_id": org.office_a.pk,
        "commune_id": org.commune_a1.pk,
        "village_id": org.villages["20600101"].pk,
        "village_ids": [org.villages["20600101"].pk],
        "association_unit_id": units.farmers_a1.pk,
        "association_code": "11",
        "founded_on": "2024-03-01",
        "approval_decision": "12/QĐ-UBND",
        "approval_decision_on": "2024-02-20",
        "closed_on": None,
        "closed_reason": "",
        "merged_into_id": None,
        "split_from_id": None,
        "member_count": 6,
        "below_minimum": False,
    }


def test_office_b_group_is_not_found(group_b, api):
    for method, path, body in [
        ("get", f"/{group_b.pk}", None),
        ("get", f"/{group_b.pk}/memberships", None),
        ("patch", f"/{group_b.pk}", {"name": "x"}),
        ("post", f"/{group_b.pk}/dissolve", {"dissolved_on": "2025-06-01", "reason": "x"}),
    ]:
        response = api.get(f"{BASE}{path}") if method == "get" else send(api, method, path, body)
        assert response.status_code == 404, path
    assert SavingsGroup.objects.get(pk=group_b.pk).status == "active"


def test_create(org, units, api, make_households):
    village, neighbour = org.villages["20600101"], org.villages["20600102"]
    households = make_households(village, 4) + make_households(neighbour, 1)
    body = {
        "code": "2060011",
        "name": "Tổ Nà Lầu",
        "village_id": village.pk,
        "association_unit_id": units.farmers_a1.pk,
        "founded_on": "2025-03-05",
        "approval_decision": "15/QĐ-UBND",
        "approval_decision_on": "2025-03-01",
        "household_ids": [h.pk for h in households],
    }
    refused = send(api, "post", "", body)
    assert refused.status_code == 422
    assert refused["Content-Type"] == "application/problem+json"
    assert [(e["field"], e["code"]) for e in refused.json()["errors"]] == [
        ("household_ids", "group_household_outside_villages")
    ]
    created = send(api, "post", "", {**body, "adjacent_village_ids": [neighbour.pk]})
    assert created.status_code == 201, created.json()
    assert created.json()["member_count"] == 5
    assert created.json()["village_ids"] == sorted([village.pk, neighbour.pk])


def test_create_with_ids_outside_the_scope(org, units, api, make_households):
    b_households = make_households(org.villages["20700101"], 5)
    response = send(
        api,
        "post",
        "",
        {
            "code": "2060011",
            "name": "Tổ",
            "village_id": org.villages["20700101"].pk,
            "association_unit_id": units.farmers_a1.pk,
            "founded_on": "2025-03-05",
            "approval_decision": "1",
            "approval_decision_on": "2025-03-01",
            "household_ids": [h.pk for h in b_households],
        },
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "village_id"


def test_update(org, group_a, api):
    neighbour = org.villages["20600102"]
    response = send(
        api, "patch", f"/{group_a.pk}", {"name": "Tổ Mới", "adjacent_village_ids": [neighbour.pk]}
    )
    assert response.status_code == 200
    assert response.json()["name"] == "Tổ Mới" and neighbour.pk in response.json()["village_ids"]
    response = send(api, "patch", f"/{group_a.pk}", {"name": "Tổ Mới hơn"})
    assert response.json()["village_ids"] == sorted([org.villages["20600101"].pk, neighbour.pk])


def test_membership_join_leave_move(org, group_a, found, api, make_households):
    village = org.villages["20600101"]
    newcomer = make_households(village, 1)[0]
    joined = send(
        api,
        "post",
        f"/{group_a.pk}/memberships",
        {"household_id": newcomer.pk, "joined_on": "2025-06-01"},
    )
    assert joined.status_code == 201
    membership_id = joined.json()["id"]
    assert joined.json()["household_code"] == newcomer.code

    other = found("2060012", village, make_households(village, 5))
    moved = send(
        api,
        "post",
        f"/memberships/{membership_id}/move",
        {"to_group_id": other.pk, "moved_on": "2025-06-02"},
    )
    assert moved.status_code == 201 and moved.json()["group_id"] == other.pk

    refused = send(
        api,
        "post",
        f"/memberships/{moved.json()['id']}/leave",
        {"left_on": "2025-06-03", "reason": "merged"},
    )
    assert refused.status_code == 422
    left = send(
        api,
        "post",
        f"/memberships/{moved.json()['id']}/leave",
        {"left_on": "2025-06-03", "reason": "other"},
    )
    assert left.status_code == 200 and left.json()["left_on"] == "2025-06-03"

    history = api.get(f"{BASE}/{group_a.pk}/memberships").json()
    moved_row = next(row for row in history if row["household_id"] == newcomer.pk)
    assert (moved_row["leave_reason"], moved_row["moved_to_id"]) == ("transferred", other.pk)
    assert len(api.get(f"{BASE}/{group_a.pk}/memberships", {"open_only": True}).json()) == 6

    full = send(
        api,
        "post",
        f"/{other.pk}/memberships",
        {"household_id": group_a.memberships.first().household_id, "joined_on": "2025-06-04"},
    )
    assert full.status_code == 422
    assert full.json()["errors"][0] | {"message": ""} == {
        "field": "household_id",
        "code": "group_household_in_other_group",
        "message": "",
    }


def test_board(org, found, api):
    village = org.villages["20600101"]
    family = make_household(village, "Hoàng Văn An", [("Hoàng Văn Bảo", "child")])
    group = found(
        "2060011", village, [family, *(make_household(village, f"Hộ {i}") for i in range(4))]
    )
    son = family.members.get(relationship="child")
    leader = send(
        api,
        "post",
        f"/{group.pk}/board",
        {"person_id": family.head_id, "role": "leader", "started_on": "2025-06-01"},
    )
    assert leader.status_code == 201 and leader.json()["person_name"] == "Hoàng Văn An"
    refused = send(
        api,
        "post",
        f"/{group.pk}/board",
        {"person_id": son.pk, "role": "deputy", "started_on": "2025-06-01"},
    )
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "person_id"
    assert refused.json()["errors"][0]["code"] == "group_board_relatives"
    ended = send(api, "post", f"/board-terms/{leader.json()['id']}/end", {"ended_on": "2025-07-01"})
    assert ended.status_code == 200 and ended.json()["ended_on"] == "2025-07-01"
    assert [t["role"] for t in api.get(f"{BASE}/{group.pk}/board").json()] == ["leader"]


def test_meetings(group_a, api):
    persons = [m.household.head_id for m in group_a.memberships.all()[:2]]
    created = send(
        api,
        "post",
        f"/{group_a.pk}/meetings",
        {
            "held_on": "2025-06-01",
            "kind": "loan_review",
            "attendee_ids": persons,
            "decisions": "3 hộ",
        },
    )
    assert created.status_code == 201
    assert created.json()["attendance"] == 2 and created.json()["attendee_ids"] == sorted(persons)
    listed = api.get(f"{BASE}/{group_a.pk}/meetings").json()
    assert [m["id"] for m in listed] == [created.json()["id"]]
    assert api.get(f"{BASE}/meetings/{created.json()['id']}").json()["decisions"] == "3 hộ"
    assert (
        send(
            api, "post", f"/{group_a.pk}/meetings", {"held_on": "2025-06-01", "kind": "party"}
        ).status_code
        == 422
    )


def test_dissolve_merge_split(org, group_a, found, api, make_households):
    village = org.villages["20600101"]
    big = found("2060012", village, make_households(village, 10))
    chosen = list(big.memberships.values_list("household_id", flat=True)[:5])
    split = send(
        api,
        "post",
        f"/{big.pk}/split",
        {
            "new_code": "2060019",
            "new_name": "Tổ tách",
            "household_ids": chosen,
            "split_on": "2025-06-01",
        },
    )
    assert split.status_code == 201 and split.json()["split_from_id"] == big.pk
    merged = send(
        api,
        "post",
        f"/{split.json()['id']}/merge",
        {"target_id": group_a.pk, "merged_on": "2025-06-02"},
    )
    assert merged.status_code == 200 and merged.json()["id"] == group_a.pk
    assert merged.json()["member_count"] == 11
    dissolved = send(
        api, "post", f"/{big.pk}/dissolve", {"dissolved_on": "2025-06-03", "reason": "QĐ 9"}
    )
    assert dissolved.status_code == 200
    assert (dissolved.json()["status"], dissolved.json()["closed_reason"]) == ("dissolved", "QĐ 9")
    again = send(
        api, "post", f"/{big.pk}/dissolve", {"dissolved_on": "2025-06-03", "reason": "QĐ 9"}
    )
    assert again.status_code == 422 and again.json()["errors"][0]["code"] == "group_closed"


def test_a_role_that_only_reads_is_refused(org, group_a, make_user, api_of):
    teller = api_of(make_user("teller", org.office_a))
    assert teller.get(f"{BASE}/{group_a.pk}").status_code == 200
    response = send(
        teller, "post", f"/{group_a.pk}/dissolve", {"dissolved_on": "2025-06-03", "reason": "x"}
    )
    assert response.status_code == 403
    assert GroupMembership.objects.filter(group=group_a, left_on__isnull=True).count() == 6


def test_association_officer_scope(org, group_a, make_user, api_of, today):
    women = api_of(make_user("association_officer", org.commune_a1, association_code="12"))
    assert women.get(BASE).json()["count"] == 0
    assert women.get(f"{BASE}/{group_a.pk}").status_code == 404
    farmers = make_user("association_officer", org.commune_a1, association_code="11")
    client = api_of(farmers)
    assert client.get(BASE).json()["count"] == 1
    response = send(
        client, "post", f"/{group_a.pk}/meetings", {"held_on": "2025-06-01", "kind": "regular"}
    )
    assert response.status_code == 201
    response = send(
        client, "post", f"/{group_a.pk}/dissolve", {"dissolved_on": "2025-06-03", "reason": "x"}
    )
    assert response.status_code == 403
    services.meeting_record(
        actor=farmers,
        group=group_a,
        held_on=date(2025, 7, 1),
        kind="regular",
        attendee_ids=[],
        today=today,
    )


def test_openapi_lists_the_operations(api):
    schema = api.get("/api/v1/openapi.json").json()
    paths = {path for path in schema["paths"] if path.startswith(BASE)}
    assert {
        BASE,
        f"{BASE}/{{group_id}}",
        f"{BASE}/{{group_id}}/memberships",
        f"{BASE}/memberships/{{membership_id}}/leave",
        f"{BASE}/memberships/{{membership_id}}/move",
        f"{BASE}/{{group_id}}/board",
        f"{BASE}/board-terms/{{term_id}}/end",
        f"{BASE}/{{group_id}}/meetings",
        f"{BASE}/meetings/{{meeting_id}}",
        f"{BASE}/{{group_id}}/dissolve",
        f"{BASE}/{{group_id}}/merge",
        f"{BASE}/{{group_id}}/split",
    } <= paths
    tags = {
        tag
        for path in paths
        for operation in schema["paths"][path].values()
        for tag in operation["tags"]
    }
    assert tags == {"groups"}
