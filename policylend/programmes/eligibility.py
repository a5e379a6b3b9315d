"""May this household borrow this much, for this long, under this programme? (domain.md §4–§6.2)

Pure: the caller gathers the facts (the household's certified lists for the year of the
application, what it already owes and asks under the same programme, its group's status, the
programme fields of the application) and passes the version of the terms in force that day. The
answer is every problem at once, each naming the rule and the numbers, so a credit officer sees
all that is wrong in one go.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal

from django.utils.translation import gettext as _

from policylend.core.errors import Problem
from policylend.core.money import format_amount

from .error_codes import ProgrammeErrorCode as E
from .rules import ALL_OF, percent_text

# Channels whose loans go through a savings-and-loan group (domain.md §5).
GROUP_CHANNELS = frozenset({"group", "household_via_group"})
# The programme field that counts the basis of each kind of maximum.
BASIS_FIELD = {
    "worker": "workers",
    "study_month": "study_months",
    "facility": "facilities",
    "contract": "contract_value",
}


@dataclass(frozen=True)
class TermsLimits:
    """What eligibility reads from a version of the terms."""

    amount_max: int
    term_months_max: int
    amount_basis: str = "household"
    amount_share: Decimal | None = None
    eligible_classifications: tuple[str, ...] = ()
    eligible_areas: tuple[str, ...] = ()

    @classmethod
    def of(cls, terms) -> TermsLimits:
        if isinstance(terms, TermsLimits):
            return terms
        share = getattr(terms, "amount_share", None)
        return cls(
            amount_max=terms.amount_max,
            term_months_max=terms.term_months_max,
            amount_basis=terms.amount_basis,
            amount_share=None if share is None else Decimal(share),
            eligible_classifications=tuple(terms.eligible_classifications or ()),
            eligible_areas=tuple(terms.eligible_areas or ()),
        )


@dataclass(frozen=True)
class EligibilityFacts:
    """The facts of one application.

    ``classifications``: the lists the household is certified on for ``year`` (areas such as
    ``disadvantaged_area`` included). ``outstanding``: its principal outstanding under the same
    programme; ``other_applications``: the amounts of its other open applications under it.
    ``group_active``: None when the household is in no group, else whether its group is active.
    ``fields``: the programme fields of the application (``workers``, ``study_months`` …).
    """

    programme_code: str
    year: int
    amount: int
    term_months: int
    classifications: frozenset[str] = frozenset()
    outstanding: int = 0
    other_applications: int = 0
    group_active: bool | None = True
    channel: str = "group"
    programme_open: bool = True
    required_fields: tuple[str, ...] = ()
    fields: Mapping[str, object] = field(default_factory=dict)

    def count(self, name: str) -> int:
        value = self.fields.get(name)
        if isinstance(value, bool):
            return 0
        try:
            return int(value) if value not in (None, "") else 0
        except (TypeError, ValueError):
            return 0


def eligibility_problems(
    facts: EligibilityFacts, terms, labels: Mapping[str, str] | None = None
) -> list[Problem]:
    """Every rule the application breaks (none: it may go on to review). ``terms`` is the version
    in force on the day of the application (a ProgrammeTerms or TermsLimits); ``labels`` name the
    certified lists in the reader's language."""
    limits = TermsLimits.of(terms)
    labels = labels or {}
    problems: list[Problem] = []
    if not facts.programme_open:
        problems.append(
            Problem(
                E.PROGRAMME_CLOSED,
                _("Programme %(code)s is closed to new loans.") % {"code": facts.programme_code},
                "programme",
            )
        )
    problems += classification_problems(facts, limits.eligible_classifications, labels)
    problems += area_problems(facts, limits.eligible_areas, labels)
    problems += group_problems(facts)
    problems += field_problems(facts)
    problems += term_problems(facts.term_months, limits.term_months_max)
    problems += amount_problems(facts, limits)
    return problems


def _label(kind: str, labels: Mapping[str, str]) -> str:
    return " + ".join(str(labels.get(part, part)) for part in kind.split(ALL_OF))


def _qualifies(entry: str, held: Collection[str]) -> bool:
    return all(part in held for part in entry.split(ALL_OF))


def classification_problems(
    facts: EligibilityFacts, eligible: Collection[str], labels: Mapping[str, str]
) -> list[Problem]:
    """A household qualifies with any one of the programme's lists certified for the year of the
    application ("a+b": both)."""
    if not eligible or any(_qualifies(entry, facts.classifications) for entry in eligible):
        return []
    held = sorted(facts.classifications)
    return [
        Problem(
            E.NOT_CLASSIFIED,
            _(
                "Programme %(code)s lends to households certified in %(year)d as: %(needed)s. "
                "This household is certified for %(year)d as: %(held)s."
            )
            % {
                "code": facts.programme_code,
                "year": facts.year,
                "needed": "; ".join(_label(entry, labels) for entry in eligible),
                "held": "; ".join(_label(kind, labels) for kind in held) or _("nothing"),
            },
            "programme",
        )
    ]


