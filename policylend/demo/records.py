"""The records a registers plan is made of (pure: no Django): an association unit, a contract,
a household with its members and certified classifications, a group with its board."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .people import PersonPlan
from .province import ASSOCIATIONS

FARMERS, WOMEN, VETERANS, YOUTH = (code for code, _stem, _gender in ASSOCIATIONS)
ASSOCIATION_NAMES = {
    FARMERS: "Hội Nông dân",
    WOMEN: "Hội LHPN",
    VETERANS: "Hội CCB",
    YOUTH: "Đoàn TN",
}
# associations.models.AssociationLevel values.
PROVINCE_LEVEL, DISTRICT_LEVEL, COMMUNE_LEVEL = "province", "district", "commune"

# The first fee terms of every contract: associations.rules' defaults (0.045 % a month of the
# outstanding whose interest was collected, split 3 / 5 / 8 / 84 % between the levels). Copied
# here so the plan stays free of Django; a test checks they are the rules' own.
FEE_RATE_MONTHLY = Decimal("0.00045")
SPLIT_BP = (300, 500, 800, 8_400)


@dataclass(frozen=True)
class AssociationUnitPlan:
    association_code: str
    place_code: str  # the organisation unit it sits beside: branch, office or commune
    level: str
    name: str
    chair_name: str
    phone: str


@dataclass(frozen=True)
class ContractPlan:
    number: str
    association_code: str
    place_code: str
    bank_unit_code: str
    signed_on: date
    valid_from: date
    tasks: tuple[str, ...]
    fee_rate_monthly: Decimal = FEE_RATE_MONTHLY
    split_bp: tuple[int, int, int, int] = SPLIT_BP


@dataclass(frozen=True)
class ClassificationPlan:
    kind: str
    year: int
    certified_by: str
    certified_on: date
    exit_year: int | None = None


@dataclass(frozen=True)
class HouseholdPlan:
    code: str
    village_code: str
    ethnicity: str
    address: str
    phone: str
    people: tuple[PersonPlan, ...]  # the head first
    classifications: tuple[ClassificationPlan, ...] = ()

    @property
    def head(self) -> PersonPlan:
        return self.people[0]


@dataclass(frozen=True)
class BoardSeat:
    """A board member: the ``index``-th person of household ``household_code``."""

    household_code: str
    index: int


@dataclass(frozen=True)
class GroupPlan:
    code: str
    name: str
    village_code: str
    adjacent_village_codes: tuple[str, ...]
    association_code: str
    founded_on: date
    approval_decision: str
    approval_decision_on: date
    household_codes: tuple[str, ...]
    leader: BoardSeat
    deputy: BoardSeat


@dataclass(frozen=True)
class LeaderLoginPlan:
    """A demo login that is the leader of a group: the user gets the leader's name."""

    username: str
    group_code: str
    seat: BoardSeat
    full_name: str


@dataclass(frozen=True)
class RegistersPlan:
    association_units: tuple[AssociationUnitPlan, ...]
    contracts: tuple[ContractPlan, ...]
    households: tuple[HouseholdPlan, ...]
    groups: tuple[GroupPlan, ...]
    leader_logins: tuple[LeaderLoginPlan, ...] = ()

    def persons(self) -> Iterator[PersonPlan]:
        for household in self.households:
            yield from household.people

    def classifications(self) -> Iterator[ClassificationPlan]:
        for household in self.households:
            yield from household.classifications
