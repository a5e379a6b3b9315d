"""The group pages: the list and its filters, the group's page, the forms, and scope (office A never
sees office B's groups; association officers see their association's groups only)."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from policylend.groups import services
from policylend.groups.models import (
    BoardTerm,
    GroupMeeting,
    GroupMembership,
    GroupStatus,
    SavingsGroup,
)

from .conftest import make_household


def url(name, *args):
    return reverse(f"groups:{name}", args=args)


def test_anonymous_is_sent_to_login(group_a, client):
    for address in (url("list"), url("detail", group_a.pk), url("create")):
        response = client.get(address)
        assert response.status_code == 302
        assert reverse("users:login") in response["Location"]


# --- list -------------------------------------------------------------------------------------------


@pytest.fixture
def many(org, found, make_households, units, group_b):
    """Groups of both communes of office A (two associations) and office B's group."""
    a1, a2 = org.villages["20600101"], org.villages["20600201"]
    return {
        "farmers_a1": found("2060011", a1, make_households(a1, 6), name="Tổ Đoàn Kết"),
        "women_a1": found(
            "2060012", a1, make_households(a1, 5), name="Tổ Phụ nữ", association_unit=units.women_a1
        ),
        "farmers_a2": found(
            "2060021",
            a2,
            make_households(a2, 5),
            name="Tổ Hưng Vũ",
            association_unit=units.farmers_a2,
        ),
        "b": group_b,
    }


def codes_on(response) -> set[str]:
    return {group.code for group in response.context["page"]}


def test_list_filters(org, many, officer_a, client_of, farmers, units):
    client = client_of(officer_a)
    # office A sees its three groups and never office B's
    assert codes_on(client.get(url("list"))) == {"2060011", "2060012", "2060021"}
    assert codes_on(client.get(url("list"), {"commune": org.commune_a2.pk})) == {"2060021"}
    assert codes_on(client.get(url("list"), {"association": farmers.pk})) == {"2060011", "2060021"}
    assert codes_on(client.get(url("list"), {"office": org.office_a.pk})) == {
        "2060011",
        "2060012",
        "2060021",
    }
    # search by name without accents (đ folded) or by the start of the code
    assert codes_on(client.get(url("list"), {"q": "doan ket"})) == {"2060011"}
    assert codes_on(client.get(url("list"), {"q": "206001"})) == {"2060011", "2060012"}
    # the page shows the name, the village and the count
    html = client.get(url("list")).content.decode()
    assert "Tổ Đoàn Kết" in html and url("detail", many["farmers_a1"].pk) in html
    assert "2070011" not in html
    # office B's office is not a choice for office A
    offices = client.get(url("list")).context["form"].fields["office"].queryset
    assert list(offices) == [org.office_a]


def test_list_status_and_below_minimum(many, officer_a, client_of):
    client = client_of(officer_a)
    group = many["farmers_a1"]
    for membership in list(group.memberships.all())[:2]:
        services.membership_leave(
            actor=officer_a, membership=membership, left_on=date(2025, 1, 1), reason="deceased"
        )
    services.group_dissolve(
        actor=officer_a, group=many["women_a1"], dissolved_on=date(2025, 1, 1), reason="Giải thể"
    )
    assert codes_on(client.get(url("list"), {"status": "below_minimum"})) == {"2060011"}
    assert codes_on(client.get(url("list"), {"status": "dissolved"})) == {"2060012"}
    assert codes_on(client.get(url("list"), {"status": "active"})) == {"2060011", "2060021"}
    html = client.get(url("list")).content.decode()
    assert "Below 5 members" in html


def test_list_is_paginated(many, officer_a, client_of):
    response = client_of(officer_a).get(url("list"), {"size": 2})
    assert len(response.context["page"].object_list) == 2
    assert 'rel="next"' in response.content.decode()
    assert (
        client_of(officer_a).get(url("list"), {"page": "x", "status": "nonsense"}).status_code
        == 200
    )


def test_association_officer_sees_own_association_only(org, many, make_user, client_of):
    women = make_user("association_officer", org.commune_a1, association_code="12")
    farmers_office = make_user("association_officer", org.office_a, association_code="11")
    assert codes_on(client_of(women).get(url("list"))) == {"2060012"}
    assert codes_on(client_of(farmers_office).get(url("list"))) == {"2060011", "2060021"}
    assert client_of(women).get(url("detail", many["farmers_a1"].pk)).status_code == 404
    assert client_of(women).get(url("detail", many["women_a1"].pk)).status_code == 200


def test_office_a_never_sees_office_b(many, officer_a, client_of):
    client = client_of(officer_a)
    group_b = many["b"]
    for name in (
        "detail",
        "edit",
        "join",
        "board_elect",
        "meeting_create",
        "dissolve",
        "merge",
        "split",
    ):
        assert client.get(url(name, group_b.pk)).status_code == 404, name
    membership = group_b.memberships.first()
    assert client.get(url("leave", membership.pk)).status_code == 404
    assert (
        client.post(
            url("leave", membership.pk), {"reason": "other", "left_on": "01/06/2025"}
        ).status_code
        == 404
    )
    assert GroupMembership.objects.get(pk=membership.pk).left_on is None


