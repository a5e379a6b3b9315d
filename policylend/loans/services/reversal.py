"""Reversal of a wrongly posted loan step (issue 4, step 10): never an edit, a mirror entry.

A loan transaction (repayment, disbursement, overdue transfer, interest to date …) is reversed
by maker–checker (approval kind ``loans.reversal``): the journal entry is mirrored, the loan's
kept balances get the negated deltas, the instalment shares are undone and the status the step
changed is restored. A step on which a later step of the same loan depends is refused, naming
the later one: reverse that first.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from policylend.approvals.services import approval_request_create
from policylend.core.errors import DomainError, NotFound
from policylend.ledger.models import EntryKind, JournalEntry
from policylend.ledger.services import journal_entry_post, journal_entry_reverse
from policylend.ledger.services.reversal import entry_lines_as_specs, part_of_sheet_refused

from ..error_codes import ServicingErrorCode as E
from ..interest import MICRO, interest_micro
from ..models import (
    Instalment,
    InstalmentStatus,
    LoanStatus,
    LoanTransaction,
    ScheduleVersion,
    TransactionKind,
)
from ..selectors.loans import loans_in_scope
from .common import accrue_to, loan_lock, status_move, transaction_record

KIND = "loans.reversal"
REASON_LENGTH_MAX = 300


def transaction_for_reversal(viewer, transaction_id: int) -> LoanTransaction:
    found = (
        LoanTransaction.objects.select_related("loan", "entry")
        .filter(pk=transaction_id, loan__in=loans_in_scope(viewer))
        .first()
    )
    if found is None:
        raise NotFound("not_found", _("No such loan transaction in your scope."))
    return found


def reversal_problems(record: LoanTransaction) -> None:
    """Raise when ``record`` may not be reversed (now)."""
    if record.kind == TransactionKind.REVERSAL:
        raise DomainError(
            E.NOT_REVERSIBLE,
            _("Transaction #%(id)d is itself a reversal; record the step again instead.")
            % {"id": record.pk},
            "transaction",
        )
    done = LoanTransaction.objects.filter(reverses=record).values_list("pk", flat=True).first()
    if done is not None:
        raise DomainError(
            E.ALREADY_REVERSED,
            _("Transaction #%(id)d was already reversed by #%(by)d.")
            % {"id": record.pk, "by": done},
            "transaction",
        )
    reversed_ids = LoanTransaction.objects.filter(
        loan_id=record.loan_id, reverses__isnull=False
    ).values_list("reverses_id", flat=True)
    later = (
        LoanTransaction.objects.filter(loan_id=record.loan_id, pk__gt=record.pk)
        .exclude(kind=TransactionKind.REVERSAL)
        .exclude(pk__in=list(reversed_ids))
        .order_by("-pk")
        .first()
    )
    if later is not None:
        raise DomainError(
            E.LATER_DEPENDS,
            _("Transaction #%(later)d (%(kind)s of %(day)s) came after #%(id)d; reverse it first.")
            % {
                "later": later.pk,
                "kind": TransactionKind(later.kind).label,
                "day": later.value_date.strftime("%d/%m/%Y"),
                "id": record.pk,
            },
            "transaction",
        )
    loan = record.loan
    moves_principal = record.principal_in_term or record.principal_overdue
    posted_since = (
        loan.interest_posted_through and loan.interest_posted_through >= record.value_date
    )
    if record.kind == TransactionKind.DISBURSEMENT and (
        posted_since or loan.interest_receivable or loan.penalty_receivable
    ):
        raise DomainError(
            E.LATER_DEPENDS,
            _(
                "Interest was already posted on loan %(number)s after its disbursement; "
                "the disbursement can no longer be reversed."
            )
            % {"number": loan.number},
            "transaction",
        )
    if moves_principal and record.principal_overdue > 0 and posted_since:
        raise DomainError(
            E.LATER_DEPENDS,
            _(
                "Overdue interest was posted at a month end after transaction #%(id)d; "
                "it can no longer be reversed."
            )
            % {"id": record.pk},
            "transaction",
        )


def loan_transaction_reversal_propose(
    *, actor, transaction: LoanTransaction, reason: str, today: date
):
    """A maker's request to reverse a loan transaction, with the reason."""
    record = transaction_for_reversal(actor, transaction.pk)
    return approval_request_create(
        kind=KIND,
        payload={"transaction_id": record.pk, "reason": (reason or "").strip()},
        unit=record.loan.office,
        maker=actor,
        today=today,
    )


def validate(payload: dict, maker, today: date) -> None:
    reason = (payload.get("reason") or "").strip()
    if not reason:
        raise DomainError(E.REASON_REQUIRED, _("Give the reason for the reversal."), "reason")
    if len(reason) > REASON_LENGTH_MAX:
        raise DomainError(
            E.REASON_REQUIRED,
            _("The reason may have at most %(n)d characters.") % {"n": REASON_LENGTH_MAX},
            "reason",
        )
    record = transaction_for_reversal(maker, payload["transaction_id"])
    reversal_problems(record)
    part_of_sheet_refused(record.entry, record.pk, E.NOT_REVERSIBLE)
    if record.entry.lines.filter(savings_account_ref__isnull=False).exists():
        # Paid from a member's savings: the savings account's reversal undoes both sides.
        raise DomainError(
            E.NOT_REVERSIBLE,
            _(
                "Transaction #%(id)d was paid from a savings account; reverse it from the "
                "savings account's page."
            )
            % {"id": record.pk},
            "transaction",
        )


