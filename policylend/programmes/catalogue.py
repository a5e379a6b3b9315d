"""The 19 loan programmes of Lạng Sơn (domain.md §5) and their terms, as pure data.

The data migration ``0003_catalogue`` loads it (idempotent); afterwards every change of terms is
a maker–checker request. Values are plain strings and numbers so the migration does not depend on
the models as they are today.

Dates: the books of the demo start in 2021, so each programme's first version is in force from
01/01/2020 (the catalogue's baseline; the legal basis names the decision). Later versions carry
the date the rule changed: job creation from 01/01/2026 (Decree 338/2025), social housing 5.4 %
from 10/10/2025 for existing loans too (Decree 261/2025).

Items domain.md marks *(configurable default)* take the value given there; where the text gives
no value (repayment intervals, terms of 02/02S/04) the choice is written beside it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from policylend.ledger.chart import PROGRAMMES as CHART_PROGRAMMES

# The names are the chart of accounts' (one place): code → (vi, en, hi).
PROGRAMME_NAMES = {code: (vi, en, hi) for code, vi, en, hi in CHART_PROGRAMMES}
MILLION = 1_000_000
BASELINE = date(2020, 1, 1)
POOR_RATE = Decimal("0.066")  # 0.55 % a month


@dataclass(frozen=True)
class TermsSpec:
    effective_from: date
    annual_rate: Decimal | None  # fixed rate; None with a rate_factor
    amount_max: int
    term_months_max: int
    repayment_interval_months: int
    rate_factor: Decimal | None = None  # a multiple of the poor-household rate
    amount_basis: str = "household"
    amount_share: Decimal | None = None  # share of the contract value (basis "contract")
    repayment_mode: str = "equal_principal"
    grace_months: int = 0
    eligible_classifications: tuple[str, ...] = ()
    eligible_areas: tuple[str, ...] = ()
    applies_to_existing: bool = False
    overdue_factor: Decimal = Decimal("1.3")
    note: str = ""

    @property
    def rate_basis(self) -> str:
        return "poor_rate_multiple" if self.rate_factor is not None else "fixed"


@dataclass(frozen=True)
class ProgrammeSpec:
    code: str
    legal_basis: str
    channel: str
    terms: tuple[TermsSpec, ...]
    funding_sources: tuple[str, ...] = ("central", "local")
    extra_fields: tuple[str, ...] = ()

    @property
    def name_vi(self) -> str:
        return PROGRAMME_NAMES[self.code][0]

    @property
    def name_en(self) -> str:
        return PROGRAMME_NAMES[self.code][1]

    @property
    def name_hi(self) -> str:
        return PROGRAMME_NAMES[self.code][2]


def _fixed(rate: str, amount_max_millions: int, term: int, interval: int, **extra) -> TermsSpec:
    return TermsSpec(
        effective_from=extra.pop("effective_from", BASELINE),
        annual_rate=Decimal(rate),
        amount_max=amount_max_millions * MILLION,
        term_months_max=term,
        repayment_interval_months=interval,
        **extra,
    )


def _multiple(factor: str, amount_max_millions: int, term: int, interval: int, **extra):
    return TermsSpec(
        effective_from=extra.pop("effective_from", BASELINE),
        annual_rate=None,
        rate_factor=Decimal(factor),
        amount_max=amount_max_millions * MILLION,
        term_months_max=term,
        repayment_interval_months=interval,
        **extra,
    )


STUDENT_FIELDS = ("school", "course", "course_end", "study_months")
LABOUR_EXPORT_FIELDS = ("workers", "contract_number", "employer", "country", "contract_value")

PROGRAMMES: tuple[ProgrammeSpec, ...] = (
    ProgrammeSpec(
        "01",
        "Nghị định 78/2002/NĐ-CP",
        "group",
        # "60 months and more" (by the production cycle): the ceiling is 120 months.
        (_fixed("0.066", 100, 120, 12, eligible_classifications=("poor",)),),
    ),
    ProgrammeSpec(
        "19",
        "Quyết định 15/2013/QĐ-TTg",
        "group",
        (_fixed("0.0792", 100, 60, 12, eligible_classifications=("near_poor",)),),
    ),
    ProgrammeSpec(
        "09",
        "Quyết định 28/2015/QĐ-TTg",
        "group",
        # 125 % of the poor-household rate (8.25 % while that is 6.6 %).
        (_multiple("1.25", 100, 60, 12, eligible_classifications=("escaped_poverty",)),),
    ),
    ProgrammeSpec(
        "03",
        "Nghị định 61/2015/NĐ-CP, 74/2019/NĐ-CP; Nghị định 338/2025/NĐ-CP (từ 01/01/2026)",
        "group_or_direct",
        (
            _fixed(
                "0.066",
                100,
                120,
                12,
                amount_basis="worker",
                note="Nghị định 61/2015, 74/2019: lãi suất hộ nghèo, tối đa 100 triệu/lao động",
            ),
            # Priority groups keep the poor rate; the catalogue holds the general rate.
            _multiple(
                "1.27",
                200,
                120,
                12,
                amount_basis="worker",
                effective_from=date(2026, 1, 1),
                note="Nghị định 338/2025: 127 % lãi suất hộ nghèo, tối đa 200 triệu/lao động",
            ),
        ),
        extra_fields=("workers",),
    ),
    ProgrammeSpec(
        "04",
        "Nghị định 74/2019/NĐ-CP, 338/2025/NĐ-CP",
        "group_or_direct",
        # 100 % of the contract's cost, at most 150 M; the term follows the contract (≤ 60 m).
        (
            _multiple(
                "1",
                150,
                60,
                6,
                amount_basis="contract",
                amount_share=Decimal("1"),
            ),
        ),
        extra_fields=LABOUR_EXPORT_FIELDS,
    ),
    ProgrammeSpec(
        "02",
        "Quyết định 157/2007/QĐ-TTg, 05/2022/QĐ-TTg",
        "household_via_group",
        # Study (≤ 6 years) and a repayment period as long: 144 months; first repayment
        # 12 months after the course ends, then every 12 months (domain.md §6.5).
        (
            _fixed(
                "0.066",
                4,
                144,
                12,
                amount_basis="study_month",
                repayment_mode="after_course",
                grace_months=12,
                eligible_classifications=("student",),
            ),
        ),
        extra_fields=STUDENT_FIELDS,
    ),
    ProgrammeSpec(
        "02S",
        "Quyết định 29/2025/QĐ-TTg",
        "direct",
        # "Tuition + 5 M a month": the catalogue holds 5 M per month of study.
        (
            _fixed(
                "0.048",
                5,
                144,
                12,
                amount_basis="study_month",
                repayment_mode="after_course",
                grace_months=12,
            ),
        ),
        extra_fields=STUDENT_FIELDS,
    ),
    ProgrammeSpec(
        "06",
        "Quyết định 10/2024/QĐ-TTg",
        "group",
        # 25 M per facility: 50 M for both water and sanitation.
        (_fixed("0.09", 25, 60, 6, amount_basis="facility"),),
        extra_fields=("facilities",),
    ),
    ProgrammeSpec(
        "12",
        "Nghị định 100/2024/NĐ-CP, 261/2025/NĐ-CP",
        "secured",
        (
            _fixed("0.066", 1000, 300, 6, amount_basis="contract", amount_share=Decimal("0.8")),
            _fixed(
                "0.054",
                1000,
                300,
                6,
                amount_basis="contract",
                amount_share=Decimal("0.8"),
                applies_to_existing=True,
                effective_from=date(2025, 10, 10),
                note="Nghị định 261/2025: 5,4 %/năm từ 10/10/2025, áp dụng cả khoản vay cũ",
            ),
        ),
        extra_fields=("contract_value",),
    ),
    ProgrammeSpec(
        "10",
        "Quyết định 17/2023/QĐ-TTg",
        "group_or_direct",
        (_fixed("0.09", 100, 60, 12, eligible_areas=("disadvantaged_area",)),),
    ),
    ProgrammeSpec(
        "15",
        "Quyết định 92/2009/QĐ-TTg",
        "direct",
        (_fixed("0.09", 100, 60, 12),),
    ),
    ProgrammeSpec(
        "26",
        "Quyết định 22/2023/QĐ-TTg",
        "group_or_direct",
        (_fixed("0.066", 100, 120, 12, eligible_classifications=("ex_prisoner",)),),
    ),
    ProgrammeSpec(
        "25",
        "Nghị định 28/2022/NĐ-CP",
        "group",
        (
            _fixed(
                "0.03", 40, 180, 12, grace_months=60, eligible_classifications=("ethnic_minority",)
            ),
        ),
    ),
    ProgrammeSpec(
        "25L",
        "Nghị định 28/2022/NĐ-CP",
        "group",
        (
            _fixed(
                "0.03", 50, 180, 12, grace_months=60, eligible_classifications=("ethnic_minority",)
            ),
        ),
    ),
    ProgrammeSpec(
        "07",
        "Quyết định 33/2015/QĐ-TTg",
        "group",
        (_fixed("0.03", 25, 180, 12, grace_months=60, eligible_classifications=("poor",)),),
    ),
    ProgrammeSpec(
        "17",
        "Quyết định 755/2013/QĐ-TTg",
        "group",
        # Both lists: a poor household of an ethnic minority.
        (_fixed("0", 5, 60, 12, eligible_classifications=("ethnic_minority+poor",)),),
    ),
    ProgrammeSpec(
        "21",
        "Quyết định 2085/2016/QĐ-TTg",
        "group",
        (_fixed("0", 50, 120, 12, eligible_classifications=("ethnic_minority",)),),
    ),
    ProgrammeSpec(
        "31",
        "Nghị quyết 11/NQ-CP (2022)",
        "household_via_group",
        (_fixed("0.012", 10, 36, 6),),
    ),
    ProgrammeSpec(
        "99",
        "Quyết định của UBND tỉnh",
        "group_or_direct",
        (_fixed("0.066", 100, 60, 12),),
        funding_sources=("local",),
    ),
)

BY_CODE: dict[str, ProgrammeSpec] = {spec.code: spec for spec in PROGRAMMES}
# The programme whose rate "a multiple of the poor-household rate" refers to.
POOR_PROGRAMME_CODE = "01"
