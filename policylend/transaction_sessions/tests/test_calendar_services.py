"""Moving a session and adding a public holiday (services), the calendar pages and the API."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from policylend.core.errors import DomainError, Forbidden
from policylend.core.periods import Month

from .. import calendar, selectors, services
from ..models import SessionMove

TODAY = date(2026, 11, 25)


@pytest.fixture
def point(org):
    return org.points["206001"]  # Vũ Lăng, session day 21


def test_next_session_reads_holidays_and_moves(org, point, make_user):
    staff = make_user("branch_staff", org.branch)
    assert selectors.next_session_of(point, TODAY) == date(2026, 12, 21)
    services.holiday_add(actor=staff, day=date(2026, 12, 21), name="Ngày thử")
    assert selectors.next_session_of(point, TODAY) == date(2026, 12, 22)
    services.session_move(
        actor=staff,
        point=point,
        month=Month(2026, 12),
        held_on=date(2026, 12, 19),
        reason="Đoàn kiểm tra của tỉnh",
        today=TODAY,
    )
    assert calendar.next_session_on(point, TODAY) == date(2026, 12, 19)
    # Recording the month again replaces the move.
    services.session_move(
        actor=staff,
        point=point,
        month=Month(2026, 12),
        held_on=date(2026, 12, 23),
        reason="Đổi lại",
        today=TODAY,
    )
    assert SessionMove.objects.filter(point=point).count() == 1
    assert selectors.next_session_of(point, TODAY) == date(2026, 12, 23)


def test_a_move_needs_a_reason_a_near_working_day_and_the_capability(org, point, make_user):
    officer = make_user("credit_officer", org.office_a)
    ok = {"actor": officer, "point": point, "month": Month(2026, 12), "today": TODAY}
    services.session_move(**ok, held_on=date(2026, 12, 22), reason="Mưa lũ")
    with translation.override("en"), pytest.raises(DomainError) as error:
        services.session_move(**ok, held_on=date(2027, 1, 11), reason=" ")
    fields = {problem.field for problem in error.value.problems}
    assert fields == {"reason", "held_on"}
    assert "21/12/2026" in str([p.message for p in error.value.problems])
    with translation.override("en"), pytest.raises(DomainError) as error:
        services.session_move(**ok, held_on=date(2026, 12, 20), reason="x")  # a Sunday
    assert "Sunday" in error.value.problems[0].message
    with pytest.raises(Forbidden):
        services.session_move(
            **{**ok, "actor": make_user("teller", org.office_a)},
            held_on=date(2026, 12, 22),
            reason="x",
        )
    # Office B's officer may not move Vũ Lăng's session.
    with pytest.raises(Forbidden):
        services.session_move(
            **{**ok, "actor": make_user("credit_officer", org.office_b)},
            held_on=date(2026, 12, 22),
            reason="x",
        )


def test_holidays_are_added_once_by_the_right_roles(org, make_user):
    admin = make_user("system_admin", org.branch)
    services.holiday_add(actor=admin, day=date(2027, 4, 30), name="Ngày Giải phóng miền Nam")
    with pytest.raises(DomainError) as error:
        services.holiday_add(actor=admin, day=date(2027, 4, 30), name="again")
    assert error.value.field == "date"
    with pytest.raises(Forbidden):
        services.holiday_add(
            actor=make_user("credit_officer", org.office_a), day=date(2027, 5, 1), name="x"
        )


def test_the_calendar_pages(org, point, make_user):
    staff = make_user("branch_staff", org.branch)
    services.holiday_add(actor=staff, day=date(2027, 1, 21), name="Ngày thử")
    client = Client()
    client.cookies["policylend_language"] = "en"
    client.force_login(staff)
    response = client.get(reverse("transaction_sessions:point_calendar", args=[point.pk]))
    assert response.status_code == 200
    assert response.content.decode().count("<tr>") >= 12
    assert "Ngày thử" in response.content.decode()
    response = client.get(reverse("transaction_sessions:office_calendar", args=[org.office_a.pk]))
    assert response.status_code == 200
    assert "Hưng Vũ" in response.content.decode()
    response = client.post(
        reverse("transaction_sessions:session_move", args=[point.pk]),
        {"month": "12/2026", "held_on": "22/12/2026", "reason": "Mưa lũ"},
    )
    assert response.status_code == 302
    response = client.post(
        reverse("transaction_sessions:session_move", args=[point.pk]),
        {"month": "12/2026", "held_on": "20/12/2026", "reason": "x"},
    )
    assert response.status_code == 200 and "Sunday" in response.content.decode()
    response = client.post(
        reverse("transaction_sessions:holiday_list"), {"date": "02/09/2027", "name": "Quốc khánh"}
    )
    assert response.status_code == 302
    assert "Quốc khánh" in client.get(reverse("transaction_sessions:holiday_list")).content.decode()


def test_the_calendar_api(org, point, make_user):
    officer = make_user("credit_officer", org.office_a)
    client = Client()
    client.force_login(officer)
    response = client.get(f"/api/v1/sessions/points/{point.pk}/calendar")
    assert response.status_code == 200
    assert len(response.json()["sessions"]) == 12
    response = client.post(
        f"/api/v1/sessions/points/{point.pk}/moves",
        {"month": "12/2026", "held_on": "2026-12-22", "reason": "Mưa lũ"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    response = client.post(
        f"/api/v1/sessions/points/{point.pk}/moves",
        {"month": "12/2026", "held_on": "2026-12-20", "reason": "x"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "held_on"
    # A point of office B is not found; holidays are for branch staff and administrators.
    assert (
        client.get(f"/api/v1/sessions/points/{org.points['207001'].pk}/calendar").status_code == 404
    )
    response = client.post(
        "/api/v1/sessions/holidays",
        {"date": "2027-05-01", "name": "x"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert client.get("/api/v1/sessions/holidays?year=2027").status_code == 200
