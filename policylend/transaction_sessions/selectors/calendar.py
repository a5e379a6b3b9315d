"""Reads of the session calendar and the due lists, always scoped by the viewer.

A transaction point or office outside the viewer's scope is "not found" (404). A group leader
sees the due list of the group they lead (access.led_group_ids) and no other."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from policylend.core.errors import DomainError, NotFound
from policylend.core.periods import Month
from policylend.groups.models import GroupMembership, SavingsGroup
from policylend.groups.selectors import groups_in_scope
from policylend.loans.models import ACTIVE_STATUSES, Instalment, InstalmentStatus, Loan
from policylend.loans.services.repayment import interest_to_date
from policylend.organisation.models import OrganisationUnit, TransactionPoint, UnitKind
from policylend.organisation.selectors import transaction_point_get, transaction_point_list
from policylend.savings.selectors import savings_expected
from policylend.users import access
from policylend.users.roles import Capability, Role

from .. import calendar
from ..error_codes import SessionError as E
from ..models import PublicHoliday, SessionMove, TransactionSession

CALENDAR_MONTHS = 12


# --- the calendar ------------------------------------------------------------------------------


def holidays_between(start: date, end: date) -> dict[date, str]:
    return dict(
        PublicHoliday.objects.filter(date__gte=start, date__lte=end).values_list("date", "name")
    )


def moves_of(point: TransactionPoint, first: Month, last: Month) -> dict[Month, SessionMove]:
    moves = SessionMove.objects.filter(
        point=point, month__gte=first.first_day, month__lte=last.first_day
    ).select_related("recorded_by")
    return {Month.of(move.month): move for move in moves}


def _calendar_inputs(point: TransactionPoint, first: Month, count: int):
    last = calendar.months_from(first, count)[-1]
    # A shift past Tết can run into the next month: holidays a month beyond the last one count.
    holidays = holidays_between(first.first_day, last.next().last_day)
    moves = moves_of(point, first, last)
    return holidays, moves


def next_session_of(point: TransactionPoint, after: date) -> date:
    """The point's next session day strictly after ``after``, honouring moved sessions and
    public holidays (calendar.next_session_after)."""
    first = Month.of(after).previous()
    holidays, moves = _calendar_inputs(point, first, 4)
    return calendar.next_session_after(
        point.session_day, after, holidays, {m: move.held_on for m, move in moves.items()}
    )


@dataclass(frozen=True)
class CalendarDay:
    month: Month
    fixed_on: date
    held_on: date
    holiday: str  # the holiday the fixed day falls on, if any
    move: SessionMove | None

    @property
    def shifted(self) -> bool:
        return self.held_on != self.fixed_on

    @property
    def is_sunday(self) -> bool:
        return self.fixed_on.weekday() == calendar.SUNDAY


def point_calendar_days(
    point: TransactionPoint, first: Month, count: int = CALENDAR_MONTHS
) -> list[CalendarDay]:
    holidays, moves = _calendar_inputs(point, first, count)
    moved = {m: move.held_on for m, move in moves.items()}
    days = []
    for month, held_on in calendar.session_dates(
        point.session_day, calendar.months_from(first, count), holidays, moved
    ):
        fixed = calendar.fixed_day(point.session_day, month)
        days.append(CalendarDay(month, fixed, held_on, holidays.get(fixed, ""), moves.get(month)))
    return days


def point_calendar(viewer, point_id: int, first: Month) -> tuple[TransactionPoint, list]:
    """A point's sessions for the twelve months from ``first``."""
    point = transaction_point_get(viewer, point_id)
    return point, point_calendar_days(point, first)


def office_get(viewer, office_id: int) -> OrganisationUnit:
    office = access.units_visible_to(viewer).filter(pk=office_id, kind=UnitKind.OFFICE).first()
    if office is None:
        raise NotFound("not_found", _("No such transaction office in your scope."))
    return office