def test_roles_that_only_read(org, group_a, make_user, client_of):
    teller = make_user("teller", org.office_a)
    client = client_of(teller)
    html = client.get(url("detail", group_a.pk)).content.decode()
    assert "Tổ 2060011" in html
    assert url("join", group_a.pk) not in html and url("dissolve", group_a.pk) not in html
    assert client.get(url("join", group_a.pk)).status_code == 403
    assert client.get(url("create")).status_code == 403
    sysadmin = make_user("system_admin", org.branch)
    assert client_of(sysadmin).get(url("list")).status_code == 403


# --- the group's page -------------------------------------------------------------------------------


def test_group_page(org, group_a, officer_a, client_of):
    first, second = list(group_a.memberships.order_by("pk"))[:2]
    services.board_elect(
        actor=officer_a,
        group=group_a,
        person=first.household.head,
        role="leader",
        started_on=date(2025, 1, 2),
    )
    services.meeting_record(
        actor=officer_a,
        group=group_a,
        held_on=date(2025, 2, 3),
        kind="loan_review",
        attendee_ids=[first.household.head_id, second.household.head_id],
        decisions="Bình xét 2 hộ",
    )
    services.membership_leave(
        actor=officer_a,
        membership=second,
        left_on=date(2025, 3, 4),
        reason="excluded",
        note="Bỏ họp",
    )
    response = client_of(officer_a).get(url("detail", group_a.pk))
    html = response.content.decode()
    assert response.status_code == 200
    for text in (
        "2060011",
        "Hội Nông dân xã Vũ Lăng",
        "01/03/2024",  # founded
        "12/QĐ-UBND",
        first.household.head.full_name,
        "02/01/2025",  # term
        "03/02/2025",  # meeting
        "Loan-review meeting",
        "Bình xét 2 hộ",
        "04/03/2025",  # left
        "Excluded by the group",
        "Bỏ họp",
        'id="loans"',
        'id="grade"',
    ):
        assert text in html, text
    assert response.context["dossier"].member_count == 5
    meeting = GroupMeeting.objects.get()
    detail = client_of(officer_a).get(url("meeting_detail", meeting.pk)).content.decode()
    assert "Bình xét 2 hộ" in detail and 'id="applications"' in detail
    for name in ("edit", "join", "dissolve", "merge", "split", "board_elect", "meeting_create"):
        assert url(name, group_a.pk) in html, name


# --- forms ------------------------------------------------------------------------------------------


def test_create_offers_the_choices_of_the_village(
    org, units, officer_a, client_of, make_households
):
    village, neighbour = org.villages["20600101"], org.villages["20600102"]
    mine = make_households(village, 5)
    theirs = make_households(neighbour, 2)
    client = client_of(officer_a)

    page = client.get(url("create"))
    assert page.status_code == 200
    assert set(page.context["form"].fields["village"].queryset) >= {village, neighbour}
    assert org.villages["20700101"] not in page.context["form"].fields["village"].queryset

    page = client.get(url("create"), {"village": village.pk}, HTTP_HX_REQUEST="true")
    form = page.context["form"]
    assert list(form.fields["adjacent_villages"].queryset) == [neighbour]
    assert set(form.fields["association_unit"].queryset) == {units.farmers_a1, units.women_a1}
    assert set(form.fields["households"].queryset) == set(mine)
    assert 'hx-get="' + url("create") + '"' in page.content.decode()

    page = client.get(url("create"), {"village": village.pk, "adjacent_villages": [neighbour.pk]})
    assert set(page.context["form"].fields["households"].queryset) == set(mine + theirs)


def test_create_a_group_through_the_form(org, units, officer_a, client_of, make_households):
    village = org.villages["20600101"]
    households = make_households(village, 5)
    response = client_of(officer_a).post(
        url("create"),
        {
            "code": "2060011",
            "name": "Tổ Nà Lầu",
            "village": village.pk,
            "association_unit": units.farmers_a1.pk,
            "founded_on": "05/03/2025",
            "approval_decision": "15/QĐ-UBND",
            "approval_decision_on": "01/03/2025",
            "households": [h.pk for h in households],
        },
    )
    group = SavingsGroup.objects.get(code="2060011")
    assert response.status_code == 302 and response["Location"] == url("detail", group.pk)
    assert group.founded_on == date(2025, 3, 5) and group.memberships.count() == 5


