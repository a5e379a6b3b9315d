"""The whole check: every row, households first (members and groups lean on them)."""

from __future__ import annotations

from collections.abc import Callable

from policylend.households import rules as household_rules

from ..layout import (
    GROUPS,
    HOUSEHOLDS,
    MEMBERS,
)
from ..models import RowOutcome
from ..rules import cell_text as text
from .context import Context
from .groups import check_group
from .households import check_household
from .members import check_member
from .records import CheckResult, HouseholdRecord, RowResult, in_every_language

# --- the whole check ---------------------------------------------------------------------------------


def _outcome(record, problems: list[dict]) -> str:
    if problems:
        return RowOutcome.PROBLEM
    if record.outcome == RowOutcome.UNCHANGED:
        return RowOutcome.UNCHANGED
    return RowOutcome.NEW


def check_rows(
    result: CheckResult,
    context: Context,
    *,
    language: str,
    on_row: Callable[[RowResult], None] | None = None,
) -> None:
    """Check every row (households, then members, then groups: members and groups lean on what
    the households' check found) and report each to ``on_row``."""
    for record in result.households:
        record.outcome = ""
        problems = in_every_language(lambda r=record: check_household(r, context), language)
        if not problems and record.existing is not None and record.join_group is None:
            record.outcome = RowOutcome.UNCHANGED
        record.outcome = _outcome(record, problems)
        _report(result, on_row, HOUSEHOLDS.key, record, problems, _household_label(record))
    for record in result.members:
        record.outcome = ""
        problems = in_every_language(lambda r=record: check_member(r, context), language)
        record.outcome = _outcome(record, problems)
        if record.outcome == RowOutcome.NEW and record.household_row is not None:
            record.household_row.members.append(record)
        _report(
            result,
            on_row,
            MEMBERS.key,
            record,
            problems,
            household_rules.normalise_text(text(record.raw.get("full_name")))[:120],
        )
    for record in result.groups:
        record.outcome = ""
        problems = in_every_language(lambda r=record: check_group(r, context), language)
        if not problems and record.existing is not None and not record.joining:
            record.outcome = RowOutcome.UNCHANGED
        record.outcome = _outcome(record, problems)
        _report(
            result,
            on_row,
            GROUPS.key,
            record,
            problems,
            f"{record.code} {household_rules.normalise_text(text(record.raw.get('name')))}"[:200],
        )


def _household_label(record: HouseholdRecord) -> str:
    name = household_rules.normalise_text(text(record.raw.get("head_name")))
    parts = [record.code, name, record.village_code]
    return " · ".join(p for p in parts if p)[:200]


def _report(
    result: CheckResult, on_row, sheet: str, record, problems: list[dict], label: str
) -> None:
    for problem in problems:
        problem["sheet"] = sheet
    result.counts[record.outcome] += 1
    if on_row is not None:
        on_row(RowResult(sheet, record.number, record.outcome, label, problems))
