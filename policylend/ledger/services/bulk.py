"""Posting many entries at once (the month-end accrual of a branch: a line per loan), with every
check ``journal_entry_post`` makes — each entry balanced, at least two lines, amounts positive
whole dong, accounts known, postable and open, offices of the branch, value date not in the
future nor in a closed month, idempotency by key with the content's fingerprint — but one
statement for the facts, one for the entries and, on PostgreSQL, one ``COPY`` for the lines.

PostgreSQL's deferred trigger still checks each entry's balance at commit; it sums an entry's
lines once per line, so callers keep entries small (a few hundred lines).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.db import connection, transaction
from django.utils.translation import gettext as _

from policylend.core.errors import DomainError
from policylend.core.periods import Month

from ..error_codes import LedgerErrorCode as E
from ..models import JournalEntry
from ..rules import LineSpec, content_hash, entry_problems
from . import journal_sql
from .posting import _month_closed, check_accounts, check_entry_header, check_office_lines

ENTRIES_PER_STATEMENT = 2_000


def journal_entries_post_bulk(
    *,
    branch_id: int,
    value_date: date,
    kind: str,
    memo: str,
    entries: Sequence[tuple[str, Sequence[LineSpec]]],
    maker,
    today: date,
) -> list[int]:
    """Post ``entries`` — (idempotency key, lines) pairs — of one branch, date, kind and memo;
    returns their ids in order. All or nothing. Replaying the same keys with the same content
    returns the first ids; a key already used with other content is refused."""
    if not entries:
        return []
    memo = (memo or "").strip()
    keys = [key.strip() for key, _lines in entries]
    for key in keys:
        check_entry_header(memo=memo, key=key, value_date=value_date, today=today)
    fingerprints = []
    for _key, lines in entries:
        problems = entry_problems(lines)
        if problems:
            raise DomainError.of(problems)
        fingerprints.append(
            content_hash(
                branch_id=branch_id,
                value_date=value_date,
                kind=kind,
                memo=memo,
                lines=lines,
                reverses_id=None,
            )
        )
    all_lines = [line for _key, lines in entries for line in lines]
    month_first_day = Month.of(value_date).first_day
    with transaction.atomic():
        facts = journal_sql.read_facts(
            branch_id=branch_id,
            month_first_day=month_first_day,
            key=keys[0] if keys else "",
            codes=sorted({line.account for line in all_lines}),
            office_ids=sorted({line.office_id for line in all_lines if line.office_id is not None}),
        )
        earlier = dict(
            JournalEntry.objects.filter(idempotency_key__in=keys).values_list(
                "idempotency_key", "id"
            )
        )
        if earlier:
            return _replayed(keys, fingerprints, earlier)
        if facts.month_closed:
            raise _month_closed(value_date)
        account_ids = check_accounts(all_lines, facts.accounts)
        check_office_lines(all_lines, facts.offices)
        ids = _insert_entries(
            branch_id, value_date, kind, memo, keys, fingerprints, maker, month_first_day
        )
        _insert_lines(branch_id, value_date, ids, entries, account_ids)
        return ids


def _replayed(keys, fingerprints, earlier: dict[str, int]) -> list[int]:
    hashes = dict(
        JournalEntry.objects.filter(pk__in=earlier.values()).values_list("id", "content_hash")
    )
    for key, fingerprint in zip(keys, fingerprints, strict=True):
        entry_id = earlier.get(key)
        if entry_id is None or hashes[entry_id] != fingerprint:
            raise DomainError(
                E.KEY_REUSED,
                _(
                    "This idempotency key was already used for entry #%(id)d with different content; use a new key."
                )
                % {"id": entry_id or next(iter(earlier.values()))},
                "idempotency_key",
            )
    return [earlier[key] for key in keys]


def _insert_entries(
    branch_id, value_date, kind, memo, keys, fingerprints, maker, month_first_day
) -> list[int]:
    ops = connection.ops
    recorded_at = ops.adapt_datetimefield_value(journal_sql.now())
    day = ops.adapt_datefield_value(value_date)
    casts = journal_sql.ENTRY_CASTS
    row = "(" + journal_sql._typed(casts) + ")"
    ids: list[int] = []
    with connection.cursor() as cursor:
        for start in range(0, len(keys), ENTRIES_PER_STATEMENT):
            batch = list(zip(keys, fingerprints, strict=True))[
                start : start + ENTRIES_PER_STATEMENT
            ]
            params: list = []
            for key, fingerprint in batch:
                params += [
                    branch_id,
                    day,
                    kind,
                    memo,
                    key,
                    fingerprint,
                    maker.pk,
                    None,
                    None,
                    recorded_at,
                ]
            params += [branch_id, ops.adapt_datefield_value(month_first_day)]
            closed = (
                "SELECT 1 FROM ledger_accountingperiod WHERE branch_id = %s AND month >= %s "
                "AND status = 'closed'"
            )
            cursor.execute(
                f"INSERT INTO ledger_journalentry ({', '.join(journal_sql.ENTRY_COLUMNS)}) "  # noqa: S608
                f"SELECT * FROM (VALUES {', '.join([row] * len(batch))}) AS e "
                f"WHERE NOT EXISTS ({closed}) RETURNING id, idempotency_key",
                params,
            )
            by_key = {key: entry_id for entry_id, key in cursor.fetchall()}
            if len(by_key) != len(batch):
                raise _month_closed(value_date)
            ids += [by_key[key] for key, _fingerprint in batch]
    return ids


def _insert_lines(branch_id, value_date, ids, entries, account_ids) -> None:
    rows = (
        (
            entry_id,
            branch_id,
            value_date,
            account_ids[line.account],
            line.signed_amount,
            line.office_id,
            line.association_id,
            line.group_ref,
            line.loan_ref,
            line.savings_account_ref,
            line.campaign_ref,
        )
        for entry_id, (_key, lines) in zip(ids, entries, strict=True)
        for line in lines
    )
    columns = ("entry_id", *journal_sql.LINE_COLUMNS)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(
                f"COPY ledger_journalline ({', '.join(columns)}) FROM STDIN"
            ) as copy:
                for line in rows:
                    copy.write_row(line)
            return
        ops = connection.ops
        cursor.executemany(
            f"INSERT INTO ledger_journalline ({', '.join(columns)}) "  # noqa: S608
            f"VALUES ({', '.join(['%s'] * len(columns))})",
            [(r[0], r[1], ops.adapt_datefield_value(r[2]), *r[3:]) for r in rows],
        )
