"""The households and groups of one transaction office (pure: no Django, no clock, no global
random). The office draws its group sizes, which add up to its households but the direct
borrowers, and spreads its groups over its communes in proportion to their villages; each
commune then draws its villages' groups, its households and its boards with its own
``random.Random``, so any office or commune comes out the same whatever else is drawn."""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from . import gazetteer, people
from .people import FEMALE, HEAD, MALE, SPOUSE, IdentityBook, ethnic_group
from .province import CommunePlan, OfficePlan
from .records import (
    ASSOCIATION_NAMES,
    FARMERS,
    VETERANS,
    WOMEN,
    YOUTH,
    BoardSeat,
    ClassificationPlan,
    GroupPlan,
    HouseholdPlan,
)

# Households that borrow directly from the bank, outside any group (domain.md §2: code 99).
DIRECT_SHARE = Decimal("0.01")
GROUP_SIZE_MIN, GROUP_SIZE_MAX, GROUP_SIZE_MODE = 25, 60, 45
# A village without a group of its own sends this many households to the group of a
# neighbouring village; a few other groups take one to three households across the border.
ORPHAN_HOUSEHOLDS = (4, 12)
OWN_VILLAGE_MIN = 8
BORDER_GROUP_SHARE = 0.06
# Which association manages a group (domain.md §2; Farmers and Women most often).
GROUP_ASSOCIATION_WEIGHTS = {FARMERS: 36, WOMEN: 36, VETERANS: 16, YOUTH: 12}
# Founded 1 to 22 years ago, approved by the commune 5 to 25 days before.
FOUNDED_YEARS_AGO = (1, 22)
LEADER_AGE_AT_FOUNDING_MIN, LEADER_AGE_MAX = 22, 68

# Certified lists of last year (households.models.ClassificationKind values), by ethnic group:
# percent poor, near-poor, just escaped poverty.
POOR, NEAR_POOR, ESCAPED, ETHNIC_MINORITY = (
    "poor",
    "near_poor",
    "escaped_poverty",
    "ethnic_minority",
)
POVERTY_SHARES = {
    gazetteer.KINH: (6, 8, 5),
    gazetteer.TAY: (12, 10, 7),
    gazetteer.NUNG: (12, 10, 7),
    gazetteer.DAO: (24, 12, 8),
    gazetteer.HMONG: (35, 12, 7),
}
ESCAPED_POVERTY_YEARS = 3


def office_registers(
    seed: int, office: OfficePlan, *, today: date
) -> tuple[list[HouseholdPlan], list[GroupPlan]]:
    """The households and groups of one office: its group sizes (summing to its households
    but the direct borrowers), then each commune on its own."""
    household_total, group_total = gazetteer.OFFICE_REGISTERS[office.district]
    direct_total = int(household_total * DIRECT_SHARE)
    rng = random.Random(f"{seed}/registers/{office.code}")
    sizes = group_sizes(rng, group_total, household_total - direct_total)
    weights = [len(commune.villages) for commune in office.communes]
    groups_per_commune = apportion(group_total, weights, minimum=1)
    direct_per_commune = apportion(direct_total, weights)
    office_index = next(
        i for i, (name, *_rest) in enumerate(gazetteer.DISTRICTS) if name == office.district
    )
    households: list[HouseholdPlan] = []
    groups: list[GroupPlan] = []
    first = 0
    for index, commune in enumerate(office.communes):
        count = groups_per_commune[index]
        drawn = _Commune(
            seed=seed,
            office=office,
            commune=commune,
            partition=office_index * 100 + index,
            today=today,
        ).draw(sizes[first : first + count], first + 1, direct_per_commune[index])
        households += drawn[0]
        groups += drawn[1]
        first += count
    return households, groups


def group_sizes(rng: random.Random, count: int, total: int) -> list[int]:
    """``count`` group sizes from 25 to 60, mostly 30 to 50, that add up to ``total``."""
    if not GROUP_SIZE_MIN * count <= total <= GROUP_SIZE_MAX * count:
        raise ValueError(f"{total} households do not make {count} groups of 25 to 60")
    sizes = [
        round(rng.triangular(GROUP_SIZE_MIN, GROUP_SIZE_MAX, GROUP_SIZE_MODE)) for _ in range(count)
    ]
    missing = total - sum(sizes)
    while missing:
        i = rng.randrange(count)
        if missing > 0 and sizes[i] < GROUP_SIZE_MAX:
            sizes[i] += 1
            missing -= 1
        elif missing < 0 and sizes[i] > GROUP_SIZE_MIN:
            sizes[i] -= 1
            missing += 1
    return sizes


