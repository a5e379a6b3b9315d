"""Pure rules of a programme's terms (domain.md §5): what a version must hold, the rate it gives
on a day, and how its numbers are written for people. No ORM, no clock."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import asdict, dataclass, fields
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Protocol, TypeVar

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from policylend.associations.rules import format_percent
from policylend.core.errors import Problem
from policylend.core.money import format_amount

from .error_codes import ProgrammeErrorCode as E

# The maker–checker kind of a change of terms (registered in approval_kinds.py).
TERMS_CHANGE_KIND = "programmes.terms_change"

RATE_BASES = ("fixed", "poor_rate_multiple")
AMOUNT_BASES = ("household", "worker", "study_month", "facility", "contract")
REPAYMENT_MODES = ("equal_principal", "after_course", "lump_sum")
# A ceiling that catches a percent typed where a fraction was meant (6.6 → 660 %).
ANNUAL_RATE_MAX = Decimal("0.2")
RATE_FACTOR_MAX = Decimal("3")
OVERDUE_FACTOR_MIN, OVERDUE_FACTOR_MAX = Decimal("1"), Decimal("2")
AMOUNT_MAX_LIMIT = 10**13  # 10,000 billion dong: far above any programme's ceiling
TERM_MONTHS_LIMIT = 600  # 50 years
INTERVAL_MONTHS_LIMIT = 60
CLASSIFICATIONS_MAX = 10
NOTE_LENGTH_MAX = 300
# Rates are kept with 10 decimals (RateField).
RATE_QUANTUM = Decimal("1E-10")
# "ethnic_minority+poor": every list joined by "+" must be certified.
ALL_OF = "+"


class TermsLike(Protocol):
    effective_from: date


V = TypeVar("V", bound=TermsLike)


@dataclass(frozen=True)
class TermsInput:
    """The terms of one version, as a maker states them (the model's fields, pure)."""

    rate_basis: str = "fixed"
    annual_rate: Decimal | None = None
    rate_factor: Decimal | None = None
    overdue_factor: Decimal = Decimal("1.3")
    amount_max: int = 0
    amount_basis: str = "household"
    amount_share: Decimal | None = None
    term_months_max: int = 0
    repayment_mode: str = "equal_principal"
    repayment_interval_months: int = 12
    grace_months: int = 0
    eligible_classifications: tuple[str, ...] = ()
    eligible_areas: tuple[str, ...] = ()
    applies_to_existing: bool = False
    note: str = ""

    @classmethod
    def field_names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))

    @classmethod
    def of(cls, version) -> TermsInput:
        """The terms of a stored version (or anything with the same attributes)."""
        return cls(
            **{
                name: _normal(name, getattr(version, name, getattr(cls, name, None)))
                for name in cls.field_names()
            }
        )

    def as_payload(self) -> dict:
        payload = asdict(self)
        for name in ("annual_rate", "rate_factor", "overdue_factor", "amount_share"):
            value = payload[name]
            payload[name] = None if value is None else str(value)
        payload["eligible_classifications"] = list(self.eligible_classifications)
        payload["eligible_areas"] = list(self.eligible_areas)
        return payload

    @classmethod
    def from_payload(cls, data: dict) -> TermsInput:
        return cls(**{name: _normal(name, data.get(name)) for name in cls.field_names()})


def _normal(name: str, value):
    if name in ("annual_rate", "rate_factor", "amount_share"):
        return None if value in (None, "") else _decimal(value)
    if name == "overdue_factor":
        return _decimal(value if value is not None else "1.3")
    if name in ("eligible_classifications", "eligible_areas"):
        return tuple(str(v) for v in (value or ()))
    if name == "note":
        return str(value or "")
    if name == "applies_to_existing":
        return bool(value)
    return value


def _decimal(value) -> Decimal:
    try:
        return Decimal(str(value)).normalize()
    except (InvalidOperation, ValueError):
        return Decimal("NaN")


# --- what a version must hold -----------------------------------------------------------------------


def _bad_decimal(value) -> bool:
    return not isinstance(value, Decimal) or not value.is_finite()


