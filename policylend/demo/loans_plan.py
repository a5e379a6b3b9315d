"""The loans of the demo province (issue 4, Demo), decided before any row is written (pure: no
Django, no clock, no global random): which households borrow what and when, how each borrower
pays, and the whole history of each loan from 2021 to ``today`` through the same rules the
services apply.

``loans_plan`` draws the loans: a mix like a real branch (poor 01, near-poor 19, just escaped
09, job creation 03 with 1–3 workers, students 02 with school, course and course end, clean
water 06, housing 07/25/12, disadvantaged areas 10, online-learning devices 31), each within its
programme's terms (``programmes.catalogue``), with the certified lists it needs for the year of
the application (``ClassificationNeed``), amounts in 100,000 ₫ steps, a term within the maximum,
and a borrower's habit (pays on time, pays one instalment late, stops paying, settles early;
pays interest in full or leaves arrears) plus a few risk cases (freeze, write-off).

``loan_history`` then lives each loan through its days exactly as the services do
(``loans.services``: disbursement, month-end accrual, repayment with its waterfall and
settlement, the overdue run the day after a session, interest posted to date, freeze,
write-off): every step yields the loan's lines of the journal entry it belongs to, the counter
lines, and the loan transaction the service would have recorded. The loader
(``demo.loans_load``) only writes what this module decided.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from policylend.core.money import round_down_to
from policylend.core.periods import add_months, month_end
from policylend.loans.allocation import Owed, allocate
from policylend.loans.interest import Balances, accrue, micro_to_dong
from policylend.loans.schedule import ScheduleTerms, build_schedule, maturity
from policylend.programmes.catalogue import BY_CODE, POOR_PROGRAMME_CODE, TermsSpec

# The books of the demo's loans start here (issue 4: history from 2021).
HISTORY_FROM = date(2021, 1, 4)
STEP = 100_000
MILLION = 1_000_000
RATE_PLACES = Decimal("1e-10")

# Account codes (policylend.loans.services.common), spelled out so this module stays pure.
CASH_AT_POINT, INTEREST_RECEIVABLE = "1011", "3941"
INTEREST_INCOME, PENALTY_INCOME = "7021", "7022"
CREDIT_RISK_RESERVE, WRITTEN_OFF_MEMO, WRITTEN_OFF_MEMO_CONTRA = "6131", "9711", "9719"
STATE_SUFFIX = {"in_term": "1", "overdue": "2", "frozen": "3"}

# ledger EntryKind and loans TransactionKind / LoanStatus / InstalmentStatus values.
DISBURSEMENT, INTEREST_ACCRUAL, INTEREST_COLLECTION = (
    "disbursement",
    "interest_accrual",
    "interest_collection",
)
PRINCIPAL_REPAYMENT, OVERDUE_TRANSFER, FREEZE, WRITE_OFF = (
    "principal_repayment",
    "overdue_transfer",
    "freeze",
    "write_off",
)
REPAYMENT, INTEREST_TO_DATE = "repayment", "interest_to_date"
APPLIED, REVIEWED, CERTIFIED, APPROVED = "applied", "reviewed", "certified", "approved"
IN_TERM, OVERDUE, FROZEN, WRITTEN_OFF, SETTLED = (
    "in_term",
    "overdue",
    "frozen",
    "written_off",
    "settled",
)
PENDING, PAID = "pending", "paid"

# Borrower habits.
ON_TIME, LATE, STOPS, EARLY = "on_time", "late", "stops", "early"
HABITS = ((ON_TIME, 82), (LATE, 9), (STOPS, 4), (EARLY, 5))
INTEREST_FULL_SHARE = 0.88
# Risk cases among loans at least a year old (domain.md §6.10): freeze, write-off.
FREEZE_SHARE, WRITE_OFF_SHARE = 0.008, 0.003
RISK_CAUSES = ("natural_disaster", "epidemic", "fire", "illness")

PURPOSES = {
    "01": ("Chăn nuôi trâu bò", "Trồng cây ăn quả", "Chăn nuôi lợn", "Trồng rừng keo"),
    "19": ("Chăn nuôi lợn, gà", "Trồng hồi, quế", "Mua máy cày nhỏ"),
    "09": ("Mở rộng chăn nuôi", "Trồng cây ăn quả", "Mua giống cây trồng"),
    "03": ("Mở xưởng mộc", "Mở rộng cơ sở may", "Cơ sở chế biến nông sản"),
    "02": ("Học phí và sinh hoạt phí của con đi học",),
    "06": ("Xây bể nước sạch", "Xây nhà tiêu hợp vệ sinh", "Nước sạch và nhà tiêu"),
    "07": ("Làm nhà ở",),
    "25": ("Làm nhà ở",),
    "10": ("Sản xuất, kinh doanh tại vùng khó khăn", "Chăn nuôi dê", "Trồng thạch đen"),
    "12": ("Mua nhà ở xã hội",),
    "31": ("Mua máy tính học trực tuyến",),
}
SCHOOLS = (
    ("Trường Đại học Nông Lâm Thái Nguyên", "Khoa học cây trồng"),
    ("Trường Cao đẳng Sư phạm Lạng Sơn", "Giáo dục mầm non"),
    ("Học viện Ngân hàng", "Tài chính – Ngân hàng"),
    ("Trường Đại học Y Dược Thái Nguyên", "Điều dưỡng"),
    ("Trường Cao đẳng nghề Lạng Sơn", "Công nghệ ô tô"),
)


@dataclass(frozen=True)
class HouseholdFacts:
    """What the plan needs of a household of the registers."""

    code: str
    office_code: str
    commune_code: str
    session_day: int
    member_since: date | None  # joined its group; None: borrows directly
    kinds: frozenset[str]  # certified lists of ``list_year``
    list_year: int
    exit_year: int | None = None  # when it escaped poverty (escaped_poverty)


@dataclass(frozen=True)
class ClassificationNeed:
    household_code: str
    kind: str
    year: int
    exit_year: int | None = None


@dataclass(frozen=True)
class RatePeriod:
    """The rate a loan bears from a day, under a version of its programme's terms."""

    effective_from: date
    terms_from: date  # the ProgrammeTerms version (programme, effective_from)
    annual_rate: Decimal
    overdue_rate: Decimal


