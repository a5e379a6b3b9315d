"""The due list of group 2060011 at the session of 21/12/2026 (a Monday), checked by hand.

* Hoàng Văn An (household 0): 24,000,000 ₫ paid out on 21/12/2025 for 36 months at 6.6 %,
  yearly instalments of 8,000,000 ₫; the first is collected at the session of 21/12/2026.
  Interest accruing 21/12/2025 → 21/12/2026 (365 days, actual/360 as loans.interest counts):
  24,000,000 × 6.6 % × 365/360 = 1,606,000 ₫.
* Lộc Thị Bình (household 1): 12,000,000 ₫ paid out on 21/11/2025, instalments of 4,000,000 ₫;
  the first, due at the session of 21/11/2026, was not paid and is overdue from 22/11/2026.
  Interest: 12,000,000 × 6.6 % × 366/360 (21/11/2025 → 22/11/2026) = 805,200
  + 8,000,000 × 6.6 % × 29/360 (22/11 → 21/12/2026) = 42,533.33, together 847,733 ₫;
  overdue interest: 4,000,000 × 8.58 % × 29/360 = 27,646.67 → 27,647 ₫; principal overdue
  4,000,000 ₫.
Totals: interest due 1,606,000 + 847,733 = 2,453,733; instalments 8,000,000; principal overdue
4,000,000; interest overdue 27,647; all 14,481,380 ₫.
"""

from __future__ import annotations

from datetime import date

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from policylend.core.errors import DomainError, NotFound
from policylend.groups.models import BoardTerm
from policylend.groups.services import board_elect
from policylend.loans.services.overdue import overdue_run
from policylend.loans.tests.servicing_setup import new_loan
from policylend.users.access import led_group_ids

from .. import selectors
from ..selectors import calendar as calendar_selectors

SESSION = date(2026, 12, 21)
TODAY = date(2026, 11, 25)


@pytest.fixture
def two_loans(org, staff):
    an = new_loan(org, staff, amount=24_000_000, disbursed_on=date(2025, 12, 21), household=0)
    binh = new_loan(org, staff, amount=12_000_000, disbursed_on=date(2025, 11, 21), household=1)
    assert (
        overdue_run(
            actor=staff.officer, today=TODAY, unit=org.office_a, session_date=date(2026, 11, 21)
        )
        == 1
    )
    return an, binh


@pytest.fixture
def leader(org, staff, make_user, two_loans):
    """The leader of group 2060011 logs in as ``leader.vulang``."""
    world = staff.world
    user = make_user("group_leader", org.commune_a1, username="leader.vulang")
    term = board_elect(
        actor=staff.officer,
        group=world.group,
        person=world.households[2].head,
        role="leader",
        started_on=date(2024, 3, 1),
        today=TODAY,
    )
    BoardTerm.objects.filter(pk=term.pk).update(user=user)
    return user


def _lines(due):
    return {line.head_name: line for line in due.lines}


def test_the_due_list_by_member_and_its_totals(staff, two_loans):
    an, binh = two_loans
    due = selectors.due_list(staff.officer, staff.world.group, SESSION)
    lines = _lines(due)
    assert len(due.lines) == 5  # every member, with or without a loan
    first = lines["Hoàng Văn An"]
    assert first.loan_numbers == [an.number]
    assert (first.interest_due, first.instalment_due) == (1_606_000, 8_000_000)
    assert (first.principal_overdue, first.interest_overdue) == (0, 0)
    assert first.total == 9_606_000
    second = lines["Lộc Thị Bình"]
    assert second.loan_numbers == [binh.number]
    assert (second.interest_due, second.instalment_due) == (847_733, 0)
    assert (second.principal_overdue, second.interest_overdue) == (4_000_000, 27_647)
    assert second.total == 4_875_380
    assert due.totals == {
        "interest_due": 2_453_733,
        "instalment_due": 8_000_000,
        "principal_overdue": 4_000_000,
        "interest_overdue": 27_647,
        "savings_expected": 0,
        "total": 14_481_380,
    }


def test_the_default_is_the_next_session_and_the_one_after_can_be_listed(staff, two_loans):
    due = selectors.due_list(staff.officer, staff.world.group, today=TODAY)
    assert due.session_date == SESSION
    # The session after next (21/01/2027): An's instalment is still counted (unpaid), the
    # interest runs 31 days more.
    later = _lines(selectors.due_list(staff.officer, staff.world.group, date(2027, 1, 21)))
    assert later["Hoàng Văn An"].instalment_due == 8_000_000
    assert later["Hoàng Văn An"].interest_due == 1_606_000 + 136_400  # 24M × 6.6 % × 31/360


def test_a_day_that_is_no_session_is_refused(staff, two_loans):
    with pytest.raises(DomainError) as error:
        selectors.due_list(staff.officer, staff.world.group, date(2026, 12, 20))
    assert error.value.field == "session_date"
    assert "21/12/2026" in error.value.message


