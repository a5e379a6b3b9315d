"""What the public notice board of a transaction point shows, read from the books at the moment
it is asked for (domain.md §8, issue 5 "The public notice board"). No viewer: the board is public,
so it reads only what a VBSP board pins on the wall — programmes and rates, the rules, the next
session day, the commune's borrowing households (the head's name, never an ID number), last
month's fees and commissions and the hotline.

The borrowers are read in one query (next due date by a subquery), so the board of a commune with
500 borrowers costs the same handful of queries as one with five."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.db.models import F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from policylend.core.errors import NotFound
from policylend.core.periods import Month
from policylend.organisation.models import TransactionPoint

HOTLINE_DEFAULT = "1800 6000"
FEE_ACCOUNT = "8711"  # entrustment fees paid to the associations
COMMISSION_ACCOUNT = "8712"  # commissions paid to the groups


def hotline() -> str:
    return getattr(settings, "POLICYLEND_HOTLINE", "") or HOTLINE_DEFAULT


@dataclass(frozen=True)
class ProgrammeRow:
    code: str
    name: str
    annual_rate: object  # Decimal fraction, or None without terms in force
    amount_max: int | None
    term_months_max: int | None


@dataclass(frozen=True)
class BorrowerRow:
    village: str
    name: str  # the household head's full name, as VBSP boards show it
    programme: str
    outstanding: int
    next_due: date | None
    overdue: int
    is_overdue: bool


@dataclass
class Board:
    point: TransactionPoint
    generated_at: datetime
    next_session: date
    programmes: list[ProgrammeRow]
    borrowers: list[BorrowerRow]
    fees_month: Month
    fees_paid: int
    commissions_paid: int
    hotline: str
    rules: list[str] = field(default_factory=list)

    @property
    def outstanding_total(self) -> int:
        return sum(row.outstanding for row in self.borrowers)

    @property
    def overdue_total(self) -> int:
        return sum(row.overdue for row in self.borrowers)


def transaction_rules() -> list[str]:
    return [
        _("Loans are free of any fee: nobody may ask you for money to get or keep a loan."),
        _(
            "Interest is paid every month at the session through your group leader, who gives "
            "you a receipt for it."
        ),
        _(
            "Principal is paid by the borrower in person at the session, against a receipt of "
            "the bank; the group leader may not collect it."
        ),
        _(
            "Savings are handed over by the group leader at the session; you may ask for your "
            "savings back through the leader."
        ),
        _(
            "Check your loans at any time with your contract number and the check code printed "
            "on your contract."
        ),
    ]


def point_by_code(code: str) -> TransactionPoint:
    point = (
        TransactionPoint.objects.select_related("commune__parent")
        .filter(code=code, is_active=True)
        .first()
    )
    if point is None:
        raise NotFound("not_found", _("No such transaction point."))
    return point


def next_session(point: TransactionPoint, after: date) -> date:
    """The point's next session day strictly after ``after``: from the session calendar when
    it is installed, otherwise the next occurrence of the point's fixed day."""
    try:
        from policylend.transaction_sessions.selectors import next_session_of
    except ImportError:
        next_session_of = None
    if next_session_of is not None:
        return next_session_of(point, after)
    month = Month.of(after)
    candidate = month.first_day.replace(day=point.session_day)
    if candidate <= after:
        candidate = month.next().first_day.replace(day=point.session_day)
    return candidate


def programme_rows(day: date) -> list[ProgrammeRow]:
    from policylend.programmes.models import Programme
    from policylend.programmes.selectors import annual_rate_of, terms_on_or_none

    rows = []
    for programme in Programme.objects.filter(is_active=True).prefetch_related("terms"):
        terms = terms_on_or_none(programme, day)
        rate = annual_rate_of(terms, day) if terms is not None else None
        rows.append(
            ProgrammeRow(
                programme.code,
                programme.name,
                rate,
                terms.amount_max if terms else None,
                terms.term_months_max if terms else None,
            )
        )
    return rows


