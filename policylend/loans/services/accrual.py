"""Interest posting (domain.md §6.6): the month-end accrual of a branch, and posting one loan's
interest up to a day (settlement, freeze, write-off).

Interest accrues daily on the principal outstanding (``loans.interest``) and is carried in
millionths of a dong between postings; it is rounded half up to the whole dong once, when it is
posted: Dr 3941 (per loan) / Cr 7021 interest income, Cr 7022 overdue interest income.

The month-end run is set-wise: one query reads the loans that need it, the interest is computed
in Python, the journal lines are written in a few entries, and the loans are updated by one
``UPDATE … FROM (VALUES …)`` per batch — never one ORM round trip per loan. It is idempotent per
loan and month: a loan whose interest is posted through the month end is not read again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from policylend.core.errors import DomainError
from policylend.core.money import format_amount
from policylend.core.periods import Month
from policylend.ledger.models import EntryKind
from policylend.ledger.rules import credit, debit
from policylend.ledger.services import journal_entry_post
from policylend.ledger.services.bulk import journal_entries_post_bulk
from policylend.organisation.models import OrganisationUnit, UnitKind
from policylend.users import access
from policylend.users.roles import Capability

from ..error_codes import ServicingErrorCode as E
from ..interest import DAYS_IN_YEAR, MICRO, micro_to_dong
from ..models import AccrualRun, Loan, LoanRate, LoanStatus, LoanTransaction, TransactionKind
from .common import (
    INTEREST_INCOME,
    INTEREST_RECEIVABLE,
    PENALTY_INCOME,
    accrue_to,
    loan_refs,
    transaction_record,
)

# Loans per journal entry. PostgreSQL checks each entry's balance at commit with a row trigger
# that sums the entry's lines, so the cost grows with the square of an entry's size: small
# entries keep the month-end run linear (and each entry fits one INSERT statement).
LOANS_PER_ENTRY = 100
LOANS_PER_UPDATE = 500


@dataclass
class _Posting:
    loan_id: int
    office_id: int
    association_id: int | None
    group_id: int | None
    interest: int
    penalty: int
    accrued_from: date
    old_accrued_from: date
    old_interest_micro: int
    old_penalty_micro: int


def _month_run_problems(branch: OrganisationUnit, month: Month, today: date) -> None:
    if branch.kind != UnitKind.BRANCH:
        raise DomainError(
            E.NOT_A_BRANCH,
            _("The month-end accrual runs for a province branch; %(unit)s is not one.")
            % {"unit": branch},
            "branch",
        )
    if month.last_day > today:
        raise DomainError(
            E.MONTH_NOT_ENDED,
            _("%(month)s ends on %(day)s; its interest can be posted from that day.")
            % {"month": month, "day": month.last_day.strftime("%d/%m/%Y")},
            "month",
        )


def _due_loans(branch: OrganisationUnit, month: Month):
    """The loans whose interest for ``month`` is not posted yet, as plain rows (one query)."""
    return (
        Loan.objects.filter(
            branch=branch,
            status__in=(LoanStatus.IN_TERM, LoanStatus.OVERDUE),
            disbursed_on__lte=month.last_day,
            interest_accrued_from__isnull=False,
        )
        .exclude(interest_posted_through__gte=month.last_day)
        .order_by("office_id", "id")
        .values_list(
            "id",
            "office_id",
            "association_unit__association",
            "group_id",
            "principal_in_term",
            "principal_overdue",
            "annual_rate",
            "overdue_rate",
            "interest_accrued_from",
            "interest_pending_micro",
            "penalty_pending_micro",
        )
        .iterator(chunk_size=5_000)
    )


RATE_UNITS = 10**10  # rates are stored to 10 decimals (core.rates)
_DENOMINATOR = DAYS_IN_YEAR * RATE_UNITS // MICRO


def _rate_units(rate) -> int:
    units = Decimal(rate) * RATE_UNITS
    if units != units.to_integral_value():
        raise ValueError(f"rate {rate} has more than 10 decimals")
    return int(units)


def _micro(principal: int, rate_units: int, days: int) -> int:
    """``interest.interest_micro`` in integers (the same half-up result, exactly, for rates of
    at most 10 decimals): the month-end run computes it for every loan."""
    numerator = principal * rate_units * days
    return (2 * numerator + _DENOMINATOR) // (2 * _DENOMINATOR)


def _dong(micro: int) -> int:
    """``interest.micro_to_dong`` for a non-negative amount."""
    return (2 * micro + MICRO) // (2 * MICRO)


def _stretch(units: dict, in_term, overdue, rate, overdue_rate, start: date, stop: date):
    days = (stop - start).days
    for value in (rate, overdue_rate):
        if value not in units:
            units[value] = _rate_units(value)
    return _micro(in_term, units[rate], days), _micro(overdue, units[overdue_rate], days)


def _rate_changes(branch: OrganisationUnit, month: Month) -> dict[int, list[tuple]]:
    """Rate changes of the branch's loans after their interest was last carried, up to the
    month's end (one query; usually none)."""
    end = month.last_day + timedelta(days=1)
    changes: dict[int, list[tuple]] = {}
    rows = (
        LoanRate.objects.filter(
            loan__branch=branch,
            loan__status__in=(LoanStatus.IN_TERM, LoanStatus.OVERDUE),
            effective_from__gt=F("loan__interest_accrued_from"),
            effective_from__lte=end,
        )
        .order_by("loan_id", "effective_from")
        .values_list("loan_id", "effective_from", "annual_rate", "overdue_rate")
    )
    for loan_id, effective_from, annual, overdue in rows:
        changes.setdefault(loan_id, []).append((effective_from, annual, overdue))
    return changes