@dataclass(frozen=True)
class LoanPlan:
    household_code: str
    office_code: str
    commune_code: str
    programme_code: str
    terms_from: date
    amount: int
    term_months: int
    interval_months: int
    mode: str
    grace_months: int
    purpose: str
    applied_on: date
    group_review_on: date
    association_review_on: date
    certified_on: date
    approved_on: date
    disbursed_on: date | None  # None: approved, waiting for a session day after today
    session_day: int
    direct: bool
    programme_fields: tuple[tuple[str, object], ...] = ()
    workers: int = 0
    course_end: date | None = None
    habit: str = ON_TIME
    habit_instalment: int = 1  # LATE/STOPS: the instalment the habit starts with
    late_sessions: int = 1
    early_on: date | None = None
    pays_interest_in_full: bool = True
    seed: str = ""
    risk: str = ""  # "", FREEZE or WRITE_OFF
    risk_on: date | None = None
    risk_cause: str = ""
    risk_loss_percent: int = 0
    freeze_months: int = 0

    def schedule_terms(self) -> ScheduleTerms:
        return ScheduleTerms(
            amount=self.amount,
            disbursed_on=self.disbursed_on,
            term_months=self.term_months,
            interval_months=self.interval_months,
            session_day=self.session_day,
            mode=self.mode,
            grace_months=self.grace_months,
            course_end=self.course_end,
        )


@dataclass(frozen=True)
class DemoLoansPlan:
    loans: tuple[LoanPlan, ...]
    classifications: tuple[ClassificationNeed, ...]


# --- rates ------------------------------------------------------------------------------------------


def terms_version(programme_code: str, day: date) -> TermsSpec:
    """The version of a programme's terms in force on ``day`` (the catalogue's)."""
    versions = [t for t in BY_CODE[programme_code].terms if t.effective_from <= day]
    return max(versions, key=lambda t: t.effective_from)


def annual_rate(terms: TermsSpec, day: date) -> Decimal:
    """The version's rate on ``day``: fixed, or a multiple of the poor-household rate."""
    if terms.rate_factor is None:
        return Decimal(terms.annual_rate)
    poor = annual_rate(terms_version(POOR_PROGRAMME_CODE, day), day)
    return (poor * terms.rate_factor).quantize(RATE_PLACES)


def rate_periods(programme_code: str, terms: TermsSpec, disbursed_on: date) -> list[RatePeriod]:
    """The rate at disbursement (the loan's own version), then every later version that applies
    to loans already disbursed, from its date."""

    def period(start: date, version: TermsSpec) -> RatePeriod:
        rate = annual_rate(version, start)
        overdue = (rate * Decimal(version.overdue_factor)).quantize(RATE_PLACES)
        return RatePeriod(start, version.effective_from, rate, overdue)

    periods = [period(disbursed_on, terms)]
    for version in sorted(BY_CODE[programme_code].terms, key=lambda t: t.effective_from):
        if version.applies_to_existing and version.effective_from > disbursed_on:
            periods.append(period(version.effective_from, version))
    return periods


