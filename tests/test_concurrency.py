"""Two people acting at the same moment: two checkers approving one request, two retries posting
with one idempotency key. Real threads, real connections, real commits, on both databases."""

import threading
from datetime import date

import pytest
from django.db import connection, connections

from conftest import TODAY, build_org
from policylend.approvals.models import ApprovalRequest, ApprovalStatus
from policylend.approvals.services import approval_request_approve, approval_request_create
from policylend.core.errors import DomainError
from policylend.ledger.approval_kinds import MANUAL_ENTRY
from policylend.ledger.models import JournalEntry, JournalLine
from policylend.ledger.rules import credit, debit
from policylend.ledger.services import journal_entry_post

pytestmark = pytest.mark.django_db(transaction=True)


def race(workers):
    """Start every worker at once (a barrier) and collect what each returned or raised."""
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


@pytest.fixture
def people(make_user):
    org = build_org()
    return (
        org,
        make_user("teller", org.office_a),
        make_user("controller", org.office_a),
        make_user("controller", org.office_a),
    )


def test_two_checkers_approving_at_once_resolve_the_request_once(people):
    org, teller, checker_1, checker_2 = people
    payload = {
        "branch_id": org.branch.pk,
        "value_date": "2026-11-20",
        "memo": "Cash to Vũ Lăng point",
        "lines": [
            debit("1011", 5_000_000, office_id=org.office_a.pk).as_dict(),
            credit("1012", 5_000_000, office_id=org.office_a.pk).as_dict(),
        ],
    }
    request = approval_request_create(
        kind=MANUAL_ENTRY, payload=payload, unit=org.office_a, maker=teller, today=TODAY
    )

    results = race(
        [
            lambda: approval_request_approve(request_id=request.pk, checker=checker_1, today=TODAY),
            lambda: approval_request_approve(request_id=request.pk, checker=checker_2, today=TODAY),
        ]
    )

    outcomes = sorted(kind for kind, _ in results)
    assert outcomes == ["error", "ok"], results
    error = next(value for kind, value in results if kind == "error")
    assert isinstance(error, DomainError) and error.code == "approval_not_pending"
    request.refresh_from_db()
    assert request.status == ApprovalStatus.APPROVED
    assert JournalEntry.objects.filter(kind="manual").count() == 1
    assert ApprovalRequest.objects.get(pk=request.pk).checker_id in (checker_1.pk, checker_2.pk)


def test_two_posts_with_one_key_post_once(people):
    org, teller, _checker, _ = people

    def post():
        return journal_entry_post(
            branch=org.branch.pk,
            value_date=date(2026, 11, 20),
            kind="cash_transfer",
            memo="Retry",
            lines=[
                debit("1011", 700_000, office_id=org.office_a.pk),
                credit("1012", 700_000, office_id=org.office_a.pk),
            ],
            idempotency_key="retry-after-lost-connection",
            maker=teller,
            today=TODAY,
        ).pk

    results = race([post, post, post])
    assert all(kind == "ok" for kind, _ in results), results
    assert len({value for _, value in results}) == 1
    assert JournalEntry.objects.count() == 1 and JournalLine.objects.count() == 2


def test_the_database_in_use(db):
    # Recorded in the output so a reader sees which database ran the races.
    assert connection.vendor in ("sqlite", "postgresql")


def test_a_posting_racing_a_month_close_is_refused_and_the_snapshot_stays_true(people):
    import time

    from django.db import transaction
    from django.db.models import Sum

    from policylend.core.periods import Month
    from policylend.ledger.models import BalanceSnapshot
    from policylend.ledger.services import period_close

    org, teller, _checker, _ = people
    october = date(2026, 10, 15)
    journal_entry_post(
        branch=org.branch.pk,
        value_date=october,
        kind="cash_transfer",
        memo="Before the close",
        lines=[
            debit("1011", 100, office_id=org.office_a.pk),
            credit("1012", 100, office_id=org.office_a.pk),
        ],
        idempotency_key="before-close",
        maker=teller,
        today=TODAY,
    )
    closing = threading.Event()

    def close_slowly():
        with transaction.atomic():
            period_close(
                branch_id=org.branch.pk,
                month=Month(2026, 10),
                closed_by=teller,
                requested_by=teller,
                today=TODAY,
            )
            closing.set()
            time.sleep(0.5)  # the close holds the books while a teller tries to post
        return "closed"

    def post_into_october():
        closing.wait(timeout=10)
        return journal_entry_post(
            branch=org.branch.pk,
            value_date=october,
            kind="cash_transfer",
            memo="During the close",
            lines=[
                debit("1011", 5_000, office_id=org.office_a.pk),
                credit("1012", 5_000, office_id=org.office_a.pk),
            ],
            idempotency_key="during-close",
            maker=teller,
            today=TODAY,
        )

    results = race([close_slowly, post_into_october])

    assert results[0] == ("ok", "closed")
    kind, error = results[1]
    assert (
        kind == "error" and isinstance(error, DomainError) and error.code == "ledger_period_closed"
    )
    assert not JournalEntry.objects.filter(idempotency_key="during-close").exists()
    snapshot = dict(
        BalanceSnapshot.objects.values("account__code")
        .annotate(t=Sum("balance"))
        .values_list("account__code", "t")
    )
    assert snapshot == {"1011": 100, "1012": -100}
