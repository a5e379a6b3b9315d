"""The admin shows the books and the requests read-only; only an account's names and its
active flag may change."""

from __future__ import annotations

import pytest

from policylend.approvals.tests.fixtures import client_of

pytest_plugins = ["policylend.approvals.tests.fixtures"]
pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_(org, make_user):
    return client_of(make_user("system_admin", org.branch, is_superuser=True, is_staff=True))


def test_books_are_read_only_in_the_admin(admin_client_, book):
    from policylend.ledger.models import Account

    for url in (
        "/admin/ledger/journalentry/",
        f"/admin/ledger/journalentry/{book.loan.pk}/change/",
        "/admin/ledger/journalline/",
        "/admin/ledger/accountingperiod/",
        "/admin/ledger/balancesnapshot/",
        "/admin/ledger/account/",
        "/admin/approvals/approvalrequest/",
    ):
        assert admin_client_.get(url).status_code == 200, url
    page = admin_client_.get(f"/admin/ledger/journalentry/{book.loan.pk}/change/").content.decode()
    assert 'name="_save"' not in page
    assert admin_client_.get("/admin/ledger/journalentry/add/").status_code == 403
    assert (
        admin_client_.get(f"/admin/ledger/journalentry/{book.loan.pk}/delete/").status_code == 403
    )
    account = Account.objects.get(code="1011")
    assert admin_client_.get(f"/admin/ledger/account/{account.pk}/delete/").status_code == 403
    page = admin_client_.get(f"/admin/ledger/account/{account.pk}/change/").content.decode()
    assert 'name="name_en"' in page and 'name="is_active"' in page and 'name="code"' not in page
