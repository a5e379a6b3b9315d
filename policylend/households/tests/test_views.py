"""The household pages: list and search (POST), register with members (htmx "add a member" and
without JavaScript), detail with masked IDs and the logged "show" button, edit, add a member, add a
classification; scope (404) and roles (403)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from policylend.households.models import Classification, Household, NationalIdView, Person

from .conftest import ID_HEAD_A, ID_HEAD_B, ID_SPOUSE_A, TWELVE_DIGITS

URL_ATTRIBUTES = re.compile(r'(?:href|action|hx-get|hx-post|src)="([^"]*)"')


def urls_in(response) -> list[str]:
    found = URL_ATTRIBUTES.findall(response.content.decode())
    if response.get("Location"):
        found.append(response["Location"])
    if response.get("HX-Redirect"):
        found.append(response["HX-Redirect"])
    return found


def assert_no_id_in_urls(response) -> None:
    for url in urls_in(response):
        assert not TWELVE_DIGITS.search(url), url


# --- list and search -----------------------------------------------------------------------------


def test_the_list_shows_the_households_in_scope_with_masked_ids(
    org, officer_a, client_of, household_a, household_b
):
    response = client_of(officer_a).get(reverse("households:list"))
    html = response.content.decode()
    assert response.status_code == 200
    assert household_a.code in html and household_b.code not in html
    assert "•••••••• 1234" in html and ID_HEAD_A not in html
    # the search form is POSTed, never sent in a URL
    assert re.search(r'<form id="household-search"[^>]*method="post"', html)
    assert_no_id_in_urls(response)


def test_a_search_is_posted_and_finds_without_accents(org, officer_a, client_of, household_a):
    client = client_of(officer_a)
    response = client.post(reverse("households:list"), {"q": "nguyen van duc"})
    assert response.status_code == 200 and household_a.code in response.content.decode()
    nothing = client.post(reverse("households:list"), {"q": "tran thi dao"})
    assert household_a.code not in nothing.content.decode()


def test_a_live_search_answers_htmx_with_the_results_only(org, officer_a, client_of, household_a):
    response = client_of(officer_a).post(
        reverse("households:list"), {"q": "1234"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert '<section id="results"' in html and "<html" not in html
    assert household_a.code in html
    assert 'id="village-filter" hx-swap-oob="true"' in html


def test_a_search_by_a_whole_id_keeps_it_out_of_every_url(org, officer_a, client_of, household_a):
    response = client_of(officer_a).post(reverse("households:list"), {"q": ID_HEAD_A})
    assert response.status_code == 200 and household_a.code in response.content.decode()
    assert_no_id_in_urls(response)


def test_pages_of_a_long_search_are_buttons_of_the_posted_form(org, officer_a, client_of):
    from policylend.households.services import HouseholdInput, households_create_bulk

    from .conftest import head

    households_create_bulk(
        actor=officer_a,
        rows=[
            HouseholdInput(village=org.villages["20600101"], head=head("Nông Văn Tùng"))
            for _ in range(60)
        ],
    )
    client = client_of(officer_a)
    first = client.post(reverse("households:list"), {"q": "nong van"}).content.decode()
    assert 'form="household-search" name="page" value="2"' in first
    second = client.post(reverse("households:list"), {"q": "nong van", "page": "2"})
    assert "2060010051" in second.content.decode()


# --- registering ---------------------------------------------------------------------------------


def registration(**changes) -> dict:
    data = {
        "village": "",
        "code": "",
        "phone": "0912 345 678",
        "ethnicity": "02",
        "address": "Thôn 1",
        "head-full_name": "Nguyễn Văn Đức",
        "head-sex": "male",
        "head-birth_date": "02/04/1985",
        "head-national_id": ID_HEAD_A,
        "members-TOTAL_FORMS": "3",
        "members-INITIAL_FORMS": "0",
        "members-MIN_NUM_FORMS": "0",
        "members-MAX_NUM_FORMS": "30",
        "members-0-full_name": "Hoàng Thị Lan",
        "members-0-sex": "female",
        "members-0-relationship": "spouse",
        "members-0-birth_date": "01/09/1987",
        "members-0-national_id": ID_SPOUSE_A,
        "members-1-full_name": "Nguyễn Văn Đông",
        "members-1-sex": "male",
        "members-1-relationship": "child",
        "members-1-birth_date": "05/01/2010",
        "members-1-national_id": "",
        # a blank third row is ignored
    }
    return data | changes


def test_a_household_is_registered_with_its_members_in_one_form(org, officer_a, client_of):
    client = client_of(officer_a)
    page = client.get(reverse("households:create"))
    assert page.status_code == 200 and 'name="head-full_name"' in page.content.decode()
    response = client.post(
        reverse("households:create"), registration(village=org.villages["20600101"].pk)
    )
    household = Household.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("households:detail", args=[household.pk])
    assert_no_id_in_urls(response)
    assert household.code == "2060010001" and household.phone == "0912345678"
    assert [p.full_name for p in household.members.order_by("pk")] == [
        "Nguyễn Văn Đức",
        "Hoàng Thị Lan",
        "Nguyễn Văn Đông",
    ]
    assert household.head.national_id == ID_HEAD_A


def test_problems_are_shown_beside_the_member_they_concern(org, officer_a, client_of, household_b):
    data = registration(village=org.villages["20600101"].pk)
    data["members-1-national_id"] = ID_HEAD_B  # registered in office B
    data["head-birth_date"] = "01/01/2030"
    response = client_of(officer_a).post(reverse("households:create"), data)
    html = response.content.decode()
    assert response.status_code == 200 and not Household.objects.filter(village__code="20600101")
    member_row = html[html.index('id="member-1"') :]
    member_row = member_row[: member_row.index("</tr>")]
    assert "already registered for a person outside your scope" in member_row
    assert "is after today" in html
    assert "Lộc Văn Bình" not in html


def test_add_a_member_without_javascript_adds_a_row_and_saves_nothing(org, officer_a, client_of):
    data = registration(village=org.villages["20600101"].pk, add_member="1")
    response = client_of(officer_a).post(reverse("households:create"), data)
    html = response.content.decode()
    assert response.status_code == 200 and not Household.objects.exists()
    assert 'name="members-3-full_name"' in html
    assert 'class="error"' not in html


def test_add_a_member_with_htmx_returns_one_row_and_the_new_count(org, officer_a, client_of):
    response = client_of(officer_a).get(
        reverse("households:member_row"), {"index": "1"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert 'name="members-1-full_name"' in html
    assert 'name="members-TOTAL_FORMS" value="2"' in html and 'hx-swap-oob="true"' in html
    assert "index=2" in html
    bad = client_of(officer_a).get(reverse("households:member_row"), {"index": "99"})
    assert bad.status_code == 400


def test_only_the_register_keepers_open_the_registration(org, make_user, client_of):
    for role in ("teller", "association_officer", "auditor"):
        client = client_of(
            make_user(role, org.office_a, "11" if role == "association_officer" else None)
        )
        assert client.get(reverse("households:create")).status_code == 403, role


# --- one household -------------------------------------------------------------------------------


def test_the_household_page_shows_members_masked_classifications_and_history(
    org, officer_a, client_of, household_a
):
    response = client_of(officer_a).get(reverse("households:detail", args=[household_a.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Hoàng Thị Lan" in html and "•••••••• 5678" in html
    assert ID_SPOUSE_A not in html and not TWELVE_DIGITS.search(html)
    assert "Tày" in html  # the ethnicity by its name
    assert reverse("households:national_id", args=[household_a.head_id]) in html
    assert "History" in html and "create" in html.lower()
    assert_no_id_in_urls(response)


def test_a_role_that_may_not_see_ids_gets_no_show_button(
    org, association_officer_a, client_of, household_a
):
    html = (
        client_of(association_officer_a)
        .get(reverse("households:detail", args=[household_a.pk]))
        .content.decode()
    )
    assert "•••••••• 1234" in html
    assert reverse("households:national_id", args=[household_a.head_id]) not in html


def test_show_reveals_the_id_in_place_and_logs_it(org, officer_a, client_of, household_a):
    wife = household_a.members.get(relationship="spouse")
    url = reverse("households:national_id", args=[wife.pk])
    client = client_of(officer_a)
    response = client.post(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert ID_SPOUSE_A in response.content.decode() and "<html" not in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    plain = client.post(url)
    assert ID_SPOUSE_A in plain.content.decode() and "<html" in plain.content.decode()
    assert NationalIdView.objects.filter(person=wife, viewer=officer_a).count() == 2
    assert client.get(url).status_code == 405


def test_show_is_refused_to_roles_without_the_right_and_outside_the_scope(
    org, association_officer_a, officer_b, client_of, household_a
):
    url = reverse("households:national_id", args=[household_a.head_id])
    assert client_of(association_officer_a).post(url).status_code == 403
    assert client_of(officer_b).post(url).status_code == 404
    assert not NationalIdView.objects.exists()


def test_an_auditor_sees_who_saw_the_ids(org, officer_a, make_user, client_of, household_a):
    client_of(officer_a).post(reverse("households:national_id", args=[household_a.head_id]))
    auditor = make_user("auditor", org.office_a)
    html = client_of(auditor).get(reverse("households:detail", args=[household_a.pk]))
    assert "Who saw the national IDs in full" in html.content.decode()
    assert str(officer_a) in html.content.decode()


def test_the_household_is_edited(org, officer_a, client_of, household_a):
    client = client_of(officer_a)
    url = reverse("households:edit", args=[household_a.pk])
    assert client.get(url).status_code == 200
    data = {
        "village": org.villages["20600102"].pk,
        "phone": "0356789012",
        "ethnicity": "07",
        "address": "Thôn 2",
        "status": "active",
    }
    assert client.post(url, data).status_code == 302
    household_a.refresh_from_db()
    assert (household_a.phone, household_a.village.code) == ("0356789012", "20600102")
    wrong = client.post(url, data | {"phone": "12345"})
    assert wrong.status_code == 200 and "10 digits" in wrong.content.decode()


def test_a_member_is_added_and_edited_without_showing_the_id(
    org, officer_a, client_of, household_a
):
    client = client_of(officer_a)
    add = reverse("households:person_add", args=[household_a.pk])
    response = client.post(
        add,
        {
            "full_name": "Nguyễn Thị Mai",
            "sex": "female",
            "relationship": "child",
            "birth_date": "03/03/2012",
            "national_id": "",
        },
    )
    assert response.status_code == 302
    mai = Person.objects.get(full_name="Nguyễn Thị Mai")
    wife = household_a.members.get(relationship="spouse")
    edit = reverse("households:person_edit", args=[wife.pk])
    page = client.get(edit).content.decode()
    assert "•••••••• 5678" in page and ID_SPOUSE_A not in page
    response = client.post(
        edit,
        {
            "full_name": "Hoàng Thị Lan",
            "sex": "female",
            "relationship": "spouse",
            "national_id": "",
        },
    )
    assert response.status_code == 302
    wife.refresh_from_db()
    assert wife.national_id == ID_SPOUSE_A and mai.household == household_a


def test_a_classification_is_added_and_its_rules_shown(org, officer_a, client_of, household_a):
    client = client_of(officer_a)
    url = reverse("households:classification_add", args=[household_a.pk])
    data = {
        "year": "2026",
        "kind": "escaped_poverty",
        "exit_year": "",
        "certified_by": "QĐ 12/QĐ-UBND",
        "certified_on": "15/01/2026",
    }
    missing = client.post(url, data)
    assert "Enter the year the household left poverty." in missing.content.decode()
    assert client.post(url, data | {"exit_year": "2024"}).status_code == 302
    assert Classification.objects.get().exit_year == 2024
    html = client.get(reverse("households:detail", args=[household_a.pk])).content.decode()
    assert "Just escaped poverty" in html and "left poverty in 2024" in html


# --- scope and roles -----------------------------------------------------------------------------


def household_urls(household) -> list[tuple[str, str]]:
    person = household.head_id
    return [
        ("get", reverse("households:detail", args=[household.pk])),
        ("get", reverse("households:edit", args=[household.pk])),
        ("get", reverse("households:person_add", args=[household.pk])),
        ("get", reverse("households:classification_add", args=[household.pk])),
        ("get", reverse("households:person_edit", args=[person])),
        ("post", reverse("households:national_id", args=[person])),
    ]


def test_office_b_households_are_not_found_for_office_a(org, officer_a, client_of, household_b):
    client = client_of(officer_a)
    for method, url in household_urls(household_b):
        assert getattr(client, method)(url).status_code == 404, url
    assert not NationalIdView.objects.exists()


@pytest.mark.parametrize("role", ["teller", "controller", "auditor", "association_officer"])
def test_readers_may_not_change_households(org, make_user, client_of, household_a, role):
    client = client_of(
        make_user(role, org.office_a, "11" if role == "association_officer" else None)
    )
    assert client.get(reverse("households:detail", args=[household_a.pk])).status_code == 200
    for method, url in household_urls(household_a)[1:5]:
        assert getattr(client, method)(url).status_code == 403, (role, url)


def test_the_menu_offers_households_to_readers_only(org, officer_a, make_user, client_of):
    assert reverse("households:list") in client_of(officer_a).get("/").content.decode()
    leader = make_user("group_leader", org.commune_a1)
    assert reverse("households:list") not in client_of(leader).get("/").content.decode()
    assert client_of(leader).get(reverse("households:list")).status_code == 403


def test_the_history_shows_changes_with_the_id_masked(org, officer_a, client_of, household_a):
    client = client_of(officer_a)
    wife = household_a.members.get(relationship="spouse")
    client.post(
        reverse("households:person_edit", args=[wife.pk]),
        {
            "full_name": "Hoàng Thị Lan",
            "sex": "female",
            "relationship": "spouse",
            "national_id": "020187000001",
        },
    )
    client.post(
        reverse("households:edit", args=[household_a.pk]),
        {
            "village": household_a.village_id,
            "phone": "0356789012",
            "ethnicity": "02",
            "address": "Thôn 1, Vũ Lăng",
            "status": "active",
        },
    )
    html = client.get(reverse("households:detail", args=[household_a.pk])).content.decode()
    history = html[html.index('id="history"') :]
    assert "0912345678 → 0356789012" in history
    assert "•••••••• 5678 → •••••••• 0001" in history
    assert not TWELVE_DIGITS.search(history)
    assert "national id last4" not in history
