"""The ledger's pages. Each view parses the request, calls a selector or makes a request through
maker-checker, and renders."""

from .journal import entry_detail, entry_list, entry_reverse
from .periods import period_close, period_list
from .reports import account_list, trial_balance
from .voucher import entry_create, entry_line, entry_totals

__all__ = [
    "account_list",
    "entry_create",
    "entry_detail",
    "entry_line",
    "entry_list",
    "entry_reverse",
    "entry_totals",
    "period_close",
    "period_list",
    "trial_balance",
]