def test_create_with_four_households_shows_the_rule(
    org, units, officer_a, client_of, make_households
):
    village = org.villages["20600101"]
    households = make_households(village, 4)
    response = client_of(officer_a).post(
        url("create"),
        {
            "code": "2060011",
            "name": "Tổ Nà Lầu",
            "village": village.pk,
            "association_unit": units.farmers_a1.pk,
            "founded_on": "05/03/2025",
            "approval_decision": "15/QĐ-UBND",
            "approval_decision_on": "06/03/2025",
            "households": [h.pk for h in households],
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "5 to 60" in " ".join(errors["households"])
    assert "06/03/2025" in " ".join(errors["approval_decision_on"])
    assert not SavingsGroup.objects.exists()


def test_join_leave_move_through_the_forms(
    org, group_a, found, officer_a, client_of, make_households
):
    client = client_of(officer_a)
    newcomer = make_households(org.villages["20600101"], 1)[0]
    page = client.get(url("join", group_a.pk))
    assert list(page.context["form"].fields["household"].queryset) == [newcomer]
    response = client.post(
        url("join", group_a.pk), {"household": newcomer.pk, "joined_on": "01/06/2025"}
    )
    assert response.status_code == 302
    membership = GroupMembership.objects.get(household=newcomer, left_on__isnull=True)

    other = found("2060012", org.villages["20600101"], make_households(org.villages["20600101"], 5))
    response = client.post(
        url("move", membership.pk), {"to_group": other.pk, "moved_on": "02/06/2025"}
    )
    assert response.status_code == 302
    assert GroupMembership.objects.get(household=newcomer, left_on__isnull=True).group == other

    moved = GroupMembership.objects.get(household=newcomer, left_on__isnull=True)
    response = client.post(url("leave", moved.pk), {"reason": "other", "left_on": "03/06/2025"})
    assert response.status_code == 302
    # the group is back at five: the next leave by choice is refused beside the reason
    last = GroupMembership.objects.filter(group=other, left_on__isnull=True).first()
    response = client.post(url("leave", last.pk), {"reason": "other", "left_on": "03/06/2025"})
    assert response.status_code == 200
    assert "merge" in " ".join(response.context["form"].errors["reason"]).lower()
    response = client.post(url("leave", last.pk), {"reason": "deceased", "left_on": "03/06/2025"})
    assert response.status_code == 302


def test_elect_and_end_through_the_forms(org, found, officer_a, client_of):
    village = org.villages["20600101"]
    family = make_household(village, "Hoàng Văn An", [("Lý Thị Bình", "spouse")])
    group = found(
        "2060011", village, [family, *(make_household(village, f"Hộ {i}") for i in range(4))]
    )
    wife = family.members.get(relationship="spouse")
    client = client_of(officer_a)
    assert (
        client.post(
            url("board_elect", group.pk),
            {"role": "leader", "person": family.head_id, "started_on": "01/06/2025"},
        ).status_code
        == 302
    )
    response = client.post(
        url("board_elect", group.pk),
        {"role": "deputy", "person": wife.pk, "started_on": "01/06/2025"},
    )
    assert response.status_code == 200
    assert "spouses" in " ".join(response.context["form"].errors["person"])
    term = BoardTerm.objects.get()
    assert (
        client.post(url("board_term_end", term.pk), {"ended_on": "01/07/2025"}).status_code == 302
    )
    term.refresh_from_db()
    assert term.ended_on == date(2025, 7, 1)


def test_meeting_dissolve_merge_split_through_the_forms(
    org, group_a, found, officer_a, client_of, make_households
):
    village = org.villages["20600101"]
    client = client_of(officer_a)
    persons = [m.household.head_id for m in group_a.memberships.all()[:3]]
    response = client.post(
        url("meeting_create", group_a.pk),
        {
            "held_on": "01/06/2025",
            "kind": "regular",
            "attendees": persons,
            "minutes": "Họp tháng 6",
        },
    )
    assert response.status_code == 302
    assert GroupMeeting.objects.get().attendees.count() == 3

    big = found("2060012", village, make_households(village, 10))
    chosen = [m.household_id for m in big.memberships.all()[:5]]
    response = client.post(
        url("split", big.pk),
        {
            "new_code": "2060019",
            "new_name": "Tổ tách",
            "new_village": village.pk,
            "households": chosen,
            "split_on": "01/06/2025",
        },
    )
    new = SavingsGroup.objects.get(code="2060019")
    assert response.status_code == 302 and new.split_from == big

    response = client.post(url("merge", new.pk), {"target": group_a.pk, "merged_on": "02/06/2025"})
    assert response.status_code == 302 and response["Location"] == url("detail", group_a.pk)
    new.refresh_from_db()
    assert new.status == GroupStatus.MERGED

    response = client.post(url("dissolve", big.pk), {"dissolved_on": "03/06/2025", "reason": ""})
    assert response.status_code == 200  # the reason is required
    response = client.post(
        url("dissolve", big.pk), {"dissolved_on": "03/06/2025", "reason": "QĐ 9"}
    )
    assert response.status_code == 302
    big.refresh_from_db()
    assert (big.status, big.closed_reason) == (GroupStatus.DISSOLVED, "QĐ 9")
    # a closed group's page offers no change
    html = client.get(url("detail", big.pk)).content.decode()
    assert url("join", big.pk) not in html and "QĐ 9" in html


def test_pages_in_vietnamese(group_a, officer_a, client_of):
    response = client_of(officer_a, "vi").get(url("detail", group_a.pk))
    assert response.status_code == 200
    assert "01/03/2024" in response.content.decode()