def _compute(
    rows, month: Month, changes: dict[int, list[tuple]], repriced: dict[int, tuple]
) -> list[_Posting]:
    end = month.last_day + timedelta(days=1)
    units: dict = {}
    postings = []
    for (
        loan_id,
        office_id,
        association_id,
        group_id,
        in_term,
        overdue,
        rate,
        overdue_rate,
        accrued_from,
        interest_micro,
        penalty_micro,
    ) in rows:
        new_from = accrued_from
        interest_total, penalty_total = interest_micro, penalty_micro
        if accrued_from < end:
            # A programme version that applies to existing loans may change the rate inside
            # the month: each stretch accrues at its own rate.
            cursor = accrued_from
            for effective_from, new_rate, new_overdue_rate in changes.get(loan_id, ()):
                if not accrued_from < effective_from <= end:
                    continue
                interest, penalty = _stretch(
                    units, in_term, overdue, rate, overdue_rate, cursor, effective_from
                )
                interest_total += interest
                penalty_total += penalty
                rate, overdue_rate, cursor = new_rate, new_overdue_rate, effective_from
                repriced[loan_id] = (rate, overdue_rate)
            interest, penalty = _stretch(units, in_term, overdue, rate, overdue_rate, cursor, end)
            interest_total += interest
            penalty_total += penalty
            new_from = end
        # Otherwise interest was already carried past the month end (an overdue transfer dated
        # the day after a session in the next month); what is pending is posted now.
        postings.append(
            _Posting(
                loan_id,
                office_id,
                association_id,
                group_id,
                _dong(interest_total),
                _dong(penalty_total),
                new_from,
                accrued_from,
                interest_micro,
                penalty_micro,
            )
        )
    return postings


def _entry_lines(postings: list[_Posting]) -> list:
    lines = []
    income: dict[tuple[str, int], int] = {}
    for posting in postings:
        refs = {
            "office_id": posting.office_id,
            "association_id": posting.association_id,
            "group_ref": posting.group_id,
            "loan_ref": posting.loan_id,
        }
        for amount, account in (
            (posting.interest, INTEREST_INCOME),
            (posting.penalty, PENALTY_INCOME),
        ):
            if amount:
                lines.append(debit(INTEREST_RECEIVABLE, amount, **refs))
                key = (account, posting.office_id)
                income[key] = income.get(key, 0) + amount
    for (account, office_id), amount in sorted(income.items()):
        lines.append(credit(account, amount, office_id=office_id))
    return lines


def _chunks(postings: list[_Posting]):
    """Postings with something to post, by office, in slices of LOANS_PER_ENTRY."""
    chunk: list[_Posting] = []
    for posting in postings:
        if not (posting.interest or posting.penalty):
            continue
        if chunk and (len(chunk) >= LOANS_PER_ENTRY or chunk[-1].office_id != posting.office_id):
            yield chunk
            chunk = []
        chunk.append(posting)
    if chunk:
        yield chunk


