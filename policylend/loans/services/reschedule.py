"""Changes of a loan's schedule (domain.md §6.8): rescheduling one instalment (Form 08/TD) and
extending the loan's maturity, each a maker–checker request ("loans.reschedule",
"loans.extension"). A change never edits an instalment: it makes a new ScheduleVersion, and the
earlier version stays (is_current False) as the schedule's history.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from policylend.approvals.services import approval_request_create
from policylend.core.errors import DomainError, NotFound
from policylend.core.periods import add_months
from policylend.ledger.models import EntryKind
from policylend.ledger.rules import credit, debit
from policylend.ledger.services import journal_entry_post
from policylend.users import access
from policylend.users.roles import Capability

from .. import changes_rules as rules
from ..error_codes import ChangeErrorCode as E
from ..models import (
    Instalment,
    InstalmentStatus,
    Loan,
    LoanStatus,
    RiskDossier,
    ScheduleKind,
    ScheduleVersion,
    TransactionKind,
)
from ..schedule import respread, session_date
from ..selectors.loans import loans_in_scope
from .common import (
    accrue_to,
    loan_lock,
    loan_refs,
    principal_account,
    status_move,
    transaction_record,
)

RESCHEDULE_KIND = "loans.reschedule"
EXTENSION_KIND = "loans.extension"
REASON_LENGTH_MAX = 300


# --- schedule versions -------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """An instalment of a new schedule version."""

    principal: int
    due_contract: date
    due_session: date
    due_extended: date | None = None
    principal_paid: int = 0
    status: str = InstalmentStatus.PENDING
    overdue_from: date | None = None


def current_instalments(loan: Loan) -> list[Instalment]:
    return list(Instalment.objects.filter(loan=loan, schedule__is_current=True).order_by("number"))


def due_of(instalment: Instalment) -> date:
    """The date an instalment is due by: after extension when extended, else by contract."""
    return instalment.due_extended or instalment.due_contract


def row_of(instalment: Instalment, **changes) -> Row:
    values = {
        "principal": instalment.principal,
        "due_contract": instalment.due_contract,
        "due_session": instalment.due_session,
        "due_extended": instalment.due_extended,
        "principal_paid": instalment.principal_paid,
        "status": instalment.status,
        "overdue_from": instalment.overdue_from,
    }
    values.update(changes)
    return Row(**values)


def schedule_version_new(
    *, loan: Loan, kind: str, effective_on: date, rows: list[Row], approval=None, note: str = ""
) -> ScheduleVersion:
    """Make ``rows`` the loan's current schedule; the earlier version stays as history."""
    previous = ScheduleVersion.objects.filter(loan=loan).order_by("-number").first()
    ScheduleVersion.objects.filter(loan=loan, is_current=True).update(is_current=False)
    version = ScheduleVersion.objects.create(
        loan=loan,
        number=(previous.number if previous else 0) + 1,
        kind=kind,
        effective_on=effective_on,
        is_current=True,
        note=note[:300],
        approval=approval,
    )
    Instalment.objects.bulk_create(
        Instalment(
            loan=loan,
            schedule=version,
            number=number,
            principal=row.principal,
            due_contract=row.due_contract,
            due_extended=row.due_extended,
            due_session=row.due_session,
            principal_paid=row.principal_paid,
            status=row.status,
            overdue_from=row.overdue_from,
        )
        for number, row in enumerate(
            sorted(rows, key=lambda r: (r.due_session, r.due_contract)), start=1
        )
    )
    return version


def _loan_in_scope(actor, loan_id: int) -> Loan:
    loan = loans_in_scope(actor).select_related("programme").filter(pk=loan_id).first()
    if loan is None:
        raise NotFound("not_found", _("No such loan in your scope."))
    return loan


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(E.REASON_REQUIRED, _("Give the borrower's reason."), "reason")
    if len(reason) > REASON_LENGTH_MAX:
        raise DomainError(
            E.TEXT_TOO_LONG,
            _("The reason may have at most %(n)d characters.") % {"n": REASON_LENGTH_MAX},
            "reason",
        )
    return reason


# --- rescheduling ------------------------------------------------------------------------------


def _facts(instalment: Instalment) -> rules.InstalmentFacts:
    return rules.InstalmentFacts(
        number=instalment.number,
        principal=instalment.principal,
        principal_paid=instalment.principal_paid,
        status=instalment.status,
        due=due_of(instalment),
        due_session=instalment.due_session,
    )


def _reschedule_plan(loan: Loan, instalment_id: int, new_due: date, amount, asked_on: date):
    """The current instalments, the one to move and the one after it; refuses what the rules
    refuse (domain.md §6.8)."""
    if loan.status not in (LoanStatus.IN_TERM, LoanStatus.OVERDUE):
        raise DomainError(
            E.NOT_IN_TERM,
            _("Loan %(number)s is %(status)s; only a loan being repaid can be rescheduled.")
            % {"number": loan.number, "status": LoanStatus(loan.status).label},
            "loan",
        )
    instalments = current_instalments(loan)
    index = next((i for i, row in enumerate(instalments) if row.pk == instalment_id), None)
    if index is None:
        raise DomainError(
            E.INSTALMENT_NOT_FOUND,
            _("The instalment is not in the loan's current schedule."),
            "instalment",
        )
    instalment = instalments[index]
    following = instalments[index + 1] if index + 1 < len(instalments) else None
    problems = rules.reschedule_problems(
        instalment=_facts(instalment),
        following=_facts(following) if following else None,
        new_due=new_due,
        new_due_session=session_date(new_due, loan.session_day),
        amount=amount,
        asked_on=asked_on,
    )
    if problems:
        raise DomainError.of(problems)
    return instalments, instalment, following


