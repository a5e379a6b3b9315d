"""Maker-checker through the web: a voucher, a reversal and a month's close, proposed by one
person and decided by another."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from policylend.approvals.models import ApprovalRequest, ApprovalStatus
from policylend.approvals.tests.fixtures import client_of
from policylend.ledger.models import AccountingPeriod, JournalEntry
from policylend.ledger.tests.test_views import voucher_data

# The shared book, people and frozen clock.
pytest_plugins = ["policylend.approvals.tests.fixtures"]
pytestmark = pytest.mark.django_db


def propose_voucher(client, office, **header) -> ApprovalRequest:
    response = client.post(reverse("ledger:entry_create"), voucher_data(office=office.pk, **header))
    assert response.status_code == 302, response.context and response.context["form"].errors
    return ApprovalRequest.objects.latest("id")


def test_manual_voucher_round_trip(frozen_today, org, people, book):
    teller, controller = client_of(people.teller_a), client_of(people.controller_a)
    # given a teller proposes a voucher typed "1.500.000"
    approval = propose_voucher(teller, org.office_a)
    detail_url = reverse("approvals:detail", args=[approval.pk])
    approve_url = reverse("approvals:approve", args=[approval.pk])
    # the teller sees no decision buttons and cannot approve their own request
    assert approve_url not in teller.get(detail_url).content.decode()
    assert teller.post(approve_url).status_code == 403
    approval.refresh_from_db()
    assert approval.status == ApprovalStatus.PENDING
    # the controller finds it waiting, with its lines
    waiting = controller.get(reverse("approvals:list"))
    assert approval in list(waiting.context["page"])
    page = controller.get(detail_url).content.decode()
    assert approve_url in page and "1.500.000" in page and "20/11/2026" in page
    # when the controller approves
    response = controller.post(approve_url, {"note": "ok"})
    assert response.status_code == 302
    # then the entry is in the journal with maker and checker
    approval.refresh_from_db()
    assert approval.status == ApprovalStatus.APPROVED
    entry = JournalEntry.objects.get(pk=int(approval.result_reference.split(":")[1]))
    assert (entry.maker, entry.checker) == (people.teller_a, people.controller_a)
    assert entry.value_date == date(2026, 11, 20)
    assert sorted(entry.lines.values_list("amount", flat=True)) == [-1_500_000, 1_500_000]
    entry_url = reverse("ledger:entry_detail", args=[entry.pk])
    assert entry_url in controller.get(detail_url).content.decode()
    assert people.controller_a.full_name in teller.get(entry_url).content.decode()
    assert approval not in list(controller.get(reverse("approvals:list")).context["page"])


def test_reject_requires_a_reason(frozen_today, org, people, book):
    approval = propose_voucher(client_of(people.teller_a), org.office_a)
    controller = client_of(people.controller_a)
    url = reverse("approvals:reject", args=[approval.pk])
    response = controller.post(url, {"reason": "  "})
    assert response.status_code == 422
    assert response.context["reject_form"].errors["reason"]
    approval.refresh_from_db()
    assert approval.status == ApprovalStatus.PENDING
    controller.post(url, {"reason": "Sai tài khoản"})
    approval.refresh_from_db()
    assert (approval.status, approval.decision_note) == (ApprovalStatus.REJECTED, "Sai tài khoản")
    assert not JournalEntry.objects.filter(maker=people.teller_a).exists()


def test_second_checker_is_told_someone_decided_first(frozen_today, org, people, book):
    approval = propose_voucher(client_of(people.teller_a), org.office_a)
    client_of(people.controller_a).post(reverse("approvals:approve", args=[approval.pk]))
    manager = client_of(people.branch_manager)
    response = manager.post(reverse("approvals:approve", args=[approval.pk]), follow=True)
    assert response.status_code == 200
    messages = [str(m) for m in response.context["messages"]]
    assert any(people.controller_a.full_name in m for m in messages), messages
    assert JournalEntry.objects.filter(maker=people.teller_a).count() == 1


def test_htmx_decision_swaps_the_decision_box(frozen_today, org, people, book):
    approval = propose_voucher(client_of(people.teller_a), org.office_a)
    response = client_of(people.controller_a).post(
        reverse("approvals:approve", args=[approval.pk]), headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert page.lstrip().startswith("<section") and 'id="decision"' in page
    assert "ledger/journal/" in page  # the link to the new entry


def test_withdraw_is_for_the_maker_only(frozen_today, org, people, book):
    approval = propose_voucher(client_of(people.teller_a), org.office_a)
    url = reverse("approvals:withdraw", args=[approval.pk])
    assert client_of(people.controller_a).post(url).status_code == 403
    client_of(people.teller_a).post(url)
    approval.refresh_from_db()
    assert approval.status == ApprovalStatus.WITHDRAWN


def test_requests_of_another_office_are_not_found(frozen_today, org, people, book):
    approval = propose_voucher(client_of(people.teller_a), org.office_a)
    client = client_of(people.controller_b)
    for name in ("approvals:detail",):
        assert client.get(reverse(name, args=[approval.pk])).status_code == 404
    for name in ("approvals:approve", "approvals:reject", "approvals:withdraw"):
        assert client.post(reverse(name, args=[approval.pk]), {"reason": "x"}).status_code == 404
    assert list(client.get(reverse("approvals:list"), {"tab": "all"}).context["page"]) == []


def test_list_tabs(frozen_today, org, people, book):
    approval = propose_voucher(client_of(people.teller_a), org.office_a)
    teller = client_of(people.teller_a)
    assert teller.get(reverse("approvals:list")).context["tab"] == "mine"
    assert list(teller.get(reverse("approvals:list"), {"tab": "mine"}).context["page"]) == [
        approval
    ]
    assert list(teller.get(reverse("approvals:list"), {"tab": "waiting"}).context["page"]) == []
    manager = client_of(people.branch_manager)
    assert list(
        manager.get(reverse("approvals:list"), {"tab": "all", "status": "pending"}).context["page"]
    ) == [approval]
    assert (
        list(
            manager.get(reverse("approvals:list"), {"tab": "all", "status": "rejected"}).context[
                "page"
            ]
        )
        == []
    )


def test_reversal_round_trip(frozen_today, people, book):
    teller = client_of(people.teller_a)
    response = teller.post(
        reverse("ledger:entry_reverse", args=[book.interest.pk]), {"reason": "Ghi nhầm tài khoản"}
    )
    approval = ApprovalRequest.objects.get()
    assert response["Location"] == reverse("approvals:detail", args=[approval.pk])
    # a second reversal is not offered while the first waits
    page = teller.get(reverse("ledger:entry_detail", args=[book.interest.pk])).content.decode()
    assert reverse("ledger:entry_reverse", args=[book.interest.pk]) not in page
    assert reverse("approvals:detail", args=[approval.pk]) in page
    page = (
        client_of(people.controller_a)
        .get(reverse("approvals:detail", args=[approval.pk]))
        .content.decode()
    )
    assert f"#{book.interest.pk}: Ghi nhầm tài khoản" in page
    client_of(people.controller_a).post(reverse("approvals:approve", args=[approval.pk]))
    reversal = JournalEntry.objects.get(reverses=book.interest)
    assert reversal.value_date == frozen_today and reversal.checker == people.controller_a
    assert "Ghi nhầm tài khoản" in reversal.memo


def test_reversal_needs_a_reason(frozen_today, people, book):
    response = client_of(people.teller_a).post(
        reverse("ledger:entry_reverse", args=[book.interest.pk]), {"reason": ""}
    )
    assert response.status_code == 200 and response.context["form"].errors["reason"]
    assert not ApprovalRequest.objects.exists()


def test_period_close_round_trip(frozen_today, org, people, book):
    staff, manager = client_of(people.branch_staff), client_of(people.branch_manager)
    # given the branch staff asks for the close of 10/2026
    response = staff.post(reverse("ledger:period_close"), {"month": "2026-10"})
    approval = ApprovalRequest.objects.get(kind="ledger.period_close")
    assert response["Location"] == reverse("approvals:detail", args=[approval.pk])
    assert (
        client_of(people.teller_a)
        .post(reverse("ledger:period_close"), {"month": "2026-10"})
        .status_code
        == 403
    )
    # the periods page shows the waiting request instead of a second button
    rows = {r["key"]: r for r in staff.get(reverse("ledger:period_list")).context["rows"]}
    assert rows["2026-10"]["pending"] == approval and not rows["2026-10"]["may_request"]
    # the staff member cannot approve their own request; the branch manager does
    assert staff.post(reverse("approvals:approve", args=[approval.pk])).status_code == 403
    assert (
        "10/2026" in manager.get(reverse("approvals:detail", args=[approval.pk])).content.decode()
    )
    manager.post(reverse("approvals:approve", args=[approval.pk]))
    period = AccountingPeriod.objects.get(branch=org.branch, month=date(2026, 10, 1))
    assert (period.status, period.closed_by, period.requested_by) == (
        "closed",
        people.branch_manager,
        people.branch_staff,
    )
    # then posting into 10/2026 is refused, through the pages and through the service
    response = client_of(people.teller_a).post(
        reverse("ledger:entry_create"),
        voucher_data(value_date="31/10/2026", office=org.office_a.pk),
    )
    assert response.status_code == 200 and response.context["form"].errors["value_date"]
    from policylend.approvals.tests.fixtures import post
    from policylend.core.errors import DomainError

    with pytest.raises(DomainError) as refused:
        post(org, people.branch_staff, date(2026, 10, 31), org.office_a, "1011", "1012", 1, "late")
    assert refused.value.code == "ledger_period_closed"


def test_closing_a_month_that_has_not_ended_is_refused(frozen_today, people, book):
    response = client_of(people.branch_staff).post(
        reverse("ledger:period_close"), {"month": "2026-11"}, follow=True
    )
    assert any("11/2026" in str(m) for m in response.context["messages"])
    assert not ApprovalRequest.objects.exists()
