"""Disbursement (domain.md §6.4–§6.5): an approved loan is paid out at a session of the
household's commune (or at the office), posted to the ledger — loans in term ↔ cash — and its
repayment schedule is built by the rule (``loans.schedule``) with the commune's session day.

Idempotent: the same key returns the first disbursement and posts nothing more.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from policylend.core.errors import DomainError, NotFound, Problem
from policylend.core.money import format_amount
from policylend.ledger.models import EntryKind
from policylend.ledger.rules import credit, debit
from policylend.ledger.services import journal_entry_post
from policylend.organisation.models import TransactionPoint
from policylend.users import access
from policylend.users.roles import Capability

from ..error_codes import OriginationErrorCode as E
from ..models import (
    Instalment,
    Loan,
    LoanRate,
    LoanStatus,
    LoanTransaction,
    ScheduleKind,
    ScheduleVersion,
    TransactionKind,
)
from ..schedule import ScheduleTerms, build_schedule, maturity
from ..selectors.loans import loans_in_scope
from .application import format_day
from .common import (
    CASH_AT_OFFICE,
    CASH_AT_POINT,
    loan_lock,
    loan_refs,
    principal_account,
    status_move,
    transaction_record,
)

KEY_PREFIX = "loans.disburse:"
KEY_LENGTH_MAX = 100


def commune_point(loan: Loan) -> TransactionPoint | None:
    """The household's commune's transaction point (its session day governs the schedule)."""
    return (
        TransactionPoint.objects.filter(commune_id=loan.commune_id, is_active=True)
        .order_by("pk")
        .first()
    )


def schedule_terms_of(loan: Loan, disbursed_on: date, session_day: int) -> ScheduleTerms:
    terms = loan.terms
    course_end = loan.programme_fields.get("course_end")
    return ScheduleTerms(
        amount=loan.amount_approved,
        disbursed_on=disbursed_on,
        term_months=loan.term_months,
        interval_months=loan.repayment_interval_months or terms.repayment_interval_months,
        session_day=session_day,
        mode=terms.repayment_mode,
        grace_months=terms.grace_months,
        course_end=date.fromisoformat(course_end) if course_end else None,
    )


def _replayed(loan: Loan, key: str) -> LoanTransaction | None:
    earlier = LoanTransaction.objects.filter(entry__idempotency_key=key).first()
    if earlier is None:
        return None
    if earlier.loan_id != loan.pk or earlier.kind != TransactionKind.DISBURSEMENT:
        raise DomainError(
            E.DISBURSE_KEY_REUSED,
            _("This idempotency key was already used for another transaction; use a new key."),
            "Idempotency-Key",
        )
    earlier.replayed = True
    return earlier


def _place_problems(
    loan: Loan, point: TransactionPoint | None, at_point, disbursed_on: date, today: date
) -> list[Problem]:
    problems = []
    if loan.status != LoanStatus.APPROVED:
        return [
            Problem(
                E.DISBURSE_STATUS,
                _("Loan %(number)s is %(status)s; only an approved loan is disbursed.")
                % {"number": loan.number, "status": loan.get_status_display().lower()},
                "loan",
            )
        ]
    if point is None:
        return [
            Problem(
                E.DISBURSE_POINT,
                _("%(commune)s has no active transaction point; its session day is unknown.")
                % {"commune": loan.commune},
                "at_point",
            )
        ]
    if at_point is not None and at_point.pk != point.pk:
        problems.append(
            Problem(
                E.DISBURSE_POINT,
                _("A loan is disbursed at %(point)s, the point of the household's commune.")
                % {"point": point.name},
                "at_point",
            )
        )
    elif at_point is not None and disbursed_on.day != point.session_day:
        problems.append(
            Problem(
                E.DISBURSE_DAY,
                _(
                    "%(day)s is not a session day of %(point)s (day %(session)d of the month); "
                    "on another day a loan is disbursed at the office."
                )
                % {
                    "day": format_day(disbursed_on),
                    "point": point.name,
                    "session": point.session_day,
                },
                "disbursed_on",
            )
        )
    if (loan.approved_on and disbursed_on < loan.approved_on) or disbursed_on > today:
        problems.append(
            Problem(
                E.DATE_INVALID,
                _("The disbursement date must lie between the approval (%(approved)s) and today.")
                % {"approved": format_day(loan.approved_on)},
                "disbursed_on",
            )
        )
    return problems


def loan_disburse(
    *,
    actor,
    loan: Loan,
    disbursed_on: date,
    today: date,
    idempotency_key: str,
    at_point: TransactionPoint | None = None,
) -> LoanTransaction:
    """Pay out an approved loan: at ``at_point`` (the commune's point, on its session day; cash
    1011) or at the office (``at_point`` None, any day; cash 1012). Posts Dr 2111.<programme> /
    Cr cash, builds schedule version 1 by ``schedule.build_schedule`` with the commune's session
    day, fixes the rate of the terms in force that day and starts interest from that day."""
    access.require(actor, Capability.DISBURSE_LOANS)
    if not loans_in_scope(actor).filter(pk=loan.pk).exists():
        raise NotFound("not_found", _("No such loan in your scope."))
    key = (idempotency_key or "").strip()
    if not key or len(key) > KEY_LENGTH_MAX:
        raise DomainError(
            E.DISBURSE_KEY_REUSED,
            _("An idempotency key of 1 to %(n)d characters is required.") % {"n": KEY_LENGTH_MAX},
            "Idempotency-Key",
        )
    key = KEY_PREFIX + key
    with transaction.atomic():
        loan = loan_lock(loan.pk)
        earlier = _replayed(loan, key)
        if earlier is not None:
            return earlier
        point = commune_point(loan)
        problems = _place_problems(loan, point, at_point, disbursed_on, today)
        if problems:
            raise DomainError.of(problems)
        transaction_ = _post(loan, actor, disbursed_on, today, key, at_point)
        _start_terms(loan, disbursed_on, point, at_point)
        status_move(loan=loan, to=LoanStatus.IN_TERM, on=disbursed_on, actor=actor)
        loan.save()
    transaction_.replayed = False
    return transaction_


def _post(loan: Loan, actor, disbursed_on, today, key, at_point) -> LoanTransaction:
    amount = loan.amount_approved
    refs = loan_refs(loan)
    cash = CASH_AT_POINT if at_point is not None else CASH_AT_OFFICE
    entry = journal_entry_post(
        branch=loan.branch_id,
        value_date=disbursed_on,
        kind=EntryKind.DISBURSEMENT,
        memo=_("Disbursement of loan %(number)s, %(amount)s")
        % {"number": loan.number, "amount": format_amount(amount)},
        lines=[
            debit(principal_account(loan.programme.code, "in_term"), amount, **refs),
            credit(cash, amount, **refs),
        ],
        idempotency_key=key,
        maker=actor,
        today=today,
    )
    return transaction_record(
        loan=loan,
        kind=TransactionKind.DISBURSEMENT,
        entry=entry,
        actor=actor,
        value_date=disbursed_on,
        principal_in_term=amount,
        cash=-amount,
        status_before=loan.status,
    )


def _later_rates(loan: Loan, disbursed_on: date) -> None:
    """Later versions of the programme that apply to loans already disbursed (social housing
    5.4 % from 10/10/2025) give this loan their rate from their dates too."""
    from policylend.programmes.models import ProgrammeTerms

    from ..receivers import rate_rows_for

    for version in ProgrammeTerms.objects.filter(
        programme_id=loan.programme_id,
        applies_to_existing=True,
        effective_from__gt=disbursed_on,
    ).order_by("effective_from"):
        rate_rows_for(version, [loan], apply_now_to_carried=False)


def _start_terms(loan: Loan, disbursed_on: date, point: TransactionPoint, at_point) -> None:
    from policylend.programmes.selectors import annual_rate_of

    terms = schedule_terms_of(loan, disbursed_on, point.session_day)
    version = ScheduleVersion.objects.create(
        loan=loan, number=1, kind=ScheduleKind.INITIAL, effective_on=disbursed_on
    )
    Instalment.objects.bulk_create(
        Instalment(
            loan=loan,
            schedule=version,
            number=planned.number,
            principal=planned.principal,
            due_contract=planned.due_contract,
            due_session=planned.due_session,
        )
        for planned in build_schedule(terms)
    )
    annual = Decimal(annual_rate_of(loan.terms, disbursed_on))
    overdue = (annual * Decimal(loan.terms.overdue_factor)).quantize(Decimal("1e-10"))
    LoanRate.objects.create(
        loan=loan,
        effective_from=disbursed_on,
        annual_rate=annual,
        overdue_rate=overdue,
        terms=loan.terms,
    )
    _later_rates(loan, disbursed_on)
    loan.disbursed_on = disbursed_on
    loan.disbursed_at_point = at_point
    loan.session_day = point.session_day
    loan.maturity_on = maturity(terms)
    loan.annual_rate = annual
    loan.overdue_rate = overdue
    loan.interest_accrued_from = disbursed_on
    loan.interest_posted_through = disbursed_on - timedelta(days=1)
