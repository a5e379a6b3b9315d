"""The people of the demo's households (pure: no Django, no clock, no global random).

A household is drawn as a family: a head (a man four times in five), usually a spouse, children
spaced two to five years apart, sometimes a married son with his wife and children, an elderly
parent or an unmarried sibling. Names follow the family's ethnic group (gazetteer); children take
their father's family name, wives keep their own.

National IDs and phone numbers are unique across the whole province without a province-wide
list: each commune has its own number (``partition``), and every number is made of that
partition and a serial unique inside the commune, passed through a fixed bijection so that the
digits look random. So each commune can be drawn on its own, in any order.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from . import gazetteer

MALE, FEMALE = "male", "female"
# Relationships to the head, as households.models.Relationship stores them.
HEAD, SPOUSE, CHILD, PARENT, SIBLING = "head", "spouse", "child", "parent", "sibling"
GRANDCHILD, CHILD_IN_LAW = "grandchild", "child_in_law"

# A citizen ID is issued from the age of 14 (Law 26/2023 on identification: compulsory then).
ID_AGE_MIN = 14
# Share of households whose head gave a mobile number.
PHONE_SHARE = 0.85

# Bijections on the 6-digit ID serial and the 7-digit phone number: x → (A·x + B) mod 10ⁿ with A
# prime to 10, so distinct inputs give distinct outputs.
_ID_MODULUS, _ID_A, _ID_B = 10**6, 738_163, 401_029
_PHONE_MODULUS, _PHONE_A, _PHONE_B = 10**7, 6_367_493, 2_718_281
PARTITIONS_MAX = 1_000  # partition × 1,000 + serial must stay below 10⁶


@dataclass(frozen=True)
class PersonPlan:
    full_name: str
    sex: str
    relationship: str
    birth_date: date
    national_id: str | None = None

    def age_on(self, day: date) -> int:
        before_birthday = (day.month, day.day) < (self.birth_date.month, self.birth_date.day)
        return day.year - self.birth_date.year - before_birthday


class IdentityBook:
    """Hands out the national IDs and phone numbers of one commune."""

    def __init__(self, partition: int):
        if not 0 <= partition < PARTITIONS_MAX:
            raise ValueError(f"partition must be 0 to {PARTITIONS_MAX - 1}, not {partition}")
        self.partition = partition
        self._serials: set[tuple] = set()
        self._phones: set[tuple] = set()

    def national_id(self, rng: random.Random, province_code: str, sex: str, born: date) -> str:
        """Circular 07/2016/TT-BCA: province code (3), century and sex (1: 0/1 for a man/woman
        born in the 1900s, 2/3 in the 2000s), year of birth (2), serial (6)."""
        digit = str((0 if born.year < 2000 else 2) + (sex == FEMALE))
        year = born.year % 100
        serial = _free(rng.randrange(1_000), 1_000, self._serials, (province_code, digit, year))
        scrambled = (_ID_A * (self.partition * 1_000 + serial) + _ID_B) % _ID_MODULUS
        return f"{province_code}{digit}{year:02d}{scrambled:06d}"

    def phone(self, rng: random.Random) -> str:
        serial = _free(rng.randrange(10_000), 10_000, self._phones, ())
        scrambled = (_PHONE_A * (self.partition * 10_000 + serial) + _PHONE_B) % _PHONE_MODULUS
        return f"{rng.choice(gazetteer.MOBILE_PREFIXES)}{scrambled:07d}"


def _free(drawn: int, size: int, taken: set, bucket: tuple) -> int:
    """The first serial from ``drawn`` on (wrapping) that the bucket has not used, taken now.
    One draw per number whatever the collisions, so the draws that follow (names, families)
    do not depend on which serials happen to collide."""
    for step in range(size):
        serial = (drawn + step) % size
        if (*bucket, serial) not in taken:
            taken.add((*bucket, serial))
            return serial
    raise ValueError(f"no serial left in {bucket}")


def ethnic_group(rng: random.Random, district: str, *, town: bool) -> str:
    """The ethnic group of a household (or an association's chair) of ``district``; a district
    town has more Kinh households."""
    weights = list(gazetteer.ETHNIC_SHARES[district])
    if town:
        weights[0] *= gazetteer.TOWN_KINH_FACTOR
    return rng.choices(gazetteer.ETHNIC_GROUPS, weights=weights)[0]


def full_name(rng: random.Random, group: str, sex: str, surname: str | None = None) -> str:
    surname = surname or rng.choice(gazetteer.SURNAMES_BY_GROUP[group])
    middle = rng.choice(gazetteer.MIDDLE_NAMES_BY_GROUP[group][sex])
    given = rng.choice(gazetteer.GIVEN_NAMES_BY_GROUP[group][sex])
    return f"{surname} {middle} {given}"


def birth_date(rng: random.Random, age: int, today: date) -> date:
    """A birth date that makes the person exactly ``age`` years old today (the day is drawn)."""
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    birthday_to_come = (month, day) > (today.month, today.day)
    return date(today.year - age - birthday_to_come, month, day)


# Children of a couple: how many (weights for 0 to 4).
_CHILDREN_WEIGHTS = (10, 25, 38, 18, 9)


class _Family:
    """Collects the members of one household as they are drawn."""

    def __init__(self, rng: random.Random, group: str, book: IdentityBook, today: date):
        self.rng, self.group, self.book, self.today = rng, group, book, today
        self.people: list[PersonPlan] = []

    def add(
        self,
        relationship: str,
        sex: str,
        age: int,
        surname: str | None = None,
        elsewhere: float = 0.0,
    ) -> PersonPlan:
        rng = self.rng
        name = full_name(rng, self.group, sex, surname)
        born = birth_date(rng, age, self.today)
        national_id = None
        if age >= ID_AGE_MIN:
            province = (
                rng.choice(gazetteer.OTHER_PROVINCE_ID_CODES)
                if rng.random() < elsewhere
                else gazetteer.PROVINCE_ID_CODE
            )
            national_id = self.book.national_id(rng, province, sex, born)
        person = PersonPlan(name, sex, relationship, born, national_id)
        self.people.append(person)
        return person


def household_people(
    rng: random.Random, group: str, book: IdentityBook, today: date
) -> tuple[PersonPlan, ...]:
    """The members of one household, the head first (the order households_create_bulk keeps)."""
    family = _Family(rng, group, book, today)
    head_sex = MALE if rng.random() < 0.8 else FEMALE
    head_age = int(rng.triangular(23, 82, 46))
    head_surname = rng.choice(gazetteer.SURNAMES_BY_GROUP[group])
    family.add(HEAD, head_sex, head_age, head_surname, elsewhere=0.03)
    father_surname = head_surname
    mother_age = head_age
    if rng.random() < (0.88 if head_sex == MALE else 0.2):
        if head_sex == MALE:
            spouse_age = max(19, head_age + rng.randint(-8, 2))
            family.add(SPOUSE, FEMALE, spouse_age, elsewhere=0.1)
            mother_age = spouse_age
        else:
            spouse = family.add(SPOUSE, MALE, max(20, head_age + rng.randint(-2, 8)), elsewhere=0.1)
            father_surname = spouse.full_name.split()[0]
    _children(family, mother_age, father_surname)
    if head_age <= 55 and rng.random() < 0.15:
        parent_sex = FEMALE if rng.random() < 0.65 else MALE
        parent_surname = head_surname if parent_sex == MALE else None
        family.add(PARENT, parent_sex, min(95, head_age + rng.randint(22, 32)), parent_surname)
    if rng.random() < 0.03:
        sibling_sex = MALE if rng.random() < 0.5 else FEMALE
        family.add(SIBLING, sibling_sex, max(16, head_age + rng.randint(-10, 10)), head_surname)
    return tuple(family.people)


def _children(family: _Family, mother_age: int, surname: str) -> None:
    rng = family.rng
    count = rng.choices(range(len(_CHILDREN_WEIGHTS)), weights=_CHILDREN_WEIGHTS)[0]
    age = mother_age - rng.randint(19, 30)
    ages = []
    for _ in range(count):
        if age < 0:
            break
        ages.append(age)
        age -= rng.randint(2, 5)
    married_son = None
    for age in ages:
        sex = MALE if rng.random() < 0.51 else FEMALE
        child = family.add(CHILD, sex, age, surname)
        if married_son is None and sex == MALE and age >= 22:
            married_son = child
    if married_son is not None and rng.random() < 0.45:
        son_age = married_son.age_on(family.today)
        wife_age = max(19, son_age + rng.randint(-5, 1))
        family.add(CHILD_IN_LAW, FEMALE, wife_age, elsewhere=0.1)
        age = wife_age - rng.randint(19, 26)
        for _ in range(rng.randint(0, 2)):
            if age < 0:
                break
            family.add(GRANDCHILD, MALE if rng.random() < 0.51 else FEMALE, age, surname)
            age -= rng.randint(2, 5)
