"""Users and clients for the organisation tests, on the shared organisation of the root conftest
(branch 740; office A "Bắc Sơn" with communes 206001/206002; office B "Bình Gia" with
207001/207002; two villages and a point per commune)."""

from __future__ import annotations

import pytest
from django.test import Client


@pytest.fixture
def sysadmin(org, make_user):
    """The branch's system administrator: the only role that may change the tree."""
    return make_user("system_admin", org.branch, username="sysadmin")


@pytest.fixture
def officer_a(org, make_user):
    """A credit officer of office A: reads A's part of the tree, changes nothing."""
    return make_user("credit_officer", org.office_a, username="officer-a")


@pytest.fixture
def client_of():
    def make(user, language: str | None = None) -> Client:
        client = Client()
        if language:
            client.cookies["policylend_language"] = language
        client.force_login(user)
        return client

    return make


@pytest.fixture
def api_of():
    """A client that calls the API with the user's personal bearer token."""
    from policylend.users.services import api_token_create

    def make(user) -> Client:
        _record, token = api_token_create(user=user, name="tests")
        return Client(HTTP_AUTHORIZATION=f"Bearer {token}")

    return make
