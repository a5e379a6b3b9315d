"""Every write to the books. ``journal_entry_post`` is the only way a journal line is written."""

from .periods import period_close
from .posting import journal_entry_post
from .reversal import journal_entry_reverse

__all__ = ["journal_entry_post", "journal_entry_reverse", "period_close"]
