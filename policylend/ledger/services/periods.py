from __future__ import annotations

from datetime import date

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from policylend.core.errors import DomainError
from policylend.core.periods import Month

from ..error_codes import LedgerErrorCode as E
from ..models import AccountingPeriod, JournalLine, PeriodStatus
from .locks import lock_branch_books_exclusively

SUBLEDGER_COLUMNS = (
    "account_id, office_id, association_id, group_ref, loan_ref, savings_account_ref, campaign_ref"
)


def last_closed_period(branch_id: int, on_or_before: date | None = None) -> AccountingPeriod | None:
    qs = AccountingPeriod.objects.filter(branch_id=branch_id, status=PeriodStatus.CLOSED)
    if on_or_before is not None:
        qs = qs.filter(month__lte=on_or_before)
    return qs.order_by("-month").first()


def first_open_month_with_postings(branch_id: int, before: date) -> Month | None:
    """The earliest month before ``before`` that holds postings and is not closed."""
    last = last_closed_period(branch_id)
    lines = JournalLine.objects.filter(branch_id=branch_id, value_date__lt=before)
    if last is not None:
        lines = lines.filter(value_date__gt=Month.of(last.month).last_day)
    first = lines.order_by("value_date").values_list("value_date", flat=True).first()
    return Month.of(first) if first else None


def period_close(
    *, branch_id: int, month: Month, closed_by, requested_by, today: date
) -> AccountingPeriod:
    """Close a branch's month and write its month-end balances (ARCHITECTURE.md, The ledger).

    Months close in order and only once they have ended. The snapshot is the previous closed
    month's balances plus this month's lines, per account and sub-ledger, written set-wise in one
    statement; afterwards the month accepts no posting.
    """
    if month.last_day >= today:
        raise DomainError(
            E.PERIOD_NOT_ENDED,
            _("%(month)s has not ended yet; it can be closed from %(day)s.")
            % {"month": month, "day": month.next().first_day.strftime("%d/%m/%Y")},
            "month",
        )
    with transaction.atomic():
        lock_branch_books_exclusively(branch_id)
        if AccountingPeriod.objects.filter(
            branch_id=branch_id, month__gte=month.first_day, status=PeriodStatus.CLOSED
        ).exists():
            raise DomainError(
                E.PERIOD_ALREADY_CLOSED,
                _("%(month)s is already closed.") % {"month": month},
                "month",
            )
        earlier = first_open_month_with_postings(branch_id, before=month.first_day)
        if earlier is not None:
            raise DomainError(
                E.EARLIER_PERIOD_OPEN,
                _("%(earlier)s has postings and is still open; close it before %(month)s.")
                % {"earlier": earlier, "month": month},
                "month",
            )
        previous = last_closed_period(branch_id)
        period, _created = AccountingPeriod.objects.update_or_create(
            branch_id=branch_id,
            month=month.first_day,
            defaults={
                "status": PeriodStatus.CLOSED,
                "closed_at": timezone.now(),
                "closed_by": closed_by,
                "requested_by": requested_by,
            },
        )
        _write_snapshot(period, previous, month)
    return period


def _write_snapshot(
    period: AccountingPeriod, previous: AccountingPeriod | None, month: Month
) -> None:
    since = Month.of(previous.month).last_day if previous else date(1, 1, 1)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO ledger_balancesnapshot (period_id, branch_id, {SUBLEDGER_COLUMNS}, balance)
            SELECT %s, %s, {SUBLEDGER_COLUMNS}, SUM(amount)
            FROM (
                SELECT {SUBLEDGER_COLUMNS}, balance AS amount
                FROM ledger_balancesnapshot WHERE period_id = %s
                UNION ALL
                SELECT {SUBLEDGER_COLUMNS}, amount
                FROM ledger_journalline
                WHERE branch_id = %s AND value_date > %s AND value_date <= %s
            ) AS moves
            GROUP BY {SUBLEDGER_COLUMNS}
            HAVING SUM(amount) <> 0
            """,  # noqa: S608 (column names are constants)
            [
                period.pk,
                period.branch_id,
                previous.pk if previous else None,
                period.branch_id,
                since,
                month.last_day,
            ],
        )
