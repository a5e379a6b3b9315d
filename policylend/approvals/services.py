"""Maker–checker services. The maker can never check; two checkers acting at once resolve a
request once (the second is told who decided first)."""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from policylend.core.errors import Conflict, DomainError, Forbidden, NotFound
from policylend.organisation.models import OrganisationUnit
from policylend.users import access

from . import registry
from .error_codes import ApprovalErrorCode as E
from .models import ApprovalRequest, ApprovalStatus

NOTE_LENGTH_MAX = 500


def _kind(code: str) -> registry.ApprovalKind:
    try:
        return registry.get(code)
    except KeyError:
        raise DomainError(
            E.UNKNOWN_KIND, _("Unknown kind of request: %(kind)s.") % {"kind": code}, "kind"
        ) from None


def approval_request_create(
    *,
    kind: str,
    payload: dict,
    unit: OrganisationUnit,
    maker,
    today: date,
    note: str = "",
    idempotency_key: str = "",
) -> ApprovalRequest:
    """Record a maker's request; it is checked now and again when it is approved.

    With an ``idempotency_key``, a retry with the same content returns the first request
    (``request.replayed`` is True) and other content under the same key is refused. At most one
    request about the same subject (an entry to reverse, a month to close) waits at a time.
    """
    spec = _kind(kind)
    if not access.can(maker, spec.maker_capability):
        raise Forbidden(E.MAKER_ROLE, _("Your role may not make this request."))
    if not access.unit_visible(maker, unit):
        raise Forbidden(E.OUTSIDE_SCOPE, _("%(unit)s is outside your scope.") % {"unit": unit})
    if len(note) > NOTE_LENGTH_MAX:
        raise DomainError(
            "note_too_long",
            _("The note may have at most %(n)d characters.") % {"n": NOTE_LENGTH_MAX},
            "note",
        )
    key = (idempotency_key or "").strip()[:120]
    subject = spec.subject(payload) if spec.subject else ""
    try:
        with transaction.atomic():
            earlier = _earlier_with_key(maker, key, kind, payload, unit, note)
            if earlier is not None:
                return earlier
            spec.validate(payload, maker, today)
            _refuse_second_waiting(kind, subject)
            request = ApprovalRequest.objects.create(
                kind=kind,
                payload=payload,
                unit=unit,
                branch_id=unit.branch_id,
                maker=maker,
                maker_note=note,
                idempotency_key=key,
                subject_key=subject,
            )
    except IntegrityError:
        # Two submissions raced past the checks above; the database kept one of them.
        if transaction.get_connection().in_atomic_block:
            raise
        earlier = _earlier_with_key(maker, key, kind, payload, unit, note)
        if earlier is not None:
            return earlier
        _refuse_second_waiting(kind, subject)
        raise
    request.replayed = False
    return request


def _earlier_with_key(
    maker, key: str, kind: str, payload: dict, unit, note: str
) -> ApprovalRequest | None:
    if not key:
        return None
    earlier = ApprovalRequest.objects.filter(maker=maker, idempotency_key=key).first()
    if earlier is None:
        return None
    if (earlier.kind, earlier.payload, earlier.unit_id, earlier.maker_note) != (
        kind,
        payload,
        unit.pk,
        note,
    ):
        raise DomainError(
            E.KEY_REUSED,
            _(
                "This idempotency key was already used for request #%(id)d with different content; use a new key."
            )
            % {"id": earlier.pk},
            "Idempotency-Key",
        )
    earlier.replayed = True
    return earlier


def _refuse_second_waiting(kind: str, subject: str) -> None:
    if not subject:
        return
    waiting = ApprovalRequest.objects.filter(
        kind=kind, subject_key=subject, status=ApprovalStatus.PENDING
    ).first()
    if waiting is not None:
        raise DomainError(
            E.ALREADY_WAITING,
            _("Request #%(id)d about the same thing is already waiting for a checker.")
            % {"id": waiting.pk},
            "request",
        )