def test_savings_expected_come_from_the_savings_app(staff, two_loans, monkeypatch):
    household = staff.world.households[0]
    monkeypatch.setattr(
        calendar_selectors, "savings_expected", lambda group, day: {household.pk: 50_000}
    )
    due = selectors.due_list(staff.officer, staff.world.group, SESSION)
    assert _lines(due)["Hoàng Văn An"].savings_expected == 50_000
    assert due.totals["total"] == 14_481_380 + 50_000


def _other_group(org, staff):
    """A group of Hưng Vũ (the same office): the leader of 2060011 has nothing to do with it."""
    from policylend.associations.models import Association
    from policylend.associations.services import association_unit_create
    from policylend.groups.services import group_create
    from policylend.households.rules import PersonInput
    from policylend.households.services import household_create

    village = org.villages["20600201"]
    households = [
        household_create(
            actor=staff.officer,
            village=village,
            head=PersonInput(full_name=f"Hộ {name}", sex="male", relationship="head"),
        )
        for name in ("An", "Bình", "Cúc", "Dung", "Em")
    ]
    unit = association_unit_create(
        actor=None,
        association=Association.objects.get(code="11"),
        unit=org.commune_a2,
        name="Hội Nông dân xã Hưng Vũ",
    )
    return group_create(
        actor=staff.officer,
        code="2060021",
        name="Tổ Hưng Vũ Một",
        village=village,
        association_unit=unit,
        founded_on=date(2024, 3, 1),
        approval_decision="13/QĐ-UBND",
        approval_decision_on=date(2024, 2, 20),
        households=households,
        today=TODAY,
    )


def test_a_group_leader_sees_only_the_group_they_lead(org, staff, leader):
    other = _other_group(org, staff)
    assert led_group_ids(leader) == [staff.world.group.pk]
    assert list(selectors.due_list_groups(leader)) == [staff.world.group]
    client = Client()
    client.force_login(leader)
    assert client.get(_page(staff.world.group.pk)).status_code == 200
    with pytest.raises(NotFound):
        selectors.due_list_group_get(leader, other.pk)
    assert client.get(_page(other.pk)).status_code == 404
    assert client.get(f"/api/v1/sessions/groups/{other.pk}/due-list").status_code == 404
    # The officer of the office sees both.
    assert selectors.due_list_groups(staff.officer).count() == 2
    # A leader whose term ended leads nothing.
    BoardTerm.objects.filter(user=leader).update(ended_on=date(2026, 11, 1))
    assert led_group_ids(leader) == []
    assert client.get(_page(staff.world.group.pk)).status_code == 404


def _page(group_id, **query):
    url = reverse("transaction_sessions:due_list", args=[group_id])
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return url


def test_the_page_shows_the_totals(staff, two_loans):
    client = Client()
    client.cookies["policylend_language"] = "en"
    client.force_login(staff.officer)
    response = client.get(_page(staff.world.group.pk, session_date="21/12/2026"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Lộc Thị Bình" in html
    assert "14,481,380" in html or "14.481.380" in html


def test_the_pdf_in_the_leaders_language(staff, two_loans):
    from policylend.core.pdf import render_html

    client = Client()
    client.force_login(staff.officer)
    response = client.get(
        _page(staff.world.group.pk, session_date="21/12/2026", format="pdf", lang="vi")
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    due = selectors.due_list(staff.officer, staff.world.group, SESSION)
    html = render_html(
        "transaction_sessions/pdf_due_list.html", {"due": due, "printed_on": TODAY}, "vi"
    )
    assert "14.481.380" in html and "Lộc Thị Bình" in html
    english = render_html(
        "transaction_sessions/pdf_due_list.html", {"due": due, "printed_on": TODAY}, "en"
    )
    assert "List of amounts due" in english and "14,481,380" in english


def test_the_excel_opens(staff, two_loans, tmp_path):
    client = Client()
    client.force_login(staff.officer)
    response = client.get(_page(staff.world.group.pk, session_date="21/12/2026", format="xlsx"))
    assert response.status_code == 200
    target = tmp_path / "due.xlsx"
    target.write_bytes(b"".join(response.streaming_content))
    sheet = openpyxl.load_workbook(target).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 1 + 5 + 1  # header, members, totals
    assert rows[-1][-1] == 14_481_380


def test_the_api(staff, two_loans, leader):
    client = Client()
    client.force_login(staff.officer)
    url = f"/api/v1/sessions/groups/{staff.world.group.pk}/due-list"
    response = client.get(url, {"session_date": "2026-12-21"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["session_date"] == "2026-12-21"
    assert body["totals"]["total"] == 14_481_380
    assert len(body["lines"]) == 5
    assert client.get(url, {"session_date": "2026-12-20"}).status_code == 422
    leader_client = Client()
    leader_client.force_login(leader)
    assert leader_client.get(url, {"session_date": "2026-12-21"}).status_code == 200
    assert leader_client.get("/api/v1/sessions/groups/99999999/due-list").status_code == 404
