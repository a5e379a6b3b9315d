"""Risk handling (domain.md §6.10): dossiers of loans hurt by an objective cause, gathered in a
batch of a transaction office and approved together by maker–checker ("loans.risk_batch").

Approval posts every dossier in the approval's one database transaction:
- freeze: interest to date posted first, then Dr 2113 / Cr 2111 and 2112; status frozen; frozen
  debt accrues nothing (``accrue`` gives 0 on frozen principal);
- write-off: principal out of 2111/2112/2113 and interest receivable out of 3941 against the
  credit risk reserve (Dr 6131), plus the off-balance memo Dr 9711 / Cr 9719 for the total;
- extension: as a borrower's extension, schedule kind "risk_extension".
``freeze_end_run`` returns loans whose freeze has ended to repayment (2113 → 2111).
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from policylend.approvals.services import approval_request_create
from policylend.core.errors import DomainError, NotFound
from policylend.core.periods import add_months
from policylend.ledger.models import EntryKind
from policylend.ledger.rules import credit, debit
from policylend.ledger.services import journal_entry_post
from policylend.organisation.models import OrganisationUnit
from policylend.users import access
from policylend.users.roles import Capability

from .. import changes_rules as rules
from ..error_codes import ChangeErrorCode as E
from ..models import (
    Loan,
    LoanStatus,
    RiskBatch,
    RiskBatchStatus,
    RiskDossier,
    RiskEvidence,
    RiskTreatment,
    ScheduleKind,
    TransactionKind,
)
from .accrual import interest_post_to_date
from .common import (
    CREDIT_RISK_RESERVE,
    INTEREST_RECEIVABLE,
    WRITTEN_OFF_MEMO,
    WRITTEN_OFF_MEMO_CONTRA,
    accrue_to,
    loan_lock,
    loan_refs,
    principal_account,
    status_move,
    transaction_record,
)
from .reschedule import (
    _loan_in_scope,
    current_instalments,
    current_maturity,
    extension_apply,
    respread_rows,
    schedule_version_new,
)

RISK_BATCH_KIND = "loans.risk_batch"
EVIDENCE_SIZE_MAX = 10 * 1024 * 1024
# Evidence is a scan or a photo: the file's first bytes decide, not its name.
EVIDENCE_SIGNATURES = {b"%PDF-": "pdf", b"\xff\xd8\xff": "jpeg", b"\x89PNG\r\n\x1a\n": "png"}
NAME_LENGTH_MAX = 120
ASSESSMENT_LENGTH_MAX = 4000
DESCRIPTION_LENGTH_MAX = 200


def _editable(batch: RiskBatch) -> None:
    if batch.status != RiskBatchStatus.DRAFT:
        raise DomainError(
            E.BATCH_NOT_DRAFT,
            _("Batch %(name)s is %(status)s; only a batch being prepared can change.")
            % {"name": batch.name, "status": RiskBatchStatus(batch.status).label},
            "batch",
        )


def _reopen_if_refused(batch: RiskBatch) -> None:
    """A batch whose request was rejected or withdrawn is being prepared again (the refused
    request stays in the approvals' history)."""
    if (
        batch.status == RiskBatchStatus.SUBMITTED
        and batch.approval is not None
        and batch.approval.status in ("rejected", "withdrawn")
    ):
        batch.status = RiskBatchStatus.DRAFT
        batch.save(update_fields=["status"])


def risk_batch_create(*, actor, office: OrganisationUnit, name: str) -> RiskBatch:
    access.require(actor, Capability.PROPOSE_LOAN_DECISIONS)
    if office.kind != "office" or not access.unit_visible(actor, office):
        raise NotFound("not_found", _("No such transaction office in your scope."))
    name = (name or "").strip()
    if not name:
        raise DomainError(E.NAME_REQUIRED, _("Give the batch a name."), "name")
    if len(name) > NAME_LENGTH_MAX:
        raise DomainError(
            E.TEXT_TOO_LONG,
            _("The name may have at most %(n)d characters.") % {"n": NAME_LENGTH_MAX},
            "name",
        )
    return RiskBatch.objects.create(
        name=name, office=office, branch_id=office.branch_id, created_by=actor
    )


def _freeze_ended(loan: Loan, today: date) -> bool:
    """A freeze of this loan has run its course (the borrower still cannot pay)."""
    return RiskDossier.objects.filter(
        loan=loan, treatment=RiskTreatment.FREEZE, freeze_until__lt=today
    ).exists()


def dossier_check(
    *,
    loan: Loan,
    batch: RiskBatch,
    cause: str,
    occurred_on: date,
    loss_percent: int,
    treatment: str,
    freeze_months: int | None,
    extension_months: int | None,
    today: date,
) -> None:
    if loan.office_id != batch.office_id:
        raise DomainError(
            E.LOAN_OTHER_OFFICE,
            _("Loan %(number)s belongs to another transaction office than the batch.")
            % {"number": loan.number},
            "loan",
        )
    handled = (LoanStatus.IN_TERM, LoanStatus.OVERDUE)
    if treatment == RiskTreatment.WRITE_OFF:
        handled += (LoanStatus.FROZEN,)
    if loan.status not in handled:
        raise DomainError(
            E.LOAN_NOT_HANDLED,
            _("Loan %(number)s is %(status)s; it cannot be handled this way.")
            % {"number": loan.number, "status": LoanStatus(loan.status).label},
            "loan",
        )
    problems = rules.dossier_problems(
        loss_percent=loss_percent,
        cause=cause,
        treatment=treatment,
        freeze_months=freeze_months,
        extension_months=extension_months,
        freeze_ended=_freeze_ended(loan, today),
        occurred_on=occurred_on,
        today=today,
    )
    if problems:
        raise DomainError.of(problems)


def risk_dossier_add(
    *,
    actor,
    batch: RiskBatch,
    loan: Loan,
    cause: str,
    occurred_on: date,
    loss_percent: int,
    loss_assessment: str,
    treatment: str,
    freeze_months: int | None = None,
    extension_months: int | None = None,
    today: date | None = None,
) -> RiskDossier:
    """Add a loan's dossier (Forms 01, 02, 04, 05/XLN) to a batch being prepared."""
    access.require(actor, Capability.PROPOSE_LOAN_DECISIONS)
    today = today or occurred_on
    with transaction.atomic():
        batch = (
            RiskBatch.objects.select_for_update(of=("self",))
            .select_related("approval")
            .get(pk=batch.pk)
        )
        _reopen_if_refused(batch)
        _editable(batch)
        loan = _loan_in_scope(actor, loan.pk)
        loss_assessment = (loss_assessment or "").strip()
        if len(loss_assessment) > ASSESSMENT_LENGTH_MAX:
            raise DomainError(
                E.TEXT_TOO_LONG,
                _("The assessment may have at most %(n)d characters.")
                % {"n": ASSESSMENT_LENGTH_MAX},
                "loss_assessment",
            )
        dossier_check(
            loan=loan,
            batch=batch,
            cause=cause,
            occurred_on=occurred_on,
            loss_percent=loss_percent,
            treatment=treatment,
            freeze_months=freeze_months,
            extension_months=extension_months,
            today=today,
        )
        if treatment == RiskTreatment.EXTENSION:
            from .reschedule import extension_check

            extension_check(loan=loan, months=extension_months, asked_on=today)
        if batch.dossiers.filter(loan=loan).exists():
            raise DomainError(
                E.DOSSIER_TWICE,
                _("Loan %(number)s already has a dossier in this batch.") % {"number": loan.number},
                "loan",
            )
        return RiskDossier.objects.create(
            batch=batch,
            loan=loan,
            cause=cause,
            occurred_on=occurred_on,
            loss_percent=loss_percent,
            loss_assessment=loss_assessment,
            treatment=treatment,
            freeze_months=freeze_months if treatment == RiskTreatment.FREEZE else None,
            extension_months=extension_months if treatment == RiskTreatment.EXTENSION else None,
            created_by=actor,
        )


def risk_evidence_add(*, actor, dossier: RiskDossier, file, description: str) -> RiskEvidence:
    """Keep a scan or photo of the dossier's evidence: PDF, JPEG or PNG, at most 10 MB."""
    access.require(actor, Capability.PROPOSE_LOAN_DECISIONS)
    _reopen_if_refused(dossier.batch)
    _editable(dossier.batch)
    if file.size > EVIDENCE_SIZE_MAX:
        raise DomainError(
            E.EVIDENCE_TOO_LARGE,
            _("The file is %(size)s MB; evidence may be at most 10 MB.")
            % {"size": f"{file.size / 1024 / 1024:.1f}"},
            "file",
        )
    file.seek(0)
    head = file.read(8)
    file.seek(0)
    if not any(head.startswith(signature) for signature in EVIDENCE_SIGNATURES):
        raise DomainError(E.EVIDENCE_TYPE, _("Evidence must be a PDF, JPEG or PNG file."), "file")
    description = (description or "").strip()[:DESCRIPTION_LENGTH_MAX] or file.name[:200]
    return RiskEvidence.objects.create(
        dossier=dossier, file=file, description=description, uploaded_by=actor
    )


def risk_batch_submit(*, actor, batch: RiskBatch, today: date, idempotency_key: str = ""):
    """Send the batch to a checker; every dossier must keep at least one piece of evidence.
    A retry with the same idempotency key returns the request made first."""
    access.require(actor, Capability.PROPOSE_LOAN_DECISIONS)
    with transaction.atomic():
        batch = (
            RiskBatch.objects.select_for_update(of=("self",))
            .select_related("approval")
            .get(pk=batch.pk)
        )
        earlier = batch.approval
        if (
            idempotency_key
            and earlier is not None
            and earlier.maker_id == actor.pk
            and earlier.idempotency_key == idempotency_key[:120]
        ):
            earlier.replayed = True
            return earlier
        _reopen_if_refused(batch)
        _editable(batch)
        dossiers = list(batch.dossiers.select_related("loan"))
        if not dossiers:
            raise DomainError(E.BATCH_EMPTY, _("The batch has no dossier."), "batch")
        without = [d.loan.number for d in dossiers if not d.evidence.exists()]
        if without:
            raise DomainError(
                E.EVIDENCE_MISSING,
                _("These dossiers have no evidence file: %(loans)s.")
                % {"loans": ", ".join(without)},
                "evidence",
            )
        approval = approval_request_create(
            kind=RISK_BATCH_KIND,
            payload={"batch_id": batch.pk, "batch_name": batch.name, "dossiers": len(dossiers)},
            unit=batch.office,
            maker=actor,
            today=today,
            idempotency_key=idempotency_key,
        )
        batch.status = RiskBatchStatus.SUBMITTED
        batch.approval = approval
        batch.save(update_fields=["status", "approval"])
        return approval


def risk_batch_check(*, payload: dict, maker, today: date) -> None:
    batch = RiskBatch.objects.filter(pk=payload["batch_id"]).first()
    if batch is None or not access.unit_visible(maker, batch.office):
        raise NotFound("not_found", _("No such risk-handling batch in your scope."))
    for dossier in batch.dossiers.select_related("loan"):
        dossier_check(
            loan=dossier.loan,
            batch=batch,
            cause=dossier.cause,
            occurred_on=dossier.occurred_on,
            loss_percent=dossier.loss_percent,
            treatment=dossier.treatment,
            freeze_months=dossier.freeze_months,
            extension_months=dossier.extension_months,
            today=today,
        )


def risk_batch_approve(*, approval, checker, today: date) -> RiskBatch:
    """Post every dossier of the batch (in the approval's transaction: all or nothing)."""
    batch = RiskBatch.objects.select_for_update(of=("self",)).get(pk=approval.payload["batch_id"])
    maker = approval.maker
    for dossier in batch.dossiers.order_by("loan_id"):
        loan = loan_lock(dossier.loan_id)
        key = f"loans.risk:{dossier.pk}"
        if dossier.treatment == RiskTreatment.FREEZE:
            loan_freeze(loan=loan, dossier=dossier, actor=maker, checker=checker, today=today)
        elif dossier.treatment == RiskTreatment.WRITE_OFF:
            loan_write_off(loan=loan, dossier=dossier, actor=maker, checker=checker, today=today)
        else:
            extension_apply(
                loan=loan,
                months=dossier.extension_months,
                asked_on=today,
                actor=maker,
                checker=checker,
                today=today,
                kind=ScheduleKind.RISK_EXTENSION,
                approval=approval,
                note=batch.name,
                key=key,
            )
        loan.save()
    batch.status = RiskBatchStatus.APPROVED
    batch.decided_on = today
    batch.save(update_fields=["status", "decided_on"])
    return batch


def loan_freeze(*, loan: Loan, dossier: RiskDossier, actor, checker, today: date) -> None:
    """Freeze the loan's principal (2111/2112 → 2113) after posting its interest to date."""
    interest_post_to_date(actor=actor, loan=loan, day=today, today=today)
    in_term, overdue = loan.principal_in_term, loan.principal_overdue
    refs = loan_refs(loan)
    code = loan.programme.code
    lines = [debit(principal_account(code, "frozen"), in_term + overdue, **refs)]
    if in_term:
        lines.append(credit(principal_account(code, "in_term"), in_term, **refs))
    if overdue:
        lines.append(credit(principal_account(code, "overdue"), overdue, **refs))
    entry = journal_entry_post(
        branch=loan.branch_id,
        value_date=today,
        kind=EntryKind.FREEZE,
        memo=_("Loan %(number)s frozen for %(months)d months (%(batch)s)")
        % {"number": loan.number, "months": dossier.freeze_months, "batch": dossier.batch.name},
        lines=lines,
        idempotency_key=f"loans.freeze:{dossier.pk}",
        maker=actor,
        checker=checker,
        today=today,
    )
    transaction_record(
        loan=loan,
        kind=TransactionKind.FREEZE,
        entry=entry,
        actor=actor,
        value_date=today,
        principal_in_term=-in_term,
        principal_overdue=-overdue,
        principal_frozen=in_term + overdue,
    )
    status_move(loan=loan, to=LoanStatus.FROZEN, on=today, actor=checker, reason=dossier.batch.name)
    dossier.freeze_until = add_months(today, dossier.freeze_months)
    dossier.save(update_fields=["freeze_until"])


def loan_write_off(*, loan: Loan, dossier: RiskDossier, actor, checker, today: date) -> None:
    """Write the loan off against the credit risk reserve and keep it off-balance (9711/9719)."""
    if loan.status != LoanStatus.FROZEN:
        interest_post_to_date(actor=actor, loan=loan, day=today, today=today)
    else:
        accrue_to(loan, today)
    in_term, overdue, frozen = loan.principal_in_term, loan.principal_overdue, loan.principal_frozen
    interest, penalty = loan.interest_receivable, loan.penalty_receivable
    total = in_term + overdue + frozen + interest + penalty
    refs = loan_refs(loan)
    code = loan.programme.code
    lines = [debit(CREDIT_RISK_RESERVE, total, office_id=loan.office_id)]
    for state, amount in (("in_term", in_term), ("overdue", overdue), ("frozen", frozen)):
        if amount:
            lines.append(credit(principal_account(code, state), amount, **refs))
    if interest + penalty:
        lines.append(credit(INTEREST_RECEIVABLE, interest + penalty, **refs))
    lines += [
        debit(WRITTEN_OFF_MEMO, total, **refs),
        credit(WRITTEN_OFF_MEMO_CONTRA, total, **refs),
    ]
    entry = journal_entry_post(
        branch=loan.branch_id,
        value_date=today,
        kind=EntryKind.WRITE_OFF,
        memo=_("Loan %(number)s written off (%(batch)s)")
        % {"number": loan.number, "batch": dossier.batch.name},
        lines=lines,
        idempotency_key=f"loans.write_off:{dossier.pk}",
        maker=actor,
        checker=checker,
        today=today,
    )
    transaction_record(
        loan=loan,
        kind=TransactionKind.WRITE_OFF,
        entry=entry,
        actor=actor,
        value_date=today,
        principal_in_term=-in_term,
        principal_overdue=-overdue,
        principal_frozen=-frozen,
        interest=-interest,
        penalty=-penalty,
    )
    loan.written_off_principal = in_term + overdue + frozen
    loan.written_off_interest = interest + penalty
    loan.interest_current = 0
    loan.interest_pending_micro = 0
    loan.penalty_pending_micro = 0
    status_move(
        loan=loan, to=LoanStatus.WRITTEN_OFF, on=today, actor=checker, reason=dossier.batch.name
    )


def freeze_end_run(*, actor, branch: OrganisationUnit, today: date) -> int:
    """Return to repayment every loan of the branch (or office) whose freeze ended before today: principal
    2113 → 2111, status in term, a new schedule re-spreading it from today to the old maturity
    plus the freeze's length, interest accruing again from today. Returns the loans moved."""
    access.require(actor, Capability.RUN_LOAN_JOBS)
    access.require_unit(actor, branch)
    # An office's controller runs it for their office; branch staff for the whole branch.
    where = {"loan__office": branch} if branch.kind == "office" else {"loan__branch": branch}
    dossiers = RiskDossier.objects.filter(
        treatment=RiskTreatment.FREEZE,
        freeze_until__lt=today,
        freeze_ended_on__isnull=True,
        **where,
        loan__status=LoanStatus.FROZEN,
        batch__status=RiskBatchStatus.APPROVED,
    ).order_by("loan_id")
    moved = 0
    with transaction.atomic(durable=True):
        for dossier in dossiers:
            loan = loan_lock(dossier.loan_id)
            _unfreeze(loan=loan, dossier=dossier, actor=actor, today=today)
            loan.save()
            moved += 1
    return moved


def _unfreeze(*, loan: Loan, dossier: RiskDossier, actor, today: date) -> None:
    accrue_to(loan, today)  # frozen principal: nothing accrues, the accrual date moves on
    amount = loan.principal_frozen
    refs = loan_refs(loan)
    code = loan.programme.code
    entry = journal_entry_post(
        branch=loan.branch_id,
        value_date=today,
        kind=EntryKind.FREEZE,
        memo=_("Loan %(number)s back to repayment after its freeze") % {"number": loan.number},
        lines=[
            debit(principal_account(code, "in_term"), amount, **refs),
            credit(principal_account(code, "frozen"), amount, **refs),
        ],
        idempotency_key=f"loans.unfreeze:{dossier.pk}",
        maker=actor,
        today=today,
    )
    transaction_record(
        loan=loan,
        kind=TransactionKind.UNFREEZE,
        entry=entry,
        actor=actor,
        value_date=today,
        principal_in_term=amount,
        principal_frozen=-amount,
    )
    status_move(loan=loan, to=LoanStatus.IN_TERM, on=today, actor=actor, reason=_("Freeze ended"))
    new_maturity = add_months(current_maturity(loan), dossier.freeze_months)
    instalments = current_instalments(loan)
    rows = respread_rows(
        loan,
        instalments,
        unpaid=amount,
        starting_after=today,
        new_maturity=new_maturity,
        keep_overdue_from=True,
    )
    loan.maturity_extended_on = new_maturity
    loan.interest_accrued_from = today
    schedule_version_new(
        loan=loan,
        kind=ScheduleKind.UNFREEZE,
        effective_on=today,
        rows=rows,
        note=dossier.batch.name,
    )
    dossier.freeze_ended_on = today
    dossier.save(update_fields=["freeze_ended_on"])