def _locked_pending(request_id: int) -> ApprovalRequest:
    request = (
        ApprovalRequest.objects.select_for_update(of=("self",))
        .select_related("unit", "maker", "checker")
        .filter(pk=request_id)
        .first()
    )
    if request is None:
        raise NotFound("not_found", _("No such request."))
    if request.status != ApprovalStatus.PENDING:
        messages = {
            ApprovalStatus.APPROVED: _("This request was already approved by %(who)s."),
            ApprovalStatus.REJECTED: _("This request was already rejected by %(who)s."),
            ApprovalStatus.WITHDRAWN: _("This request was withdrawn by its maker, %(who)s."),
        }
        raise Conflict(
            E.NOT_PENDING, messages[request.status] % {"who": request.checker or request.maker}
        )
    return request


def _check_checker(request: ApprovalRequest, checker, spec: registry.ApprovalKind) -> None:
    if request.maker_id == checker.pk:
        raise Forbidden(
            E.MAKER_CANNOT_CHECK, _("You made this request; another person must check it.")
        )
    if not access.can(checker, spec.checker_capability):
        raise Forbidden(E.CHECKER_ROLE, _("Your role may not check this request."))
    if not access.unit_visible(checker, request.unit):
        raise NotFound("not_found", _("No such request."))


def _decide(request: ApprovalRequest, status: str, checker, note: str) -> None:
    # The conditional update is what resolves two checkers acting at once: only one of them
    # finds the request still pending.
    updated = ApprovalRequest.objects.filter(pk=request.pk, status=ApprovalStatus.PENDING).update(
        status=status, checker=checker, decided_at=timezone.now(), decision_note=note
    )
    if updated != 1:
        raise Conflict(E.NOT_PENDING, _("This request was already decided by someone else."))
    request.status, request.checker, request.decision_note = status, checker, note


def approval_request_approve(
    *, request_id: int, checker, today: date, note: str = ""
) -> ApprovalRequest:
    """Approve and carry out the request in one database transaction: if carrying it out fails,
    the request stays pending and nothing is written."""
    with transaction.atomic(durable=True):
        request = _locked_pending(request_id)
        spec = _kind(request.kind)
        _check_checker(request, checker, spec)
        _decide(request, ApprovalStatus.APPROVED, checker, note[:NOTE_LENGTH_MAX])
        spec.validate(request.payload, request.maker, today)
        request.result_reference = spec.apply(request, checker, today) or ""
        ApprovalRequest.objects.filter(pk=request.pk).update(
            result_reference=request.result_reference
        )
    return request


def approval_request_reject(*, request_id: int, checker, reason: str) -> ApprovalRequest:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(E.REASON_REQUIRED, _("Give the reason for the rejection."), "reason")
    with transaction.atomic(durable=True):
        request = _locked_pending(request_id)
        spec = _kind(request.kind)
        _check_checker(request, checker, spec)
        _decide(request, ApprovalStatus.REJECTED, checker, reason[:NOTE_LENGTH_MAX])
        if spec.on_reject is not None:
            spec.on_reject(request)
    return request


def approval_request_withdraw(*, request_id: int, maker) -> ApprovalRequest:
    with transaction.atomic(durable=True):
        request = _locked_pending(request_id)
        if request.maker_id != maker.pk:
            raise Forbidden(E.NOT_MAKER, _("Only the maker may withdraw a request."))
        updated = ApprovalRequest.objects.filter(
            pk=request.pk, status=ApprovalStatus.PENDING
        ).update(status=ApprovalStatus.WITHDRAWN, decided_at=timezone.now())
        if updated != 1:
            raise Conflict(E.NOT_PENDING, _("This request was already decided by someone else."))
        request.status = ApprovalStatus.WITHDRAWN
        spec = _kind(request.kind)
        if spec.on_reject is not None:
            spec.on_reject(request)
    return request
