"""Random sequences of postings, reversals and month closes keep the books whole: every entry
balances, and every balance the reports read equals the sum of its lines (STYLE.md, Tests)."""

from datetime import date, timedelta

from django.db import transaction
from django.db.models import Count, Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import TODAY
from policylend.core.errors import DomainError
from policylend.core.periods import Month
from policylend.ledger.models import JournalEntry, JournalLine
from policylend.ledger.rules import credit, debit
from policylend.ledger.selectors import LedgerScope, balances_at
from policylend.ledger.services import journal_entry_post, journal_entry_reverse, period_close

ACCOUNTS = ["1011", "1012", "2111.01", "3941", "4231", "7021"]
START = date(2026, 6, 1)

operation = st.one_of(
    st.tuples(
        st.just("post"),
        st.lists(
            st.tuples(st.sampled_from(ACCOUNTS), st.integers(1, 10**12)), min_size=1, max_size=4
        ),
        st.integers(0, (TODAY - START).days),
        st.sampled_from(["a", "b"]),
    ),
    st.tuples(st.just("reverse"), st.integers(0, 50)),
    st.tuples(st.just("close"), st.integers(6, 10)),
)


class Rollback(Exception):
    pass


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(operation, min_size=1, max_size=25))
def test_random_sequences_keep_every_entry_balanced_and_every_balance_equal_to_its_lines(
    org, clerk, operations
):
    try:
        with transaction.atomic():
            run(org, clerk, operations)
            check(org)
            raise Rollback
    except Rollback:
        pass


def run(org, clerk, operations):
    posted = []
    for number, op in enumerate(operations):
        try:
            if op[0] == "post":
                _, parts, day, office = op
                office_id = (org.office_a if office == "a" else org.office_b).pk
                # Every debit part is matched by a credit of the same amount on the next account,
                # so the entry balances whatever hypothesis draws.
                lines = []
                for account, amount in parts:
                    other = ACCOUNTS[(ACCOUNTS.index(account) + 1) % len(ACCOUNTS)]
                    lines += [
                        debit(account, amount, office_id=office_id),
                        credit(other, amount, office_id=office_id),
                    ]
                posted.append(
                    journal_entry_post(
                        branch=org.branch,
                        value_date=START + timedelta(days=day),
                        kind="manual",
                        memo="random",
                        lines=lines,
                        idempotency_key=f"p-{number}",
                        maker=clerk,
                        today=TODAY,
                    )
                )
            elif op[0] == "reverse" and posted:
                journal_entry_reverse(
                    entry_id=posted[op[1] % len(posted)].pk,
                    reason="random",
                    maker=clerk,
                    today=TODAY,
                )
            elif op[0] == "close":
                period_close(
                    branch_id=org.branch.pk,
                    month=Month(2026, op[1]),
                    closed_by=clerk,
                    requested_by=clerk,
                    today=TODAY,
                )
        except DomainError:
            pass  # refused operations (closed month, second reversal, out of order) change nothing


def check(org):
    unbalanced = (
        JournalLine.objects.values("entry_id").annotate(total=Sum("amount")).exclude(total=0)
    )
    assert not unbalanced.exists()
    assert not JournalEntry.objects.annotate(n=Count("lines")).filter(n__lt=2).exists()
    for scope in (
        LedgerScope(org.branch),
        LedgerScope(org.branch, org.office_a),
        LedgerScope(org.branch, org.office_b),
    ):
        for day in (date(2026, 6, 30), date(2026, 8, 31), date(2026, 9, 15), TODAY):
            lines = JournalLine.objects.filter(scope.line_q(), value_date__lte=day)
            expected = {
                a: t
                for a, t in lines.values("account_id")
                .annotate(t=Sum("amount"))
                .values_list("account_id", "t")
                if t
            }
            assert {a: t for a, t in balances_at(scope, day).items() if t} == expected
