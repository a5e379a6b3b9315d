from datetime import date

import pytest

from conftest import TODAY
from policylend.core.errors import DomainError
from policylend.ledger.error_codes import LedgerErrorCode as E
from policylend.ledger.models import Account, JournalEntry, JournalLine
from policylend.ledger.rules import credit, debit
from policylend.ledger.services import journal_entry_post, journal_entry_reverse


def counts():
    return JournalEntry.objects.count(), JournalLine.objects.count()


@pytest.fixture
def base(org, clerk):
    return dict(
        branch=org.branch,
        value_date=date(2026, 11, 20),
        kind="manual",
        memo="Test voucher",
        maker=clerk,
        today=TODAY,
    )


def refused(base, code, **changes):
    """Post with ``changes`` and check it is refused with ``code`` and writes nothing."""
    before = counts()
    with pytest.raises(DomainError) as error:
        journal_entry_post(**{**base, "idempotency_key": "refused", **changes})
    assert code in [p.code for p in error.value.problems], error.value.problems
    assert counts() == before
    return error.value


class TestPost:
    def test_posts_signed_lines_with_their_sub_ledgers(self, base, org):
        entry = journal_entry_post(
            **base,
            idempotency_key="k1",
            lines=[
                debit("1011", 30_000_000, office_id=org.office_a.pk),
                credit("1012", 30_000_000, office_id=org.office_a.pk),
            ],
        )
        lines = list(
            entry.lines.order_by("id").values_list(
                "account__code", "amount", "office_id", "branch_id", "value_date"
            )
        )
        assert lines == [
            ("1011", 30_000_000, org.office_a.pk, org.branch.pk, date(2026, 11, 20)),
            ("1012", -30_000_000, org.office_a.pk, org.branch.pk, date(2026, 11, 20)),
        ]
        assert entry.replayed is False and entry.maker == base["maker"] and entry.checker is None

    def test_refuses_an_empty_entry(self, base):
        refused(base, E.NO_LINES, lines=[])

    def test_refuses_an_unbalanced_entry(self, base):
        error = refused(base, E.UNBALANCED, lines=[debit("1011", 1000), credit("1012", 900)])
        assert error.field == "lines"

    def test_refuses_zero_and_negative_amounts(self, base):
        refused(base, E.AMOUNT_NOT_POSITIVE, lines=[debit("1011", 0), credit("1012", 0)])
        refused(base, E.AMOUNT_NOT_POSITIVE, lines=[debit("1011", -5), credit("1012", -5)])

    def test_refuses_a_float_amount(self, base):
        refused(base, E.AMOUNT_NOT_WHOLE, lines=[debit("1011", 100.0), credit("1012", 100.0)])

    def test_refuses_unknown_header_and_inactive_accounts(self, base):
        refused(base, E.ACCOUNT_UNKNOWN, lines=[debit("0000", 1000), credit("1012", 1000)])
        refused(base, E.ACCOUNT_NOT_POSTABLE, lines=[debit("21", 1000), credit("1012", 1000)])
        Account.objects.filter(code="1019").update(is_active=False)
        refused(base, E.ACCOUNT_INACTIVE, lines=[debit("1019", 1000), credit("1012", 1000)])

    def test_refuses_a_future_value_date(self, base):
        refused(
            base,
            E.VALUE_DATE_FUTURE,
            value_date=date(2026, 11, 26),
            lines=[debit("1011", 1000), credit("1012", 1000)],
        )

    def test_refuses_an_office_of_another_branch_or_a_commune(self, base, org):
        refused(
            base,
            E.OFFICE_NOT_IN_BRANCH,
            lines=[debit("1011", 1000, office_id=org.commune_a1.pk), credit("1012", 1000)],
        )

    def test_refuses_a_missing_memo_and_key(self, base):
        refused(
            {**base, "memo": "  "}, E.MEMO_REQUIRED, lines=[debit("1011", 1), credit("1012", 1)]
        )
        refused(
            base, E.KEY_REQUIRED, idempotency_key="", lines=[debit("1011", 1), credit("1012", 1)]
        )


class TestIdempotency:
    def test_the_same_key_and_content_returns_the_first_entry(self, base):
        lines = [debit("1011", 5000), credit("1012", 5000)]
        first = journal_entry_post(**base, idempotency_key="same", lines=lines)
        again = journal_entry_post(**base, idempotency_key="same", lines=list(lines))
        assert again.pk == first.pk and again.replayed is True
        assert counts() == (1, 2)

    def test_the_same_key_with_other_content_is_refused(self, base):
        journal_entry_post(
            **base, idempotency_key="same", lines=[debit("1011", 5000), credit("1012", 5000)]
        )
        error = refused(
            base,
            E.KEY_REUSED,
            idempotency_key="same",
            lines=[debit("1011", 6000), credit("1012", 6000)],
        )
        assert error.field == "idempotency_key"
        assert JournalLine.objects.filter(amount=6000).count() == 0


class TestReversal:
    def test_posts_the_mirror_linked_to_the_original(self, post, clerk):
        original = post(amount=2_500_000, value_date=date(2026, 10, 3))
        reversal = journal_entry_reverse(
            entry_id=original.pk, reason="Wrong office", maker=clerk, today=TODAY
        )
        assert reversal.reverses == original and reversal.value_date == TODAY
        assert sorted(reversal.lines.values_list("account__code", "amount")) == [
            ("1011", -2_500_000),
            ("1012", 2_500_000),
        ]
        assert "Wrong office" in reversal.memo

    def test_a_second_reversal_is_refused(self, post, clerk):
        original = post()
        first = journal_entry_reverse(
            entry_id=original.pk, reason="Wrong", maker=clerk, today=TODAY
        )
        with pytest.raises(DomainError) as error:
            journal_entry_reverse(entry_id=original.pk, reason="Again", maker=clerk, today=TODAY)
        assert error.value.code == E.ALREADY_REVERSED
        assert f"#{first.pk}" in error.value.message

    def test_a_reversal_is_not_itself_reversed(self, post, clerk):
        reversal = journal_entry_reverse(
            entry_id=post().pk, reason="Wrong", maker=clerk, today=TODAY
        )
        with pytest.raises(DomainError) as error:
            journal_entry_reverse(entry_id=reversal.pk, reason="Undo", maker=clerk, today=TODAY)
        assert error.value.code == E.REVERSAL_OF_REVERSAL

    def test_a_reason_is_required(self, post, clerk):
        with pytest.raises(DomainError) as error:
            journal_entry_reverse(entry_id=post().pk, reason=" ", maker=clerk, today=TODAY)
        assert error.value.code == E.REASON_REQUIRED