# --- which households borrow what --------------------------------------------------------------------


def loans_plan(households: list[HouseholdFacts], *, seed: int, today: date) -> DemoLoansPlan:
    loans: list[LoanPlan] = []
    needs: dict[tuple[str, str, int], ClassificationNeed] = {}
    for household in households:
        rng = random.Random(f"{seed}/loans/{household.code}")
        for code in _programmes_for(rng, household):
            for plan in _loans_of(rng, household, code, today):
                loans.append(plan)
                for need in _needs(household, plan):
                    needs.setdefault((need.household_code, need.kind, need.year), need)
    loans.sort(key=lambda p: (p.applied_on, p.household_code, p.programme_code))
    return DemoLoansPlan(tuple(loans), tuple(needs.values()))


def _programmes_for(rng: random.Random, household: HouseholdFacts) -> list[str]:
    kinds = household.kinds
    chosen: list[str] = []
    if "poor" in kinds:
        chosen.append("01")
        if rng.random() < 0.15:
            chosen.append("07")
        if "ethnic_minority" in kinds and rng.random() < 0.12:
            chosen.append("25")
    elif "near_poor" in kinds:
        if rng.random() < 0.85:
            chosen.append("19")
    elif "escaped_poverty" in kinds:
        if rng.random() < 0.8:
            chosen.append("09")
    else:
        draw = rng.random()
        for code, upper in (("03", 0.10), ("02", 0.17), ("10", 0.26), ("31", 0.29), ("12", 0.293)):
            if draw < upper:
                chosen.append(code)
                break
    if household.member_since is None:
        # Direct borrowers (outside any group) take the programmes that lend directly.
        chosen = [code for code in chosen if code in ("03", "10", "12")]
    elif rng.random() < 0.14:
        chosen.append("06")
    return chosen


def _loans_of(
    rng: random.Random, household: HouseholdFacts, code: str, today: date
) -> Iterator[LoanPlan]:
    """The household's loans under one programme: one, and a second after the first ends when
    there is time left (never two at once under one programme)."""
    start = HISTORY_FROM
    if household.member_since is not None:
        start = max(start, household.member_since + timedelta(days=30))
    last = today - timedelta(days=20)
    if start >= last:
        return
    applied_on = start + timedelta(days=rng.randrange((last - start).days))
    for number in range(2):
        plan = _loan(rng, household, code, applied_on, today, number)
        yield plan
        end = plan.early_on or (
            maturity(plan.schedule_terms()) if plan.disbursed_on is not None else None
        )
        if end is None or plan.habit in (LATE, STOPS) or plan.risk or rng.random() < 0.4:
            return
        applied_on = end + timedelta(days=rng.randint(5, 60))
        if applied_on >= last:
            return


def _session_after(day: date, session_day: int) -> date:
    """The first session day after ``day``."""
    candidate = day.replace(day=session_day)
    if candidate <= day:
        candidate = add_months(candidate, 1)
    return candidate


