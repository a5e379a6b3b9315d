"""What the fee services share: the ledger accounts they post to."""

from __future__ import annotations

CASH_AT_POINT = "1011"
CASH_AT_OFFICE = "1012"
FEES_PAYABLE = "4611"
FEE_EXPENSE = "8711"
COMMISSION_EXPENSE = "8712"
