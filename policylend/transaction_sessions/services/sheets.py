"""Posting a group's collection sheet at a session (domain.md §8, issue 5 "The collection sheet").

The group leader hands over the interest collected from the members and their savings; borrowers
pay principal in person. The team enters what was handed over per member (pre-filled from the due
list, ``selectors.sheets.collection_sheet_prefill``) and the sheet is posted as ONE journal
entry: Dr 1011 cash at the point for the total; Cr 3941 interest per loan, Cr 2112/2111 principal
per loan as the loan's waterfall assigns it (``loans.allocation``), Cr 4231 savings per member's
account. When a loan's interest paid exceeds the interest posted, its interest is first posted to
the session day inside the same entry (Dr 3941 / Cr 7021, 7022), as
``loans.services.accrual.interest_post_to_date`` does for one loan.

Set-wise: the group's loans are locked in one query, their open instalments read in one, every
allocation worked out in Python, then the rows are written in bulk. Every
problem names the member, the row's field and the rule; nothing is posted when there is one.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from policylend.core.errors import DomainError, NotFound
from policylend.core.periods import day_text
from policylend.groups.models import GroupMembership
from policylend.households.models import Household
from policylend.ledger.models import EntryKind
from policylend.ledger.services import journal_entry_post
from policylend.loans.models import Instalment, InstalmentStatus, Loan
from policylend.savings.models import AccountStatus, SavingsAccount
from policylend.users import access
from policylend.users.roles import Capability

from ..error_codes import SheetError as E
from ..models import (
    CashRole,
    CollectionLine,
    CollectionSheet,
    SessionEntry,
    SheetStatus,
    TransactionSession,
)
from ..selectors.sheets import loan_dues
from .sessions import require_open, session_lock
from .sheet_checks import SheetBooks, SheetRow, sheet_checked
from .sheet_effects import LoanPlan, loans_write, plan_loans, savings_write, sheet_lines


def sheet_content_hash(session_id: int, group_id: int, rows: list[SheetRow]) -> str:
    canonical = {
        "session": session_id,
        "group": group_id,
        "rows": [
            [row.household_id, row.loan_id, row.interest, row.principal, row.savings]
            for row in rows
        ],
    }
    return hashlib.sha256(
        json.dumps(canonical, separators=(",", ":"), sort_keys=True).encode()
    ).hexdigest()


def _entry_key(key: str) -> str:
    return "collection-sheet:" + hashlib.sha256(key.encode()).hexdigest()


def _replay_of(sheet: CollectionSheet, fingerprint: str) -> CollectionSheet:
    if sheet.content_hash != fingerprint:
        raise DomainError(
            E.KEY_REUSED,
            _(
                "This idempotency key was already used for collection sheet no. %(receipt)s "
                "with other amounts; use a new key."
            )
            % {"receipt": sheet.receipt_number},
            "idempotency_key",
        )
    sheet.replayed = True
    return sheet


def _replayed(key: str, fingerprint: str) -> CollectionSheet | None:
    sheet = CollectionSheet.objects.filter(idempotency_key=key).first()
    return None if sheet is None else _replay_of(sheet, fingerprint)


def _earlier(key: str, fingerprint: str, session: TransactionSession, group):
    """One read for both: the sheet posted with this key (returned, a replay), or the group's
    sheet already posted at this session (refused)."""
    found = list(
        CollectionSheet.objects.filter(
            Q(idempotency_key=key) | Q(session=session, group=group, status=SheetStatus.POSTED)
        )
    )
    for sheet in found:
        if sheet.idempotency_key == key:
            return _replay_of(sheet, fingerprint)
    if found:
        raise _posted_error(group, found[0].entry_id)
    return None


def _posted_error(group, receipt: int) -> DomainError:
    return DomainError(
        E.ALREADY_POSTED,
        _(
            "The sheet of group %(group)s at this session is already posted (receipt no. "
            "%(receipt)s); reverse it before posting another."
        )
        % {"group": group.name, "receipt": receipt},
        "group",
    )


def _already_posted(session: TransactionSession, group) -> DomainError | None:
    posted = (
        CollectionSheet.objects.filter(session=session, group=group, status=SheetStatus.POSTED)
        .values_list("entry_id", flat=True)
        .first()
    )
    return None if posted is None else _posted_error(group, posted)


def collection_sheet_post(
    *,
    actor,
    session: TransactionSession,
    group,
    rows: list[SheetRow],
    idempotency_key: str,
    today: date,
    handed_over_by: str = "",
) -> CollectionSheet:
    """Post what a group handed over at the session as one entry dated the session day.

    The same key with the same rows returns the sheet posted first (``.replayed`` True); the
    same key with other rows is refused; one posted sheet per group and session."""
    access.require(actor, Capability.POST_COLLECTION_SHEETS)
    key = (idempotency_key or "").strip()
    if not key:
        raise DomainError(E.KEY_MISSING, _("An idempotency key is required."), "idempotency_key")
    if not access.unit_visible(actor, session.commune):
        raise NotFound("not_found", _("No such transaction session in your scope."))
    rows = list(rows)
    fingerprint = sheet_content_hash(session.pk, group.pk, rows)
    try:
        with transaction.atomic():
            locked = session_lock(session.pk)
            # A posting of the same key that held the lock before us is now visible.
            replay = _earlier(key, fingerprint, locked, group)
            if replay is not None:
                return replay
            sheet = _post(
                actor=actor,
                session=locked,
                group=group,
                rows=rows,
                key=key,
                fingerprint=fingerprint,
                today=today,
                handed_over_by=handed_over_by,
            )
    except IntegrityError:
        # Two requests raced past the lock (the unique key or one posted sheet per group).
        if transaction.get_connection().in_atomic_block:
            raise
        replay = _replayed(key, fingerprint)
        if replay is not None:
            return replay
        refused = _already_posted(session, group)
        if refused is not None:
            raise refused from None
        raise
    sheet.replayed = False
    return sheet


def _books(group, rows: list[SheetRow], day: date) -> SheetBooks:
    """Read what the rows are checked against; the loans and the members' savings accounts on
    the sheet are locked in one query each (the project's order: loan, then savings account)."""
    household_ids = sorted({row.household_id for row in rows})
    households, members = {}, set()
    for pk, code, head in (
        GroupMembership.objects.filter(
            group=group, household_id__in=household_ids, joined_on__lte=day
        )
        .filter(Q(left_on__isnull=True) | Q(left_on__gt=day))
        .values_list("household_id", "household__code", "household__head__full_name")
    ):
        households[pk] = (code, head or "")
        members.add(pk)
    others = [pk for pk in household_ids if pk not in members]
    if others:  # not members that day: their names, for the messages (or a borrower who left)
        for pk, code, head in Household.objects.filter(pk__in=others).values_list(
            "pk", "code", "head__full_name"
        ):
            households[pk] = (code, head or "")
    loan_ids = sorted({row.loan_id for row in rows if row.loan_id})
    loans = {
        loan.pk: loan
        for loan in Loan.objects.select_for_update(of=("self",))
        .select_related("programme", "association_unit")
        .filter(pk__in=loan_ids)
        .order_by("pk")
    }
    accounts = {
        account.household_id: account
        for account in SavingsAccount.objects.select_for_update()
        .filter(household_id__in=household_ids, status=AccountStatus.OPEN)
        .order_by("pk")
    }
    return SheetBooks(group, day, households, members, loans, accounts)


def _post(*, actor, session, group, rows, key, fingerprint, today, handed_over_by):
    require_open(session)
    if group.commune_id != session.commune_id:
        raise DomainError(
            E.GROUP_NOT_OF_SESSION,
            _("Group %(group)s is not a group of the commune of %(point)s.")
            % {"group": group.name, "point": session.point.name},
            "group",
        )
    day = session.held_on
    if not rows or all(not (r.interest or r.principal or r.savings) for r in rows):
        raise DomainError(
            E.EMPTY, _("The sheet is empty: enter what the group handed over."), "rows"
        )

    books = _books(group, rows, day)
    loans, accounts = books.loans, books.accounts
    plans = {
        loan.pk: LoanPlan(loan, index, row.interest, row.principal)
        for index, loan, row in sheet_checked(rows, books)
    }

    # Dues as pre-filled (before the sheet changes anything), kept on the lines.
    open_instalments = list(
        Instalment.objects.filter(loan_id__in=list(loans), schedule__is_current=True)
        .exclude(status=InstalmentStatus.PAID)
        .order_by("loan_id", "due_session", "number")
    )
    dues = loan_dues(list(loans.values()), session, open_instalments)

    plan_loans(plans, day, actor=actor, open_instalments=open_instalments)

    entry = journal_entry_post(
        branch=session.branch_id,
        value_date=day,
        kind=EntryKind.COLLECTION_SHEET,
        memo=(
            _("Collection sheet of group %(group)s at the session of %(point)s on %(day)s")
            % {"group": group.name, "point": session.point.name, "day": day_text(day)}
        )[:300],
        lines=sheet_lines(session, plans, rows, accounts),
        idempotency_key=_entry_key(key),
        maker=actor,
        today=today,
    )
    loans_write(plans, entry=entry, actor=actor, day=day)
    savings_write(rows, accounts, entry=entry, actor=actor, day=day)

    sheet = _sheet_record(
        session=session,
        group=group,
        rows=rows,
        books=books,
        entry=entry,
        key=key,
        fingerprint=fingerprint,
        actor=actor,
        handed_over_by=handed_over_by,
        dues=dues,
    )
    SessionEntry.objects.create(session=session, entry=entry, role=CashRole.SHEET)
    return sheet


def _sheet_record(
    *, session, group, rows, books: SheetBooks, entry, key, fingerprint, actor, handed_over_by, dues
) -> CollectionSheet:
    """The sheet and its lines, with what was due as it was pre-filled."""
    loans, accounts = books.loans, books.accounts
    expected = {
        household_id: account.monthly_plan if account.opened_on <= books.day else 0
        for household_id, account in accounts.items()
    }
    totals = {
        "interest_total": sum(row.interest for row in rows),
        "principal_total": sum(row.principal for row in rows),
        "savings_total": sum(row.savings for row in rows),
    }
    sheet = CollectionSheet.objects.create(
        session=session,
        group=group,
        entry=entry,
        idempotency_key=key,
        content_hash=fingerprint,
        handed_over_by=(handed_over_by or "").strip()[:120],
        posted_by=actor,
        **totals,
    )
    first_row: set[int] = set()
    lines = []
    for index, row in enumerate(rows):
        interest_due, principal_due = dues.get(row.loan_id, (0, 0)) if row.loan_id else (0, 0)
        first = row.household_id not in first_row
        first_row.add(row.household_id)
        account = accounts.get(row.household_id)
        lines.append(
            CollectionLine(
                sheet=sheet,
                number=index + 1,
                household_id=row.household_id,
                loan_id=row.loan_id
                if row.loan_id in loans and loans[row.loan_id].group_id == group.pk
                else None,
                savings_account=account if (row.savings or first) and account else None,
                interest_due=interest_due,
                principal_due=principal_due,
                savings_expected=expected.get(row.household_id, 0) if first else 0,
                interest=row.interest,
                principal=row.principal,
                savings=row.savings,
            )
        )
    CollectionLine.objects.bulk_create(lines)
    return sheet


# The reversal lives in its own module; the agreed name is importable from here too.
from .sheet_reversal import sheet_reversal_propose, sheet_reverse  # noqa: E402

__all__ = ["SheetRow", "collection_sheet_post", "sheet_reversal_propose", "sheet_reverse"]
