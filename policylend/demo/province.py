"""The plan of the demo province: every code, name, session day, user and opening entry, decided
from a seed before any row is written (pure: no Django, no clock, no global random).

The same seed gives the same plan; another seed gives other session days, villages, people and
amounts over the same offices and communes. The office scale is exactly the Bắc Sơn part of the
province scale for the same seed, because every office, commune and user draws from its own
``random.Random`` seeded with the demo seed and its own code.
"""

from __future__ import annotations

import calendar
import random
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from . import gazetteer
from .gazetteer import TOWN_PREFIX

SCALE_OFFICE = "office"
SCALE_PROVINCE = "province"
SCALES = (SCALE_OFFICE, SCALE_PROVINCE)

# One password for every demo login, shown once by the command. It passes Django's validators
# (10+ characters, not common, not numeric), so the demo exercises the same rules as production.
DEMO_PASSWORD = "Demo-2026-policylend"  # noqa: S105 (a demo password, printed by design)
DEMO_URL = "http://127.0.0.1:8000"

BRANCH_CODE = "740"
BRANCH_NAME = "Chi nhánh NHCSXH tỉnh Lạng Sơn"
BRANCH_ADDRESS = "Thành phố Lạng Sơn, tỉnh Lạng Sơn"
OFFICE_NAME_PREFIX = "Phòng giao dịch NHCSXH huyện "
HOME_OFFICE = "Bắc Sơn"  # the office of the office scale
SECOND_OFFICE = "Tràng Định"  # a second office with its own staff at province scale
HOME_COMMUNE = "Vũ Lăng"  # the commune of the commune-level demo users (in Bắc Sơn)

# The branch and offices opened with the bank (2003); communes, villages and points carry the
# date the current tree took shape after the 2019-2020 commune mergers.
BRANCH_OPENED_ON = date(2003, 1, 1)
COMMUNES_OPENED_ON = date(2020, 1, 1)

SESSION_DAY_FIRST, SESSION_DAY_LAST = 6, 22  # domain.md §1: points spread over the 6th to the 22nd
VILLAGES_MIN, VILLAGES_MAX = 6, 14
TRANSFERS_PER_OFFICE = 3

# Role values of policylend.users.roles.Role, spelled out so this module stays free of Django
# (a test checks that every role has a demo user).
BRANCH_MANAGER, BRANCH_STAFF, SYSTEM_ADMIN = "branch_manager", "branch_staff", "system_admin"
AUDITOR, CREDIT_OFFICER, TELLER, CONTROLLER = "auditor", "credit_officer", "teller", "controller"
ASSOCIATION_OFFICER, GROUP_LEADER, BOARD_MEMBER = (
    "association_officer",
    "group_leader",
    "board_member",
)

# The four entrusted associations (domain.md §2): code, username stem, who usually holds the post.
ASSOCIATIONS = (
    ("11", "farmers", None),
    ("12", "women", "female"),
    ("13", "veterans", "male"),
    ("14", "youth", None),
)

# Accounts and entry kinds of the demo's opening entries (policylend.ledger.chart, EntryKind).
CASH_AT_POINT, CASH_AT_OFFICE, CENTRAL_BUDGET_FUNDS = "1011", "1012", "4511"
OPENING_BALANCE, CASH_TRANSFER = "opening_balance", "cash_transfer"
DEBIT, CREDIT = "debit", "credit"


def ascii_fold(text: str) -> str:
    """“Vũ Lăng” → “vulang”: the letters of a Vietnamese name without marks or spaces."""
    text = text.replace("đ", "d").replace("Đ", "D")
    bare = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return "".join(c for c in bare.lower() if c.isalnum())


@dataclass(frozen=True)
class VillagePlan:
    code: str
    name: str


@dataclass(frozen=True)
class CommunePlan:
    code: str
    name: str
    session_day: int
    villages: tuple[VillagePlan, ...]

    @property
    def is_town(self) -> bool:
        return self.name.startswith(TOWN_PREFIX)

    @property
    def label(self) -> str:
        """“xã Vũ Lăng”, “thị trấn Bắc Sơn”: how the commune is named inside a sentence."""
        if self.is_town:
            return "thị trấn " + self.name.removeprefix(TOWN_PREFIX)
        return "xã " + self.name

    @property
    def point_code(self) -> str:
        return "TXN" + self.code

    @property
    def point_name(self) -> str:
        return "Điểm giao dịch " + self.label

    @property
    def point_address(self) -> str:
        return "UBND " + self.label


@dataclass(frozen=True)
class OfficePlan:
    code: str
    district: str
    communes: tuple[CommunePlan, ...]

    @property
    def name(self) -> str:
        return OFFICE_NAME_PREFIX + self.district

    @property
    def address(self) -> str:
        return f"Huyện {self.district}, tỉnh Lạng Sơn"