def area_problems(
    facts: EligibilityFacts, areas: Collection[str], labels: Mapping[str, str]
) -> list[Problem]:
    if not areas or any(area in facts.classifications for area in areas):
        return []
    return [
        Problem(
            E.AREA_NOT_ELIGIBLE,
            _("Programme %(code)s lends only to households certified in %(year)d as: %(areas)s.")
            % {
                "code": facts.programme_code,
                "year": facts.year,
                "areas": "; ".join(_label(area, labels) for area in areas),
            },
            "programme",
        )
    ]


def group_problems(facts: EligibilityFacts) -> list[Problem]:
    """Group programmes lend through the household's group, which must be active; a closed group
    takes no application on any channel."""
    if facts.group_active is None:
        if facts.channel in GROUP_CHANNELS:
            return [
                Problem(
                    E.NO_GROUP,
                    _(
                        "Programme %(code)s lends through a savings-and-loan group; the household "
                        "is not a member of one."
                    )
                    % {"code": facts.programme_code},
                    "group",
                )
            ]
        return []
    if not facts.group_active:
        return [
            Problem(
                E.GROUP_INACTIVE,
                _("The household's group is closed; it takes no new application."),
                "group",
            )
        ]
    return []


def field_problems(facts: EligibilityFacts) -> list[Problem]:
    return [
        Problem(
            E.FIELD_REQUIRED,
            _("Programme %(code)s asks for “%(field)s”.")
            % {"code": facts.programme_code, "field": name},
            name,
        )
        for name in facts.required_fields
        if facts.fields.get(name) in (None, "", [])
    ]


def term_problems(term_months: int, term_months_max: int) -> list[Problem]:
    if term_months <= 0:
        return [
            Problem(E.TERM_NOT_POSITIVE, _("The term must be at least 1 month."), "term_months")
        ]
    if term_months > term_months_max:
        return [
            Problem(
                E.TERM_ABOVE_MAX,
                _(
                    "The term of %(term)d months is longer than the programme's maximum of "
                    "%(max)d months."
                )
                % {"term": term_months, "max": term_months_max},
                "term_months",
            )
        ]
    return []


@dataclass(frozen=True)
class Ceiling:
    """The most a household may owe under the programme, and how it was reached (for the
    message)."""

    amount: int
    explained: str


def ceiling(facts: EligibilityFacts, limits: TermsLimits) -> Ceiling | None:
    """The maximum by basis: per household; per worker × workers; per month of study × months;
    per facility × facilities; a share of the contract's value, capped by the maximum. None
    when the count the basis needs is missing."""
    basis = limits.amount_basis
    per = format_amount(limits.amount_max)
    if basis == "household":
        return Ceiling(limits.amount_max, _("per household"))
    count = facts.count(BASIS_FIELD.get(basis, ""))
    if count <= 0:
        return None
    if basis == "contract":
        share = limits.amount_share if limits.amount_share is not None else Decimal(1)
        by_share = int((Decimal(count) * share).to_integral_value(rounding=ROUND_FLOOR))
        return Ceiling(
            min(by_share, limits.amount_max),
            _("%(share)s %% of the contract value %(value)s, at most %(max)s")
            % {"share": percent_text(share), "value": format_amount(count), "max": per},
        )
    explained = {
        "worker": _("%(per)s per worker × %(n)d workers"),
        "study_month": _("%(per)s a month × %(n)d months of study"),
        "facility": _("%(per)s per facility × %(n)d facilities"),
    }[basis] % {"per": per, "n": count}
    return Ceiling(limits.amount_max * count, explained)


def amount_problems(facts: EligibilityFacts, limits: TermsLimits) -> list[Problem]:
    """The amount is positive, and with what the household already owes and asks under the same
    programme it stays within the programme's maximum."""
    if facts.amount <= 0:
        return [Problem(E.AMOUNT_NOT_POSITIVE, _("The amount must be more than 0 ₫."), "amount")]
    reached = ceiling(facts, limits)
    if reached is None:
        name = BASIS_FIELD.get(limits.amount_basis, "amount")
        return [
            Problem(
                E.BASIS_COUNT_REQUIRED,
                _("Programme %(code)s sets its maximum by “%(field)s”; give it (more than 0).")
                % {"code": facts.programme_code, "field": name},
                name,
            )
        ]
    taken = facts.outstanding + facts.other_applications
    if facts.amount + taken <= reached.amount:
        return []
    values = {
        "amount": format_amount(facts.amount),
        "max": format_amount(reached.amount),
        "explained": reached.explained,
        "taken": format_amount(taken),
        "left": format_amount(max(reached.amount - taken, 0)),
    }
    if taken:
        message = _(
            "The amount %(amount)s is above the maximum %(max)s (%(explained)s): the household "
            "already owes or asks %(taken)s under the same programme, so at most %(left)s more."
        )
    else:
        message = _("The amount %(amount)s is above the maximum %(max)s (%(explained)s).")
    return [Problem(E.AMOUNT_ABOVE_MAX, message % values, "amount")]
