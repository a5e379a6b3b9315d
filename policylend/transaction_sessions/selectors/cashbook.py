"""The cash book of a session (domain.md §8): every posting linked to the session that moved the
point's cash (account 1011), by what moved it.

An entry's 1011 lines say how much cash came in (debit) or went out (credit); its OTHER lines say
why. Each other line is read as a cash-in contribution (credit − debit) and put in a category by
its account: interest (3941, 7021, 7022), principal (2111/2112/2113), savings (4231),
disbursements (2111 debits of a disbursement), withdrawals (4231 debits of a withdrawal),
commissions (8712, 4612), fees (8711, 4611), cash carried to the office (1012). Because an entry
balances, the categories of one entry add up to its net cash to the dong; a reversal's lines are
the original's with the sides swapped, so it nets out in the same category.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext_lazy as _

from policylend.ledger.models import JournalLine

from ..models import CashRole, SessionEntry, TransactionSession
from .sessions import session_get

CASH = "1011"
IN_CATEGORIES = ("interest", "principal", "savings")
OUT_CATEGORIES = ("disbursements", "withdrawals", "commissions", "fees")
LABELS = {
    "interest": _("Interest"),
    "principal": _("Principal"),
    "savings": _("Savings deposits"),
    "disbursements": _("Loans disbursed"),
    "withdrawals": _("Savings withdrawals"),
    "commissions": _("Group commissions"),
    "fees": _("Entrustment fees"),
    "other": _("Other"),
    "transfer": _("Cash carried to the office"),
}


@dataclass
class CashBookLine:
    entry_id: int
    value_date: date
    role: str
    role_label: str
    memo: str
    cash_in: int
    cash_out: int
    categories: dict[str, int]


@dataclass
class CashBook:
    session: TransactionSession
    lines: list[CashBookLine] = field(default_factory=list)
    # Cash in by category (positive = cash came in) and cash out (positive = cash went out).
    cash_in: dict[str, int] = field(default_factory=dict)
    cash_out: dict[str, int] = field(default_factory=dict)
    other: int = 0  # net cash in of lines of no known category
    carried: int = 0  # cash carried to the office (the closing's transfer)

    @property
    def total_in(self) -> int:
        return sum(self.cash_in.values()) + max(self.other, 0)

    @property
    def total_out(self) -> int:
        return sum(self.cash_out.values()) + max(-self.other, 0)

    @property
    def balance(self) -> int:
        """Cash the team holds from the session's postings (in − out), before it is carried."""
        return self.total_in - self.total_out

    @property
    def remaining(self) -> int:
        """Cash left at the point after the transfer to the office (0 once closed)."""
        return self.balance - self.carried

    def rows_in(self) -> list[tuple[str, object, int]]:
        return [(name, LABELS[name], self.cash_in[name]) for name in IN_CATEGORIES]

    def rows_out(self) -> list[tuple[str, object, int]]:
        return [(name, LABELS[name], self.cash_out[name]) for name in OUT_CATEGORIES]


def _category(code: str, origin_role: str) -> str:
    head = code.split(".")[0]
    if head in ("3941", "7021", "7022"):
        return "interest"
    if head in ("2111", "2112", "2113"):
        return "disbursements" if origin_role == CashRole.DISBURSEMENT else "principal"
    if head == "4231":
        return "withdrawals" if origin_role == CashRole.WITHDRAWAL else "savings"
    if head in ("8712", "4612"):
        return "commissions"
    if head in ("8711", "4611"):
        return "fees"
    if head == "1012":
        return "transfer"
    return "other"


def cash_book_of(session: TransactionSession) -> CashBook:
    """The cash book of ``session`` (no scope check: for services that already hold it)."""
    links = list(
        SessionEntry.objects.filter(session=session)
        .select_related("entry", "entry__reverses__session_link")
        .order_by("entry_id")
    )
    entry_ids = [link.entry_id for link in links]
    lines_of: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for entry_id, code, amount in JournalLine.objects.filter(entry_id__in=entry_ids).values_list(
        "entry_id", "account__code", "amount"
    ):
        lines_of[entry_id].append((code, amount))
    book = CashBook(
        session=session,
        cash_in=dict.fromkeys(IN_CATEGORIES, 0),
        cash_out=dict.fromkeys(OUT_CATEGORIES, 0),
    )
    roles = dict(CashRole.choices)
    for link in links:
        entry = link.entry
        origin = link.role
        if link.role == CashRole.REVERSAL and entry.reverses_id:
            original = getattr(entry.reverses, "session_link", None)
            if original is not None:
                origin = original.role
        cash = sum(amount for code, amount in lines_of[entry.pk] if code == CASH)
        categories: dict[str, int] = defaultdict(int)
        for code, amount in lines_of[entry.pk]:
            if code != CASH:
                categories[_category(code, origin)] += -amount  # credit − debit
        for name, amount in categories.items():
            if name in IN_CATEGORIES:
                book.cash_in[name] += amount
            elif name in OUT_CATEGORIES:
                book.cash_out[name] -= amount
            elif name == "transfer":
                book.carried -= amount
            else:
                book.other += amount
        book.lines.append(
            CashBookLine(
                entry_id=entry.pk,
                value_date=entry.value_date,
                role=link.role,
                role_label=roles.get(link.role, link.role),
                memo=entry.memo,
                cash_in=max(cash, 0),
                cash_out=max(-cash, 0),
                categories=dict(categories),
            )
        )
    return book


def cash_book(viewer, session: TransactionSession | int) -> CashBook:
    """The cash book of a session the viewer may see (NotFound outside the scope)."""
    session_id = session if isinstance(session, int) else session.pk
    return cash_book_of(session_get(viewer, session_id))