def _loan(
    rng: random.Random,
    household: HouseholdFacts,
    code: str,
    applied_on: date,
    today: date,
    number: int,
) -> LoanPlan:
    terms = terms_version(code, applied_on)
    amount, term_months, extra = _amount_and_term(rng, code, terms, applied_on)
    group_review_on = applied_on + timedelta(days=rng.randint(2, 7))
    association_review_on = group_review_on + timedelta(days=rng.randint(1, 4))
    certified_on = association_review_on + timedelta(days=rng.randint(2, 6))
    approved_on = certified_on + timedelta(days=rng.randint(2, 7))
    disbursed_on = _session_after(approved_on, household.session_day)
    if disbursed_on >= today:
        disbursed_on = None
    habit = rng.choices([h for h, _w in HABITS], weights=[w for _h, w in HABITS])[0]
    plan = LoanPlan(
        household_code=household.code,
        office_code=household.office_code,
        commune_code=household.commune_code,
        programme_code=code,
        terms_from=terms.effective_from,
        amount=amount,
        term_months=term_months,
        interval_months=terms.repayment_interval_months,
        mode=terms.repayment_mode,
        grace_months=terms.grace_months,
        purpose=rng.choice(PURPOSES[code]),
        applied_on=applied_on,
        group_review_on=group_review_on,
        association_review_on=association_review_on,
        certified_on=certified_on,
        approved_on=approved_on,
        disbursed_on=disbursed_on,
        session_day=household.session_day,
        direct=household.member_since is None,
        habit=habit,
        habit_instalment=1,
        late_sessions=rng.randint(1, 4),
        pays_interest_in_full=rng.random() < INTEREST_FULL_SHARE,
        seed=f"{household.code}/{code}/{number}",
        **extra,
    )
    if disbursed_on is None:
        return plan
    instalments = build_schedule(plan.schedule_terms())
    changes: dict = {"habit_instalment": rng.randint(1, len(instalments))}
    if habit == EARLY:
        first, end = disbursed_on + timedelta(days=90), instalments[-1].due_session
        if first < end:
            changes["early_on"] = _session_after(
                first + timedelta(days=rng.randrange((end - first).days)), household.session_day
            )
            if changes["early_on"] >= today or changes["early_on"] >= end:
                changes["early_on"] = None
    risk_draw = rng.random()
    risk_from = disbursed_on + timedelta(days=365)
    if risk_draw < FREEZE_SHARE + WRITE_OFF_SHARE and risk_from < today - timedelta(days=60):
        risk = FREEZE if risk_draw < FREEZE_SHARE else WRITE_OFF
        # Batches are decided twice a year; a freeze of 60 months (loss 80–100 %) outlasts
        # the demo, so no freeze has ended yet.
        batches = [
            day
            for year in range(risk_from.year, today.year + 1)
            for day in (date(year, 6, 25), date(year, 12, 25))
            if risk_from <= day < today
        ]
        if batches:
            changes.update(
                risk=risk,
                risk_on=rng.choice(batches),
                risk_cause=rng.choice(RISK_CAUSES) if risk == FREEZE else "death",
                risk_loss_percent=rng.randint(80, 100),
                freeze_months=60 if risk == FREEZE else 0,
                early_on=None,
            )
    return _replace(plan, **changes)


def _replace(plan: LoanPlan, **changes) -> LoanPlan:
    from dataclasses import replace

    return replace(plan, **changes)


