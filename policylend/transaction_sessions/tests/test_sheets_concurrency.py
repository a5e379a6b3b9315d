"""Two tellers (or a double click) posting one sheet at the same moment: one posting, the other
gets the same sheet back. Real threads, real connections, real commits, on both databases."""

from __future__ import annotations

import threading

import pytest
from django.db import connections

from policylend.ledger.models import JournalEntry
from policylend.loans.tests.servicing_setup import assert_books_clean

from ..models import CollectionSheet
from ..services.sheets import SheetRow, collection_sheet_post
from .sheet_setup import TODAY, build_sheet_world

pytestmark = pytest.mark.django_db(transaction=True)


def race(workers):
    barrier = threading.Barrier(len(workers))
    results = [None] * len(workers)

    def run(index, work):
        try:
            barrier.wait(timeout=10)
            results[index] = ("ok", work())
        except Exception as error:
            results[index] = ("error", error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, w)) for i, w in enumerate(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_two_posts_of_one_sheet_post_once(org, staff):
    w = build_sheet_world(org, staff)
    an, binh, _third = w.loans
    rows = [
        SheetRow(w.households[0].pk, an.pk, interest=10_000, savings=50_000),
        SheetRow(w.households[1].pk, binh.pk, principal=4_000_000),
    ]
    entries = JournalEntry.objects.count()

    def post():
        return collection_sheet_post(
            actor=w.teller,
            session=w.session,
            group=w.group,
            rows=rows,
            idempotency_key="double-click",
            today=TODAY,
        )

    results = race([post, post])
    assert [kind for kind, _ in results] == ["ok", "ok"], results
    sheets = [value for _, value in results]
    assert sheets[0].pk == sheets[1].pk
    assert sorted(sheet.replayed for sheet in sheets) == [False, True]
    assert CollectionSheet.objects.count() == 1
    assert JournalEntry.objects.count() == entries + 1
    assert_books_clean()


def test_two_keys_for_one_group_post_once(org, staff):
    w = build_sheet_world(org, staff)
    rows = [SheetRow(w.households[0].pk, w.loans[0].pk, interest=10_000)]

    def post(key):
        return lambda: collection_sheet_post(
            actor=w.teller,
            session=w.session,
            group=w.group,
            rows=rows,
            idempotency_key=key,
            today=TODAY,
        )

    results = race([post("a"), post("b")])
    kinds = sorted(kind for kind, _ in results)
    assert kinds == ["error", "ok"], results
    error = next(value for kind, value in results if kind == "error")
    assert error.code == "sheet_already_posted"
    assert CollectionSheet.objects.count() == 1
