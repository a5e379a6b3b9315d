"""The ledger's maker–checker requests: a manual voucher, a reversal, a month's close."""

from __future__ import annotations

from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from policylend.approvals.registry import ApprovalKind, register, register_result_link
from policylend.core.errors import DomainError, NotFound
from policylend.core.money import format_amount
from policylend.core.periods import Month
from policylend.users import access
from policylend.users.roles import Capability

from . import selectors
from .error_codes import LedgerErrorCode as E
from .models import JournalEntry, PeriodStatus
from .rules import LineSpec, Side, entry_problems
from .services import journal_entry_post, journal_entry_reverse, period_close
from .services.posting import check_entry_header, check_offices, resolve_accounts

MANUAL_ENTRY = "ledger.manual_entry"
REVERSAL = "ledger.reversal"
PERIOD_CLOSE = "ledger.period_close"


# --- a manual voucher --------------------------------------------------------------------------


def manual_entry_lines(payload: dict) -> list[LineSpec]:
    return [LineSpec.from_dict(line) for line in payload["lines"]]


def _require_maker_scope(payload: dict, lines: list[LineSpec], maker) -> None:
    """A maker proposes only in their own branch, and an office-level maker only for their office."""
    scope = access.scope_of(maker)
    if not scope.everything and payload["branch_id"] != scope.branch_id:
        raise NotFound("not_found", _("No such branch in your scope."))
    for number, line in enumerate(lines, start=1):
        office_id = line.office_id
        if scope.kind == "office" and office_id != scope.unit_id:
            raise DomainError(
                E.OFFICE_NOT_IN_BRANCH,
                _("Line %(n)d: a transaction-office user writes only lines of their own office.")
                % {"n": number},
                f"lines[{number}].office",
            )


def _validate_manual_entry(payload: dict, maker, today: date) -> None:
    lines = manual_entry_lines(payload)
    _require_maker_scope(payload, lines, maker)
    value_date = date.fromisoformat(payload["value_date"])
    check_entry_header(
        memo=payload.get("memo", "").strip(), key="manual", value_date=value_date, today=today
    )
    problems = entry_problems(lines)
    if problems:
        raise DomainError.of(problems)
    resolve_accounts(lines)
    check_offices(lines, payload["branch_id"])
    if selectors.month_is_closed(payload["branch_id"], Month.of(value_date)):
        raise DomainError(
            E.PERIOD_CLOSED,
            _("%(month)s is closed.") % {"month": Month.of(value_date)},
            "value_date",
        )


def _apply_manual_entry(request, checker, today: date) -> str:
    payload = request.payload
    entry = journal_entry_post(
        branch=payload["branch_id"],
        value_date=date.fromisoformat(payload["value_date"]),
        kind="manual",
        memo=payload["memo"],
        lines=manual_entry_lines(payload),
        idempotency_key=f"approval-{request.pk}",
        maker=request.maker,
        checker=checker,
        today=today,
    )
    return f"journal_entry:{entry.pk}"


def _describe_manual_entry(request) -> str:
    lines = manual_entry_lines(request.payload)
    total = sum(line.amount for line in lines if line.side == Side.DEBIT)
    return _("Manual voucher %(date)s, %(total)s: %(memo)s") % {
        "date": date.fromisoformat(request.payload["value_date"]).strftime("%d/%m/%Y"),
        "total": format_amount(total),
        "memo": request.payload["memo"],
    }


register(
    ApprovalKind(
        code=MANUAL_ENTRY,
        label=gettext_lazy("Manual voucher"),
        maker_capability=Capability.PROPOSE_JOURNAL_ENTRY,
        checker_capability=Capability.APPROVE_JOURNAL_ENTRY,
        validate=_validate_manual_entry,
        apply=_apply_manual_entry,
        describe=_describe_manual_entry,
        detail_template="ledger/approval_manual_entry.html",
    )
)


# --- a reversal --------------------------------------------------------------------------------