def _whole(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _rate_problems(terms: TermsInput) -> list[Problem]:
    if terms.rate_basis not in RATE_BASES:
        return [
            Problem(
                E.RATE_BASIS,
                _("The rate basis must be one of %(known)s.") % {"known": ", ".join(RATE_BASES)},
                "rate_basis",
            )
        ]
    if terms.rate_basis == "fixed":
        rate = terms.annual_rate
        if rate is None or _bad_decimal(rate) or not 0 <= rate <= ANNUAL_RATE_MAX:
            return [
                Problem(
                    E.RATE_RANGE,
                    _("The annual rate must be from 0 %% to %(max)s %%; %(rate)s is not.")
                    % {"max": percent_text(ANNUAL_RATE_MAX), "rate": _shown_rate(rate)},
                    "annual_rate",
                )
            ]
        return []
    factor = terms.rate_factor
    if factor is None or _bad_decimal(factor) or not 0 < factor <= RATE_FACTOR_MAX:
        return [
            Problem(
                E.RATE_FACTOR_RANGE,
                _(
                    "The factor of the poor-household rate must be more than 0 and at most "
                    "%(max)s; %(factor)s is not."
                )
                % {"max": RATE_FACTOR_MAX, "factor": factor if factor is not None else "—"},
                "rate_factor",
            )
        ]
    return []


def _shown_rate(rate) -> str:
    if rate is None or _bad_decimal(rate):
        return "—"
    return f"{percent_text(rate)} %"


def _amount_problems(terms: TermsInput) -> list[Problem]:
    problems = []
    if not _whole(terms.amount_max) or not 0 < terms.amount_max <= AMOUNT_MAX_LIMIT:
        problems.append(
            Problem(
                E.AMOUNT_MAX_RANGE,
                _("The maximum amount must be more than 0 ₫ and at most %(max)s.")
                % {"max": format_amount(AMOUNT_MAX_LIMIT)},
                "amount_max",
            )
        )
    if terms.amount_basis not in AMOUNT_BASES:
        problems.append(
            Problem(
                E.AMOUNT_BASIS,
                _("The maximum must be per one of %(known)s.") % {"known": ", ".join(AMOUNT_BASES)},
                "amount_basis",
            )
        )
    elif terms.amount_basis == "contract":
        share = terms.amount_share
        if share is None or _bad_decimal(share) or not 0 < share <= 1:
            problems.append(
                Problem(
                    E.AMOUNT_SHARE_RANGE,
                    _(
                        "A maximum by contract needs the share of the contract value that may "
                        "be lent, more than 0 %% and at most 100 %%."
                    ),
                    "amount_share",
                )
            )
    return problems


def _repayment_problems(terms: TermsInput) -> list[Problem]:
    problems = []
    term = terms.term_months_max
    if not _whole(term) or not 0 < term <= TERM_MONTHS_LIMIT:
        return [
            Problem(
                E.TERM_RANGE,
                _("The maximum term must be from 1 to %(max)d months.")
                % {"max": TERM_MONTHS_LIMIT},
                "term_months_max",
            )
        ]
    if terms.repayment_mode not in REPAYMENT_MODES:
        problems.append(
            Problem(
                E.REPAYMENT_MODE,
                _("The repayment must be one of %(known)s.")
                % {"known": ", ".join(REPAYMENT_MODES)},
                "repayment_mode",
            )
        )
    interval = terms.repayment_interval_months
    if not _whole(interval) or not 0 < interval <= min(INTERVAL_MONTHS_LIMIT, term):
        problems.append(
            Problem(
                E.INTERVAL_RANGE,
                _(
                    "The months between instalments must be from 1 to %(max)d (and not more "
                    "than the term)."
                )
                % {"max": min(INTERVAL_MONTHS_LIMIT, term)},
                "repayment_interval_months",
            )
        )
    grace = terms.grace_months
    if not _whole(grace) or not 0 <= grace < term:
        problems.append(
            Problem(
                E.GRACE_RANGE,
                _("The grace period must be from 0 to %(max)d months, shorter than the term.")
                % {"max": term - 1},
                "grace_months",
            )
        )
    return problems


def _list_problems(
    terms: TermsInput, known_classifications: Collection[str], known_areas: Collection[str]
) -> list[Problem]:
    problems = []
    entries = terms.eligible_classifications
    unknown = [
        part
        for entry in entries
        for part in entry.split(ALL_OF)
        if part not in known_classifications
    ]
    if unknown or len(entries) > CLASSIFICATIONS_MAX or len(set(entries)) != len(entries):
        problems.append(
            Problem(
                E.CLASSIFICATION_UNKNOWN,
                _(
                    "The certified lists that qualify must be at most %(n)d different lists "
                    "among %(known)s (join lists with “+” when all are needed)."
                )
                % {"n": CLASSIFICATIONS_MAX, "known": ", ".join(sorted(known_classifications))},
                "eligible_classifications",
            )
        )
    areas = terms.eligible_areas
    if any(area not in known_areas for area in areas) or len(set(areas)) != len(areas):
        problems.append(
            Problem(
                E.AREA_UNKNOWN,
                _("The areas that qualify must be among %(known)s.")
                % {"known": ", ".join(sorted(known_areas))},
                "eligible_areas",
            )
        )
    return problems


def terms_problems(
    terms: TermsInput, *, known_classifications: Collection[str], known_areas: Collection[str]
) -> list[Problem]:
    """Every problem of a version's terms: a rate from 0 to 20 % a year (or a factor of the
    poor-household rate), overdue 100–200 % of it, a positive maximum with its basis (a share of
    the contract for the basis "contract"), a term with instalments and grace inside it, and
    certified lists the bank knows."""
    problems = _rate_problems(terms)
    factor = terms.overdue_factor
    if _bad_decimal(factor) or not OVERDUE_FACTOR_MIN <= factor <= OVERDUE_FACTOR_MAX:
        problems.append(
            Problem(
                E.OVERDUE_FACTOR_RANGE,
                _("The overdue rate must be from 100 %% to 200 %% of the loan's rate."),
                "overdue_factor",
            )
        )
    problems += _amount_problems(terms)
    problems += _repayment_problems(terms)
    problems += _list_problems(terms, known_classifications, known_areas)
    if len(terms.note) > NOTE_LENGTH_MAX:
        problems.append(
            Problem(
                E.NOTE_TOO_LONG,
                _("The note may have at most %(n)d characters.") % {"n": NOTE_LENGTH_MAX},
                "note",
            )
        )
    return problems


def terms_date_problems(effective_from: date, latest_effective_from: date | None) -> list[Problem]:
    """A new version starts after the latest one: versions are never edited or slipped in
    between (domain.md §5)."""
    if latest_effective_from is not None and effective_from <= latest_effective_from:
        return [
            Problem(
                E.DATE_NOT_AFTER_LATEST,
                _("The new terms must start after %(latest)s, the start of the latest version.")
                % {"latest": format_day(latest_effective_from)},
                "effective_from",
            )
        ]
    return []


# --- versions over time ----------------------------------------------------------------------------


def terms_in_force(versions: Iterable[V], on: date) -> V | None:
    """The version with the latest ``effective_from`` on or before ``on`` (None before the first)."""
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


def resolved_rate(rate_basis: str, annual_rate, rate_factor, poor_rate: Decimal | None) -> Decimal:
    """A version's annual rate: fixed, or the poor-household rate times the factor, rounded to
    the 10 decimals a rate is kept with (1.25 × 6.6 % = 8.25 %)."""
    if rate_basis == "fixed":
        return Decimal(annual_rate).quantize(RATE_QUANTUM)
    if poor_rate is None:
        raise ValueError("a multiple of the poor-household rate needs that rate")
    return (Decimal(rate_factor) * poor_rate).quantize(RATE_QUANTUM)


# --- how numbers are written -----------------------------------------------------------------------


def percent_text(rate: Decimal, language: str | None = None) -> str:
    """A fraction as a percent without the sign: 0.066 → "6,6" in Vietnamese."""
    return format_percent(Decimal(rate) * 100, language)


def monthly_percent_text(rate: Decimal, language: str | None = None) -> str:
    """An annual rate as a percent a month: 0.066 → "0,55" (VBSP's 360-day year: rate / 12)."""
    return format_percent((Decimal(rate) * 100 / 12).quantize(Decimal("0.0001")), language)


def format_day(day: date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")