def apportion(total: int, weights: Sequence[int], minimum: int = 0) -> list[int]:
    """``total`` split in proportion to ``weights`` (largest remainders), each at least
    ``minimum``."""
    shares = [minimum] * len(weights)
    left = total - minimum * len(weights)
    if left < 0:
        raise ValueError(f"cannot give {minimum} to each of {len(weights)} out of {total}")
    whole = sum(weights)
    exact = [left * w / whole for w in weights]
    floors = [int(x) for x in exact]
    order = sorted(range(len(weights)), key=lambda i: (floors[i] - exact[i], i))
    for i in order[: left - sum(floors)]:
        floors[i] += 1
    return [share + extra for share, extra in zip(shares, floors, strict=True)]


# --- one commune -------------------------------------------------------------------------------------


@dataclass
class _GroupDraft:
    home: int  # index of its village in the commune
    size: int
    borrowed: dict[int, int] = field(default_factory=dict)  # village index → households

    @property
    def own(self) -> int:
        return self.size - sum(self.borrowed.values())


class _Commune:
    """Draws one commune's groups, households and boards with the commune's own generator."""

    def __init__(self, *, seed: int, office: OfficePlan, commune: CommunePlan, partition, today):
        self.rng = random.Random(f"{seed}/registers/{commune.code}")
        self.office, self.commune, self.today = office, commune, today
        self.book = IdentityBook(partition)
        self.district_code = commune.code[:3]
        self.list_year = today.year - 1
        self.decisions = {
            kind: (self.rng.randint(150, 320), date(self.list_year, 12, self.rng.randint(8, 28)))
            for kind in ("poverty", ETHNIC_MINORITY)
        }

    def draw(self, sizes: Sequence[int], first_number: int, direct: int):
        drafts = self._place_groups(sizes)
        villages = self.commune.villages
        slots: list[list[int]] = [[] for _ in villages]  # per village: group index, -1 direct
        for number, draft in enumerate(drafts):
            slots[draft.home] += [number] * draft.own
            for village, count in draft.borrowed.items():
                slots[village] += [number] * count
        for _ in range(direct):
            slots[self.rng.randrange(len(villages))].append(-1)
        households: list[HouseholdPlan] = []
        members: dict[int, list[HouseholdPlan]] = defaultdict(list)
        for index, village in enumerate(villages):
            self.rng.shuffle(slots[index])
            for group in slots[index]:
                household = self._household(len(households) + 1, village.code, village.name)
                households.append(household)
                if group >= 0:
                    members[group].append(household)
        groups = [
            self._group(first_number + number, draft, members[number], drafts)
            for number, draft in enumerate(drafts)
        ]
        return households, groups

    def _place_groups(self, sizes: Sequence[int]) -> list[_GroupDraft]:
        """Which village each group belongs to. With fewer groups than villages, a village
        without a group of its own sends households to the group of the nearest village that
        has one (declared as an adjacent village of that group)."""
        rng, count = self.rng, len(self.commune.villages)
        if len(sizes) >= count:
            homes = sorted([*range(count), *(rng.randrange(count) for _ in sizes[count:])])
        else:
            homes = sorted(rng.sample(range(count), len(sizes)))
        drafts = [_GroupDraft(home, size) for home, size in zip(homes, sizes, strict=True)]
        by_home = {draft.home: draft for draft in drafts}
        for village in range(count):
            if village in by_home:
                continue
            nearest = min(by_home, key=lambda home: (abs(home - village), home > village))
            draft = by_home[nearest]
            spare = draft.own - OWN_VILLAGE_MIN
            draft.borrowed[village] = max(1, min(rng.randint(*ORPHAN_HOUSEHOLDS), spare))
        for draft in drafts:
            if not draft.borrowed and count > 1 and rng.random() < BORDER_GROUP_SHARE:
                neighbour = draft.home + 1 if draft.home + 1 < count else draft.home - 1
                draft.borrowed[neighbour] = rng.randint(1, 3)
        return drafts

    # --- households

    def _household(self, number: int, village_code: str, village_name: str) -> HouseholdPlan:
        rng = self.rng
        group = ethnic_group(rng, self.office.district, town=self.commune.is_town)
        members = people.household_people(rng, group, self.book, self.today)
        phone = self.book.phone(rng) if rng.random() < people.PHONE_SHARE else ""
        return HouseholdPlan(
            code=f"{self.commune.code}{number:04d}",
            village_code=village_code,
            ethnicity=group,
            address=f"{village_name}, {self.commune.label}, huyện {self.office.district}",
            phone=phone,
            people=members,
            classifications=self._classifications(group),
        )

    def _classifications(self, group: str) -> tuple[ClassificationPlan, ...]:
        """Last year's certified lists: poor, near-poor or just escaped poverty (one at most),
        and, for a poor household of an ethnic minority, the minority list (the programmes for
        poor ethnic-minority households ask for both)."""
        poor, near_poor, escaped = POVERTY_SHARES[group]
        draw = self.rng.random() * 100
        year = self.list_year
        number, certified_on = self.decisions["poverty"]
        certified_by = f"Quyết định số {number}/QĐ-UBND của UBND {self.commune.label}"
        exit_year = year - self.rng.randint(0, ESCAPED_POVERTY_YEARS - 1)
        if draw < poor:
            found = [ClassificationPlan(POOR, year, certified_by, certified_on)]
        elif draw < poor + near_poor:
            return (ClassificationPlan(NEAR_POOR, year, certified_by, certified_on),)
        elif draw < poor + near_poor + escaped:
            return (ClassificationPlan(ESCAPED, year, certified_by, certified_on, exit_year),)
        else:
            return ()
        if group != gazetteer.KINH:
            number, certified_on = self.decisions[ETHNIC_MINORITY]
            found.append(
                ClassificationPlan(
                    ETHNIC_MINORITY,
                    year,
                    f"Quyết định số {number}/QĐ-UBND của UBND {self.commune.label}",
                    certified_on,
                )
            )
        return tuple(found)

    # --- groups

    def _group(self, number: int, draft: _GroupDraft, members, drafts) -> GroupPlan:
        rng = self.rng
        villages = self.commune.villages
        village = villages[draft.home]
        association = rng.choices(
            list(GROUP_ASSOCIATION_WEIGHTS), weights=list(GROUP_ASSOCIATION_WEIGHTS.values())
        )[0]
        years_ago = rng.randint(*FOUNDED_YEARS_AGO)
        founded_on = date(self.today.year - years_ago, rng.randint(1, 12), rng.randint(1, 28))
        decided_on = founded_on - timedelta(days=rng.randint(5, 25))
        same_village = [d for d in drafts if d.home == draft.home]
        label = village.name[0].lower() + village.name[1:]
        number_in_village = f" số {same_village.index(draft) + 1}" if len(same_village) > 1 else ""
        own = [h for h in members if h.village_code == village.code]
        leader = _board_seat(rng, own or members, self.today, years_ago, association, exclude=None)
        deputy = _board_seat(
            rng, members, self.today, years_ago, None, exclude=leader.household_code
        )
        return GroupPlan(
            code=f"{self.district_code}{number:04d}",
            name=f"Tổ TK&VV{number_in_village} {ASSOCIATION_NAMES[association]} {label}",
            village_code=village.code,
            adjacent_village_codes=tuple(villages[v].code for v in sorted(draft.borrowed)),
            association_code=association,
            founded_on=founded_on,
            approval_decision=f"{rng.randint(12, 240)}/QĐ-UBND",
            approval_decision_on=decided_on,
            household_codes=tuple(h.code for h in members),
            leader=leader,
            deputy=deputy,
        )


