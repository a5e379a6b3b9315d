"""Programme tests run on the catalogue the data migration loaded (19 programmes) and the shared
organisation of the root conftest (branch 740 Lạng Sơn, offices A and B)."""

from __future__ import annotations

import pytest
from django.test import Client


@pytest.fixture
def programme(db):
    """Return the catalogue's programme with this code."""
    from policylend.programmes.models import Programme

    return lambda code: Programme.objects.get(code=code)


@pytest.fixture
def staff(org, make_user):
    return make_user("branch_staff", org.branch, username="staff")


@pytest.fixture
def manager(org, make_user):
    return make_user("branch_manager", org.branch, username="manager")


@pytest.fixture
def api_of():
    """A client that calls the API with the user's personal bearer token, in English."""
    from policylend.users.services import api_token_create

    def make(user) -> Client:
        _record, token = api_token_create(user=user, name="tests")
        client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
        client.cookies["policylend_language"] = "en"
        return client

    return make