def borrower_rows(point: TransactionPoint) -> list[BorrowerRow]:
    """The commune's loans still carrying debt, one query: the head's name, the village, the
    programme, the outstanding, the next unpaid instalment's session and the overdue."""
    from policylend.loans.models import (
        ACTIVE_STATUSES,
        Instalment,
        InstalmentStatus,
        Loan,
        LoanStatus,
    )

    next_due = (
        Instalment.objects.filter(
            loan=OuterRef("pk"),
            schedule__is_current=True,
            status__in=(InstalmentStatus.PENDING, InstalmentStatus.OVERDUE),
        )
        .order_by("due_session")
        .values("due_session")[:1]
    )
    rows = (
        Loan.objects.filter(commune_id=point.commune_id, status__in=ACTIVE_STATUSES)
        .annotate(
            next_due=Subquery(next_due),
            outstanding=F("principal_in_term") + F("principal_overdue") + F("principal_frozen"),
        )
        .order_by("village__name", "household__head__full_name", "number")
        .values_list(
            "village__name",
            "household__head__full_name",
            "programme__code",
            "outstanding",
            "next_due",
            "principal_overdue",
            "status",
        )
    )
    return [
        BorrowerRow(
            village,
            name,
            programme,
            outstanding,
            due,
            overdue,
            overdue > 0 or status == LoanStatus.OVERDUE,
        )
        for village, name, programme, outstanding, due, overdue, status in rows
    ]


def paid_last_month(point: TransactionPoint, month: Month) -> tuple[int, int]:
    """(entrustment fees, group commissions) of ``month``: the debits on 8711 and 8712 with the
    point's office and the commune's groups. Zero until fees and commissions are posted."""
    from policylend.groups.models import SavingsGroup
    from policylend.ledger.models import JournalLine

    groups = SavingsGroup.objects.filter(commune_id=point.commune_id).values("pk")
    sums = JournalLine.objects.filter(
        Q(account__code__startswith=FEE_ACCOUNT) | Q(account__code__startswith=COMMISSION_ACCOUNT),
        office_id=point.commune.parent_id,
        group_ref__in=groups,
        value_date__range=(month.first_day, month.last_day),
    ).aggregate(
        fees=Coalesce(Sum("amount", filter=Q(account__code__startswith=FEE_ACCOUNT)), 0),
        commissions=Coalesce(
            Sum("amount", filter=Q(account__code__startswith=COMMISSION_ACCOUNT)), 0
        ),
    )
    return sums["fees"], sums["commissions"]


def point_board(code: str, *, now: datetime) -> Board:
    point = point_by_code(code)
    today = now.date()
    last_month = Month.of(today).previous()
    fees, commissions = paid_last_month(point, last_month)
    return Board(
        point=point,
        generated_at=now,
        next_session=next_session(point, today),
        programmes=programme_rows(today),
        borrowers=borrower_rows(point),
        fees_month=last_month,
        fees_paid=fees,
        commissions_paid=commissions,
        hotline=hotline(),
        rules=transaction_rules(),
    )


# --- the household's own check ---------------------------------------------------------------------


@dataclass(frozen=True)
class CheckedLoan:
    number: str
    programme: str
    status: str
    disbursed_on: date | None
    maturity_on: date | None
    outstanding: int
    overdue: int
    interest_owed: int
    next_due: date | None


def household_loans_checked(number: str, code: str) -> list[CheckedLoan] | None:
    """The loans of the household that holds loan ``number``, when ``code`` is its check code;
    None otherwise (an unknown number and a wrong code answer alike)."""
    from policylend.loans.models import Instalment, InstalmentStatus, Loan

    from .codes import loan_check_code_matches

    number = number.strip()[:20]
    loan = (
        Loan.objects.filter(number=number, disbursed_on__isnull=False)
        .only("pk", "household_id", "number")
        .first()
    )
    # Compare even without a loan, so the time taken does not tell a wrong number.
    if not loan_check_code_matches(number, code) or loan is None:
        return None
    next_due = (
        Instalment.objects.filter(
            loan=OuterRef("pk"),
            schedule__is_current=True,
            status__in=(InstalmentStatus.PENDING, InstalmentStatus.OVERDUE),
        )
        .order_by("due_session")
        .values("due_session")[:1]
    )
    loans = (
        Loan.objects.filter(household_id=loan.household_id, disbursed_on__isnull=False)
        .select_related("programme")
        .annotate(next_due=Subquery(next_due))
        .order_by("-disbursed_on", "number")
    )
    return [
        CheckedLoan(
            number=item.number,
            programme=f"{item.programme.code} {item.programme.name}",
            status=item.get_status_display(),
            disbursed_on=item.disbursed_on,
            maturity_on=item.maturity_extended_on or item.maturity_on,
            outstanding=item.principal_in_term + item.principal_overdue + item.principal_frozen,
            overdue=item.principal_overdue,
            interest_owed=item.interest_receivable + item.penalty_receivable,
            next_due=item.next_due,
        )
        for item in loans
    ]