@dataclass(frozen=True)
class UserPlan:
    username: str
    full_name: str
    role: str
    scope_code: str
    association_code: str | None = None
    is_superuser: bool = False


@dataclass(frozen=True)
class ProvincePlan:
    seed: int
    scale: str
    branch_code: str
    branch_name: str
    offices: tuple[OfficePlan, ...]
    users: tuple[UserPlan, ...]

    def communes(self) -> Iterator[CommunePlan]:
        for office in self.offices:
            yield from office.communes

    def villages(self) -> Iterator[VillagePlan]:
        for commune in self.communes():
            yield from commune.villages


@dataclass(frozen=True)
class LinePlan:
    account: str
    side: str
    amount: int
    office_code: str


@dataclass(frozen=True)
class EntryPlan:
    idempotency_key: str
    value_date: date
    kind: str
    memo: str
    lines: tuple[LinePlan, ...]


# --- the organisation ------------------------------------------------------------------------------


def province_plan(*, scale: str, seed: int) -> ProvincePlan:
    if scale not in SCALES:
        raise ValueError(f"scale must be one of {', '.join(SCALES)}, not {scale!r}")
    offices = []
    for number, (district, district_code, names) in enumerate(gazetteer.DISTRICTS, start=1):
        if scale == SCALE_OFFICE and district != HOME_OFFICE:
            continue
        offices.append(_office(seed, f"{BRANCH_CODE}{number:02d}", district, district_code, names))
    users = tuple(_users(seed, {office.district: office for office in offices}))
    return ProvincePlan(seed, scale, BRANCH_CODE, BRANCH_NAME, tuple(offices), users)


def _office(
    seed: int, code: str, district: str, district_code: str, names: tuple[str, ...]
) -> OfficePlan:
    days = session_days(random.Random(f"{seed}/office/{code}"), district, names)
    communes = []
    for number, (name, day) in enumerate(zip(names, days, strict=True), start=1):
        commune_code = f"{district_code}{number:03d}"
        villages = _villages(random.Random(f"{seed}/commune/{commune_code}"), commune_code)
        communes.append(CommunePlan(commune_code, name, day, villages))
    return OfficePlan(code, district, tuple(communes))


def session_days(rng: random.Random, district: str, names: tuple[str, ...]) -> list[int]:
    """One session day per commune of an office, spread over the 6th to the 22nd: every day is used
    once before any day is used twice, and a day fixed by the bank is kept."""
    days = list(range(SESSION_DAY_FIRST, SESSION_DAY_LAST + 1))
    pool: list[int] = []
    while len(pool) < len(names):
        this_round = days[:]
        rng.shuffle(this_round)
        pool += this_round
    fixed = {
        name: day
        for (where, name), day in gazetteer.FIXED_SESSION_DAYS.items()
        if where == district and name in names
    }
    for day in fixed.values():
        pool.remove(day)
    free = iter(pool)
    return [fixed[name] if name in fixed else next(free) for name in names]


def _villages(rng: random.Random, commune_code: str) -> tuple[VillagePlan, ...]:
    count = rng.randint(VILLAGES_MIN, VILLAGES_MAX)
    names: list[str] = []
    while len(names) < count:
        if rng.random() < 0.25:
            stem = rng.choice(gazetteer.VILLAGE_KINH)
            prefix = "Thôn"
        else:
            stem = f"{rng.choice(gazetteer.VILLAGE_FIRST)} {rng.choice(gazetteer.VILLAGE_SECOND)}"
            prefix = rng.choice(gazetteer.VILLAGE_PREFIXES)
        name = f"{prefix} {stem}"
        if name not in names:
            names.append(name)
    return tuple(
        VillagePlan(f"{commune_code}{n:02d}", name) for n, name in enumerate(names, start=1)
    )


# --- the people ------------------------------------------------------------------------------------


