"""Reads of the collection sheets (domain.md §8), always scoped by the viewer.

The sheet of a group at a session is pre-filled from the same numbers as its due list
(``selectors.calendar.due_list``), one row per member's loan: the team corrects the rows whose
amounts differ from what was due and posts the sheet (``services.sheets.collection_sheet_post``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import QuerySet, Sum
from django.utils.translation import gettext as _

from policylend.core.errors import NotFound
from policylend.core.periods import Month
from policylend.groups.models import GroupMembership, SavingsGroup
from policylend.loans.models import (
    ACTIVE_STATUSES,
    Instalment,
    InstalmentStatus,
    Loan,
    LoanStatus,
)
from policylend.loans.services.repayment import interest_to_date
from policylend.savings.models import AccountStatus, SavingsAccount
from policylend.savings.selectors import savings_expected
from policylend.users import access
from policylend.users.roles import Capability

from .. import calendar
from ..models import CollectionSheet, SheetStatus, TransactionSession

REPAYABLE = (LoanStatus.IN_TERM, LoanStatus.OVERDUE)


@dataclass(frozen=True)
class PrefillRow:
    """One row of the sheet as pre-filled: a member's loan with what it owes on the session
    day, and on the household's first row the savings the leader is expected to hand over."""

    number: int
    household_id: int
    household_code: str
    head_name: str
    loan_id: int | None
    loan_number: str
    savings_account_id: int | None
    interest_due: int
    principal_due: int
    savings_expected: int

    @property
    def total_due(self) -> int:
        return self.interest_due + self.principal_due + self.savings_expected


def sheet_session_get(viewer, session_id: int) -> TransactionSession:
    """A session by id in the viewer's scope (404 otherwise)."""
    access.require(viewer, Capability.VIEW_SESSIONS)
    session = (
        TransactionSession.objects.filter(access.unit_q(viewer, "commune"))
        .select_related("point", "commune", "office")
        .filter(pk=session_id)
        .first()
    )
    if session is None:
        raise NotFound("not_found", _("No such transaction session in your scope."))
    return session


def sheet_group_get(viewer, session: TransactionSession, group_id: int) -> SavingsGroup:
    """A group of the session's commune by id (404 otherwise)."""
    group = (
        SavingsGroup.objects.filter(pk=group_id, commune_id=session.commune_id)
        .select_related("commune")
        .first()
    )
    if group is None:
        raise NotFound("not_found", _("No such group at this session."))
    return group


def session_visible(viewer, session: TransactionSession) -> TransactionSession:
    """The session if the viewer may read the sessions of its commune (404 otherwise)."""
    access.require(viewer, Capability.VIEW_SESSIONS)
    if not access.unit_visible(viewer, session.commune):
        raise NotFound("not_found", _("No such transaction session in your scope."))
    return session


def session_group(viewer, session: TransactionSession, group: SavingsGroup) -> SavingsGroup:
    """The group, if it is a group of the session's commune (404 otherwise)."""
    session_visible(viewer, session)
    if group.commune_id != session.commune_id:
        raise NotFound("not_found", _("No such group at this session."))
    return group


def _cutoff(session: TransactionSession):
    """Instalments collected at this session: due at its fixed day of the month, or the day it
    is held if later (a session moved past a holiday)."""
    fixed = calendar.fixed_day(session.point.session_day, Month.of(session.month))
    return max(session.held_on, fixed)


def loan_dues(
    loans: list[Loan], session: TransactionSession, open_instalments=None
) -> dict[int, tuple[int, int]]:
    """loan id → (interest due to the session day, principal due at the session) as in the due
    list: interest = receivable + penalty + accrued to the day; principal = overdue + the
    unpaid instalments collected at this session or before. ``open_instalments``: the loans'
    unpaid instalments of their current schedules when the caller has read them already."""
    cutoff = _cutoff(session)
    due_by_loan: dict[int, int] = defaultdict(int)
    if open_instalments is None:
        open_instalments = Instalment.objects.filter(
            loan__in=[loan.pk for loan in loans], schedule__is_current=True
        ).exclude(status=InstalmentStatus.PAID)
    for instalment in open_instalments:
        if instalment.status == InstalmentStatus.PENDING and instalment.due_session <= cutoff:
            due_by_loan[instalment.loan_id] += instalment.principal - instalment.principal_paid
    dues = {}
    for loan in loans:
        if loan.status not in REPAYABLE:  # frozen: nothing is collected on the sheet
            dues[loan.pk] = (0, 0)
            continue
        interest, penalty = (0, 0)
        if loan.interest_accrued_from:
            interest, penalty = interest_to_date(loan, session.held_on)
        interest_due = loan.interest_receivable + loan.penalty_receivable + interest + penalty
        principal_due = loan.principal_overdue + min(
            due_by_loan.get(loan.pk, 0), loan.principal_in_term
        )
        dues[loan.pk] = (interest_due, principal_due)
    return dues


