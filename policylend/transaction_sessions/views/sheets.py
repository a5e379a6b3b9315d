"""The collection sheet of a group at a session: the page the teller types it into (keyboard
only, pre-filled with what is due), the posted sheet with its reversal request, and its PDFs
(a receipt per member, Form 01/BL-like; the group's list, Form 13/TD-like)."""

from __future__ import annotations

import contextlib
import uuid
from collections import OrderedDict
from dataclasses import dataclass, field
from types import SimpleNamespace

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from policylend.core.errors import DomainError, Forbidden, NotFound
from policylend.core.forms import NOT_DONE, submit
from policylend.core.money import MoneyError, format_amount, parse_amount
from policylend.core.money_words import amount_in_words
from policylend.core.pdf import render_pdf
from policylend.groups.models import BoardTerm
from policylend.households.rules import mask_national_id
from policylend.users import access
from policylend.users.roles import Capability

from ..models import CollectionSheet, SheetStatus, TransactionSession
from .calendar import LANGUAGES, bank_today

PASSED_ON = (NotFound, Forbidden)
COLUMNS = ("interest", "principal", "savings")


def _sheet_selectors():
    from ..selectors import sheets

    return sheets


def _sheet_services():
    from ..services import sheets

    return sheets


# --- lookups -------------------------------------------------------------------------------------


def session_get(viewer, session_id: int) -> TransactionSession:
    """A session of a point in the viewer's scope (404 otherwise): the session part's reader."""
    from ..selectors.sessions import session_get as get

    return get(viewer, session_id)


def session_group_get(viewer, session: TransactionSession, group_id: int):
    from ..selectors import due_list_group_get

    group = due_list_group_get(viewer, group_id)
    if group.commune_id != session.commune_id:
        raise NotFound("not_found", _("No such group at this session."))
    return group


def sitting_leader_name(group) -> str:
    term = (
        BoardTerm.objects.filter(group=group, role="leader", ended_on__isnull=True)
        .select_related("person")
        .first()
    )
    return term.person.full_name if term else ""


# --- the entry page ------------------------------------------------------------------------------


def row_key(household_id: int, loan_id: int | None) -> str:
    return f"{household_id}-{loan_id or 0}"


@dataclass
class Cell:
    name: str
    value: str
    error: str = ""


@dataclass
class EntryRow:
    number: int
    key: str
    prefill: object
    interest: Cell | None
    principal: Cell | None
    savings: Cell | None
    errors: list[str] = field(default_factory=list)


def parse_cell(text: str) -> int:
    """An amount as typed: ``150000``, ``150.000``, ``150,000`` (or Indian ``1,50,000``); blank
    is 0. The project's parser, in the page's language first and then in the others."""
    text = (text or "").strip()
    if not text:
        return 0
    first_error = None
    for language in (get_language() or "vi", "vi", "en", "hi"):
        try:
            amount = parse_amount(text, language)
        except MoneyError as error:
            first_error = first_error or error
            continue
        if amount < 0:
            raise MoneyError("negative", _("The amount cannot be negative."))
        return amount
    raise first_error


def _plain(amount: int) -> str:
    return format_amount(amount, get_language(), symbol=False)


def entry_rows(prefill, posted=None) -> list[EntryRow]:
    """The page's rows from the pre-fill; after a post, the rows the page sent (in its order,
    with the user's text) so that a resubmitted page posts exactly what it showed."""
    by_key = {row_key(row.household_id, row.loan_id): row for row in prefill}
    if posted is None:
        keys = list(by_key)
    else:
        keys = [key for key in posted.getlist("row") if _key_ok(key)][:2000]
    rows = []
    for index, key in enumerate(keys):
        row = by_key.get(key) or _unknown_row(index, key)

        def cell(column, due, show, key=key):
            name = f"{key}-{column}"
            if posted is not None:
                return Cell(name, posted.get(name, "")[:30]) if name in posted else None
            return Cell(name, _plain(due)) if show else None

        rows.append(
            EntryRow(
                number=row.number,
                key=key,
                prefill=row,
                interest=cell("interest", row.interest_due, row.loan_id is not None),
                principal=cell("principal", row.principal_due, row.loan_id is not None),
                savings=cell("savings", row.savings_expected, row.savings_account_id is not None),
            )
        )
    return rows


def _key_ok(key: str) -> bool:
    household, _sep, loan = key.partition("-")
    return household.isdigit() and loan.isdigit()


def _unknown_row(index: int, key: str) -> SimpleNamespace:
    """A row the page sent that the pre-fill no longer has (its loan was settled since)."""
    household, _sep, loan = key.partition("-")
    return SimpleNamespace(
        number=index + 1,
        household_id=int(household),
        household_code="",
        head_name="",
        loan_id=int(loan) or None,
        loan_number="",
        savings_account_id=None,
        interest_due=0,
        principal_due=0,
        savings_expected=0,
    )