def _reprice(repriced: dict[int, tuple]) -> None:
    """Loans whose rate changed inside the month now bear the new one: one UPDATE per new rate."""
    by_rate: dict[tuple, list[int]] = {}
    for loan_id, rates in repriced.items():
        by_rate.setdefault(rates, []).append(loan_id)
    for (annual, overdue), loan_ids in by_rate.items():
        Loan.objects.filter(pk__in=loan_ids).update(annual_rate=annual, overdue_rate=overdue)


def _update_loans(postings: list[_Posting], month: Month) -> int:
    """Apply the postings to the loans' kept balances and accrual state in one statement per
    batch. Each row is updated only if its accrual state is what was read (a loan changed
    meanwhile makes the run fail and roll back, never post twice)."""
    if connection.vendor == "postgresql":
        updated = _update_loans_postgresql(postings, month)
    else:
        updated = _update_loans_values(postings, month)
    if updated != len(postings):
        raise DomainError(
            E.LOANS_CHANGED,
            _("Some loans changed while their interest was being posted; run it again."),
            "month",
        )
    return updated


_SET = (
    "interest_receivable = loans_loan.interest_receivable + v.interest, "
    "penalty_receivable = loans_loan.penalty_receivable + v.penalty, "
    "interest_current = v.interest, "
    "interest_pending_micro = 0, penalty_pending_micro = 0, "
    "interest_accrued_from = v.accrued_from, "
    "interest_posted_through = %s "
)
_MATCH = (
    "loans_loan.id = v.id "
    "AND loans_loan.interest_accrued_from = v.old_from "
    "AND loans_loan.interest_pending_micro = v.old_i "
    "AND loans_loan.penalty_pending_micro = v.old_p"
)
_COLUMNS = ("id", "interest", "penalty", "accrued_from", "old_from", "old_i", "old_p")


def _row(p: _Posting) -> tuple:
    return (
        p.loan_id,
        p.interest,
        p.penalty,
        p.accrued_from,
        p.old_accrued_from,
        p.old_interest_micro,
        p.old_penalty_micro,
    )


def _update_loans_postgresql(postings: list[_Posting], month: Month) -> int:
    """COPY the new values into a temporary table, then one UPDATE … FROM it."""
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE loans_accrual_update (id bigint PRIMARY KEY, interest bigint, "
            "penalty bigint, accrued_from date, old_from date, old_i bigint, old_p bigint) "
            "ON COMMIT DROP"
        )
        with cursor.cursor.copy(
            f"COPY loans_accrual_update ({', '.join(_COLUMNS)}) FROM STDIN"
        ) as copy:
            for posting in postings:
                copy.write_row(_row(posting))
        # Without statistics the planner guesses the temporary table's size and may scan the
        # loans once per batch of rows; with them it joins on the primary key.
        cursor.execute("ANALYZE loans_accrual_update")
        cursor.execute(
            f"UPDATE loans_loan SET {_SET} FROM loans_accrual_update AS v WHERE {_MATCH}",  # noqa: S608
            [month.last_day],
        )
        updated = cursor.rowcount
        cursor.execute("DROP TABLE loans_accrual_update")
    return updated


def _update_loans_values(postings: list[_Posting], month: Month) -> int:
    ops = connection.ops
    placeholder = "(" + ", ".join(["%s"] * len(_COLUMNS)) + ")"
    # SQLite names VALUES columns column1 …; and a statement that starts with WITH reports no
    # row count, so the list is a subquery.
    named = ", ".join(f"column{n} AS {c}" for n, c in enumerate(_COLUMNS, start=1))
    updated = 0
    with connection.cursor() as cursor:
        for start in range(0, len(postings), LOANS_PER_UPDATE):
            batch = postings[start : start + LOANS_PER_UPDATE]
            params: list = [ops.adapt_datefield_value(month.last_day)]
            for posting in batch:
                row = list(_row(posting))
                row[3], row[4] = (
                    ops.adapt_datefield_value(row[3]),
                    ops.adapt_datefield_value(row[4]),
                )
                params += row
            values = ", ".join([placeholder] * len(batch))
            cursor.execute(
                f"UPDATE loans_loan SET {_SET} "  # noqa: S608 (constant SQL; values are parameters)
                f"FROM (SELECT {named} FROM (VALUES {values})) AS v WHERE {_MATCH}",
                params,
            )
            updated += cursor.rowcount
    return updated


