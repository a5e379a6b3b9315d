"""Checking a workbook against the rules and the registers, writing nothing to the registers.

Three steps, so that a 100,000-row file is read once and queried set-wise:

1. read every row (openpyxl read-only, streaming) and keep its raw cells and its keys;
2. look up, in a few queries, everything the rows name: villages, customer codes, national IDs,
   groups, association units, memberships (the ``Context``);
3. check each row with the registers' own rule functions (``households.rules``,
   ``groups.rules``) and the context. A row is *new*, *already present and unchanged*, or has
   problems; a row with problems is checked again in every language so that the preview speaks
   the reader's language, whichever it is.

Confirming runs the same check again (the registers may have changed since) and imports only when
no row has a problem.
"""

from .constants import GROUP_FIELDS, HOUSEHOLD_FIELDS
from .context import Context, build_context
from .records import (
    CheckResult,
    GroupRecord,
    HouseholdRecord,
    MemberRecord,
    RowResult,
    read_sheets,
    read_workbook,
    records_of,
)
from .run import check_rows

__all__ = [
    "GROUP_FIELDS",
    "HOUSEHOLD_FIELDS",
    "CheckResult",
    "Context",
    "GroupRecord",
    "HouseholdRecord",
    "MemberRecord",
    "RowResult",
    "build_context",
    "check_rows",
    "read_sheets",
    "read_workbook",
    "records_of",
]
