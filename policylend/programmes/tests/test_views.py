"""The programme pages: the catalogue, one programme's history, and asking for new terms."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from policylend.approvals.models import ApprovalRequest
from policylend.programmes.models import Programme


def browser(user, language="en") -> Client:
    client = Client()
    client.force_login(user)
    client.cookies["policylend_language"] = language
    return client


def test_the_catalogue_shows_each_programme_with_its_rate(org, make_user):
    client = browser(make_user("credit_officer", org.office_a))
    response = client.get(reverse("programmes:list"))
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('href="/programmes/') >= 38  # code and name of each of the 19
    assert "Poor households" in page
    assert "6.6 %/year" in page and "0.55 %/month" in page
    assert "8.25 %/year" in page  # 09: 125 % of the poor rate
    assert "100,000,000\u00a0₫ per household" in page
    assert "80\u00a0% of the contract value, at most 1,000,000,000\u00a0₫" in page


def test_the_catalogue_on_another_day(org, make_user):
    client = browser(make_user("auditor", org.branch))
    before = client.get(reverse("programmes:list"), {"on": "09/10/2025"}).content.decode()
    after = client.get(reverse("programmes:list"), {"on": "10/10/2025"}).content.decode()
    assert "5.4 %/year" not in before and "5.4 %/year" in after


def test_the_catalogue_in_vietnamese(org, make_user):
    client = browser(make_user("group_leader", org.commune_a1), "vi")
    page = client.get(reverse("programmes:list")).content.decode()
    assert "Hộ nghèo" in page and "100.000.000\u00a0₫" in page and "6,6" in page


def test_the_system_administrator_does_not_read_programmes(org, make_user, programme):
    client = browser(make_user("system_admin", org.branch))
    assert client.get(reverse("programmes:list")).status_code == 403
    assert client.get(reverse("programmes:detail", args=[programme("01").pk])).status_code == 403


def test_a_programme_page_shows_the_history(org, make_user, programme):
    client = browser(make_user("board_member", org.branch))
    response = client.get(reverse("programmes:detail", args=[programme("12").pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "10/10/2025" in page and "09/10/2025" in page
    assert "5.4 %/year" in page and "6.6 %/year" in page
    assert "Applies to them too" in page and "Keep their terms" in page
    assert "Propose new terms" not in page
    assert client.get(reverse("programmes:detail", args=[99_999])).status_code == 404


def test_staff_propose_new_terms_from_the_form(org, staff, manager, programme):
    poor = programme("01")
    client = browser(staff)
    detail = client.get(reverse("programmes:detail", args=[poor.pk])).content.decode()
    assert "Propose new terms" in detail
    url = reverse("programmes:terms_change", args=[poor.pk])
    form = client.get(url)
    assert form.status_code == 200
    assert 'value="6.6"' in form.content.decode()  # pre-filled with the current terms
    data = {
        "effective_from": "01/01/2027",
        "rate_basis": "fixed",
        "annual_rate": "6.0",
        "overdue_factor": "130",
        "amount_max": "120,000,000",
        "amount_basis": "household",
        "term_months_max": "120",
        "repayment_mode": "equal_principal",
        "repayment_interval_months": "12",
        "grace_months": "0",
        "classifications": ["poor"],
        "note": "QĐ 1/2026",
    }
    # A rate above 20 % is shown beside its field and nothing is recorded.
    refused = client.post(url, {**data, "annual_rate": "25"})
    assert refused.status_code == 200
    assert "The annual rate must be from 0 % to 20 %" in refused.content.decode()
    assert not ApprovalRequest.objects.filter(kind="programmes.terms_change").exists()

    response = client.post(url, data)
    request = ApprovalRequest.objects.get(kind="programmes.terms_change")
    assert response.status_code == 302
    assert response["Location"] == reverse("approvals:detail", args=[request.pk])
    assert request.payload["annual_rate"] == "0.06"
    assert request.payload["amount_max"] == 120_000_000

    checker = browser(manager)
    shown = checker.get(reverse("approvals:detail", args=[request.pk]))
    assert shown.status_code == 200
    assert "6 %/year" in shown.content.decode()
    checker.post(reverse("approvals:approve", args=[request.pk]), {"note": ""})
    assert Programme.objects.get(code="01").terms.count() == 2


def test_roles_that_may_not_propose_get_403(org, make_user, programme):
    client = browser(make_user("credit_officer", org.office_a))
    url = reverse("programmes:terms_change", args=[programme("01").pk])
    assert client.get(url).status_code == 403
    assert client.get(reverse("programmes:terms_change", args=[99_999])).status_code == 404