def _board_seat(
    rng: random.Random,
    households: Sequence[HouseholdPlan],
    today: date,
    years_ago: int,
    association: str | None,
    exclude: str | None,
) -> BoardSeat:
    """A head or spouse of a member household (never of ``exclude``, so leader and deputy are
    never relatives living together), an adult when the group was founded and not past 68;
    a woman for a Women's Union group, a man for a Veterans' group. The demands are dropped one
    by one when no member meets them."""
    sex = {WOMEN: FEMALE, VETERANS: MALE}.get(association or "")
    candidates = [
        (household.code, index, person)
        for household in households
        if household.code != exclude
        for index, person in enumerate(household.people)
        if person.relationship in (HEAD, SPOUSE)
    ]
    tests = (
        lambda p, age: (
            p.sex == (sex or p.sex)
            and age - years_ago >= LEADER_AGE_AT_FOUNDING_MIN
            and age <= LEADER_AGE_MAX
        ),
        lambda p, age: age - years_ago >= LEADER_AGE_AT_FOUNDING_MIN,
        lambda p, age: True,
    )
    ages = [person.age_on(today) for _code, _index, person in candidates]
    for test in tests:
        fitting = [
            (code, index)
            for (code, index, person), age in zip(candidates, ages, strict=True)
            if test(person, age)
        ]
        if fitting:
            code, index = rng.choice(fitting)
            return BoardSeat(code, index)
    raise ValueError("a group needs two member households with an adult head")