def _users(seed: int, offices: dict[str, OfficePlan]) -> Iterator[UserPlan]:
    """Every demo login, in the order the command prints them. Names are drawn for the whole
    province list, users of an office outside the scale included, so the office scale keeps the
    names the province scale gives."""
    home = offices[HOME_OFFICE]
    home_slug = ascii_fold(HOME_OFFICE)
    commune = next(c for c in home.communes if c.name == HOME_COMMUNE)
    commune_slug = ascii_fold(HOME_COMMUNE)
    second = offices.get(SECOND_OFFICE)
    second_code = second.code if second else None
    second_slug = ascii_fold(SECOND_OFFICE)

    specs: list[tuple[str, str, str | None, str | None, str | None]] = [
        # username, role, scope code, association code, gender (None: either)
        ("manager", BRANCH_MANAGER, BRANCH_CODE, None, None),
        ("staff", BRANCH_STAFF, BRANCH_CODE, None, None),
        ("admin", SYSTEM_ADMIN, BRANCH_CODE, None, None),
        ("auditor", AUDITOR, BRANCH_CODE, None, None),
        (f"auditor.{home_slug}", AUDITOR, home.code, None, None),
    ]
    for slug, office_code in ((home_slug, home.code), (second_slug, second_code)):
        specs += [
            (f"officer.{slug}", CREDIT_OFFICER, office_code, None, None),
            (f"teller.{slug}", TELLER, office_code, None, None),
            (f"controller.{slug}", CONTROLLER, office_code, None, None),
        ]
    for association_code, stem, gender in ASSOCIATIONS:
        for level, scope_code in (
            ("branch", BRANCH_CODE),
            (home_slug, home.code),
            (commune_slug, commune.code),
        ):
            specs.append(
                (f"{stem}.{level}", ASSOCIATION_OFFICER, scope_code, association_code, gender)
            )
    specs += [
        (f"leader.{commune_slug}", GROUP_LEADER, commune.code, None, None),
        ("board.branch", BOARD_MEMBER, BRANCH_CODE, None, None),
        (f"board.{commune_slug}", BOARD_MEMBER, commune.code, None, None),
    ]
    taken: set[str] = set()
    for username, role, scope_code, association_code, gender in specs:
        full_name = _person_name(random.Random(f"{seed}/user/{username}"), gender, taken)
        if scope_code is not None:
            yield UserPlan(username, full_name, role, scope_code, association_code)
    # The Django superuser for /admin/: a system administrator of the branch with every right.
    yield UserPlan("root", "Quản trị hệ thống", SYSTEM_ADMIN, BRANCH_CODE, is_superuser=True)


def _person_name(rng: random.Random, gender: str | None, taken: set[str]) -> str:
    gender = gender or rng.choice(("male", "female"))
    while True:
        name = " ".join(
            (
                rng.choice(gazetteer.SURNAMES),
                rng.choice(gazetteer.MIDDLE_NAMES[gender]),
                rng.choice(gazetteer.GIVEN_NAMES[gender]),
            )
        )
        if name not in taken:
            taken.add(name)
            return name


# --- the books ---------------------------------------------------------------------------------------


def ledger_plan(plan: ProvincePlan, *, today: date) -> tuple[EntryPlan, ...]:
    """A little activity so the journal and trial balance are not empty: each office receives
    central budget funds on the first day of last month, then sends cash to a few of its points
    for their latest session before ``today``. Keys are stable, so posting again adds nothing."""
    opened_on = first_day_of_last_month(today)
    entries = []
    for office in plan.offices:
        rng = random.Random(f"{plan.seed}/ledger/{office.code}")
        amount = rng.randint(30, 60) * 100_000_000
        entries.append(
            EntryPlan(
                f"demo-{plan.seed}-opening-{office.code}",
                opened_on,
                OPENING_BALANCE,
                f"Số dư đầu kỳ: nguồn vốn ngân sách trung ương tại {office.name}",
                (
                    LinePlan(CASH_AT_OFFICE, DEBIT, amount, office.code),
                    LinePlan(CENTRAL_BUDGET_FUNDS, CREDIT, amount, office.code),
                ),
            )
        )
        count = min(TRANSFERS_PER_OFFICE, len(office.communes))
        chosen = sorted(rng.sample(office.communes, count), key=lambda commune: commune.code)
        for commune in chosen:
            amount = rng.randint(3, 15) * 50_000_000
            session_on = last_session_before(commune.session_day, today)
            entries.append(
                EntryPlan(
                    f"demo-{plan.seed}-transfer-{commune.point_code}",
                    session_on,
                    CASH_TRANSFER,
                    f"Xuất tiền mặt cho điểm giao dịch {commune.label}, phiên ngày {session_on:%d/%m/%Y}",
                    (
                        LinePlan(CASH_AT_POINT, DEBIT, amount, office.code),
                        LinePlan(CASH_AT_OFFICE, CREDIT, amount, office.code),
                    ),
                )
            )
    return tuple(sorted(entries, key=lambda entry: (entry.value_date, entry.idempotency_key)))


def first_day_of_last_month(today: date) -> date:
    return (today.replace(day=1) - timedelta(days=1)).replace(day=1)


def last_session_before(session_day: int, today: date) -> date:
    """The latest date before ``today`` that falls on ``session_day`` (1 to 28) of its month."""
    if session_day < today.day:
        return today.replace(day=session_day)
    previous = first_day_of_last_month(today)
    return previous.replace(
        day=min(session_day, calendar.monthrange(previous.year, previous.month)[1])
    )
