"""The rules a collection sheet's rows must keep before anything is posted. Every problem names
the member, the row's field (``rows[i].interest|principal|savings``) and the rule with its
numbers; the caller posts nothing when there is one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from policylend.core.errors import DomainError, Problem
from policylend.core.money import AMOUNT_MAX, format_amount
from policylend.core.periods import day_text
from policylend.loans.models import Loan, LoanStatus
from policylend.loans.services.repayment import interest_to_date
from policylend.savings import rules as savings_rules
from policylend.savings.models import SavingsAccount

from ..error_codes import SheetError as E

REPAYABLE = (LoanStatus.IN_TERM, LoanStatus.OVERDUE)
AMOUNTS = ("interest", "principal", "savings")


def _field_label(name: str) -> str:
    return {"interest": _("interest"), "principal": _("principal"), "savings": _("savings")}[name]


def member_label(household: tuple[str, str] | None, household_id: int) -> str:
    """The member as the messages name them: the head's name and the household's code."""
    if household is None:
        return _("household #%(id)d") % {"id": household_id}
    code, name = household
    return f"{name} ({code})" if name else code


@dataclass(frozen=True)
class SheetRow:
    """One row of a sheet as the teller saves it: what the member handed over."""

    household_id: int
    loan_id: int | None = None
    interest: int = 0
    principal: int = 0
    savings: int = 0


@dataclass
class SheetBooks:
    """What the rows are checked against, read (and locked) by the caller."""

    group: object
    day: date
    households: dict[int, tuple[str, str]]  # id → (code, head's name)
    members: set[int]
    loans: dict[int, Loan]
    accounts: dict[int, SavingsAccount]


def sheet_checked(rows, books: SheetBooks) -> list[tuple[int, Loan, object]]:
    """(row index, loan, row) of every row that pays a loan; raises every problem at once."""
    problems: list[Problem] = []
    paying: list[tuple[int, Loan, object]] = []
    seen: dict[int, int] = {}
    for index, row in enumerate(rows):
        found = _row_problems(index, row, books, seen)
        problems += found
        loan = books.loans.get(row.loan_id) if row.loan_id else None
        if not found and loan is not None and (row.interest or row.principal):
            paying.append((index, loan, row))
    if problems:
        raise DomainError.of(problems)
    return paying


def _row_problems(index: int, row, books: SheetBooks, seen: dict[int, int]) -> list[Problem]:
    household = books.households.get(row.household_id)
    member = member_label(household, row.household_id)
    problems = _amount_problems(row, member)
    if problems:
        return _fielded(problems, index)
    loan = books.loans.get(row.loan_id) if row.loan_id else None
    of_group = loan is not None and loan.group_id == books.group.pk
    if household is None or (row.household_id not in books.members and not of_group):
        problem = Problem(
            E.NOT_MEMBER,
            _("%(member)s is not a member of group %(group)s on %(day)s.")
            % {"member": member, "group": books.group.name, "day": day_text(books.day)},
            "savings" if row.savings else "interest",
        )
        return _fielded([problem], index)
    if row.savings:
        problems += _savings_problems(row, member, books)
    if row.interest or row.principal:
        problems += _loan_problems(row, member, loan if of_group else None, books, seen, index)
    return _fielded(problems, index)


def _fielded(problems: list[Problem], index: int) -> list[Problem]:
    return [Problem(p.code, p.message, f"rows[{index}].{p.field}") for p in problems]


def _amount_problems(row, member: str) -> list[Problem]:
    problems = []
    for name in AMOUNTS:
        value = getattr(row, name)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            problems.append(
                Problem(
                    E.AMOUNT_NEGATIVE,
                    _("%(member)s: the %(field)s paid must be a whole amount of dong, 0 or more.")
                    % {"member": member, "field": _field_label(name)},
                    name,
                )
            )
        elif value > AMOUNT_MAX:
            problems.append(
                Problem(
                    E.AMOUNT_TOO_LARGE,
                    _("%(member)s: the %(field)s %(amount)s is too large.")
                    % {
                        "member": member,
                        "field": _field_label(name),
                        "amount": format_amount(value),
                    },
                    name,
                )
            )
    return problems


def _savings_problems(row, member: str, books: SheetBooks) -> list[Problem]:
    account = books.accounts.get(row.household_id)
    if account is None:
        message = _("%(member)s has no open savings account; open one before a deposit.")
        return [Problem(E.NO_SAVINGS_ACCOUNT, message % {"member": member}, "savings")]
    if savings_rules.deposit_too_small(row.savings):
        message = _("%(member)s: the deposit %(amount)s is less than the minimum deposit %(min)s.")
        return [
            Problem(
                E.DEPOSIT_TOO_SMALL,
                message
                % {
                    "member": member,
                    "amount": format_amount(row.savings),
                    "min": format_amount(savings_rules.DEPOSIT_MIN),
                },
                "savings",
            )
        ]
    earliest = max(account.interest_counted_from, account.last_transaction_on or account.opened_on)
    if books.day < earliest:
        message = _(
            "%(member)s: savings account %(number)s has movements after %(day)s (up to "
            "%(earliest)s); record the deposit separately."
        )
        return [
            Problem(
                E.DATE_TOO_EARLY,
                message
                % {
                    "member": member,
                    "number": account.number,
                    "day": day_text(books.day),
                    "earliest": day_text(earliest),
                },
                "savings",
            )
        ]
    return []


def _loan_problems(
    row, member: str, loan: Loan | None, books: SheetBooks, seen: dict[int, int], index: int
) -> list[Problem]:
    field = "interest" if row.interest else "principal"
    if loan is None or loan.household_id != row.household_id:
        message = _("%(member)s: this loan is not a loan of the household in group %(group)s.")
        return [
            Problem(
                E.LOAN_NOT_OF_MEMBER, message % {"member": member, "group": books.group.name}, field
            )
        ]
    if loan.pk in seen:
        message = _("%(member)s: loan %(number)s is on row %(row)d already.")
        return [
            Problem(
                E.LOAN_TWICE,
                message % {"member": member, "number": loan.number, "row": seen[loan.pk] + 1},
                field,
            )
        ]
    seen[loan.pk] = index
    if loan.status not in REPAYABLE:
        message = _("%(member)s: loan %(number)s is %(status)s; it takes no repayment.")
        return [
            Problem(
                E.NOT_REPAYABLE,
                message
                % {
                    "member": member,
                    "number": loan.number,
                    "status": LoanStatus(loan.status).label.lower(),
                },
                field,
            )
        ]
    return _owed_problems(row, member, loan, books.day)


def _owed_problems(row, member: str, loan: Loan, day: date) -> list[Problem]:
    problems = []
    earliest = loan.interest_accrued_from or loan.disbursed_on
    if row.principal and earliest and day < earliest:
        message = _(
            "%(member)s: the interest of loan %(number)s is already counted to %(earliest)s, "
            "after the session day %(day)s; record the principal at the office."
        )
        problems.append(
            Problem(
                E.DATE_TOO_EARLY,
                message
                % {
                    "member": member,
                    "number": loan.number,
                    "earliest": day_text(earliest),
                    "day": day_text(day),
                },
                "principal",
            )
        )
    to_date, penalty_to_date = interest_to_date(loan, day) if loan.interest_accrued_from else (0, 0)
    owed = loan.interest_receivable + loan.penalty_receivable + to_date + penalty_to_date
    if row.interest > owed:
        message = _(
            "%(member)s: interest paid %(paid)s is more than the interest of loan %(number)s "
            "to %(day)s, %(owed)s."
        )
        problems.append(
            Problem(
                E.INTEREST_OVER,
                message
                % {
                    "member": member,
                    "paid": format_amount(row.interest),
                    "number": loan.number,
                    "day": day_text(day),
                    "owed": format_amount(owed),
                },
                "interest",
            )
        )
    outstanding = loan.principal_in_term + loan.principal_overdue
    if row.principal > outstanding:
        message = _(
            "%(member)s: principal paid %(paid)s is more than the principal outstanding on loan "
            "%(number)s, %(owed)s."
        )
        problems.append(
            Problem(
                E.PRINCIPAL_OVER,
                message
                % {
                    "member": member,
                    "paid": format_amount(row.principal),
                    "number": loan.number,
                    "owed": format_amount(outstanding),
                },
                "principal",
            )
        )
    return problems