def _mirror(record: LoanTransaction, *, reason: str, maker, checker, today: date) -> JournalEntry:
    """Reverse the whole entry when it is this loan's alone; otherwise (an overdue run's entry
    covers many loans) post the mirror of this loan's lines as a new entry."""
    refs = set(record.entry.lines.exclude(loan_ref__isnull=True).values_list("loan_ref", flat=True))
    if refs <= {record.loan_id}:
        return journal_entry_reverse(
            entry_id=record.entry_id, reason=reason, maker=maker, checker=checker, today=today
        )
    lines = [
        line.mirrored()
        for line in entry_lines_as_specs(record.entry)
        if line.loan_ref == record.loan_id
    ]
    return journal_entry_post(
        branch=record.entry.branch_id,
        value_date=today,
        kind=EntryKind.REVERSAL,
        memo=(
            _("Reversal of loan %(number)s's part of #%(id)d: %(reason)s")
            % {"number": record.loan.number, "id": record.entry_id, "reason": reason}
        )[:300],
        lines=lines,
        idempotency_key=f"loan-reversal-of-{record.pk}",
        maker=maker,
        checker=checker,
        today=today,
    )


def loan_transaction_reverse(
    *,
    record: LoanTransaction,
    reason: str,
    maker,
    checker,
    today: date,
    mirror_entry: JournalEntry | None = None,
) -> LoanTransaction:
    """Carry out an approved reversal (joins the approval's transaction). ``mirror_entry``: the
    reversal of the record's entry, already posted by a caller undoing a whole multi-loan entry
    (a collection sheet); otherwise the mirror is posted here."""
    with transaction.atomic():
        loan = loan_lock(record.loan_id)
        record = LoanTransaction.objects.select_related("entry").get(pk=record.pk)
        record.loan = loan
        reversal_problems(record)
        if loan.status in (LoanStatus.IN_TERM, LoanStatus.OVERDUE):
            accrue_to(loan, today)
        _compensate_interest(loan, record)
        entry = mirror_entry or _mirror(
            record, reason=reason, maker=maker, checker=checker, today=today
        )
        for share in record.instalments:
            instalment = Instalment.objects.get(pk=share["instalment"])
            if record.kind == TransactionKind.REPAYMENT:
                instalment.principal_paid -= share["principal"]
            instalment.status = share.get("status_before", InstalmentStatus.PENDING)
            if instalment.status != InstalmentStatus.OVERDUE:
                instalment.overdue_from = None
            instalment.save(update_fields=["principal_paid", "status", "overdue_from"])
        current = loan.interest_current
        undone = transaction_record(
            loan=loan,
            kind=TransactionKind.REVERSAL,
            entry=entry,
            actor=checker,
            value_date=today,
            principal_in_term=-record.principal_in_term,
            principal_overdue=-record.principal_overdue,
            principal_frozen=-record.principal_frozen,
            interest=-record.interest,
            penalty=-record.penalty,
            cash=-record.cash,
            status_before=loan.status,
            reverses=record,
        )
        # Interest paid back on the books counts as arrears (it is older than this month's).
        loan.interest_current = min(current, loan.interest_receivable)
        if record.kind == TransactionKind.INTEREST_TO_DATE:
            # The interest goes back to pending, to be posted with the month.
            loan.interest_pending_micro += record.interest * MICRO
            loan.penalty_pending_micro += record.penalty * MICRO
        if record.kind == TransactionKind.DISBURSEMENT:
            _undo_disbursement(loan)
        if record.kind == TransactionKind.REPAYMENT and loan.status == LoanStatus.SETTLED:
            loan.settled_on = None
        if record.status_before and record.status_before != loan.status:
            status_move(
                loan=loan,
                to=record.status_before,
                on=today,
                actor=checker,
                reason=reason,
                by_reversal=True,
            )
        loan.save()
        return undone


def _compensate_interest(loan, record: LoanTransaction) -> None:
    """Principal put back by the reversal should have borne interest from the step's value date
    to the day the interest is counted to; add that to pending (at the loan's current rates)."""
    start, end = record.value_date, loan.interest_accrued_from
    if record.kind == TransactionKind.DISBURSEMENT or not end or end <= start:
        return
    days = (end - start).days
    for delta, rate, field in (
        (-record.principal_in_term, loan.annual_rate, "interest_pending_micro"),
        (-record.principal_overdue, loan.overdue_rate, "penalty_pending_micro"),
    ):
        if delta:
            micro = interest_micro(abs(delta), rate, days)
            setattr(loan, field, getattr(loan, field) + (micro if delta > 0 else -micro))
            setattr(loan, field, max(getattr(loan, field), 0))


def _undo_disbursement(loan) -> None:
    ScheduleVersion.objects.filter(loan=loan, is_current=True).update(is_current=False)
    loan.disbursed_on = None
    loan.disbursed_at_point = None
    loan.interest_accrued_from = None
    loan.interest_pending_micro = 0
    loan.penalty_pending_micro = 0
    loan.interest_posted_through = None
    loan.maturity_on = None