def interest_accrual_run(
    *, actor, branch: OrganisationUnit, month: Month, today: date
) -> AccrualRun:
    """Post the month's interest of every loan of the branch in term or overdue (domain.md
    §6.6): Dr 3941 a line per loan and kind, Cr 7021/7022 per office. Frozen debt accrues
    nothing and is not read. Running it again for the same month posts nothing.

    After the run a loan's ``interest_current`` is this month's interest; whatever interest was
    receivable before is arrears (lãi tồn)."""
    access.require(actor, Capability.RUN_LOAN_JOBS)
    access.require_unit(actor, branch)
    _month_run_problems(branch, month, today)
    with transaction.atomic(durable=True):
        run_number = AccrualRun.objects.filter(branch=branch, month=month.first_day).count() + 1
        repriced: dict[int, tuple] = {}
        postings = _compute(
            _due_loans(branch, month), month, _rate_changes(branch, month), repriced
        )
        chunks = list(_chunks(postings))
        month_key = f"accrual:{branch.code}:{month.year:04d}-{month.month:02d}:{run_number}"
        entry_ids = journal_entries_post_bulk(
            branch_id=branch.pk,
            value_date=month.last_day,
            kind=EntryKind.INTEREST_ACCRUAL,
            memo=_("Interest for %(month)s") % {"month": month},
            entries=[
                (f"{month_key}:{number}", _entry_lines(chunk))
                for number, chunk in enumerate(chunks, start=1)
            ],
            maker=actor,
            today=today,
        )
        _update_loans(postings, month)
        _reprice(repriced)
        return AccrualRun.objects.create(
            branch=branch,
            month=month.first_day,
            entry_id=entry_ids[0] if entry_ids else None,
            loans=sum(1 for p in postings if p.interest or p.penalty),
            interest=sum(p.interest for p in postings),
            penalty=sum(p.penalty for p in postings),
            run_by=actor,
        )


def interest_post_to_date(*, actor, loan: Loan, day: date, today: date) -> LoanTransaction | None:
    """Post the loan's interest for every day before ``day`` not posted yet (settlement, freeze,
    write-off). Joins the caller's transaction; the caller holds the loan's lock and saves it.
    Returns None when nothing rounds to a dong."""
    accrue_to(loan, day)
    interest = micro_to_dong(loan.interest_pending_micro)
    penalty = micro_to_dong(loan.penalty_pending_micro)
    loan.interest_pending_micro = 0
    loan.penalty_pending_micro = 0
    loan.interest_posted_through = max(
        loan.interest_posted_through or day - timedelta(days=1), day - timedelta(days=1)
    )
    if not (interest or penalty):
        return None
    refs = loan_refs(loan)
    lines = []
    if interest:
        lines += [
            debit(INTEREST_RECEIVABLE, interest, **refs),
            credit(INTEREST_INCOME, interest, office_id=loan.office_id),
        ]
    if penalty:
        lines += [
            debit(INTEREST_RECEIVABLE, penalty, **refs),
            credit(PENALTY_INCOME, penalty, office_id=loan.office_id),
        ]
    sequence = LoanTransaction.objects.filter(loan=loan).count()
    entry = journal_entry_post(
        branch=loan.branch_id,
        value_date=min(day, today),
        kind=EntryKind.INTEREST_ACCRUAL,
        memo=_("Interest of loan %(number)s to %(day)s: %(amount)s")
        % {
            "number": loan.number,
            "day": (day - timedelta(days=1)).strftime("%d/%m/%Y"),
            "amount": format_amount(interest + penalty),
        },
        lines=lines,
        idempotency_key=f"loan:{loan.pk}:interest-to:{day.isoformat()}:{sequence}",
        maker=actor,
        today=today,
    )
    current = loan.interest_current
    record = transaction_record(
        loan=loan,
        kind=TransactionKind.INTEREST_TO_DATE,
        entry=entry,
        actor=actor,
        value_date=entry.value_date,
        interest=interest,
        penalty=penalty,
    )
    loan.interest_current = current + interest
    return record
