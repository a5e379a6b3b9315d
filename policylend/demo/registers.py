"""The registers of the demo province (domain.md §2–§4), decided before any row is written
(pure: no Django, no clock, no global random): the four entrusted associations at province,
district and commune level with their entrustment contracts, the households with their members
and certified classifications, and the savings-and-loan groups with their boards.

Figures: each office's households and groups are the gazetteer's (OFFICE_REGISTERS: 90,300
households and 2,043 groups for the province, 8,620 households and 196 groups for Bắc Sơn).
Each office draws its group sizes and spreads its groups over its communes with its own
``random.Random``; each commune then draws its villages' groups, its households and its boards
with its own, so the office scale is exactly the Bắc Sơn part of the province scale.

Dates are relative to ``today`` (birth dates, founding, the certified lists of last year), so a
plan drawn for a day is valid on that day; names and family shapes do not depend on it.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, timedelta

from . import gazetteer, people
from .offices import apportion, group_sizes, office_registers
from .people import FEMALE, MALE, ethnic_group
from .province import (
    ASSOCIATIONS,
    BRANCH_CODE,
    HOME_COMMUNE,
    HOME_OFFICE,
    ProvincePlan,
    ascii_fold,
)
from .records import (
    ASSOCIATION_NAMES,
    COMMUNE_LEVEL,
    DISTRICT_LEVEL,
    PROVINCE_LEVEL,
    AssociationUnitPlan,
    BoardSeat,
    ClassificationPlan,
    ContractPlan,
    GroupPlan,
    HouseholdPlan,
    LeaderLoginPlan,
    RegistersPlan,
)

__all__ = [
    "COMMUNE_LEVEL",
    "DISTRICT_LEVEL",
    "PROVINCE_LEVEL",
    "AssociationUnitPlan",
    "BoardSeat",
    "ClassificationPlan",
    "ContractPlan",
    "GroupPlan",
    "HouseholdPlan",
    "LeaderLoginPlan",
    "RegistersPlan",
    "apportion",
    "group_sizes",
    "registers_plan",
]

PROVINCE_LABEL = "tỉnh Lạng Sơn"

# associations.models.EntrustmentTask values: the commune units do all of it; the province and
# district units communicate, form and supervise, check, urge and train.
TASKS_ALL = (
    "communicate",
    "form_groups",
    "review_meetings",
    "notify_approvals",
    "check_loan_use",
    "urge_repayment",
    "handle_bad_debt",
    "train_leaders",
    "attend_sessions",
)
TASKS_ABOVE_COMMUNE = (
    "communicate",
    "form_groups",
    "check_loan_use",
    "urge_repayment",
    "handle_bad_debt",
    "train_leaders",
)
# The contracts were signed again after the 2019-2020 commune mergers, from the top down.
CONTRACTS_VALID_FROM = {
    PROVINCE_LEVEL: date(2020, 1, 1),
    DISTRICT_LEVEL: date(2020, 2, 1),
    COMMUNE_LEVEL: date(2020, 3, 1),
}


def registers_plan(plan: ProvincePlan, *, today: date) -> RegistersPlan:
    units, contracts = _associations(plan)
    households: list[HouseholdPlan] = []
    groups: list[GroupPlan] = []
    for office in plan.offices:
        office_households, office_groups = office_registers(plan.seed, office, today=today)
        households += office_households
        groups += office_groups
    logins = tuple(_leader_logins(plan, households, groups))
    return RegistersPlan(tuple(units), tuple(contracts), tuple(households), tuple(groups), logins)


# --- associations and contracts --------------------------------------------------------------------


def _associations(plan: ProvincePlan) -> tuple[list[AssociationUnitPlan], list[ContractPlan]]:
    """Each association beside the branch, every office and every commune, province level
    first (so each unit finds its higher level when it is created), and one contract each:
    the branch signs with the province units, each office with its district and commune units."""
    places: list[tuple[str, str, str, str]] = [
        (PROVINCE_LEVEL, BRANCH_CODE, PROVINCE_LABEL, BRANCH_CODE)
    ]
    places += [
        (DISTRICT_LEVEL, office.code, f"huyện {office.district}", office.code)
        for office in plan.offices
    ]
    places += [
        (COMMUNE_LEVEL, commune.code, commune.label, office.code)
        for office in plan.offices
        for commune in office.communes
    ]
    district_of = {office.code: office.district for office in plan.offices}
    units, contracts = [], []
    for level, place_code, label, bank_code in places:
        district = district_of.get(bank_code, HOME_OFFICE)
        for code, _stem, gender in ASSOCIATIONS:
            rng = random.Random(f"{plan.seed}/association/{code}/{place_code}")
            units.append(_unit(rng, code, level, place_code, label, district, gender))
            contracts.append(_contract(rng, code, level, place_code, bank_code))
    return units, contracts


def _unit(rng, code, level, place_code, label, district, gender) -> AssociationUnitPlan:
    group = ethnic_group(rng, district, town=level != COMMUNE_LEVEL)
    sex = gender or (MALE if rng.random() < 0.6 else FEMALE)
    phone = f"{gazetteer.LANDLINE_AREA} 3{rng.randint(10, 99)} {rng.randint(0, 9999):04d}"
    return AssociationUnitPlan(
        association_code=code,
        place_code=place_code,
        level=level,
        name=f"{ASSOCIATION_NAMES[code]} {label}",
        chair_name=people.full_name(rng, group, sex),
        phone=phone,
    )


def _contract(rng, code, level, place_code, bank_code) -> ContractPlan:
    valid_from = CONTRACTS_VALID_FROM[level]
    return ContractPlan(
        number=f"{place_code}-{code}/HĐUT",
        association_code=code,
        place_code=place_code,
        bank_unit_code=bank_code,
        signed_on=valid_from - timedelta(days=rng.randint(3, 20)),
        valid_from=valid_from,
        tasks=TASKS_ALL if level == COMMUNE_LEVEL else TASKS_ABOVE_COMMUNE,
    )


# --- the demo logins that lead a group ----------------------------------------------------------------


def _leader_logins(plan: ProvincePlan, households, groups) -> Iterator[LeaderLoginPlan]:
    """``leader.vulang`` leads the first group of Vũ Lăng: the login gets that leader's name."""
    username = f"leader.{ascii_fold(HOME_COMMUNE)}"
    if not any(user.username == username for user in plan.users):
        return
    home = next((o for o in plan.offices if o.district == HOME_OFFICE), None)
    commune = next((c for c in home.communes if c.name == HOME_COMMUNE), None) if home else None
    if commune is None:
        return
    group = min(
        (g for g in groups if g.village_code.startswith(commune.code)), key=lambda g: g.code
    )
    household = next(h for h in households if h.code == group.leader.household_code)
    yield LeaderLoginPlan(
        username, group.code, group.leader, household.people[group.leader.index].full_name
    )
