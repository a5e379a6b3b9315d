"""The public notice board of transaction point TXN206001 (commune Vũ Lăng, office A) and the
household's own check: no login, the commune's borrowers with outstanding and no ID number, a QR
code to the live page, the JSON of the same, and the check code with its rate limit."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from policylend.households.models import Person
from policylend.loans.tests.servicing_setup import new_loan, staff, world  # noqa: F401

from ..codes import CODE_LENGTH, loan_check_code, loan_check_code_matches

TWELVE_DIGITS = re.compile(r"(?<!\d)\d{12}(?!\d)")
CHECK = "/public/check/"


@pytest.fixture
def board_world(org, staff):  # noqa: F811
    """Two borrowers of Vũ Lăng (A: 30,000,000 ₫; B: 3,000,000 ₫ whose first yearly instalment
    is unpaid after its session and overdue); every head has a 12-digit national ID on file."""
    from policylend.loans.services.overdue import overdue_run

    loan_b = new_loan(org, staff, amount=3_000_000, disbursed_on=date(2025, 9, 21), household=1)
    loan_a = new_loan(org, staff, amount=30_000_000, disbursed_on=date(2026, 9, 21), household=0)
    overdue_run(
        actor=staff.staff,
        unit=org.office_a,
        session_date=date(2026, 9, 21),
        today=date(2026, 11, 25),
    )
    for number, household in enumerate(staff.world.households):
        Person.objects.filter(pk=household.head_id).update(
            national_id=f"0012{number:08d}", national_id_last4=f"{number:04d}"
        )
    loan_a.refresh_from_db()
    loan_b.refresh_from_db()
    return {"a": loan_a, "b": loan_b, "point": org.points["206001"], "staff": staff}


# --- the check code ---------------------------------------------------------------------------------


def test_the_check_code_is_eight_characters_stable_and_tied_to_the_number(settings):
    code = loan_check_code("7401-26-000001")
    assert len(code) == CODE_LENGTH and re.fullmatch(r"[A-Z2-7]{8}", code)
    assert loan_check_code("7401-26-000001") == code
    assert loan_check_code("7401-26-000002") != code
    assert loan_check_code_matches("7401-26-000001", code.lower()[:4] + " " + code[4:])
    assert not loan_check_code_matches("7401-26-000002", code)
    settings.SECRET_KEY = "another-secret-key-for-the-test-only-0123456789"
    assert loan_check_code("7401-26-000001") != code


# --- the board ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_board_shows_the_borrowers_without_login_and_no_id_number(board_world):
    client = Client()
    client.cookies["policylend_language"] = "en"
    response = client.get("/public/points/TXN206001/")
    assert response.status_code == 200
    page = response.content.decode()
    world_ = board_world["staff"].world
    assert world_.households[0].head.full_name in page
    assert world_.households[1].head.full_name in page
    assert "30.000.000" in page or "30,000,000" in page
    assert "Overdue" in page
    assert "<svg" in page and "/public/points/TXN206001/" in page  # the QR code and its link
    assert "1800 6000" in page
    assert "Transaction rules" in page
    assert "@media print" in page and "size: A4" in page
    assert "size: A3" in client.get("/public/points/TXN206001/?paper=a3").content.decode()
    assert not TWELVE_DIGITS.search(page)
    for household in world_.households:
        assert Person.objects.get(pk=household.head_id).national_id not in page


@pytest.mark.django_db
def test_the_board_reads_the_borrowers_in_one_query(board_world, org, staff):  # noqa: F811
    for index in range(2, 5):
        new_loan(org, staff, amount=5_000_000, disbursed_on=date(2026, 9, 21), household=index)
    from policylend.noticeboard.selectors import borrower_rows

    with CaptureQueriesContext(connection) as queries:
        rows = borrower_rows(board_world["point"])
    assert len(rows) == 5
    assert len(queries) == 1
    overdue = [row for row in rows if row.is_overdue]
    assert len(overdue) == 1 and overdue[0].overdue == 1_000_000
    assert all(row.next_due is not None for row in rows)


@pytest.mark.django_db
def test_the_board_json_without_auth_and_an_unknown_point(board_world):
    client = Client()
    response = client.get("/api/v1/public/points/TXN206001")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["point_code"] == "TXN206001"
    assert len(body["borrowers"]) == 2
    assert body["outstanding_total"] == 33_000_000 and body["overdue_total"] == 1_000_000
    assert body["fees_paid"] == 0 and body["commissions_paid"] == 0
    assert body["hotline"] == "1800 6000"
    assert not TWELVE_DIGITS.search(response.content.decode())
    assert client.get("/api/v1/public/points/TXN999999").status_code == 404
    assert client.get("/public/points/TXN999999/").status_code == 404


@pytest.mark.django_db
def test_the_hotline_is_a_setting(board_world, settings):
    settings.POLICYLEND_HOTLINE = "0205 3870 123"
    assert "0205 3870 123" in Client().get("/public/points/TXN206001/").content.decode()


# --- the household's check ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_right_code_shows_the_household_loans_wrong_code_a_generic_refusal(board_world):
    loan = board_world["a"]
    client = Client()
    client.cookies["policylend_language"] = "en"
    assert client.get(CHECK).status_code == 200
    right = client.post(CHECK, {"number": loan.number, "code": loan_check_code(loan.number)})
    assert right.status_code == 200
    page = right.content.decode()
    assert loan.number in page and "Your household" in page
    assert board_world["b"].number not in page  # another household's loan

    wrong_code = client.post(CHECK, {"number": loan.number, "code": "AAAAAAAA"}).content.decode()
    wrong_number = client.post(
        CHECK, {"number": "7401-26-999999", "code": loan_check_code("7401-26-999999")}
    ).content.decode()
    refusal = "do not match any loan"
    assert refusal in wrong_code and refusal in wrong_number
    assert loan.number not in wrong_code.replace(f'value="{loan.number}"', "")
    assert "7401-26-999999" not in wrong_number.replace('value="7401-26-999999"', "")


@pytest.mark.django_db
def test_the_check_is_refused_after_five_tries_in_fifteen_minutes(board_world):
    loan = board_world["a"]
    client = Client()
    client.cookies["policylend_language"] = "en"
    for _try in range(5):
        assert client.post(CHECK, {"number": loan.number, "code": "WRONG123"}).status_code == 200
    refused = client.post(CHECK, {"number": loan.number, "code": loan_check_code(loan.number)})
    assert refused.status_code == 429
    assert "Too many tries" in refused.content.decode()
    assert loan.number not in refused.content.decode().replace(f'value="{loan.number}"', "")
    # Another address is not held back.
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert other.post(CHECK, {"number": loan.number, "code": "WRONG123"}).status_code == 200


@pytest.mark.django_db
def test_staff_see_the_check_code_on_the_loan_page(board_world, client):
    loan = board_world["a"]
    client.force_login(board_world["staff"].officer)
    page = client.get(f"/loans/{loan.pk}/").content.decode()
    assert loan_check_code(loan.number) in page
