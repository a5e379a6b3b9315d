"""Shared fixtures: a small organisation with two transaction offices, and users of every role.

Office A (Bắc Sơn) and office B (Bình Gia) sit under one branch, each with two communes, each
commune with two villages and a transaction point. Scope tests use A and B: a user of A must
never see B's objects.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from hypothesis import settings

# Property tests check rules, not speed: a busy machine (two databases' runs at once) must not
# fail one on hypothesis' per-example deadline. Speed lives in bench/.
settings.register_profile("policylend", deadline=None)
settings.load_profile("policylend")

TODAY = date(2026, 11, 25)
PASSWORD = "Correct-horse-battery-9"


@dataclass
class Org:
    branch: object
    office_a: object
    office_b: object
    commune_a1: object
    commune_a2: object
    commune_b1: object
    commune_b2: object
    villages: dict
    points: dict


def build_org() -> Org:
    from policylend.organisation.services import transaction_point_create, unit_create

    opened = date(2020, 1, 1)
    branch = unit_create(
        kind="branch", code="740", name="Lạng Sơn", parent=None, opened_on=opened, actor=None
    )
    office_a = unit_create(
        kind="office", code="7401", name="Bắc Sơn", parent=branch, opened_on=opened, actor=None
    )
    office_b = unit_create(
        kind="office", code="7402", name="Bình Gia", parent=branch, opened_on=opened, actor=None
    )
    communes, villages, points = {}, {}, {}
    for office, codes in (
        (office_a, [("206001", "Vũ Lăng", 21), ("206002", "Hưng Vũ", 6)]),
        (office_b, [("207001", "Hoàng Văn Thụ", 10), ("207002", "Tân Văn", 15)]),
    ):
        for code, name, day in codes:
            commune = unit_create(
                kind="commune", code=code, name=name, parent=office, opened_on=opened, actor=None
            )
            communes[code] = commune
            for n in (1, 2):
                villages[f"{code}{n:02d}"] = unit_create(
                    kind="village",
                    code=f"{code}{n:02d}",
                    name=f"Thôn {n} {name}",
                    parent=commune,
                    opened_on=opened,
                    actor=None,
                )
            points[code] = transaction_point_create(
                commune=commune,
                code=f"TXN{code}",
                name=f"Điểm giao dịch xã {name}",
                session_day=day,
                address=f"UBND xã {name}",
                opened_on=opened,
                actor=None,
            )
    return Org(
        branch,
        office_a,
        office_b,
        communes["206001"],
        communes["206002"],
        communes["207001"],
        communes["207002"],
        villages,
        points,
    )


@pytest.fixture
def today() -> date:
    return TODAY


@pytest.fixture
def org(db) -> Org:
    return build_org()


@pytest.fixture
def make_user(db):
    from policylend.users.models import User

    counter = {"n": 0}

    def make(
        role: str, unit, association_code: str | None = None, username: str | None = None, **extra
    ):
        from policylend.associations.models import Association

        counter["n"] += 1
        association = Association.objects.get(code=association_code) if association_code else None
        user = User(
            username=username or f"{role}-{counter['n']}",
            full_name=f"{role} {counter['n']}",
            role=role,
            scope_unit=unit,
            scope_association=association,
            **extra,
        )
        user.set_password(PASSWORD)
        user.save()
        return user

    return make


# --- test harness: Chromium, transactional tests and the journal's triggers --------------------------
# (Appended below the shared domain fixtures; the imports stay here so that section stays as it is.)

import os  # noqa: E402

from pytest_django.fixtures import validate_django_db  # noqa: E402
from pytest_django.plugin import is_django_unittest  # noqa: E402

# Playwright's sync API runs an event loop in the test thread; Django would otherwise refuse ORM
# calls made from that thread (fixtures, assertions) as "async unsafe".
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium, never a browser download (TOOLCHAIN.md, Browser tests)."""
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": [
            *browser_type_launch_args.get("args", []),
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


def _uses_transactional_db(item_or_request) -> bool:
    """Whether pytest-django runs this test as a TransactionTestCase (the tables are flushed after
    it instead of a rollback): the same rule pytest-django applies."""
    names = item_or_request.fixturenames
    if "transactional_db" in names or "live_server" in names:
        return True
    node = getattr(item_or_request, "node", item_or_request)
    marker = node.get_closest_marker("django_db")
    if marker is None:
        return False
    transaction, reset_sequences, *_ = validate_django_db(marker)
    return transaction or reset_sequences


def pytest_collection_modifyitems(items):
    """Give every transactional test the rows the data migrations wrote (chart of accounts,
    associations): the flush after a transactional test empties every table, so without a
    serialized rollback the next one would start with no chart. Django restores the snapshot it
    took after migrating at the start of each such test."""
    for item in items:
        if not isinstance(item, pytest.Function) or is_django_unittest(item):
            continue
        if not _uses_transactional_db(item):
            continue
        marker = item.get_closest_marker("django_db")
        _transaction, reset_sequences, databases, _, available_apps = (
            validate_django_db(marker) if marker else (True, False, None, False, None)
        )
        item.add_marker(
            pytest.mark.django_db(
                transaction=True,
                reset_sequences=reset_sequences,
                databases=databases,
                serialized_rollback=True,
                available_apps=available_apps,
            ),
            append=False,
        )


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    """Keep the serialized rollback working once Playwright runs.

    Django keeps the snapshot for serialized rollback on the connection object, and connection
    objects are per context; Playwright's sync API switches context, so from the first browser
    test on, tests get a fresh connection object without the snapshot, and Django would silently
    skip the restore. Hand the snapshot to every connection object created from now on."""
    from django.db import connections

    snapshots = {
        alias: connections[alias]._test_serialized_contents
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }
    create_connection = connections.create_connection

    def create_connection_with_snapshot(alias):
        connection = create_connection(alias)
        if alias in snapshots:
            connection._test_serialized_contents = snapshots[alias]
        return connection

    connections.create_connection = create_connection_with_snapshot
    yield
    del connections.create_connection


@pytest.fixture(autouse=True)
def _journal_triggers_around_flush(request):
    """Transactional and live-server tests end with a flush of every table. On SQLite the flush
    is a DELETE, which the journal's immutability triggers refuse once a test posted an entry
    (PostgreSQL's TRUNCATE does not fire row triggers). So, for those tests only: install the
    triggers fresh at set-up, and drop them at teardown — before the flush, because this fixture
    is set up after ``transactional_db`` and so torn down before it. The same on both databases.
    """
    if is_django_unittest(request) or not _uses_transactional_db(request):
        yield
        return
    request.getfixturevalue("transactional_db")
    from django.db import connection

    from policylend.ledger import triggers

    # Uninstall first: CREATE TRIGGER is not idempotent on PostgreSQL.
    triggers.uninstall(connection)
    triggers.install(connection)
    yield
    triggers.uninstall(connection)