def reschedule_propose(
    *,
    actor,
    loan: Loan,
    instalment: Instalment,
    new_due: date,
    amount: int | None,
    asked_on: date,
    reason: str,
    today: date,
    idempotency_key: str = "",
):
    """Ask (maker) to move all or part of an instalment's unpaid principal to a later date."""
    access.require(actor, Capability.PROPOSE_LOAN_DECISIONS)
    loan = _loan_in_scope(actor, loan.pk)
    payload = {
        "loan_id": loan.pk,
        "loan_number": loan.number,
        "instalment_id": instalment.pk,
        "instalment_number": instalment.number,
        "new_due": new_due.isoformat(),
        "amount": amount,
        "asked_on": asked_on.isoformat(),
        "reason": _reason(reason),
    }
    return approval_request_create(
        kind=RESCHEDULE_KIND,
        payload=payload,
        unit=loan.office,
        maker=actor,
        today=today,
        idempotency_key=idempotency_key,
    )


def reschedule_check(*, payload: dict, maker, today: date) -> None:
    loan = _loan_in_scope(maker, payload["loan_id"])
    if date.fromisoformat(payload["asked_on"]) > today:
        raise DomainError(E.TOO_LATE, _("The request date cannot be in the future."), "asked_on")
    _reschedule_plan(
        loan,
        payload["instalment_id"],
        date.fromisoformat(payload["new_due"]),
        payload.get("amount"),
        date.fromisoformat(payload["asked_on"]),
    )


def reschedule_rows(loan: Loan, payload: dict) -> list[Row]:
    """The schedule after the move: the moved principal is merged into the next instalment when
    the new date is its date, otherwise it becomes an instalment of its own."""
    new_due = date.fromisoformat(payload["new_due"])
    instalments, moving, following = _reschedule_plan(
        loan,
        payload["instalment_id"],
        new_due,
        payload.get("amount"),
        date.fromisoformat(payload["asked_on"]),
    )
    moved = payload.get("amount") or moving.principal_unpaid
    rows: list[Row] = []
    for row in instalments:
        if row.pk == moving.pk:
            left = row.principal - moved
            if left > 0:
                paid = left == row.principal_paid
                rows.append(row_of(row, principal=left, status="paid" if paid else row.status))
        elif row.pk == following.pk and due_of(row) == new_due:
            rows.append(row_of(row, principal=row.principal + moved))
        else:
            rows.append(row_of(row))
    if due_of(following) != new_due:
        rows.append(
            Row(
                principal=moved,
                due_contract=moving.due_contract,
                due_extended=new_due,
                due_session=session_date(new_due, loan.session_day),
            )
        )
    return sorted(rows, key=lambda r: (r.due_session, r.due_contract))


def reschedule_apply(*, approval, today: date) -> ScheduleVersion:
    """Make the rescheduled schedule the loan's current version (the earlier one stays)."""
    with transaction.atomic():
        loan = loan_lock(approval.payload["loan_id"])
        return schedule_version_new(
            loan=loan,
            kind=ScheduleKind.RESCHEDULE,
            effective_on=today,
            rows=reschedule_rows(loan, approval.payload),
            approval=approval,
            note=approval.payload["reason"],
        )


# --- extension ---------------------------------------------------------------------------------


def current_maturity(loan: Loan) -> date:
    return loan.maturity_extended_on or loan.maturity_on


def extended_months(loan: Loan) -> int:
    """Months of extension granted so far: the maturity's move, less the months a freeze added
    (a freeze's return to repayment moves maturity too, but is not an extension)."""
    if loan.maturity_extended_on is None:
        return 0
    frozen = sum(
        RiskDossier.objects.filter(
            loan=loan, treatment="freeze", freeze_ended_on__isnull=False
        ).values_list("freeze_months", flat=True)
    )
    return max(0, rules.months_between(loan.maturity_on, loan.maturity_extended_on) - frozen)


def extension_check(*, loan: Loan, months: int, asked_on: date) -> None:
    problems = rules.extension_problems(
        status=loan.status,
        asked_on=asked_on,
        maturity=current_maturity(loan),
        term_months=loan.term_months,
        extended_months=extended_months(loan),
        months=months,
    )
    if problems:
        raise DomainError.of(problems)


