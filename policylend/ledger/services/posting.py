from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from policylend.core.errors import DomainError, Problem
from policylend.core.periods import Month
from policylend.organisation.models import OrganisationUnit, UnitKind

from ..error_codes import LedgerErrorCode as E
from ..models import Account, JournalEntry
from ..rules import LineSpec, content_hash, entry_problems
from . import journal_sql

MEMO_LENGTH_MAX = 300
KEY_LENGTH_MAX = 120


def journal_entry_post(
    *,
    branch: OrganisationUnit | int,
    value_date: date,
    kind: str,
    memo: str,
    lines: Sequence[LineSpec],
    idempotency_key: str,
    maker,
    today: date,
    checker=None,
    reverses: JournalEntry | None = None,
) -> JournalEntry:
    """Post one balanced entry to the journal, the only way the journal is written.

    Refuses an empty, one-line or unbalanced entry, a line amount that is not a positive whole
    number of dong, an account that is unknown, inactive or a header, a value date in the future
    or in a closed month. Idempotent: the same key with the same content returns the entry posted
    first (``entry.replayed`` is then True); the same key with other content is refused.
    Joins the caller's database transaction when there is one, so a service that posts as part
    of a larger change stays all-or-nothing.
    """
    branch_id = branch if isinstance(branch, int) else branch.pk
    memo = (memo or "").strip()
    key = (idempotency_key or "").strip()
    check_entry_header(memo=memo, key=key, value_date=value_date, today=today)
    problems = entry_problems(lines)
    if problems:
        raise DomainError.of(problems)
    fingerprint = content_hash(
        branch_id=branch_id,
        value_date=value_date,
        kind=kind,
        memo=memo,
        lines=lines,
        reverses_id=reverses.pk if reverses else None,
    )
    codes = sorted({line.account for line in lines})
    office_ids = sorted({line.office_id for line in lines if line.office_id is not None})
    try:
        with transaction.atomic():
            facts = journal_sql.read_facts(
                branch_id=branch_id,
                month_first_day=Month.of(value_date).first_day,
                key=key,
                codes=codes,
                office_ids=office_ids,
            )
            if facts.earlier_entry is not None:
                return _replay(facts.earlier_entry, fingerprint)
            if facts.month_closed:
                raise _month_closed(value_date)
            account_ids = check_accounts(lines, facts.accounts)
            check_office_lines(lines, facts.offices)
            entry = JournalEntry(
                branch_id=branch_id,
                value_date=value_date,
                kind=kind,
                memo=memo,
                idempotency_key=key,
                content_hash=fingerprint,
                maker_id=maker.pk,
                checker_id=checker.pk if checker else None,
                reverses_id=reverses.pk if reverses else None,
                recorded_at=journal_sql.now(),
            )
            entry.pk = journal_sql.insert_entry(
                {column: getattr(entry, column) for column in journal_sql.ENTRY_COLUMNS},
                month_first_day=Month.of(value_date).first_day,
                lines=[
                    (
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
                    for line in lines
                ],
            )
            if entry.pk is None:
                raise _month_closed(value_date)
            entry._state.adding = False
            entry._state.db = "default"
    except IntegrityError:
        # Two requests with one key raced: the loser finds the winner's entry (if it is not
        # there, the integrity error was something else and is raised as it is).
        if transaction.get_connection().in_atomic_block:
            raise
        existing = (
            JournalEntry.objects.filter(idempotency_key=key)
            .values_list("id", "content_hash")
            .first()
        )
        if existing is None:
            raise
        return _replay(existing, fingerprint)
    entry.replayed = False
    return entry


def _month_closed(value_date: date) -> DomainError:
    return DomainError(
        E.PERIOD_CLOSED,
        _("%(month)s is closed; post in an open month (a correction is a reversal dated today).")
        % {"month": Month.of(value_date)},
        "value_date",
    )


def check_entry_header(*, memo: str, key: str, value_date: date, today: date) -> None:
    problems = []
    if not memo:
        problems.append(Problem(E.MEMO_REQUIRED, _("Write what the entry is for (memo)."), "memo"))
    elif len(memo) > MEMO_LENGTH_MAX:
        problems.append(
            Problem(
                E.MEMO_TOO_LONG,
                _("The memo may have at most %(n)d characters; it has %(length)d.")
                % {"n": MEMO_LENGTH_MAX, "length": len(memo)},
                "memo",
            )
        )
    if not key:
        problems.append(
            Problem(E.KEY_REQUIRED, _("An idempotency key is required."), "idempotency_key")
        )
    elif len(key) > KEY_LENGTH_MAX:
        problems.append(
            Problem(
                E.KEY_TOO_LONG,
                _("The idempotency key may have at most %(n)d characters.") % {"n": KEY_LENGTH_MAX},
                "idempotency_key",
            )
        )
    if value_date > today:
        problems.append(
            Problem(
                E.VALUE_DATE_FUTURE,
                _("The value date %(date)s is after today (%(today)s).")
                % {"date": value_date.strftime("%d/%m/%Y"), "today": today.strftime("%d/%m/%Y")},
                "value_date",
            )
        )
    if problems:
        raise DomainError.of(problems)


def _replay(earlier: tuple[int, str], fingerprint: str) -> JournalEntry:
    entry_id, earlier_hash = earlier
    if earlier_hash != fingerprint:
        raise DomainError(
            E.KEY_REUSED,
            _(
                "This idempotency key was already used for entry #%(id)d with different content; use a new key."
            )
            % {"id": entry_id},
            "idempotency_key",
        )
    existing = JournalEntry.objects.get(pk=entry_id)
    existing.replayed = True
    return existing


def check_accounts(
    lines: Sequence[LineSpec], accounts: dict[str, tuple[int, bool, bool]]
) -> dict[str, int]:
    """Each line's account must exist, take postings and be open; returns code → account id.
    ``accounts`` maps code → (id, postable, active)."""
    problems = []
    for number, line in enumerate(lines, start=1):
        field = f"lines[{number}].account"
        row = accounts.get(line.account)
        if row is None:
            problems.append(
                Problem(
                    E.ACCOUNT_UNKNOWN,
                    _("Line %(n)d: there is no account %(code)s.")
                    % {"n": number, "code": line.account},
                    field,
                )
            )
        elif not row[1]:
            problems.append(
                Problem(
                    E.ACCOUNT_NOT_POSTABLE,
                    _("Line %(n)d: account %(code)s is a header account and takes no postings.")
                    % {"n": number, "code": line.account},
                    field,
                )
            )
        elif not row[2]:
            problems.append(
                Problem(
                    E.ACCOUNT_INACTIVE,
                    _("Line %(n)d: account %(code)s is closed to postings.")
                    % {"n": number, "code": line.account},
                    field,
                )
            )
    if problems:
        raise DomainError.of(problems)
    return {code: row[0] for code, row in accounts.items()}


def check_office_lines(lines: Sequence[LineSpec], offices: set[int]) -> None:
    """Each line's office, when given, must be one of ``offices`` (the branch's offices)."""
    for number, line in enumerate(lines, start=1):
        if line.office_id is not None and line.office_id not in offices:
            raise DomainError(
                E.OFFICE_NOT_IN_BRANCH,
                _("Line %(n)d: unit %(office)s is not a transaction office of this branch.")
                % {"n": number, "office": line.office_id},
                f"lines[{number}].office",
            )


def resolve_accounts(lines: Sequence[LineSpec]) -> dict[str, int]:
    """The same account check for a request that is not being posted yet (maker–checker)."""
    accounts = {
        code: (pk, postable, active)
        for code, pk, postable, active in Account.objects.filter(
            code__in={line.account for line in lines}
        ).values_list("code", "id", "is_postable", "is_active")
    }
    return check_accounts(lines, accounts)


def check_offices(lines: Sequence[LineSpec], branch_id: int) -> None:
    office_ids = {line.office_id for line in lines if line.office_id is not None}
    found = (
        set(
            OrganisationUnit.objects.filter(
                id__in=office_ids, kind=UnitKind.OFFICE, branch_id=branch_id
            ).values_list("id", flat=True)
        )
        if office_ids
        else set()
    )
    check_office_lines(lines, found)
