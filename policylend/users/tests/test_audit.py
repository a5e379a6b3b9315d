"""Every change to a register records who, when, and what before and after; an auditor reads it
in the UI, within their scope."""

import pytest
from django.test import Client
from django.urls import reverse

from policylend.organisation.services import unit_update
from policylend.users.services import api_token_create


@pytest.fixture
def admin(org, make_user):
    return make_user("system_admin", org.branch, username="admin")


def client_for(user, language="en"):
    client = Client()
    client.force_login(user)
    client.cookies["policylend_language"] = language
    return client


def test_a_role_change_made_on_the_page_shows_before_and_after_to_the_auditor(
    org, make_user, admin
):
    # given a teller of office A, and an administrator who makes them a controller
    teller = make_user("teller", org.office_a, username="teller.a")
    response = client_for(admin).post(
        reverse("users:edit", args=[teller.pk]),
        {
            "username": "teller.a",
            "full_name": "Nguyễn Thị Lan",
            "role": "controller",
            "scope_unit": org.office_a.pk,
            "scope_association": "",
            "email": "",
            "phone": "",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    # when the branch auditor opens the audit page
    auditor = make_user("auditor", org.branch)
    page = client_for(auditor).get(reverse("users:audit"), {"model": "users.user"})
    # then the change is there: who made it, and the role before and after
    body = page.content.decode()
    assert page.status_code == 200
    assert "teller.a" in body and "admin" in body
    assert "Teller" in body and "Controller" in body  # the roles as people read them
    change = next(
        entry
        for entry in page.context["page"].object_list
        if entry.object_pk == str(teller.pk) and "role" in entry.changes_dict
    )
    assert change.actor == admin and change.changes_dict["role"] == ["teller", "controller"]


def test_an_office_auditor_sees_only_changes_inside_their_office(org, make_user, admin):
    unit_update(unit=org.commune_a1, name="Vũ Lăng mới", address="", actor=admin)
    unit_update(unit=org.commune_b1, name="Hoàng Văn Thụ mới", address="", actor=admin)
    auditor_a = make_user("auditor", org.office_a)
    body = (
        client_for(auditor_a)
        .get(reverse("users:audit"), {"model": "organisation.organisationunit"})
        .content.decode()
    )
    assert "Vũ Lăng mới" in body
    assert "Hoàng Văn Thụ mới" not in body


def test_a_change_through_the_api_is_attributed_to_the_token_owner(org, admin):
    _, token = api_token_create(user=admin, name="script")
    client = Client()
    response = client.patch(
        f"/api/v1/organisation/units/{org.commune_a2.pk}",
        {"name": "Hưng Vũ (API)", "address": ""},
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 200, response.content
    from auditlog.models import LogEntry

    entry = LogEntry.objects.get_for_object(org.commune_a2).order_by("-timestamp").first()
    assert entry.actor == admin and entry.changes_dict["name"][1] == "Hưng Vũ (API)"


def test_roles_without_the_audit_capability_are_refused(org, make_user):
    teller = make_user("teller", org.office_a)
    assert client_for(teller).get(reverse("users:audit")).status_code == 403