def _validate_reversal(payload: dict, maker, today: date) -> None:
    entry = JournalEntry.objects.filter(pk=payload["entry_id"]).first()
    if entry is None or not selectors.journal_entry_list(maker).filter(pk=entry.pk).exists():
        raise NotFound(
            "not_found", _("There is no journal entry #%(id)s.") % {"id": payload["entry_id"]}
        )
    if not (payload.get("reason") or "").strip():
        raise DomainError(E.REASON_REQUIRED, _("Give the reason for the reversal."), "reason")
    if entry.reverses_id is not None:
        raise DomainError(
            E.REVERSAL_OF_REVERSAL,
            _("Entry #%(id)d is itself a reversal; post a new entry instead.") % {"id": entry.pk},
            "entry",
        )
    reversal = JournalEntry.objects.filter(reverses=entry).values_list("pk", flat=True).first()
    if reversal is not None:
        raise DomainError(
            E.ALREADY_REVERSED,
            _("Entry #%(id)d was already reversed by entry #%(by)d.")
            % {"id": entry.pk, "by": reversal},
            "entry",
        )


def _apply_reversal(request, checker, today: date) -> str:
    entry = journal_entry_reverse(
        entry_id=request.payload["entry_id"],
        reason=request.payload["reason"],
        maker=request.maker,
        checker=checker,
        today=today,
    )
    return f"journal_entry:{entry.pk}"


def _describe_reversal(request) -> str:
    return _("Reverse entry #%(id)s: %(reason)s") % {
        "id": request.payload["entry_id"],
        "reason": request.payload["reason"],
    }


register(
    ApprovalKind(
        code=REVERSAL,
        label=gettext_lazy("Reversal of a journal entry"),
        maker_capability=Capability.PROPOSE_JOURNAL_ENTRY,
        checker_capability=Capability.APPROVE_JOURNAL_ENTRY,
        validate=_validate_reversal,
        apply=_apply_reversal,
        describe=_describe_reversal,
        subject=lambda payload: f"entry:{payload['entry_id']}",
    )
)


# --- closing a month ---------------------------------------------------------------------------


def _validate_period_close(payload: dict, maker, today: date) -> None:
    month = Month.parse(payload["month"])
    scope = access.scope_of(maker)
    if not scope.everything and payload["branch_id"] != scope.branch_id:
        raise NotFound("not_found", _("No such branch in your scope."))
    if month.last_day >= today:
        raise DomainError(
            E.PERIOD_NOT_ENDED,
            _("%(month)s has not ended yet; it can be closed from %(day)s.")
            % {"month": month, "day": month.next().first_day.strftime("%d/%m/%Y")},
            "month",
        )
    if selectors.month_is_closed(payload["branch_id"], month):
        raise DomainError(
            E.PERIOD_ALREADY_CLOSED, _("%(month)s is already closed.") % {"month": month}, "month"
        )


def _apply_period_close(request, checker, today: date) -> str:
    period = period_close(
        branch_id=request.payload["branch_id"],
        month=Month.parse(request.payload["month"]),
        closed_by=checker,
        requested_by=request.maker,
        today=today,
    )
    return f"period:{period.pk}"


def _describe_period_close(request) -> str:
    return _("Close the books of %(month)s") % {"month": Month.parse(request.payload["month"])}


register(
    ApprovalKind(
        code=PERIOD_CLOSE,
        label=gettext_lazy("Month-end close"),
        maker_capability=Capability.REQUEST_PERIOD_CLOSE,
        checker_capability=Capability.APPROVE_PERIOD_CLOSE,
        validate=_validate_period_close,
        apply=_apply_period_close,
        describe=_describe_period_close,
        subject=lambda payload: f"{payload['branch_id']}:{payload['month']}",
    )
)

__all__ = ["MANUAL_ENTRY", "PERIOD_CLOSE", "REVERSAL", "PeriodStatus"]

register_result_link("journal_entry", lambda pk: reverse("ledger:entry_detail", args=[pk]))
register_result_link("period", lambda pk: reverse("ledger:period_list"))