def autofocus_name(rows: list[EntryRow]) -> str:
    """The cell the cursor starts in: the first refused one, else the first of the sheet."""
    cells = [cell for row in rows for cell in (row.interest, row.principal, row.savings) if cell]
    for cell in cells:
        if cell.error:
            return cell.name
    return cells[0].name if cells else ""


def totals_of(rows: list[EntryRow]) -> dict[str, int]:
    totals = dict.fromkeys(
        ("interest_due", "principal_due", "savings_expected", *COLUMNS, "total"), 0
    )
    for row in rows:
        totals["interest_due"] += row.prefill.interest_due
        totals["principal_due"] += row.prefill.principal_due
        totals["savings_expected"] += row.prefill.savings_expected
        for column in COLUMNS:
            cell = getattr(row, column)
            if cell is None:
                continue
            with contextlib.suppress(MoneyError):
                totals[column] += parse_cell(cell.value)
    totals["total"] = totals["interest"] + totals["principal"] + totals["savings"]
    return totals


def read_rows(rows: list[EntryRow]):
    """The SheetRows of the posted page, and the problems of cells that are no amount."""
    sheet_row = _sheet_services().SheetRow
    result, problems = [], 0
    for row in rows:
        amounts = {}
        for column in COLUMNS:
            cell = getattr(row, column)
            amounts[column] = 0
            if cell is None:
                continue
            try:
                amounts[column] = parse_cell(cell.value)
            except MoneyError as error:
                cell.error = error.message
                problems += 1
        result.append(
            sheet_row(
                household_id=row.prefill.household_id,
                loan_id=row.prefill.loan_id,
                interest=amounts["interest"],
                principal=amounts["principal"],
                savings=amounts["savings"],
            )
        )
    return result, problems


def _place_problems(rows: list[EntryRow], error: DomainError) -> list[str]:
    """Put each problem next to its cell (``rows[3].interest``); the others go to the top."""
    summary = []
    for problem in getattr(error, "problems", None) or [error]:
        name = getattr(problem, "field", "") or ""
        message = getattr(problem, "message", str(problem))
        summary.append(message)
        if not name.startswith("rows["):
            continue
        try:
            index = int(name[5 : name.index("]")])
        except ValueError:
            continue
        if not 0 <= index < len(rows):
            continue
        column = name[name.index("]") + 2 :] if "]." in name else ""
        cell = getattr(rows[index], column, None) if column in COLUMNS else None
        if cell is not None:
            cell.error = message
        else:
            rows[index].errors.append(message)
    return summary


@login_required
def sheet_entry(request, session_id: int, group_id: int):
    access.require(request.user, Capability.VIEW_SESSIONS)
    session = session_get(request.user, session_id)
    group = session_group_get(request.user, session, group_id)
    if request.method == "POST":
        access.require(request.user, Capability.POST_COLLECTION_SHEETS)
    prefill = _sheet_selectors().collection_sheet_prefill(request.user, session, group)
    summary: list[str] = []
    if request.method == "POST":
        rows = entry_rows(prefill, request.POST)
        handed_over_by = request.POST.get("handed_over_by", "").strip()[:120]
        key = request.POST.get("idempotency_key", "").strip()[:120] or uuid.uuid4().hex
        sheet_rows, bad_cells = read_rows(rows)
        if bad_cells:
            summary = [_("Some amounts are not amounts of dong; nothing was posted.")]
        else:
            try:
                sheet = _sheet_services().collection_sheet_post(
                    actor=request.user,
                    session=session,
                    group=group,
                    rows=sheet_rows,
                    idempotency_key=key,
                    today=bank_today(),
                    handed_over_by=handed_over_by,
                )
            except PASSED_ON:
                raise
            except DomainError as error:
                summary = _place_problems(rows, error)
            else:
                if getattr(sheet, "replayed", False):
                    messages.info(
                        request,
                        _("This sheet was already posted: receipt no. %(number)s.")
                        % {"number": sheet.receipt_number},
                    )
                else:
                    messages.success(
                        request,
                        _("The sheet was posted: receipt no. %(number)s.")
                        % {"number": sheet.receipt_number},
                    )
                response = redirect("transaction_sessions:sheet_detail", sheet.pk)
                response.status_code = 303
                return response
        status = 400
    else:
        rows = entry_rows(prefill)
        handed_over_by = sitting_leader_name(group)
        key = uuid.uuid4().hex
        status = 200
    return render(
        request,
        "transaction_sessions/sheet_entry.html",
        {
            "session": session,
            "group": group,
            "rows": rows,
            "autofocus": autofocus_name(rows),
            "totals": totals_of(rows),
            "summary": summary,
            "handed_over_by": handed_over_by,
            "idempotency_key": key,
            "may_post": access.can(request.user, Capability.POST_COLLECTION_SHEETS),
            "session_url": _session_url(session),
            "posted": CollectionSheet.objects.filter(
                session=session, group=group, status=SheetStatus.POSTED
            ).first(),
        },
        status=status,
    )


