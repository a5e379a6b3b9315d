from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from policylend.core.errors import DomainError, Problem
from policylend.core.periods import Month
from policylend.organisation.models import OrganisationUnit, UnitKind

from ..error_codes import LedgerErrorCode as E
from ..models import Account, JournalEntry, JournalLine
from ..rules import LineSpec, content_hash, entry_problems
from .locks import period_is_closed_with_shared_lock

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
        branch_id=branch_id, value_date=value_date, kind=kind, memo=memo, lines=lines,
        reverses_id=reverses.pk if reverses else None,
    )
    try:
        with transaction.atomic():
            existing = JournalEntry.objects.filter(idempotency_key=key).first()
            if existing is not None:
                return _replay(existing, fingerprint)
            if period_is_closed_with_shared_lock(branch_id, Month.of(value_date).first_day):
                raise DomainError(
                    E.PERIOD_CLOSED,
                    _("%(month)s is closed; post in an open month (a correction is a reversal dated today).")
                    % {"month": Month.of(value_date)},
                    "value_date",
                )
            account_ids = resolve_accounts(lines)
            check_offices(lines, branch_id)
            entry = JournalEntry.objects.create(
                branch_id=branch_id, value_date=value_date, kind=kind, memo=memo,
                idempotency_key=key, content_hash=fingerprint, maker=maker, checker=checker,
                reverses=reverses,
            )
            JournalLine.objects.bulk_create(
                JournalLine(
                    entry=entry, branch_id=branch_id, value_date=value_date,
                    account_id=account_ids[line.account], amount=line.signed_amount,
                    office_id=line.office_id, association_id=line.association_id,
                    group_ref=line.group_ref, loan_ref=line.loan_ref,
                    savings_account_ref=line.savings_account_ref, campaign_ref=line.campaign_ref,
                )
                for line in lines
            )
    except IntegrityError:
        # Two requests with one key raced: the loser finds the winner's entry (if it is not
        # there, the integrity error was something else and is raised as it is).
        if transaction.get_connection().in_atomic_block:
            raise
        existing = JournalEntry.objects.filter(idempotency_key=key).first()
        if existing is None:
            raise
        return _replay(existing, fingerprint)
    entry.replayed = False
    return entry


def check_entry_header(*, memo: str, key: str, value_date: date, today: date) -> None:
    problems = []
    if not memo:
        problems.append(Problem(E.MEMO_REQUIRED, _("Write what the entry is for (memo)."), "memo"))
    elif len(memo) > MEMO_LENGTH_MAX:
        problems.append(Problem(
            E.MEMO_TOO_LONG,
            _("The memo may have at most %(n)d characters; it has %(length)d.")
            % {"n": MEMO_LENGTH_MAX, "length": len(memo)}, "memo",
        ))
    if not key:
        problems.append(Problem(E.KEY_REQUIRED, _("An idempotency key is required."), "idempotency_key"))
    elif len(key) > KEY_LENGTH_MAX:
        problems.append(Problem(
            E.KEY_TOO_LONG, _("The idempotency key may have at most %(n)d characters.") % {"n": KEY_LENGTH_MAX},
            "idempotency_key",
        ))
    if value_date > today:
        problems.append(Problem(
            E.VALUE_DATE_FUTURE,
            _("The value date %(date)s is after today (%(today)s).")
            % {"date": value_date.strftime("%d/%m/%Y"), "today": today.strftime("%d/%m/%Y")},
            "value_date",
        ))
    if problems:
        raise DomainError.of(problems)


def _replay(existing: JournalEntry, fingerprint: str) -> JournalEntry:
    if existing.content_hash != fingerprint:
        raise DomainError(
            E.KEY_REUSED,
            _("This idempotency key was already used for entry #%(id)d with different content; use a new key.")
            % {"id": existing.pk},
            "idempotency_key",
        )
    existing.replayed = True
    return existing


def resolve_accounts(lines: Sequence[LineSpec]) -> dict[str, int]:
    codes = {line.account for line in lines}
    rows = {
        code: (pk, postable, active)
        for code, pk, postable, active in Account.objects.filter(code__in=codes).values_list(
            "code", "id", "is_postable", "is_active"
        )
    }
    problems = []
    for number, line in enumerate(lines, start=1):
        field = f"lines[{number}].account"
        row = rows.get(line.account)
        if row is None:
            problems.append(Problem(
                E.ACCOUNT_UNKNOWN,
                _("Line %(n)d: there is no account %(code)s.") % {"n": number, "code": line.account}, field,
            ))
        elif not row[1]:
            problems.append(Problem(
                E.ACCOUNT_NOT_POSTABLE,
                _("Line %(n)d: account %(code)s is a header account and takes no postings.")
                % {"n": number, "code": line.account}, field,
            ))
        elif not row[2]:
            problems.append(Problem(
                E.ACCOUNT_INACTIVE,
                _("Line %(n)d: account %(code)s is closed to postings.") % {"n": number, "code": line.account},
                field,
            ))
    if problems:
        raise DomainError.of(problems)
    return {code: row[0] for code, row in rows.items()}


def check_offices(lines: Sequence[LineSpec], branch_id: int) -> None:
    office_ids = {line.office_id for line in lines if line.office_id is not None}
    if not office_ids:
        return
    found = set(
        OrganisationUnit.objects.filter(
            id__in=office_ids, kind=UnitKind.OFFICE, branch_id=branch_id
        ).values_list("id", flat=True)
    )
    for number, line in enumerate(lines, start=1):
        if line.office_id is not None and line.office_id not in found:
            raise DomainError(
                E.OFFICE_NOT_IN_BRANCH,
                _("Line %(n)d: unit %(office)s is not a transaction office of this branch.")
                % {"n": number, "office": line.office_id},
                f"lines[{number}].office",
            )
