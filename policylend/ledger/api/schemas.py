"""What the ledger API takes and returns. Amounts are whole dong (JSON integers), dates ISO."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from ninja import Field, Schema

from policylend.core.money import AMOUNT_MAX
from policylend.core.pagination import PAGE_SIZE, PAGE_SIZE_MAX

from ..models import EntryKind
from ..rules import Side

API_LINES_MAX = 500
MEMO_LENGTH_MAX = 300
REASON_LENGTH_MAX = 250
NOTE_LENGTH_MAX = 500
KEY_LENGTH_MAX = 120

# A whole number of dong: a JSON integer, never a float or a string.
WholeDong = Annotated[int, Field(strict=True, gt=0, le=AMOUNT_MAX)]


class AccountOut(Schema):
    code: str
    name: str
    name_vi: str
    name_en: str
    name_hi: str
    type: str
    parent: str | None
    is_postable: bool
    is_active: bool
    off_balance: bool
    programme_code: str


class TrialBalanceRowOut(Schema):
    account: str
    name: str
    type: str
    opening: int
    opening_debit: int
    opening_credit: int
    debits: int
    credits: int
    closing: int
    closing_debit: int
    closing_credit: int


class TrialBalanceTotalsOut(Schema):
    opening_debit: int
    opening_credit: int
    debits: int
    credits: int
    closing_debit: int
    closing_credit: int


class TrialBalanceOut(Schema):
    branch_id: int
    office_id: int | None
    start: date
    end: date
    rows: list[TrialBalanceRowOut]
    off_balance_rows: list[TrialBalanceRowOut]
    totals: TrialBalanceTotalsOut
    is_balanced: bool


class TrialBalanceQuery(Schema):
    start: date | None = Field(None, description="First day; default: the first of this month.")
    end: date | None = Field(None, description="Last day; default: today.")
    branch_id: int | None = None
    office_id: int | None = None


class EntryFilters(Schema):
    start: date | None = None
    end: date | None = None
    kind: EntryKind | None = None
    memo: str = Field("", max_length=100, description="Text the memo contains.")
    branch_id: int | None = None
    office_id: int | None = None
    page: int = Field(1, ge=1, le=1_000_000)
    size: int = Field(PAGE_SIZE, ge=1, le=PAGE_SIZE_MAX)


class EntryOut(Schema):
    id: int
    branch_id: int
    value_date: date
    kind: str
    memo: str
    maker: str
    checker: str | None
    reverses_id: int | None
    reversed_by_id: int | None
    recorded_at: datetime
    total: int = Field(..., description="The entry's total of debits (= its total of credits).")


class LineOut(Schema):
    id: int
    account: str
    account_name: str
    office_id: int | None
    association_id: int | None
    group_ref: int | None
    loan_ref: int | None
    savings_account_ref: int | None
    campaign_ref: int | None
    amount: int = Field(..., description="Signed: a debit is positive, a credit negative.")
    debit: int
    credit: int


class EntryDetailOut(EntryOut):
    lines: list[LineOut]


class EntryPage(Schema):
    count: int
    page: int
    size: int
    items: list[EntryOut]


class PeriodOut(Schema):
    month: str = Field(..., description="YYYY-MM")
    status: str
    ended: bool
    lines: int
    closed_at: datetime | None
    closed_by: str | None
    requested_by: str | None


class ManualLineIn(Schema):
    account: str = Field(..., min_length=1, max_length=20)
    side: Side
    amount: WholeDong
    office_id: int | None = Field(
        None, description="Default: the caller's office, if they work at one."
    )


class ManualEntryIn(Schema):
    value_date: date
    memo: str = Field(..., min_length=1, max_length=MEMO_LENGTH_MAX)
    branch_id: int | None = None
    note: str = Field("", max_length=NOTE_LENGTH_MAX, description="A note to the checker.")
    lines: list[ManualLineIn] = Field(..., min_length=2, max_length=API_LINES_MAX)


class ReversalIn(Schema):
    reason: str = Field(..., min_length=1, max_length=REASON_LENGTH_MAX)
    note: str = Field("", max_length=NOTE_LENGTH_MAX)


class PeriodCloseIn(Schema):
    month: str = Field(..., pattern=r"^\d{4}-(0[1-9]|1[0-2])$", description="YYYY-MM")
    branch_id: int | None = None
