"""A national ID is personal data (Law 91/2025, Decree 356/2025): no page, API answer or admin
page shows it to anyone but through the logged "show"; it is masked everywhere else; and no URL —
link, form action, htmx request or redirect — ever carries one."""

from __future__ import annotations

import json
import re
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from .conftest import ID_HEAD_A, ID_HEAD_B, ID_SPOUSE_A, TWELVE_DIGITS
from .test_views import registration, urls_in

IDS = (ID_HEAD_A, ID_SPOUSE_A, ID_HEAD_B)


def assert_no_id(response, where: str) -> None:
    text = response.content.decode()
    for national_id in IDS:
        assert national_id not in text, where
    assert not TWELVE_DIGITS.search(text), where
    for url in urls_in(response):
        assert not TWELVE_DIGITS.search(url), (where, url)


@pytest.mark.parametrize(
    "role", ["association_officer", "credit_officer", "teller", "auditor", "branch_manager"]
)
def test_no_page_shows_a_whole_id_unless_asked(org, make_user, client_of, household_a, role):
    scope = org.branch if role == "branch_manager" else org.office_a
    user = make_user(role, scope, "11" if role == "association_officer" else None)
    client = client_of(user)
    for method, url, *data in [
        ("get", reverse("households:list")),
        ("post", reverse("households:list"), {"q": "nguyen"}),
        ("post", reverse("households:list"), {"q": ID_HEAD_A[-4:]}),
        ("get", reverse("households:detail", args=[household_a.pk])),
        ("get", "/api/v1/households"),
        ("get", f"/api/v1/households/{household_a.pk}"),
    ]:
        response = getattr(client, method)(url, *data)
        assert response.status_code == 200, (role, url)
        assert_no_id(response, f"{role} {method} {url}")
    search = client.post(
        "/api/v1/households/search", json.dumps({"q": "nguyen"}), content_type="application/json"
    )
    assert search.status_code == 200 and search.json()["count"] == 1
    assert_no_id(search, f"{role} search")


def test_the_pages_of_a_register_keeper_carry_no_id(org, officer_a, client_of, household_a):
    client = client_of(officer_a)
    wife = household_a.members.get(relationship="spouse")
    for url in (
        reverse("households:edit", args=[household_a.pk]),
        reverse("households:person_add", args=[household_a.pk]),
        reverse("households:person_edit", args=[wife.pk]),
        reverse("households:person_edit", args=[household_a.head_id]),
        reverse("households:classification_add", args=[household_a.pk]),
        reverse("households:create"),
    ):
        assert_no_id(client.get(url), url)


def test_the_admin_shows_ids_masked(org, make_user, client_of, household_a):
    admin = make_user("system_admin", org.branch, is_superuser=True, is_staff=True)
    client = client_of(admin)
    wife = household_a.members.get(relationship="spouse")
    for url in (
        reverse("admin:households_person_changelist"),
        reverse("admin:households_household_changelist"),
        reverse("admin:households_person_change", args=[wife.pk]),
        reverse("admin:households_household_change", args=[household_a.pk]),
        reverse("admin:households_person_changelist") + "?q=Hoàng",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_no_id(response, url)
    changelist = client.get(reverse("admin:households_person_changelist")).content.decode()
    assert "•••••••• 5678" in changelist


def test_no_redirect_or_link_of_the_journey_carries_an_id(org, officer_a, client_of):
    """Register a household with IDs, follow every link of the pages reached: none carries one."""
    client = client_of(officer_a)
    response = client.post(
        reverse("households:create"), registration(village=org.villages["20600101"].pk)
    )
    assert response.status_code == 302
    seen, queue = set(), [response["Location"]]
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        assert not TWELVE_DIGITS.search(url), url
        page = client.get(url)
        assert page.status_code in (200, 302, 405), url
        for link in urls_in(page):
            path = urlsplit(link).path
            assert not TWELVE_DIGITS.search(link), (url, link)
            if path.startswith("/households/") and not re.search(r"national-id", path):
                queue.append(link.replace("&amp;", "&"))
    assert len(seen) >= 5


def test_a_whole_id_typed_in_the_search_never_reaches_a_url(org, officer_a, client_of, household_a):
    client = client_of(officer_a)
    for response in (
        client.post(reverse("households:list"), {"q": ID_HEAD_A}),
        client.post(reverse("households:list"), {"q": ID_HEAD_A}, HTTP_HX_REQUEST="true"),
    ):
        assert response.status_code == 200
        for url in urls_in(response):
            assert ID_HEAD_A not in url