def collection_sheet_prefill(viewer, session: TransactionSession, group: SavingsGroup):
    """The sheet's rows in the due list's order (members by name): one per loan of the group
    in repayment or frozen; a member without such a loan gets a savings-only row."""
    group = session_group(viewer, session, group)
    households: dict[int, tuple[str, str]] = {}
    members = (
        GroupMembership.objects.filter(group=group, left_on__isnull=True)
        .select_related("household__head")
        .order_by("household__code")
    )
    for membership in members:
        household = membership.household
        households[household.pk] = (
            household.code,
            household.head.full_name if household.head else "",
        )
    loans = list(
        Loan.objects.filter(group=group, status__in=ACTIVE_STATUSES)
        .select_related("household__head")
        .order_by("number")
    )
    for loan in loans:
        if loan.household_id not in households:  # a member who left still owes through it
            household = loan.household
            households[household.pk] = (
                household.code,
                household.head.full_name if household.head else "",
            )
    dues = loan_dues(loans, session)
    expected = savings_expected(group, session.held_on)
    accounts = dict(
        SavingsAccount.objects.filter(
            household_id__in=list(households), status=AccountStatus.OPEN
        ).values_list("household_id", "pk")
    )
    loans_of: dict[int, list[Loan]] = defaultdict(list)
    for loan in loans:
        loans_of[loan.household_id].append(loan)
    rows: list[PrefillRow] = []
    order = sorted(households.items(), key=lambda item: (item[1][1], item[1][0]))
    for household_id, (code, head_name) in order:
        account_id = accounts.get(household_id)
        savings = expected.get(household_id, 0) if account_id else 0
        household_loans = loans_of.get(household_id) or [None]
        for index, loan in enumerate(household_loans):
            interest_due, principal_due = dues[loan.pk] if loan else (0, 0)
            rows.append(
                PrefillRow(
                    number=len(rows) + 1,
                    household_id=household_id,
                    household_code=code,
                    head_name=head_name,
                    loan_id=loan.pk if loan else None,
                    loan_number=loan.number if loan else "",
                    savings_account_id=account_id if index == 0 else None,
                    interest_due=interest_due,
                    principal_due=principal_due,
                    savings_expected=savings if index == 0 else 0,
                )
            )
    return rows


def sheets_in_scope(viewer) -> QuerySet[CollectionSheet]:
    access.require(viewer, Capability.VIEW_SESSIONS)
    return CollectionSheet.objects.filter(access.unit_q(viewer, "session__commune"))


def sheet_list(viewer, session: TransactionSession) -> QuerySet[CollectionSheet]:
    """The sheets posted at a session (reversed ones included), by group."""
    session_visible(viewer, session)
    return (
        CollectionSheet.objects.filter(session=session)
        .select_related("group", "entry", "posted_by")
        .order_by("group__code", "id")
    )


def sheet_get(viewer, sheet_id: int) -> CollectionSheet:
    sheet = (
        sheets_in_scope(viewer)
        .select_related(
            "session__point",
            "session__commune",
            "group",
            "entry",
            "posted_by",
            "reversal_entry",
        )
        .filter(pk=sheet_id)
        .first()
    )
    if sheet is None:
        raise NotFound("not_found", _("No such collection sheet in your scope."))
    return sheet


def sheet_lines(sheet: CollectionSheet):
    return sheet.lines.select_related("household__head", "loan", "savings_account").order_by(
        "number"
    )


def interest_collected_by_group(session: TransactionSession) -> dict[int, int]:
    """group id → the interest collected on the session's posted sheets (the group
    commission's basis)."""
    rows = (
        CollectionSheet.objects.filter(session=session, status=SheetStatus.POSTED)
        .values("group_id")
        .annotate(total=Sum("interest_total"))
    )
    return {row["group_id"]: row["total"] or 0 for row in rows}
