"""Pure rules of the entrusted associations (domain.md §2): the fee terms of an entrustment
contract and their effective dates, the split of the fee between the association's levels, the
percent a user types, and what an inspection record must hold. No ORM, no clock: the date is
always a parameter."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Protocol, TypeVar

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from policylend.core.errors import Problem
from policylend.core.money import allocate, round_half_up, separators_for
from policylend.core.rates import BASIS_POINTS_WHOLE

from .error_codes import AssociationErrorCode as E

# The maker–checker kind of a change of terms (registered in approval_kinds.py).
TERMS_CHANGE_KIND = "associations.terms_change"

# --- fee terms --------------------------------------------------------------------------------------

# 0.045 % a month of the outstanding of loans whose interest was collected in the month (the
# VBSP–Youth Union agreement from 01/07/2009, domain.md §2).
DEFAULT_FEE_RATE_MONTHLY = Decimal("0.00045")
# A ceiling that catches a rate typed as a fraction where a percent was meant (0,045 → 4,5 %).
FEE_RATE_MONTHLY_MAX = Decimal("0.01")
# The Youth Union's split: central 3 %, province 5 %, district 8 %, commune 84 %.
DEFAULT_SPLIT_BP: tuple[int, int, int, int] = (300, 500, 800, 8400)
# The order of the shares everywhere: the association's levels from the top.
SPLIT_LEVELS = ("central", "province", "district", "commune")
SPLIT_LABELS = {
    "central": gettext_lazy("Central"),
    "province": gettext_lazy("Province"),
    "district": gettext_lazy("District"),
    "commune": gettext_lazy("Commune"),
}
# The basis of the fee. One basis is known; it is named so a later one can be told apart.
FEE_BASIS = "outstanding_interest_collected"
FEE_BASIS_LABEL = gettext_lazy("Outstanding of the loans whose interest was collected in the month")
REDUCTIONS_MAX = 5
# A percent typed by a user: at most 6 decimals for a rate (0,045), 2 for a share (2,5).
RATE_PERCENT_DECIMALS_MAX = 6
SHARE_PERCENT_DECIMALS_MAX = 2


class ReductionCondition(StrEnum):
    """When the fee of a commune is reduced (domain.md §2: configurable, none by default)."""

    OVERDUE_RATIO_ABOVE = "overdue_ratio_above"
    INTEREST_COLLECTION_BELOW = "interest_collection_below"


REDUCTION_LABELS = {
    ReductionCondition.OVERDUE_RATIO_ABOVE: gettext_lazy("Overdue ratio above"),
    ReductionCondition.INTEREST_COLLECTION_BELOW: gettext_lazy("Interest collection below"),
}


@dataclass(frozen=True)
class Reduction:
    """Reduce the fee by ``reduce_by`` (a fraction of it) when the condition holds at
    ``threshold`` (a fraction: 0.02 is 2 %)."""

    condition: str
    threshold: Decimal
    reduce_by: Decimal

    def as_dict(self) -> dict:
        return {self.condition: str(self.threshold), "reduce_by": str(self.reduce_by)}

    @classmethod
    def from_dict(cls, data: dict) -> Reduction:
        conditions = [key for key in data if key != "reduce_by"]
        condition = conditions[0] if len(conditions) == 1 else ""
        return cls(
            condition=condition,
            threshold=_decimal(data.get(condition)),
            reduce_by=_decimal(data.get("reduce_by")),
        )


def _decimal(value) -> Decimal:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return Decimal("NaN")


@dataclass(frozen=True)
class TermsInput:
    """The fee terms of an entrustment contract, as a maker states them."""

    fee_rate_monthly: Decimal = DEFAULT_FEE_RATE_MONTHLY
    split_bp: tuple[int, ...] = DEFAULT_SPLIT_BP
    reductions: tuple[Reduction, ...] = field(default_factory=tuple)

    def as_payload(self) -> dict:
        return {
            "fee_rate_monthly": str(self.fee_rate_monthly),
            "split_bp": list(self.split_bp),
            "reductions": [reduction.as_dict() for reduction in self.reductions],
        }

    @classmethod
    def from_payload(cls, data: dict) -> TermsInput:
        return cls(
            fee_rate_monthly=_decimal(data["fee_rate_monthly"]),
            split_bp=tuple(data["split_bp"]),
            reductions=tuple(Reduction.from_dict(r) for r in data.get("reductions") or ()),
        )


def fee_rate_problems(rate: Decimal, field_name: str = "fee_rate_monthly") -> list[Problem]:
    if (
        not isinstance(rate, Decimal)
        or not rate.is_finite()
        or not 0 < rate <= FEE_RATE_MONTHLY_MAX
    ):
        shown = (
            format_percent(rate * 100) if isinstance(rate, Decimal) and rate.is_finite() else "—"
        )
        return [
            Problem(
                E.FEE_RATE_RANGE,
                _(
                    "The fee rate must be more than 0 %% and at most %(max)s %% a month; "
                    "%(rate)s %% is not."
                )
                % {"max": format_percent(FEE_RATE_MONTHLY_MAX * 100), "rate": shown},
                field_name,
            )
        ]
    return []


def split_problems(split_bp: Sequence[int]) -> list[Problem]:
    """The four shares (central, province, district, commune) are whole basis points, none
    negative, and add up to 10,000 (100 %)."""
    if len(split_bp) != len(SPLIT_LEVELS) or any(
        isinstance(bp, bool) or not isinstance(bp, int) for bp in split_bp
    ):
        return [
            Problem(
                E.SPLIT_SHARES,
                _("The fee is split in four shares: central, province, district and commune."),
                "split",
            )
        ]
    problems = [
        Problem(
            E.SPLIT_NEGATIVE,
            _("The %(level)s share cannot be negative; it is %(share)s %%.")
            % {"level": str(SPLIT_LABELS[level]).lower(), "share": format_basis_points(bp)},
            f"split_{level}",
        )
        for level, bp in zip(SPLIT_LEVELS, split_bp, strict=True)
        if bp < 0
    ]
    total = sum(split_bp)
    if total != BASIS_POINTS_WHOLE:
        problems.append(
            Problem(
                E.SPLIT_SUM,
                _("The shares of the fee add up to %(sum)s %%; they must add up to 100 %%.")
                % {"sum": format_basis_points(total)},
                "split",
            )
        )
    return problems


def reduction_problems(reductions: Sequence[Reduction]) -> list[Problem]:
    if len(reductions) > REDUCTIONS_MAX:
        return [
            Problem(
                E.REDUCTIONS_TOO_MANY,
                _("A contract may have at most %(n)d reductions.") % {"n": REDUCTIONS_MAX},
                "reductions",
            )
        ]
    problems = []
    for number, reduction in enumerate(reductions, start=1):
        where = f"reductions[{number}]"
        if reduction.condition not in {c.value for c in ReductionCondition}:
            problems.append(
                Problem(
                    E.REDUCTION_CONDITION,
                    _("Reduction %(n)d: the condition must be %(known)s.")
                    % {"n": number, "known": ", ".join(ReductionCondition)},
                    where,
                )
            )
            continue
        if not _fraction_ok(reduction.threshold, zero_allowed=True):
            problems.append(
                Problem(
                    E.REDUCTION_RANGE,
                    _(
                        "Reduction %(n)d: the threshold must be from 0 %% to 100 %%; %(value)s %% is not."
                    )
                    % {"n": number, "value": _shown_percent(reduction.threshold)},
                    f"{where}.threshold",
                )
            )
        if not _fraction_ok(reduction.reduce_by, zero_allowed=False):
            problems.append(
                Problem(
                    E.REDUCTION_RANGE,
                    _(
                        "Reduction %(n)d: the fee is reduced by more than 0 %% and at most "
                        "100 %%; %(value)s %% is not."
                    )
                    % {"n": number, "value": _shown_percent(reduction.reduce_by)},
                    f"{where}.reduce_by",
                )
            )
    return problems


def _fraction_ok(value: Decimal, *, zero_allowed: bool) -> bool:
    return value.is_finite() and (value >= 0 if zero_allowed else value > 0) and value <= 1


def _shown_percent(fraction: Decimal) -> str:
    return format_percent(fraction * 100) if fraction.is_finite() else "—"


def terms_problems(terms: TermsInput) -> list[Problem]:
    return (
        fee_rate_problems(terms.fee_rate_monthly)
        + split_problems(terms.split_bp)
        + reduction_problems(terms.reductions)
    )


# --- effective dates --------------------------------------------------------------------------------


class Dated(Protocol):
    effective_from: date


V = TypeVar("V", bound=Dated)


def terms_in_force(versions: Iterable[V], on: date) -> V | None:
    """The version in force on ``on``: the one with the latest ``effective_from`` on or before
    that day (None before the first). Versions may come in any order."""
    best = None
    for version in versions:
        if version.effective_from <= on and (
            best is None or version.effective_from > best.effective_from
        ):
            best = version
    return best


def terms_periods(versions: Iterable[V]) -> list[tuple[V, date | None]]:
    """Each version with the last day it was in force (None: still in force), oldest first."""
    ordered = sorted(versions, key=lambda v: v.effective_from)
    return [
        (version, nxt.effective_from - timedelta(days=1) if nxt is not None else None)
        for version, nxt in zip(ordered, [*ordered[1:], None], strict=True)
    ]


# --- the fee ----------------------------------------------------------------------------------------


def fee_amount(outstanding: int, rate_monthly: Decimal) -> int:
    """The month's fee: the basis times the monthly rate, rounded half up to the dong once
    (2,000,000,000 × 0.045 % = 900,000)."""
    return round_half_up(Decimal(outstanding) * rate_monthly)


def fee_split(amount: int, split_bp: Sequence[int]) -> list[int]:
    """Split a fee between the levels (central, province, district, commune) by basis points; the
    dong left over go to the largest remainders, ties to the higher level (1,000,001 split
    3/5/8/84 → 30,000 / 50,000 / 80,000 / 840,001)."""
    return allocate(amount, list(split_bp))


def reduction_applicable(
    reductions: Iterable[Reduction],
    *,
    overdue_ratio: Decimal | None = None,
    interest_collection_rate: Decimal | None = None,
) -> Decimal:
    """The fraction the fee is reduced by: the largest reduction whose condition holds (they do
    not add up); 0 when none does."""
    applicable = [Decimal(0)]
    for reduction in reductions:
        if (
            reduction.condition == ReductionCondition.OVERDUE_RATIO_ABOVE
            and overdue_ratio is not None
            and overdue_ratio > reduction.threshold
        ) or (
            reduction.condition == ReductionCondition.INTEREST_COLLECTION_BELOW
            and interest_collection_rate is not None
            and interest_collection_rate < reduction.threshold
        ):
            applicable.append(reduction.reduce_by)
    return max(applicable)


# --- percents as people write them ------------------------------------------------------------------


class PercentError(ValueError):
    def __init__(self, problem: Problem):
        super().__init__(problem.message)
        self.problem = problem


def parse_percent(
    text: str,
    language: str | None = None,
    *,
    decimals_max: int = RATE_PERCENT_DECIMALS_MAX,
    field_name: str | None = None,
) -> Decimal:
    """Read a percent typed in the reader's convention: "0,045" in Vietnamese, "0.045" in English
    (a trailing "%" is allowed). Raises PercentError naming the rule."""
    _thousands, decimal_mark, _grouping = separators_for(language)
    raw = re.sub(r"[\s\u00a0\u202f]", "", str(text or "")).removesuffix("%")
    pattern = rf"(\d{{1,3}})(?:{re.escape(decimal_mark)}(\d+))?"
    match = re.fullmatch(pattern, raw)
    if match is None:
        example = format_percent(Decimal("0.045"), language)
        raise PercentError(
            Problem(
                E.PERCENT_FORMAT,
                _("“%(text)s” is not a percent; write it as %(example)s.")
                % {"text": text, "example": example},
                field_name,
            )
        )
    whole, fraction = match.group(1), match.group(2) or ""
    if len(fraction) > decimals_max:
        raise PercentError(
            Problem(
                E.PERCENT_DECIMALS,
                _("“%(text)s” has more than %(n)d decimals.") % {"text": text, "n": decimals_max},
                field_name,
            )
        )
    return Decimal(f"{whole}.{fraction or '0'}")


def rate_from_percent(percent: Decimal) -> Decimal:
    """0.045 (%) → 0.00045."""
    return (percent / 100).normalize() if percent else Decimal(0)


def basis_points_from_percent(percent: Decimal) -> int:
    """2.5 (%) → 250. A percent with more than two decimals is not a whole basis point."""
    points = percent * 100
    if points != points.to_integral_value():
        raise ValueError(f"{percent} % is not a whole number of basis points")
    return int(points)


def format_percent(percent: Decimal, language: str | None = None) -> str:
    """0.045 → "0,045" in Vietnamese, "0.045" in English: no trailing zeros, no exponent."""
    text = format(percent.normalize(), "f") if percent.is_finite() else str(percent)
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    _thousands, decimal_mark, _grouping = separators_for(language)
    return text.replace(".", decimal_mark)


def format_basis_points(points: int, language: str | None = None) -> str:
    """8400 → "84", 250 → "2,5" (percent, in the reader's convention)."""
    return format_percent(Decimal(points) / 100, language)


# --- contracts --------------------------------------------------------------------------------------

NUMBER_LENGTH_MAX = 40


def contract_problems(
    *,
    number: str,
    signed_on: date,
    valid_from: date,
    valid_to: date | None,
    tasks: Sequence[str],
    known_tasks: Iterable[str],
) -> list[Problem]:
    problems = []
    if not number:
        problems.append(Problem(E.NUMBER_REQUIRED, _("Enter the contract number."), "number"))
    elif len(number) > NUMBER_LENGTH_MAX:
        problems.append(
            Problem(
                E.NUMBER_TOO_LONG,
                _("The contract number may have at most %(n)d characters.")
                % {"n": NUMBER_LENGTH_MAX},
                "number",
            )
        )
    if signed_on > valid_from:
        problems.append(
            Problem(
                E.SIGNED_AFTER_START,
                _("The contract is valid from %(start)s but signed on %(signed)s, later.")
                % {"start": format_day(valid_from), "signed": format_day(signed_on)},
                "signed_on",
            )
        )
    if valid_to is not None and valid_to <= valid_from:
        problems.append(
            Problem(
                E.DATES_ORDER,
                _("The contract must end after it starts: %(end)s is not after %(start)s.")
                % {"end": format_day(valid_to), "start": format_day(valid_from)},
                "valid_to",
            )
        )
    problems += task_problems(tasks, known_tasks)
    return problems


def task_problems(tasks: Sequence[str], known_tasks: Iterable[str]) -> list[Problem]:
    if not tasks:
        return [Problem(E.TASKS_REQUIRED, _("Choose at least one entrusted task."), "tasks")]
    known = set(known_tasks)
    unknown = [task for task in tasks if task not in known]
    if unknown:
        return [
            Problem(
                E.TASK_UNKNOWN,
                _("Unknown entrusted task: %(tasks)s.") % {"tasks": ", ".join(map(str, unknown))},
                "tasks",
            )
        ]
    return []


def terms_date_problems(
    effective_from: date,
    *,
    valid_from: date,
    valid_to: date | None,
    latest_effective_from: date | None,
) -> list[Problem]:
    """A change of terms takes effect inside the contract's validity and after the latest
    version: the history only grows, it is never rewritten."""
    if effective_from < valid_from:
        return [
            Problem(
                E.TERMS_DATE_BEFORE_CONTRACT,
                _("The new terms cannot apply from %(day)s: the contract starts on %(start)s.")
                % {"day": format_day(effective_from), "start": format_day(valid_from)},
                "effective_from",
            )
        ]
    if valid_to is not None and effective_from > valid_to:
        return [
            Problem(
                E.TERMS_DATE_AFTER_CONTRACT,
                _("The new terms cannot apply from %(day)s: the contract ends on %(end)s.")
                % {"day": format_day(effective_from), "end": format_day(valid_to)},
                "effective_from",
            )
        ]
    if latest_effective_from is not None and effective_from <= latest_effective_from:
        return [
            Problem(
                E.TERMS_DATE_NOT_AFTER_CURRENT,
                _(
                    "The new terms must apply from a day after %(day)s, when the latest terms "
                    "took effect."
                )
                % {"day": format_day(latest_effective_from)},
                "effective_from",
            )
        ]
    return []


# --- supervision and inspections --------------------------------------------------------------------

YEAR_MIN, YEAR_MAX = 2000, 2100
INSPECTOR_LENGTH_MAX = 120
FINDINGS_LENGTH_MAX = 4000
# Guidance 727/HD-NHCS: an inspection is reported within 3 working days.
REPORT_WORKING_DAYS = 3

# What an inspection checks (domain.md §2, §3): the checklist offered on the form.
CHECKLIST = {
    "loan_use": gettext_lazy("Use of the loans"),
    "repayment": gettext_lazy("Repayment and overdue debts"),
    "interest_collection": gettext_lazy("Interest collected by the leader, receipts (Form 01/BL)"),
    "savings": gettext_lazy("Members' savings and the group savings book"),
    "group_records": gettext_lazy("Group records: member list, signed lists (Form 13/TD)"),
    "meeting_minutes": gettext_lazy("Meeting minutes, loan-review meetings"),
    "board": gettext_lazy("Management board and its duties"),
    "leader_rules": gettext_lazy(
        "The leader collects no principal, charges no fee, keeps no member's loan book"
    ),
}


def format_day(day: date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def year_problems(year: int) -> list[Problem]:
    if isinstance(year, bool) or not isinstance(year, int) or not YEAR_MIN <= year <= YEAR_MAX:
        return [
            Problem(
                E.YEAR_RANGE,
                _("The year must be from %(min)d to %(max)d; %(year)s is not.")
                % {"min": YEAR_MIN, "max": YEAR_MAX, "year": year},
                "year",
            )
        ]
    return []


def group_yearly_due_by(year: int) -> date:
    """Every group is inspected once a year: by 31/12."""
    return date(year, 12, 31)


def report_due_by(inspected_on: date) -> date:
    """The last day to report an inspection: 3 working days (Monday to Friday) after it."""
    day, left = inspected_on, REPORT_WORKING_DAYS
    while left:
        day += timedelta(days=1)
        if day.weekday() < 5:
            left -= 1
    return day


def inspection_problems(
    *,
    inspector_name: str,
    checked: Sequence[str],
    findings: str,
    inspected_on: date,
    reported_on: date | None,
    today: date,
) -> list[Problem]:
    problems = []
    if not inspector_name:
        problems.append(
            Problem(E.INSPECTOR_REQUIRED, _("Enter who made the inspection."), "inspector_name")
        )
    elif len(inspector_name) > INSPECTOR_LENGTH_MAX:
        problems.append(
            Problem(
                E.INSPECTOR_TOO_LONG,
                _("The inspector's name may have at most %(n)d characters.")
                % {"n": INSPECTOR_LENGTH_MAX},
                "inspector_name",
            )
        )
    if not checked:
        problems.append(
            Problem(E.CHECKED_REQUIRED, _("Tick at least one thing that was checked."), "checked")
        )
    unknown = [item for item in checked if item not in CHECKLIST]
    if unknown:
        problems.append(
            Problem(
                E.CHECK_UNKNOWN,
                _("Unknown item of the checklist: %(items)s.")
                % {"items": ", ".join(map(str, unknown))},
                "checked",
            )
        )
    if not findings:
        problems.append(Problem(E.FINDINGS_REQUIRED, _("Write the findings."), "findings"))
    elif len(findings) > FINDINGS_LENGTH_MAX:
        problems.append(
            Problem(
                E.FINDINGS_TOO_LONG,
                _("The findings may have at most %(n)d characters.") % {"n": FINDINGS_LENGTH_MAX},
                "findings",
            )
        )
    problems += _inspection_date_problems(inspected_on, reported_on, today)
    return problems


def _inspection_date_problems(
    inspected_on: date, reported_on: date | None, today: date
) -> list[Problem]:
    problems = []
    if inspected_on > today:
        problems.append(
            Problem(
                E.INSPECTED_IN_FUTURE,
                _("The inspection date %(day)s is after today, %(today)s.")
                % {"day": format_day(inspected_on), "today": format_day(today)},
                "inspected_on",
            )
        )
    if reported_on is not None and reported_on < inspected_on:
        problems.append(
            Problem(
                E.REPORTED_BEFORE_INSPECTED,
                _("The report date %(reported)s is before the inspection, %(day)s.")
                % {"reported": format_day(reported_on), "day": format_day(inspected_on)},
                "reported_on",
            )
        )
    elif reported_on is not None and reported_on > today:
        problems.append(
            Problem(
                E.REPORTED_IN_FUTURE,
                _("The report date %(day)s is after today, %(today)s.")
                % {"day": format_day(reported_on), "today": format_day(today)},
                "reported_on",
            )
        )
    return problems
