from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from policylend.core.errors import DomainError, NotFound

from ..error_codes import LedgerErrorCode as E
from ..models import EntryKind, JournalEntry
from ..rules import LineSpec, Side
from .posting import journal_entry_post


def entry_lines_as_specs(entry: JournalEntry) -> list[LineSpec]:
    return [
        LineSpec(
            account=line.account.code,
            side=Side.DEBIT if line.amount > 0 else Side.CREDIT,
            amount=abs(line.amount),
            office_id=line.office_id,
            association_id=line.association_id,
            group_ref=line.group_ref,
            loan_ref=line.loan_ref,
            savings_account_ref=line.savings_account_ref,
            campaign_ref=line.campaign_ref,
        )
        for line in entry.lines.select_related("account").order_by("id")
    ]


def journal_entry_reverse(
    *,
    entry_id: int,
    reason: str,
    maker,
    today: date,
    checker=None,
    value_date: date | None = None,
) -> JournalEntry:
    """Post the mirror of an entry, dated today (an open month), linked to the original.

    Nothing posted is edited or deleted: this is how a wrong entry is corrected. An entry is
    reversed at most once, and a reversal is not itself reversed (post a new entry instead).
    """
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(E.REASON_REQUIRED, _("Give the reason for the reversal."), "reason")
    with transaction.atomic():
        original = JournalEntry.objects.filter(pk=entry_id).first()
        if original is None:
            raise NotFound("not_found", _("There is no journal entry #%(id)d.") % {"id": entry_id})
        if original.reverses_id is not None:
            raise DomainError(
                E.REVERSAL_OF_REVERSAL,
                _("Entry #%(id)d is itself a reversal; post a new entry instead.")
                % {"id": original.pk},
                "entry",
            )
        already = (
            JournalEntry.objects.filter(reverses=original).values_list("pk", flat=True).first()
        )
        if already is not None:
            raise DomainError(
                E.ALREADY_REVERSED,
                _("Entry #%(id)d was already reversed by entry #%(by)d.")
                % {"id": original.pk, "by": already},
                "entry",
            )
        return journal_entry_post(
            branch=original.branch_id,
            value_date=value_date or today,
            kind=EntryKind.REVERSAL,
            memo=(_("Reversal of #%(id)d: %(reason)s") % {"id": original.pk, "reason": reason})[
                :300
            ],
            lines=[line.mirrored() for line in entry_lines_as_specs(original)],
            idempotency_key=f"reversal-of-{original.pk}",
            maker=maker,
            checker=checker,
            today=today,
            reverses=original,
        )


def part_of_sheet_refused(entry: JournalEntry, transaction_id: int, code: str) -> None:
    """Refuse reversing one member's part of a collection sheet: the sheet is one entry for the
    whole group, so only the sheet's own reversal undoes it (every member's part at once)."""
    if entry.kind == EntryKind.COLLECTION_SHEET:
        raise DomainError(
            code,
            _(
                "Transaction #%(id)d was posted on collection sheet no. %(receipt)d; reverse "
                "the sheet instead."
            )
            % {"id": transaction_id, "receipt": entry.pk},
            "transaction",
        )
