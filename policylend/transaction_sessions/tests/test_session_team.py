"""The session team after opening (page, API, service) and the opened sessions on the office
calendar."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from policylend.approvals.services import approval_request_approve
from policylend.core.errors import DomainError

from ..models import SessionStatus
from ..services.closing import session_closing_propose
from ..services.sessions import session_team_set
from .session_setup import TODAY, session_world  # noqa: F401

pytestmark = pytest.mark.django_db


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies["policylend_language"] = "en"
    return client


def team_of(session) -> set[int]:
    return set(session.team.values_list("pk", flat=True))


def close(sw) -> None:
    request = session_closing_propose(
        actor=sw.teller, session=sw.session, cash_carried=0, today=TODAY
    )
    approval_request_approve(request_id=request.pk, checker=sw.controller, today=TODAY)
    sw.session.refresh_from_db()
    assert sw.session.status == SessionStatus.CLOSED


def test_the_page_replaces_the_team_and_the_opener_stays(session_world, make_user):  # noqa: F811
    sw = session_world
    newcomer = make_user("credit_officer", sw.org.office_a, username="newcomer.a")
    client = client_of(sw.teller)
    detail = reverse("transaction_sessions:session_detail", args=[sw.session.pk])
    url = reverse("transaction_sessions:session_team", args=[sw.session.pk])
    assert url in client.get(detail).content.decode()
    response = client.post(url, {"team": [newcomer.pk]})
    assert response.status_code == 303 and response["Location"] == detail
    assert team_of(sw.session) == {sw.teller.pk, newcomer.pk}
    # Nobody but the opener: the opener stays.
    assert client.post(url, {}).status_code == 303
    assert team_of(sw.session) == {sw.teller.pk}
    assert client.get(url).status_code == 405


def test_a_user_of_another_office_is_refused_naming_the_team(session_world, make_user):  # noqa: F811
    sw = session_world
    outsider = make_user("teller", sw.org.office_b, username="teller.of.b")
    before = team_of(sw.session)
    response = client_of(sw.teller).post(
        reverse("transaction_sessions:session_team", args=[sw.session.pk]),
        {"team": [outsider.pk]},
    )
    assert response.status_code == 400
    assert "team" in response.context["team_form"].errors
    api = client_of(sw.teller).put(
        f"/api/v1/sessions/{sw.session.pk}/team",
        {"team": [sw.officer.pk, outsider.pk]},
        content_type="application/json",
    )
    assert api.status_code == 422
    assert api.json()["errors"][0]["field"] == "team"
    with pytest.raises(DomainError) as error:
        session_team_set(actor=sw.teller, session=sw.session, team=[outsider])
    assert error.value.field == "team"
    assert team_of(sw.session) == before


def test_the_api_replaces_the_team(session_world, make_user):  # noqa: F811
    sw = session_world
    newcomer = make_user("teller", sw.org.office_a, username="newcomer.api")
    response = client_of(sw.officer).put(
        f"/api/v1/sessions/{sw.session.pk}/team",
        {"team": [newcomer.pk]},
        content_type="application/json",
    )
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == sw.session.pk
    assert body["team_ids"] == sorted([sw.teller.pk, newcomer.pk])
    # A controller may not run sessions.
    refused = client_of(sw.controller).put(
        f"/api/v1/sessions/{sw.session.pk}/team",
        {"team": []},
        content_type="application/json",
    )
    assert refused.status_code == 403


def test_a_closed_session_refuses_a_new_team(session_world):  # noqa: F811
    sw = session_world
    close(sw)
    before = team_of(sw.session)
    client = client_of(sw.teller)
    url = reverse("transaction_sessions:session_team", args=[sw.session.pk])
    detail = reverse("transaction_sessions:session_detail", args=[sw.session.pk])
    assert url not in client.get(detail).content.decode()  # the form is hidden
    response = client.post(url, {"team": []}, follow=True)
    assert "nothing more is posted to it" in response.content.decode()
    api = client.put(
        f"/api/v1/sessions/{sw.session.pk}/team",
        {"team": []},
        content_type="application/json",
    )
    assert api.status_code == 422
    assert team_of(sw.session) == before


def test_the_office_calendar_shows_the_opened_session_and_its_team(session_world, monkeypatch):  # noqa: F811
    sw = session_world
    monkeypatch.setattr("policylend.transaction_sessions.views.calendar.bank_today", lambda: TODAY)
    client = client_of(sw.teller)
    response = client.get(
        reverse("transaction_sessions:office_calendar", args=[sw.org.office_a.pk])
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert (sw.officer.get_full_name() or sw.officer.username) in text
    assert reverse("transaction_sessions:session_detail", args=[sw.session.pk]) in text
    assert str(SessionStatus.OPEN.label) in text