@dataclass
class OfficeMonth:
    month: Month
    sessions: list[tuple[date, TransactionPoint, CalendarDay]] = field(default_factory=list)
    # point id → the session opened for that point in the month (status, team prefetched)
    opened: dict[int, TransactionSession] = field(default_factory=dict)

    @property
    def rows(self) -> list[tuple[date, TransactionPoint, CalendarDay, TransactionSession | None]]:
        """The month's session days, each with the session opened for it (or None)."""
        return [(*item, self.opened.get(item[1].pk)) for item in self.sessions]


def office_calendar(viewer, office_id: int, first: Month, count: int = 3):
    """Which of the office's points holds its session on which day, month by month."""
    office = office_get(viewer, office_id)
    points = list(
        transaction_point_list(viewer, office_id=office.pk).order_by("session_day", "code")
    )
    months = [OfficeMonth(month) for month in calendar.months_from(first, count)]
    for point in points:
        for index, day in enumerate(point_calendar_days(point, first, count)):
            months[index].sessions.append((day.held_on, point, day))
    by_month = {month.month.first_day: month for month in months}
    opened = (
        TransactionSession.objects.filter(
            point__in=[point.pk for point in points], month__in=list(by_month)
        )
        .order_by()
        .prefetch_related(Prefetch("team", queryset=get_user_model().objects.order_by("username")))
    )
    for session in opened:
        by_month[session.month].opened[session.point_id] = session
    for month in months:
        month.sessions.sort(key=lambda item: (item[0], item[1].code))
    return office, points, months


def holiday_list(start: date, end: date) -> QuerySet[PublicHoliday]:
    return PublicHoliday.objects.filter(date__gte=start, date__lte=end).order_by("date")


# --- due lists ---------------------------------------------------------------------------------


def due_list_groups(viewer) -> QuerySet[SavingsGroup]:
    """The groups whose due lists the viewer may read: a group leader the group they lead,
    everybody else with the capability the groups in their scope."""
    access.require(viewer, Capability.VIEW_DUE_LISTS)
    if viewer.role == Role.GROUP_LEADER and not viewer.is_superuser:
        groups = SavingsGroup.objects.filter(pk__in=access.led_group_ids(viewer))
    else:
        groups = groups_in_scope(viewer)
    return groups.select_related("commune", "village", "office")


def due_list_group_get(viewer, group_id: int) -> SavingsGroup:
    group = due_list_groups(viewer).filter(pk=group_id).first()
    if group is None:
        raise NotFound("not_found", _("No such group in your scope."))
    return group


def group_point(group: SavingsGroup) -> TransactionPoint:
    point = (
        TransactionPoint.objects.filter(commune_id=group.commune_id, is_active=True)
        .order_by("pk")
        .first()
    )
    if point is None:
        raise NotFound("not_found", _("The group's commune has no transaction point."))
    return point


@dataclass
class DueLine:
    """What one member's household owes at the session, and the savings it hands over."""

    household_id: int
    household_code: str
    head_name: str
    loan_numbers: list[str] = field(default_factory=list)
    interest_due: int = 0
    instalment_due: int = 0
    principal_overdue: int = 0
    interest_overdue: int = 0
    savings_expected: int = 0

    @property
    def total(self) -> int:
        return (
            self.interest_due
            + self.instalment_due
            + self.principal_overdue
            + self.interest_overdue
            + self.savings_expected
        )


COLUMNS = ("interest_due", "instalment_due", "principal_overdue", "interest_overdue")


@dataclass
class DueList:
    group: SavingsGroup
    point: TransactionPoint
    session_date: date
    lines: list[DueLine]

    @property
    def totals(self) -> dict[str, int]:
        names = (*COLUMNS, "savings_expected", "total")
        return {name: sum(getattr(line, name) for line in self.lines) for name in names}


