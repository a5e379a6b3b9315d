"""Every asset a page loads is served by the project itself: no CDN (the brief's rule)."""

import re

import pytest
from django.test import Client

EXTERNAL = re.compile(r"""(?:src|href)=["'](?:https?:)?//(?!testserver)""")


@pytest.mark.parametrize("path", ["/accounts/login/", "/api/v1/docs"])
def test_pages_load_nothing_from_another_host(db, path):
    response = Client().get(path)
    assert response.status_code == 200
    assert not EXTERNAL.search(response.content.decode()), EXTERNAL.findall(
        response.content.decode()
    )


def test_logged_in_pages_load_nothing_from_another_host(org, make_user):
    client = Client()
    client.force_login(make_user("branch_manager", org.branch))
    for path in ("/", "/organisation/", "/ledger/trial-balance/", "/approvals/"):
        body = client.get(path).content.decode()
        assert not EXTERNAL.search(body), (path, EXTERNAL.findall(body))
