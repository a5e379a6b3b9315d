"""Repayment schedules (domain.md §6.5), as pure functions: no Django, no clock.

Principal is repaid in equal instalments, each rounded down to 100,000 ₫, the remainder in the
last. Each instalment is collected at the last session day on or before its contractual due
date, so the borrower is never late against the contract. Dates are generated apart from the
money (Fineract's shape): ``contract_due_dates`` → ``session_date`` → ``split_principal``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from policylend.core.money import round_down_to
from policylend.core.periods import add_months

INSTALMENT_UNIT = 100_000


class Mode:
    EQUAL_PRINCIPAL = "equal_principal"
    AFTER_COURSE = "after_course"
    LUMP_SUM = "lump_sum"


@dataclass(frozen=True)
class ScheduleTerms:
    amount: int
    disbursed_on: date
    term_months: int
    interval_months: int
    session_day: int
    mode: str = Mode.EQUAL_PRINCIPAL
    grace_months: int = 0
    # Students: the day the course ends; the first instalment is 12 months later.
    course_end: date | None = None


@dataclass(frozen=True)
class PlannedInstalment:
    number: int
    principal: int
    due_contract: date
    due_session: date


def session_date(due: date, session_day: int, after: date | None = None) -> date:
    """The last session day on or before ``due`` (10/03 with day 15 → 15/02; 15/03 → 15/03).

    ``after``: a collection is never on or before this day (the disbursement); then the first
    session after it is used.
    """
    candidate = due.replace(day=session_day)
    if candidate > due:
        candidate = add_months(candidate, -1)
    if after is not None and candidate <= after:
        candidate = after.replace(day=session_day)
        if candidate <= after:
            candidate = add_months(candidate, 1)
    return candidate


def maturity(terms: ScheduleTerms) -> date:
    return add_months(terms.disbursed_on, terms.term_months)


def contract_due_dates(terms: ScheduleTerms) -> list[date]:
    """Contractual due dates, the last one at maturity."""
    end = maturity(terms)
    if terms.mode == Mode.LUMP_SUM:
        return [end]
    if terms.mode == Mode.AFTER_COURSE:
        if terms.course_end is None:
            raise ValueError("a student loan needs the day the course ends")
        first = add_months(terms.course_end, 12)
        step_from = terms.course_end
        offset = 12
    else:
        first = add_months(terms.disbursed_on, terms.grace_months + terms.interval_months)
        step_from = terms.disbursed_on
        offset = terms.grace_months + terms.interval_months
    if first >= end:
        return [end]
    dates: list[date] = []
    while True:
        due = add_months(step_from, offset)
        if due >= end:
            break
        dates.append(due)
        offset += terms.interval_months
    dates.append(end)
    # A last period shorter than half an interval is folded into the one before.
    if first != end and len(dates) >= 2:
        short = add_months(dates[-2], max(1, terms.interval_months // 2))
        if short > end:
            dates.pop(-2)
    return dates


def split_principal(amount: int, count: int) -> list[int]:
    """Equal parts rounded down to 100,000 ₫, the remainder in the last.

    When the amount is too small to give every instalment 100,000 ₫, it is repaid in one
    instalment at maturity (``count`` is then 1 for the caller).
    """
    if amount <= 0 or count <= 0:
        raise ValueError("amount and count must be positive")
    each = round_down_to(amount // count, INSTALMENT_UNIT)
    if each == 0:
        return [amount]
    parts = [each] * (count - 1)
    parts.append(amount - each * (count - 1))
    return parts


def build_schedule(terms: ScheduleTerms) -> list[PlannedInstalment]:
    dues = contract_due_dates(terms)
    parts = split_principal(terms.amount, len(dues))
    if len(parts) == 1:
        dues = dues[-1:]
    return [
        PlannedInstalment(
            number=index + 1,
            principal=principal,
            due_contract=due,
            due_session=session_date(due, terms.session_day, after=terms.disbursed_on),
        )
        for index, (principal, due) in enumerate(zip(parts, dues, strict=True))
    ]


def respread(
    *,
    unpaid: int,
    starting_after: date,
    new_maturity: date,
    interval_months: int,
    session_day: int,
) -> list[PlannedInstalment]:
    """Re-spread ``unpaid`` principal in equal instalments (the same rounding rule) from one
    interval after ``starting_after`` to ``new_maturity`` — an extension, or the return to
    repayment after a freeze. Numbers start at 1; the caller renumbers."""
    dues: list[date] = []
    offset = interval_months
    while True:
        due = add_months(starting_after, offset)
        if due >= new_maturity:
            break
        dues.append(due)
        offset += interval_months
    dues.append(new_maturity)
    parts = split_principal(unpaid, len(dues))
    if len(parts) == 1:
        dues = dues[-1:]
    return [
        PlannedInstalment(
            number=index + 1,
            principal=principal,
            due_contract=due,
            due_session=session_date(due, session_day, after=starting_after),
        )
        for index, (principal, due) in enumerate(zip(parts, dues, strict=True))
    ]
