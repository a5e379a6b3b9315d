"""Every URL that takes an object id, walked as users of office A (and as the administrator of
another branch) asking for office B's objects. A user whose role may use that kind of page gets
404, exactly as for an id that does not exist; a role that may not use it at all gets 403 for any
id. Nobody gets the object, and the answers never tell whether it exists.

The table below must name every such URL: a new URL with an id and no row here fails the test,
so scope cannot be forgotten."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from conftest import TODAY
from policylend.approvals.services import approval_request_create
from policylend.ledger.approval_kinds import MANUAL_ENTRY
from policylend.ledger.rules import credit, debit
from policylend.ledger.services import journal_entry_post
from policylend.organisation.services import unit_create
from policylend.users.services import api_token_create

# url name → (which object of office B, HTTP method)
PAGES = {
    "users:token_revoke": ("token", "post"),
    "users:detail": ("user", "get"),
    "users:edit": ("user", "get"),
    "users:password": ("user", "get"),
    "organisation:unit_detail": ("commune", "get"),
    "organisation:unit_children": ("commune", "get"),
    "organisation:unit_edit": ("commune", "get"),
    "organisation:unit_move": ("village", "get"),
    "organisation:commune_merge": ("commune", "get"),
    "organisation:unit_close": ("village", "get"),
    "organisation:point_detail": ("point", "get"),
    "organisation:point_edit": ("point", "get"),
    "ledger:entry_detail": ("entry", "get"),
    "ledger:entry_reverse": ("entry", "get"),
    "approvals:detail": ("request", "get"),
    "approvals:approve": ("request", "post"),
    "approvals:reject": ("request", "post"),
    "approvals:withdraw": ("request", "post"),
}
API = {
    "api:unit_get": ("commune", "get", ""),
    "api:unit_update": ("commune", "patch", ""),
    "api:unit_children": ("commune", "get", "/children"),
    "api:unit_history": ("commune", "get", "/history"),
    "api:unit_move": ("village", "post", "/move"),
    "api:commune_merge": ("commune", "post", "/merge"),
    "api:unit_close": ("village", "post", "/close"),
    "api:point_get": ("point", "get", ""),
    "api:point_update": ("point", "patch", ""),
    "api:entry_get": ("entry", "get", ""),
    "api:entry_reversal_propose": ("entry", "post", "/reversal"),
    "api:request_get": ("request", "get", ""),
    "api:request_approve": ("request", "post", "/approve"),
    "api:request_reject": ("request", "post", "/reject"),
    "api:request_withdraw": ("request", "post", "/withdraw"),
}
API_BASE = {
    "commune": "/api/v1/organisation/units/{id}",
    "village": "/api/v1/organisation/units/{id}",
    "point": "/api/v1/organisation/points/{id}",
    "entry": "/api/v1/ledger/entries/{id}",
    "request": "/api/v1/approvals/requests/{id}",
}
API_BODY = {
    "/move": {"new_parent_id": 0, "effective_on": "2026-11-20", "reason": "x"},
    "/merge": {"target_id": 0, "effective_on": "2026-11-20", "reason": "x"},
    "/close": {"closed_on": "2026-11-20"},
    "/reversal": {"reason": "x"},
    "/reject": {"reason": "x"},
    "": {"name": "x", "address": "x"},
}


def routes_with_ids():
    found = set()

    def walk(patterns, namespace=None, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "admin":
                    continue
                walk(
                    pattern.url_patterns,
                    pattern.namespace or namespace,
                    prefix + str(pattern.pattern),
                )
            elif isinstance(pattern, URLPattern) and "<" in prefix + str(pattern.pattern):
                found.add(f"{namespace}:{pattern.name}")

    walk(get_resolver().url_patterns)
    return found


def test_the_table_names_every_url_that_takes_an_id():
    assert routes_with_ids() == set(PAGES) | set(API)


@pytest.fixture
def office_b_objects(org, make_user):
    teller_b = make_user("teller", org.office_b, username="teller.b")
    staff = make_user("branch_staff", org.branch)
    entry = journal_entry_post(
        branch=org.branch,
        value_date=date(2026, 11, 20),
        kind="cash_transfer",
        memo="B only",
        lines=[
            debit("1011", 1000, office_id=org.office_b.pk),
            credit("1012", 1000, office_id=org.office_b.pk),
        ],
        idempotency_key="b-only",
        maker=staff,
        today=TODAY,
    )
    request = approval_request_create(
        kind=MANUAL_ENTRY,
        unit=org.office_b,
        maker=teller_b,
        today=TODAY,
        payload={
            "branch_id": org.branch.pk,
            "value_date": "2026-11-20",
            "memo": "B voucher",
            "lines": [
                debit("1011", 5, office_id=org.office_b.pk).as_dict(),
                credit("1012", 5, office_id=org.office_b.pk).as_dict(),
            ],
        },
    )
    token, _ = api_token_create(user=teller_b, name="B's token")
    return {
        "commune": org.commune_b1.pk,
        "village": org.villages["20700101"].pk,
        "point": org.points["207001"].pk,
        "entry": entry.pk,
        "request": request.pk,
        "user": teller_b.pk,
        "token": token.pk,
    }


@pytest.fixture
def outsiders(org, make_user):
    """The most capable users who must still not reach office B's objects."""
    other_branch = unit_create(
        kind="branch",
        code="750",
        name="Cao Bằng",
        parent=None,
        opened_on=date(2020, 1, 1),
        actor=None,
    )
    return {
        "controller of office A": make_user("controller", org.office_a),
        "teller of office A": make_user("teller", org.office_a),
        "administrator of another branch": make_user("system_admin", other_branch),
        "auditor of office A": make_user("auditor", org.office_a),
    }


MISSING = 99_999_999


def _check(answers: dict[str, tuple[int, int]], where: str) -> None:
    """``answers``: who → (status for office B's object, status for an id that does not exist)."""
    for who, (for_b, for_missing) in answers.items():
        assert for_b in (403, 404), f"{who} got {for_b} on {where}"
        assert for_b == for_missing, (
            f"{who}: {for_b} for office B's object, {for_missing} for no object, on {where}"
        )
    assert 404 in {for_b for for_b, _ in answers.values()}, (
        f"nobody with the right role was tried on {where}"
    )


@pytest.mark.parametrize("name", sorted(PAGES))
def test_pages_answer_404_for_office_b_objects(name, office_b_objects, outsiders):
    from django.urls import reverse

    kind, method = PAGES[name]
    answers = {}
    for who, user in outsiders.items():
        client = Client()
        client.force_login(user)
        statuses = []
        for object_id in (office_b_objects[kind], MISSING):
            url = reverse(name, args=[object_id])
            response = getattr(client, method)(url, {"reason": "x"} if method == "post" else None)
            statuses.append(response.status_code)
        answers[who] = tuple(statuses)
    _check(answers, name)


@pytest.mark.parametrize("name", sorted(API))
def test_api_answers_404_for_office_b_objects(name, office_b_objects, outsiders):
    kind, method, suffix = API[name]
    answers = {}
    for who, user in outsiders.items():
        client = Client()
        client.force_login(user)
        statuses = []
        for number, object_id in enumerate((office_b_objects[kind], MISSING)):
            url = API_BASE[kind].format(id=object_id) + suffix
            if method == "get":
                response = client.get(url)
            else:
                response = getattr(client, method)(
                    url,
                    API_BODY.get(suffix, {}),
                    content_type="application/json",
                    headers={"Idempotency-Key": f"k-{name}-{number}"},
                )
            statuses.append(response.status_code)
        answers[who] = tuple(statuses)
    _check(answers, name)