def session_month_of(point: TransactionPoint, session_date: date) -> Month:
    """The month whose session is held on ``session_date``; refuses another day."""
    month = Month.of(session_date)
    for candidate in (month, month.previous()):
        holidays, moves = _calendar_inputs(point, candidate, 1)
        moved = {m: move.held_on for m, move in moves.items()}
        if calendar.session_on(point.session_day, candidate, holidays, moved) == session_date:
            return candidate
    expected = next_session_of(point, session_date - timedelta(days=1))
    raise DomainError(
        E.SESSION_DATE_INVALID,
        _("%(day)s is not a session day of %(point)s; the next one is %(next)s.")
        % {
            "day": session_date.strftime("%d/%m/%Y"),
            "point": point.name,
            "next": expected.strftime("%d/%m/%Y"),
        },
        "session_date",
    )


def due_list(
    viewer, group: SavingsGroup, session_date: date | None = None, *, today=None
) -> DueList:
    """The list of amounts due of a group at a session (domain.md §8: the credit officer sends
    it to the group leader at least 30 days ahead), one line per member household:

    * interest due = the interest posted for the latest month and still unpaid
      (``Loan.interest_current``) + the interest accruing from the last posting to the session
      day at the current balance and rate (``loans.services.repayment.interest_to_date``, which
      uses ``loans.interest.accrue``);
    * instalment due = the principal of the current schedule's instalments collected at this
      session or before (``due_session`` ≤ the session's fixed day, or the day it is held if
      later) and still pending, less what was paid on them;
    * principal overdue = ``Loan.principal_overdue`` (instalments already overdue);
    * interest overdue = posted interest of earlier months still unpaid
      (``interest_receivable − interest_current``) + posted overdue (penalty) interest + the
      overdue interest accruing to the session day;
    * savings expected = the monthly plan of the member's savings account
      (``savings.selectors.savings_expected``).

    So interest due + interest overdue = all the interest the household would pay to be up to
    date on the session day. ``session_date`` defaults to the next session after ``today``.
    """
    group = due_list_group_get(viewer, group.pk)
    point = group_point(group)
    if session_date is None:
        from django.utils import timezone

        session_date = next_session_of(point, (today or timezone.localdate()) - timedelta(days=1))
    month = session_month_of(point, session_date)
    cutoff = max(session_date, calendar.fixed_day(point.session_day, month))

    lines: dict[int, DueLine] = {}
    members = (
        GroupMembership.objects.filter(group=group, left_on__isnull=True)
        .select_related("household__head")
        .order_by("household__code")
    )
    for membership in members:
        household = membership.household
        lines[household.pk] = DueLine(
            household.pk, household.code, household.head.full_name if household.head else ""
        )
    loans = list(
        Loan.objects.filter(group=group, status__in=ACTIVE_STATUSES)
        .select_related("household__head")
        .order_by("number")
    )
    due_by_loan: dict[int, int] = defaultdict(int)
    for loan_id, principal, paid in Instalment.objects.filter(
        loan__in=[loan.pk for loan in loans],
        schedule__is_current=True,
        status=InstalmentStatus.PENDING,
        due_session__lte=cutoff,
    ).values_list("loan_id", "principal", "principal_paid"):
        due_by_loan[loan_id] += principal - paid
    for loan in loans:
        line = lines.get(loan.household_id)
        if line is None:  # a member who left the group still owes through it
            household = loan.household
            line = lines[household.pk] = DueLine(
                household.pk, household.code, household.head.full_name if household.head else ""
            )
        interest, penalty = (0, 0)
        if loan.interest_accrued_from:
            interest, penalty = interest_to_date(loan, session_date)
        line.loan_numbers.append(loan.number)
        line.interest_due += loan.interest_current + interest
        line.interest_overdue += loan.interest_arrears + loan.penalty_receivable + penalty
        line.instalment_due += due_by_loan.get(loan.pk, 0)
        line.principal_overdue += loan.principal_overdue
    for household_id, amount in savings_expected(group, session_date).items():
        if household_id in lines:
            lines[household_id].savings_expected = amount
    ordered = sorted(lines.values(), key=lambda line: (line.head_name, line.household_code))
    return DueList(group, point, session_date, ordered)