def _steps(rng: random.Random, low: int, high: int) -> int:
    """An amount from ``low`` to ``high`` in 100,000 ₫ steps."""
    return rng.randint(low // STEP, high // STEP) * STEP


def _amount_and_term(rng: random.Random, code: str, terms: TermsSpec, applied_on: date):
    cap = terms.amount_max
    term_max = terms.term_months_max
    extra: dict = {}
    if code == "03":
        workers = rng.randint(1, 3)
        amount = _steps(
            rng, 30 * MILLION, min(cap * workers, 100 * MILLION * workers, 200 * MILLION)
        )
        term = rng.choice([36, 48, 60])
        extra = {"workers": workers, "programme_fields": (("workers", workers),)}
    elif code == "02":
        study_months = rng.choice([9, 18, 27, 36, 45])
        amount = round_down_to(study_months * rng.randint(25, 40) * STEP, STEP)
        amount = min(amount, cap * study_months)
        course_end = add_months(applied_on, study_months * 4 // 3 + 1)
        months_to_end = (
            (course_end.year - applied_on.year) * 12 + course_end.month - applied_on.month
        )
        term = min(term_max, months_to_end + 12 + rng.choice([24, 36, 48]))
        school, course = rng.choice(SCHOOLS)
        extra = {
            "course_end": course_end,
            "programme_fields": (
                ("school", school),
                ("course", course),
                ("course_end", course_end.isoformat()),
                ("study_months", study_months),
            ),
        }
    elif code == "06":
        facilities = rng.choice([1, 1, 2])
        amount = _steps(rng, 10 * MILLION, cap * facilities)
        term = 60
        extra = {"programme_fields": (("facilities", facilities),)}
    elif code == "12":
        contract_value = _steps(rng, 500 * MILLION, 1_200 * MILLION)
        amount = min(cap, round_down_to(contract_value * 8 // 10, STEP))
        term = rng.choice([180, 240, 300])
        extra = {"programme_fields": (("contract_value", contract_value),)}
    elif code in ("07", "25"):
        amount = _steps(rng, cap * 6 // 10, cap)
        term = term_max
    elif code == "31":
        amount = _steps(rng, 5 * MILLION, cap)
        term = min(term_max, 36)
    else:
        amount = _steps(rng, 20 * MILLION, cap)
        term = rng.choice([t for t in (24, 36, 48, 60) if t <= term_max])
    return amount, min(term, term_max), extra


def _needs(household: HouseholdFacts, plan: LoanPlan) -> Iterator[ClassificationNeed]:
    """The certified lists the application needs: one of the version's lists (both when written
    ``a+b``) and every area it names, for the list in force when it is made (last year's)."""
    terms = terms_version(plan.programme_code, plan.applied_on)
    year = plan.applied_on.year - 1
    wanted: list[str] = []
    if terms.eligible_classifications:
        options = [tuple(option.split("+")) for option in terms.eligible_classifications]
        held = next((o for o in options if set(o) <= household.kinds), options[0])
        wanted += held
    wanted += terms.eligible_areas
    for kind in wanted:
        exit_year = None
        if kind == "escaped_poverty":
            exit_year = min(year, household.exit_year or year)
            exit_year = max(exit_year, year - 2)
        yield ClassificationNeed(household.code, kind, year, exit_year)


# --- the life of one loan --------------------------------------------------------------------------


@dataclass
class InstalmentState:
    number: int
    principal: int
    due_contract: date
    due_session: date
    principal_paid: int = 0
    status: str = PENDING
    overdue_from: date | None = None

    @property
    def unpaid(self) -> int:
        return self.principal - self.principal_paid


@dataclass
class Step:
    """One loan's part of a journal entry, and the loan transaction the service records.

    ``entry``: (entry kind, value date, place) — loans of one place and day share entries.
    ``lines``: the loan's lines (account, signed amount); ``counter``: lines without the loan
    (account, signed amount), summed per entry. ``transaction``: None for the month-end accrual.
    """

    entry: tuple[str, date, str]
    lines: list[tuple[str, int]]
    counter: list[tuple[str, int]]
    transaction: dict | None
    order: int = 0  # steps of one loan on one day, in the order they happen


@dataclass
class LoanHistory:
    plan: LoanPlan
    instalments: list[InstalmentState] = field(default_factory=list)
    rates: list[RatePeriod] = field(default_factory=list)
    status_changes: list[tuple[str, str, date, str]] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)
    # Final state of the loan (Loan's columns).
    status: str = APPLIED
    status_changed_on: date | None = None
    principal_in_term: int = 0
    principal_overdue: int = 0
    principal_frozen: int = 0
    interest_receivable: int = 0
    penalty_receivable: int = 0
    interest_current: int = 0
    interest_accrued_from: date | None = None
    interest_pending_micro: int = 0
    penalty_pending_micro: int = 0
    interest_posted_through: date | None = None
    last_transaction_on: date | None = None
    settled_on: date | None = None
    maturity_on: date | None = None
    annual_rate: Decimal | None = None
    overdue_rate: Decimal | None = None
    written_off_principal: int = 0
    written_off_interest: int = 0
    freeze_until: date | None = None

    # --- the services' primitives (loans.services.common / accrual)

    def move(self, to: str, on: date, reason: str = "") -> None:
        if self.status == to:
            return
        self.status_changes.append((self.status, to, on, reason))
        self.status, self.status_changed_on = to, on

    def accrue_to(self, day: date) -> None:
        start = self.interest_accrued_from
        if start is None or day <= start:
            return
        accrued = accrue(
            Balances(self.principal_in_term, self.principal_overdue, self.principal_frozen),
            self.annual_rate,
            self.overdue_rate,
            start,
            day,
        )
        self.interest_pending_micro += accrued.interest_micro
        self.penalty_pending_micro += accrued.penalty_micro
        self.interest_accrued_from = day

    def record(
        self,
        kind: str,
        day: date,
        *,
        in_term: int = 0,
        overdue: int = 0,
        frozen: int = 0,
        interest: int = 0,
        penalty: int = 0,
        cash: int = 0,
        instalments: list | None = None,
        status_before: str = "",
    ) -> dict:
        self.principal_in_term += in_term
        self.principal_overdue += overdue
        self.principal_frozen += frozen
        self.interest_receivable += interest
        self.penalty_receivable += penalty
        self.interest_current = min(self.interest_current, self.interest_receivable)
        self.last_transaction_on = max(self.last_transaction_on or day, day)
        return {
            "kind": kind,
            "value_date": day,
            "principal_in_term": in_term,
            "principal_overdue": overdue,
            "principal_frozen": frozen,
            "interest": interest,
            "penalty": penalty,
            "cash": cash,
            "instalments": instalments or [],
            "status_before": status_before or self.status,
        }

    def step(self, entry, lines, counter, transaction) -> None:
        self.steps.append(Step(entry, lines, counter, transaction, len(self.steps)))

    def principal_account(self, state: str) -> str:
        return f"211{STATE_SUFFIX[state]}.{self.plan.programme_code}"


def loan_history(plan: LoanPlan, *, today: date) -> LoanHistory:
    """Live the loan from its application to ``today`` (exclusive of anything dated after)."""
    history = LoanHistory(plan)
    history.status_changes.append(("", APPLIED, plan.applied_on, ""))
    history.status_changed_on = plan.applied_on
    history.move(REVIEWED, plan.association_review_on)
    history.move(CERTIFIED, plan.certified_on)
    history.move(APPROVED, plan.approved_on)
    if plan.disbursed_on is None:
        return history
    _Life(history, today).run()
    return history


class _Life:
    def __init__(self, history: LoanHistory, today: date):
        self.h, self.plan, self.today = history, history.plan, today
        self.rng = random.Random(f"life/{self.plan.seed}")

    # --- the calendar

    def events(self) -> list[tuple[date, int, str, object]]:
        plan, today = self.plan, self.today
        start = plan.disbursed_on
        events: list[tuple[date, int, str, object]] = []
        for period in self.periods[1:]:
            if period.effective_from < today:
                events.append((period.effective_from, 0, "rate", period))
        month = start.replace(day=1)
        while month < today:
            session = month.replace(day=plan.session_day)
            if start < session < today:
                events.append((session, 2, "session", None))
            last = month_end(month)
            if last < today:
                events.append((last, 4, "accrual", None))
            month = add_months(month, 1)
        if plan.risk and plan.risk_on and plan.risk_on < today:
            events.append((plan.risk_on, 3, "risk", None))
        events.sort(key=lambda e: (e[0], e[1]))
        return events

    def run(self) -> None:
        h = self.h
        self.disburse()
        for day, _order, kind, payload in self.events():
            if h.status in (SETTLED, WRITTEN_OFF):
                break
            if kind == "rate":
                self.reprice(day, payload)
            elif kind == "accrual":
                self.accrual(day)
            elif kind == "risk":
                self.risk(day)
            elif h.status in (IN_TERM, OVERDUE):
                self.session(day)
                after = day + timedelta(days=1)
                if after <= self.today and h.status in (IN_TERM, OVERDUE):
                    self.overdue(day, after)

    # --- disbursement (loans.services.disbursement)

    def disburse(self) -> None:
        h, plan = self.h, self.plan
        day = plan.disbursed_on
        terms = plan.schedule_terms()
        h.instalments = [
            InstalmentState(i.number, i.principal, i.due_contract, i.due_session)
            for i in build_schedule(terms)
        ]
        version = terms_version(plan.programme_code, plan.applied_on)
        self.periods = rate_periods(plan.programme_code, version, day)
        h.rates = [self.periods[0]]
        amount = plan.amount
        account = h.principal_account(IN_TERM)
        transaction = h.record(
            DISBURSEMENT, day, in_term=amount, cash=-amount, status_before=APPROVED
        )
        # Both lines carry the loan's references (loan_disburse).
        h.step(
            (DISBURSEMENT, day, plan.commune_code),
            [(account, amount), (CASH_AT_POINT, -amount)],
            [],
            transaction,
        )
        h.maturity_on = maturity(terms)
        h.annual_rate, h.overdue_rate = h.rates[0].annual_rate, h.rates[0].overdue_rate
        h.interest_accrued_from = day
        h.interest_posted_through = day - timedelta(days=1)
        h.move(IN_TERM, day)

    def reprice(self, day: date, period: RatePeriod) -> None:
        """A version of the terms that applies to existing loans (loans.receivers)."""
        h = self.h
        if h.status not in (IN_TERM, OVERDUE, FROZEN):
            return
        h.accrue_to(day)
        h.annual_rate, h.overdue_rate = period.annual_rate, period.overdue_rate
        h.rates.append(period)

    # --- the month-end accrual (loans.services.accrual.interest_accrual_run)

    def accrual(self, last: date) -> None:
        h = self.h
        if h.status not in (IN_TERM, OVERDUE):
            return
        if h.interest_posted_through is not None and h.interest_posted_through >= last:
            return
        end = last + timedelta(days=1)
        interest_micro, penalty_micro = h.interest_pending_micro, h.penalty_pending_micro
        if h.interest_accrued_from < end:
            accrued = accrue(
                Balances(h.principal_in_term, h.principal_overdue),
                h.annual_rate,
                h.overdue_rate,
                h.interest_accrued_from,
                end,
            )
            interest_micro += accrued.interest_micro
            penalty_micro += accrued.penalty_micro
            h.interest_accrued_from = end
        interest, penalty = micro_to_dong(interest_micro), micro_to_dong(penalty_micro)
        lines, counter = [], []
        if interest:
            lines.append((INTEREST_RECEIVABLE, interest))
            counter.append((INTEREST_INCOME, -interest))
        if penalty:
            lines.append((INTEREST_RECEIVABLE, penalty))
            counter.append((PENALTY_INCOME, -penalty))
        if lines:
            h.step((INTEREST_ACCRUAL, last, "month"), lines, counter, None)
        h.interest_receivable += interest
        h.penalty_receivable += penalty
        h.interest_current = interest
        h.interest_pending_micro = h.penalty_pending_micro = 0
        h.interest_posted_through = last

    # --- interest to a day (loans.services.accrual.interest_post_to_date)

    def post_to_date(self, day: date, place: str) -> None:
        h = self.h
        h.accrue_to(day)
        interest = micro_to_dong(h.interest_pending_micro)
        penalty = micro_to_dong(h.penalty_pending_micro)
        h.interest_pending_micro = h.penalty_pending_micro = 0
        earlier = h.interest_posted_through or day - timedelta(days=1)
        h.interest_posted_through = max(earlier, day - timedelta(days=1))
        if not (interest or penalty):
            return
        lines, counter = [], []
        if interest:
            lines.append((INTEREST_RECEIVABLE, interest))
            counter.append((INTEREST_INCOME, -interest))
        if penalty:
            lines.append((INTEREST_RECEIVABLE, penalty))
            counter.append((PENALTY_INCOME, -penalty))
        current = h.interest_current
        transaction = h.record(INTEREST_TO_DATE, day, interest=interest, penalty=penalty)
        h.interest_current = current + interest
        h.step((INTEREST_ACCRUAL, day, place), lines, counter, transaction)

    # --- a session (loans.services.repayment.loan_repay)

    def session(self, day: date) -> None:
        h, plan = self.h, self.plan
        principal = self.principal_paid_at(day)
        owed_interest = h.interest_receivable + h.penalty_receivable
        settling = principal and principal == h.principal_in_term + h.principal_overdue
        if settling:
            self.post_to_date(day, plan.commune_code)
            interest = h.interest_receivable + h.penalty_receivable
        elif plan.pays_interest_in_full and plan.habit != STOPS:
            interest = owed_interest
        else:
            interest = self.partial_interest(owed_interest, day)
        if not (interest or principal):
            return
        if principal:
            h.accrue_to(day)
        self.repay(day, interest, principal)

    def principal_paid_at(self, day: date) -> int:
        """What the borrower's habit pays at this session."""
        h, plan = self.h, self.plan
        if plan.early_on is not None and day >= plan.early_on:
            return h.principal_in_term + h.principal_overdue
        paid = 0
        for instalment in h.instalments:
            if instalment.unpaid == 0 or instalment.due_session > day:
                continue
            if plan.habit == STOPS and instalment.number >= plan.habit_instalment:
                continue
            if plan.habit == LATE and instalment.number == plan.habit_instalment:
                due_late = add_months(instalment.due_session, plan.late_sessions)
                if day < due_late:
                    continue
            paid += instalment.unpaid
        return paid

    def partial_interest(self, owed: int, day: date) -> int:
        draw = self.rng.random()
        if (
            self.plan.habit == STOPS
            and day > self.h.instalments[self.plan.habit_instalment - 1].due_session
        ):
            return round_down_to(owed // 3, 1_000) if draw < 0.3 else 0
        if draw < 0.6:
            return owed
        if draw < 0.8:
            return round_down_to(owed // 2, 1_000)
        return 0

    def repay(self, day: date, interest: int, principal: int) -> None:
        h, plan = self.h, self.plan
        # Instalments in the order principal pays them (repayment.open_instalments).
        unpaid = sorted(
            (i for i in h.instalments if i.status != PAID), key=lambda i: (i.due_session, i.number)
        )
        ordered = [i for i in unpaid if i.status == OVERDUE] + [
            i for i in unpaid if i.status == PENDING
        ]
        due = sum(i.unpaid for i in unpaid if i.status == PENDING and i.due_session <= day)
        due = min(due, h.principal_in_term)
        owed = Owed(
            penalty=h.penalty_receivable,
            interest_arrears=h.interest_receivable - h.interest_current,
            interest_current=h.interest_current,
            principal_overdue=h.principal_overdue,
            principal_due=due,
            principal_not_due=h.principal_in_term - due,
        )
        allocation = allocate(owed, interest=interest, principal=principal)
        shares = []
        left = principal
        for instalment in ordered:
            if not left:
                break
            amount = min(left, instalment.unpaid)
            shares.append(
                {
                    "instalment": instalment.number,
                    "principal": amount,
                    "status_before": instalment.status,
                }
            )
            instalment.principal_paid += amount
            if instalment.principal_paid == instalment.principal:
                instalment.status = PAID
            left -= amount
        interest_part = allocation.penalty + allocation.interest
        lines = []
        if interest_part:
            lines.append((INTEREST_RECEIVABLE, -interest_part))
        if allocation.principal_overdue:
            lines.append((h.principal_account(OVERDUE), -allocation.principal_overdue))
        in_term = allocation.principal_due + allocation.principal_not_due
        if in_term:
            lines.append((h.principal_account(IN_TERM), -in_term))
        status_before = h.status
        current = h.interest_current
        transaction = h.record(
            REPAYMENT,
            day,
            in_term=-in_term,
            overdue=-allocation.principal_overdue,
            interest=-allocation.interest,
            penalty=-allocation.penalty,
            cash=allocation.total,
            instalments=shares,
            status_before=status_before,
        )
        h.interest_current = current - allocation.interest_current
        kind = PRINCIPAL_REPAYMENT if allocation.principal else INTEREST_COLLECTION
        h.step(
            (kind, day, plan.commune_code), lines, [(CASH_AT_POINT, allocation.total)], transaction
        )
        if h.status == OVERDUE and h.principal_overdue == 0:
            h.move(IN_TERM, day, "Overdue principal repaid")
        if (
            h.principal_in_term + h.principal_overdue + h.principal_frozen == 0
            and h.interest_receivable == 0
            and h.penalty_receivable == 0
            and h.interest_pending_micro == 0
            and h.penalty_pending_micro == 0
        ):
            h.move(SETTLED, day, "Principal and interest repaid")
            h.settled_on = day

    # --- the overdue run the day after a session (loans.services.overdue.overdue_run)

    def overdue(self, session: date, day: date) -> None:
        h = self.h
        due = [
            i
            for i in h.instalments
            if i.status == PENDING and i.due_session <= session and i.unpaid
        ]
        if not due:
            return
        h.accrue_to(day)
        amount = sum(i.unpaid for i in due)
        status_before = h.status
        shares = []
        for instalment in due:
            shares.append(
                {
                    "instalment": instalment.number,
                    "principal": instalment.unpaid,
                    "status_before": instalment.status,
                }
            )
            instalment.status = OVERDUE
            instalment.overdue_from = day
        transaction = h.record(
            OVERDUE_TRANSFER,
            day,
            in_term=-amount,
            overdue=amount,
            instalments=shares,
            status_before=status_before,
        )
        h.step(
            (OVERDUE_TRANSFER, day, self.plan.office_code),
            [(h.principal_account(OVERDUE), amount), (h.principal_account(IN_TERM), -amount)],
            [],
            transaction,
        )
        h.move(OVERDUE, day, "Instalment not paid at its session")

    # --- risk handling (loans.services.risk.loan_freeze / loan_write_off)

    def risk(self, day: date) -> None:
        h, plan = self.h, self.plan
        if h.status not in (IN_TERM, OVERDUE):
            return
        place = f"risk:{plan.office_code}"
        self.post_to_date(day, place)
        if plan.risk == FREEZE:
            in_term, overdue = h.principal_in_term, h.principal_overdue
            lines = [(h.principal_account(FROZEN), in_term + overdue)]
            if in_term:
                lines.append((h.principal_account(IN_TERM), -in_term))
            if overdue:
                lines.append((h.principal_account(OVERDUE), -overdue))
            transaction = h.record(
                FREEZE, day, in_term=-in_term, overdue=-overdue, frozen=in_term + overdue
            )
            h.step((FREEZE, day, place), lines, [], transaction)
            h.move(FROZEN, day, "risk")
            h.freeze_until = add_months(day, plan.freeze_months)
            return
        in_term, overdue, frozen = h.principal_in_term, h.principal_overdue, h.principal_frozen
        interest, penalty = h.interest_receivable, h.penalty_receivable
        total = in_term + overdue + frozen + interest + penalty
        lines = []
        for state, amount in ((IN_TERM, in_term), (OVERDUE, overdue), (FROZEN, frozen)):
            if amount:
                lines.append((h.principal_account(state), -amount))
        if interest + penalty:
            lines.append((INTEREST_RECEIVABLE, -(interest + penalty)))
        lines += [(WRITTEN_OFF_MEMO, total), (WRITTEN_OFF_MEMO_CONTRA, -total)]
        transaction = h.record(
            WRITE_OFF,
            day,
            in_term=-in_term,
            overdue=-overdue,
            frozen=-frozen,
            interest=-interest,
            penalty=-penalty,
        )
        h.step((WRITE_OFF, day, place), lines, [(CREDIT_RISK_RESERVE, total)], transaction)
        h.written_off_principal = in_term + overdue + frozen
        h.written_off_interest = interest + penalty
        h.interest_current = 0
        h.interest_pending_micro = h.penalty_pending_micro = 0
        h.move(WRITTEN_OFF, day, "risk")