def _session_url(session) -> str:
    try:
        return reverse("transaction_sessions:session_detail", kwargs={"session_id": session.pk})
    except NoReverseMatch:  # the session page is another part's: link to it once it is there
        return ""


# --- the posted sheet ----------------------------------------------------------------------------


class SheetReversalForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=300, widget=forms.Textarea)


@dataclass
class MemberReceipt:
    """What one household paid on a sheet: one receipt."""

    number: str
    household: object
    head_name: str
    national_id: str
    lines: list = field(default_factory=list)
    interest: int = 0
    principal: int = 0
    savings: int = 0

    @property
    def total(self) -> int:
        return self.interest + self.principal + self.savings


def member_receipts(sheet) -> list[MemberReceipt]:
    receipts: OrderedDict[int, MemberReceipt] = OrderedDict()
    for line in sheet.lines.select_related("household__head", "loan").order_by("number"):
        receipt = receipts.get(line.household_id)
        if receipt is None:
            head = line.household.head
            receipt = receipts[line.household_id] = MemberReceipt(
                number=f"{sheet.receipt_number}-{line.number}",
                household=line.household,
                head_name=head.full_name if head else "",
                national_id=mask_national_id(head.national_id if head else ""),
            )
        receipt.lines.append(line)
        receipt.interest += line.interest
        receipt.principal += line.principal
        receipt.savings += line.savings
    return list(receipts.values())


@login_required
def sheet_detail(request, sheet_id: int):
    access.require(request.user, Capability.VIEW_SESSIONS)
    sheet = _sheet_selectors().sheet_get(request.user, sheet_id)
    form = SheetReversalForm(request.POST or None)
    if request.method == "POST":
        approval = submit(
            request,
            form,
            lambda data: _sheet_services().sheet_reversal_propose(
                actor=request.user, sheet=sheet, reason=data["reason"], today=bank_today()
            ),
            passed_on=PASSED_ON,
        )
        if approval is not NOT_DONE:
            messages.success(
                request,
                _("Request #%(id)d was recorded; it waits for a checker.") % {"id": approval.pk},
            )
            return redirect("approvals:detail", request_id=approval.pk)
    lines = list(sheet.lines.select_related("household__head", "loan").order_by("number"))
    return render(
        request,
        "transaction_sessions/sheet_detail.html",
        {
            "sheet": sheet,
            "lines": lines,
            "form": form,
            "languages": LANGUAGES,
            "may_reverse": sheet.status == "posted",
            "session_url": _session_url(sheet.session),
            "words": amount_in_words(sheet.total, get_language() or "vi"),
        },
    )


# --- the PDFs ------------------------------------------------------------------------------------


def _language(request) -> str:
    language = request.GET.get("lang")
    if language not in LANGUAGES:
        language = request.LANGUAGE_CODE if request.LANGUAGE_CODE in LANGUAGES else "vi"
    return language


def _pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def sheet_document_context(sheet, language: str) -> dict:
    receipts = member_receipts(sheet)
    for receipt in receipts:
        receipt.words = amount_in_words(receipt.total, language)
    return {
        "sheet": sheet,
        "session": sheet.session,
        "group": sheet.group,
        "receipts": receipts,
        "leader": sheet.handed_over_by or sitting_leader_name(sheet.group),
        "teller": sheet.posted_by.get_full_name() or sheet.posted_by.username,
        "words": amount_in_words(sheet.total, language),
        "printed_on": bank_today(),
    }


@login_required
def sheet_receipts_pdf(request, sheet_id: int):
    access.require(request.user, Capability.VIEW_SESSIONS)
    sheet = _sheet_selectors().sheet_get(request.user, sheet_id)
    language = _language(request)
    content = render_pdf(
        "transaction_sessions/sheet_pdf_receipts.html",
        sheet_document_context(sheet, language),
        language,
    )
    return _pdf_response(content, f"receipts-{sheet.receipt_number}.pdf")


@login_required
def sheet_list_pdf(request, sheet_id: int):
    access.require(request.user, Capability.VIEW_SESSIONS)
    sheet = _sheet_selectors().sheet_get(request.user, sheet_id)
    language = _language(request)
    content = render_pdf(
        "transaction_sessions/sheet_pdf_list.html",
        sheet_document_context(sheet, language),
        language,
    )
    return _pdf_response(content, f"collection-list-{sheet.receipt_number}.pdf")


urlpatterns = [
    path(
        "<int:session_id>/groups/<int:group_id>/sheet/",
        sheet_entry,
        name="sheet_entry",
    ),
    path("sheets/<int:sheet_id>/", sheet_detail, name="sheet_detail"),
    path("sheets/<int:sheet_id>/receipts.pdf", sheet_receipts_pdf, name="sheet_receipts"),
    path("sheets/<int:sheet_id>/list.pdf", sheet_list_pdf, name="sheet_list_pdf"),
]