def extension_propose(
    *,
    actor,
    loan: Loan,
    months: int,
    asked_on: date,
    reason: str,
    today: date,
    idempotency_key: str = "",
):
    """Ask (maker) to extend the loan's maturity by ``months``."""
    access.require(actor, Capability.PROPOSE_LOAN_DECISIONS)
    loan = _loan_in_scope(actor, loan.pk)
    payload = {
        "loan_id": loan.pk,
        "loan_number": loan.number,
        "months": months,
        "maturity": current_maturity(loan).isoformat() if current_maturity(loan) else None,
        "new_maturity": add_months(loan.maturity_on, extended_months(loan) + months).isoformat()
        if loan.maturity_on
        else None,
        "asked_on": asked_on.isoformat(),
        "reason": _reason(reason),
    }
    return approval_request_create(
        kind=EXTENSION_KIND,
        payload=payload,
        unit=loan.office,
        maker=actor,
        today=today,
        idempotency_key=idempotency_key,
    )


def extension_apply(
    *,
    loan: Loan,
    months: int,
    asked_on: date,
    actor,
    today: date,
    kind: str = ScheduleKind.EXTENSION,
    approval=None,
    checker=None,
    note: str = "",
    key: str,
) -> ScheduleVersion:
    """Extend a locked loan: overdue principal returns to term (2112 → 2111), and the unpaid
    principal is re-spread from the last due date reached to the new maturity."""
    extension_check(loan=loan, months=months, asked_on=asked_on)
    if loan.principal_overdue:
        overdue_to_term(loan=loan, actor=actor, today=today, key=f"{key}:overdue", checker=checker)
    new_maturity, rows = extension_rows(loan, months, today)
    loan.maturity_extended_on = new_maturity
    loan.save()
    return schedule_version_new(
        loan=loan, kind=kind, effective_on=today, rows=rows, approval=approval, note=note
    )


def respread_rows(
    loan: Loan,
    instalments,
    *,
    unpaid: int,
    starting_after: date,
    new_maturity: date,
    keep_overdue_from: bool = False,
) -> list[Row]:
    """A new schedule's rows: the principal already paid stays in the instalments where it was
    paid; ``unpaid`` is re-spread by the schedule rule from ``starting_after`` to
    ``new_maturity`` (an extension, or the return to repayment after a freeze)."""
    rows = [
        row_of(
            i,
            principal=i.principal_paid,
            status=InstalmentStatus.PAID,
            overdue_from=i.overdue_from if keep_overdue_from else None,
        )
        for i in instalments
        if i.principal_paid > 0
    ]
    if unpaid > 0:
        rows += [
            Row(
                principal=planned.principal,
                due_contract=planned.due_contract,
                due_extended=planned.due_contract,
                due_session=planned.due_session,
            )
            for planned in respread(
                unpaid=unpaid,
                starting_after=starting_after,
                new_maturity=new_maturity,
                interval_months=loan.repayment_interval_months,
                session_day=loan.session_day,
            )
        ]
    return rows


def extension_rows(loan: Loan, months: int, today: date) -> tuple[date, list[Row]]:
    """The new maturity and schedule: paid principal stays where it was paid; the unpaid
    principal is re-spread from the last due date reached to the new maturity."""
    new_maturity = add_months(loan.maturity_on, extended_months(loan) + months)
    instalments = current_instalments(loan)
    reached = [i.due_contract for i in instalments if i.due_session <= today]
    starting_after = max(reached) if reached else loan.disbursed_on
    unpaid = sum(i.principal_unpaid for i in instalments)
    rows = respread_rows(
        loan, instalments, unpaid=unpaid, starting_after=starting_after, new_maturity=new_maturity
    )
    return new_maturity, rows


def overdue_to_term(*, loan: Loan, actor, today: date, key: str, checker=None) -> None:
    """Overdue principal back in term (2112 → 2111) — the reverse direction of a transfer to
    overdue —, interest carried to today first so the overdue days keep their overdue rate."""
    accrue_to(loan, today)
    amount = loan.principal_overdue
    refs = loan_refs(loan)
    code = loan.programme.code
    entry = journal_entry_post(
        branch=loan.branch_id,
        value_date=today,
        kind=EntryKind.OVERDUE_TRANSFER,
        memo=_("Loan %(number)s: overdue principal back in term after extension")
        % {"number": loan.number},
        lines=[
            debit(principal_account(code, "in_term"), amount, **refs),
            credit(principal_account(code, "overdue"), amount, **refs),
        ],
        idempotency_key=key,
        maker=actor,
        checker=checker,
        today=today,
    )
    transaction_record(
        loan=loan,
        kind=TransactionKind.OVERDUE_TRANSFER,
        entry=entry,
        actor=actor,
        value_date=today,
        principal_in_term=amount,
        principal_overdue=-amount,
    )
    status_move(loan=loan, to=LoanStatus.IN_TERM, on=today, actor=actor, reason=_("Extension"))


def extension_approve(*, approval, checker, today: date) -> ScheduleVersion:
    payload = approval.payload
    with transaction.atomic():
        loan = loan_lock(payload["loan_id"])
        return extension_apply(
            loan=loan,
            months=payload["months"],
            asked_on=date.fromisoformat(payload["asked_on"]),
            actor=approval.maker,
            today=today,
            approval=approval,
            checker=checker,
            note=payload["reason"],
            key=f"loans.extension:{approval.pk}",
        )
