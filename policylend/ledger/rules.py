"""Pure rules of the journal: what a well-formed entry is. No Django ORM, no clock."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum

from django.utils.translation import gettext as _

from policylend.core.errors import Problem
from policylend.core.money import AMOUNT_MAX, format_amount

from .error_codes import LedgerErrorCode as E

LINES_MAX = 5_000


class Side(StrEnum):
    DEBIT = "debit"
    CREDIT = "credit"


@dataclass(frozen=True)
class LineSpec:
    """One line as a caller states it: an account code, a side and a positive whole amount,
    and the sub-ledger it belongs to."""

    account: str
    side: Side
    amount: int
    office_id: int | None = None
    association_id: int | None = None
    group_ref: int | None = None
    loan_ref: int | None = None
    savings_account_ref: int | None = None
    campaign_ref: int | None = None

    @property
    def signed_amount(self) -> int:
        return self.amount if self.side == Side.DEBIT else -self.amount

    def mirrored(self) -> LineSpec:
        return replace(self, side=Side.CREDIT if self.side == Side.DEBIT else Side.DEBIT)

    def as_dict(self) -> dict:
        return {
            "account": self.account,
            "side": str(self.side),
            "amount": self.amount,
            "office_id": self.office_id,
            "association_id": self.association_id,
            "group_ref": self.group_ref,
            "loan_ref": self.loan_ref,
            "savings_account_ref": self.savings_account_ref,
            "campaign_ref": self.campaign_ref,
        }

    @classmethod
    def from_dict(cls, data: dict) -> LineSpec:
        return cls(**{**data, "side": Side(data["side"])})


def debit(account: str, amount: int, **refs) -> LineSpec:
    return LineSpec(account, Side.DEBIT, amount, **refs)


def credit(account: str, amount: int, **refs) -> LineSpec:
    return LineSpec(account, Side.CREDIT, amount, **refs)


def entry_problems(lines: Sequence[LineSpec], language: str | None = None) -> list[Problem]:
    """Everything wrong with a set of lines, each problem naming the line and the rule."""
    if not lines:
        return [Problem(E.NO_LINES, _("An entry needs at least two lines; it has none."), "lines")]
    if len(lines) > LINES_MAX:
        return [
            Problem(
                E.LINES_TOO_MANY,
                _("An entry may have at most %(n)d lines.") % {"n": LINES_MAX},
                "lines",
            )
        ]
    problems: list[Problem] = []
    if len(lines) == 1:
        problems.append(
            Problem(E.ONE_LINE, _("An entry needs at least two lines; it has one."), "lines")
        )
    for number, line in enumerate(lines, start=1):
        field = f"lines[{number}].amount"
        if isinstance(line.amount, bool) or not isinstance(line.amount, int):
            problems.append(
                Problem(
                    E.AMOUNT_NOT_WHOLE,
                    _("Line %(n)d: the amount must be a whole number of dong.") % {"n": number},
                    field,
                )
            )
        elif line.amount <= 0:
            problems.append(
                Problem(
                    E.AMOUNT_NOT_POSITIVE,
                    _("Line %(n)d: the amount must be greater than zero; it is %(amount)s.")
                    % {"n": number, "amount": format_amount(line.amount, language)},
                    field,
                )
            )
        elif line.amount > AMOUNT_MAX:
            problems.append(
                Problem(
                    E.AMOUNT_TOO_LARGE,
                    _("Line %(n)d: the amount may not exceed %(max)s.")
                    % {"n": number, "max": format_amount(AMOUNT_MAX, language)},
                    field,
                )
            )
    if problems:
        return problems
    debits = sum(line.amount for line in lines if line.side == Side.DEBIT)
    credits = sum(line.amount for line in lines if line.side == Side.CREDIT)
    if debits != credits:
        problems.append(
            Problem(
                E.UNBALANCED,
                _(
                    "Debits %(debits)s and credits %(credits)s differ by %(diff)s; an entry must balance."
                )
                % {
                    "debits": format_amount(debits, language),
                    "credits": format_amount(credits, language),
                    "diff": format_amount(abs(debits - credits), language),
                },
                "lines",
            )
        )
    return problems


def content_hash(
    *,
    branch_id: int,
    value_date: date,
    kind: str,
    memo: str,
    lines: Sequence[LineSpec],
    reverses_id: int | None,
) -> str:
    """A fingerprint of what an entry says, to tell a retry from a different request that reuses
    the key."""
    canonical = json.dumps(
        {
            "branch": branch_id,
            "value_date": value_date.isoformat(),
            "kind": kind,
            "memo": memo,
            "reverses": reverses_id,
            "lines": [line.as_dict() for line in lines],
        },
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode()).hexdigest()
