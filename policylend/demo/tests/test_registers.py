"""The registers plan read directly (no database): deterministic, of the expected size at both
scales, and consistent with the rules the associations, households and groups services enforce."""

from __future__ import annotations

from collections import Counter
from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from policylend.associations import rules as association_rules
from policylend.associations.models import EntrustmentTask
from policylend.demo import gazetteer
from policylend.demo.people import IdentityBook
from policylend.demo.province import SCALE_OFFICE, SCALE_PROVINCE, province_plan
from policylend.demo.registers import (
    COMMUNE_LEVEL,
    DISTRICT_LEVEL,
    PROVINCE_LEVEL,
    RegistersPlan,
    apportion,
    group_sizes,
    registers_plan,
)
from policylend.groups import rules as group_rules
from policylend.households import rules as household_rules
from policylend.households.models import ClassificationKind, Relationship, Sex

TODAY = date(2026, 11, 25)
SEED = 2026


@pytest.fixture(scope="module")
def province() -> RegistersPlan:
    return registers_plan(province_plan(scale=SCALE_PROVINCE, seed=SEED), today=TODAY)


@pytest.fixture(scope="module")
def office() -> RegistersPlan:
    return registers_plan(province_plan(scale=SCALE_OFFICE, seed=SEED), today=TODAY)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def persons_count(plan: RegistersPlan) -> int:
    return sum(1 for _ in plan.persons())


def bac_son_part(plan: RegistersPlan, office_plan) -> RegistersPlan:
    places = {"740"} | {office_plan.code} | {c.code for c in office_plan.communes}
    return RegistersPlan(
        tuple(u for u in plan.association_units if u.place_code in places),
        tuple(c for c in plan.contracts if c.place_code in places),
        tuple(h for h in plan.households if h.village_code[:6] in places),
        tuple(g for g in plan.groups if g.village_code[:6] in places),
        plan.leader_logins,
    )


class TestDeterminism:
    def test_the_same_seed_and_day_give_the_same_registers(self, office):
        again = registers_plan(province_plan(scale=SCALE_OFFICE, seed=SEED), today=TODAY)
        assert again == office

    def test_another_seed_gives_other_people_and_groups_of_the_same_size(self, office):
        other = registers_plan(province_plan(scale=SCALE_OFFICE, seed=SEED + 1), today=TODAY)
        assert [h.head.full_name for h in other.households] != [
            h.head.full_name for h in office.households
        ]
        assert [len(g.household_codes) for g in other.groups] != [
            len(g.household_codes) for g in office.groups
        ]
        # The office's figures are the gazetteer's whatever the seed.
        assert (len(other.households), len(other.groups)) == (len(office.households), 196)

    def test_the_office_scale_is_exactly_the_bac_son_part_of_the_province(self, office, province):
        bac_son = province_plan(scale=SCALE_OFFICE, seed=SEED).offices[0]
        assert bac_son_part(province, bac_son) == office

    def test_names_and_families_do_not_depend_on_the_day(self, office):
        later = registers_plan(province_plan(scale=SCALE_OFFICE, seed=SEED), today=date(2027, 3, 9))
        assert [p.full_name for p in later.persons()] == [p.full_name for p in office.persons()]
        assert later.leader_logins[0].full_name == office.leader_logins[0].full_name


class TestSize:
    def test_the_province_has_2043_groups_and_90300_households(self, province):
        assert len(province.groups) == 2_043
        assert len(province.households) == 90_300
        # Four associations beside the branch, the 10 offices and the 194 communes.
        assert len(province.association_units) == len(province.contracts) == 4 * (1 + 10 + 194)
        assert 3.4 <= persons_count(province) / len(province.households) <= 4.4

    def test_bac_son_has_over_8500_households(self, office):
        assert 8_500 < len(office.households) < 8_800
        assert len(office.groups) == 196
        assert len(office.association_units) == len(office.contracts) == 4 * (1 + 1 + 20)

    def test_groups_have_25_to_60_households_mostly_30_to_50(self, province):
        sizes = [len(group.household_codes) for group in province.groups]
        assert all(group_rules.founding_size_problems(size) == [] for size in sizes)
        assert min(sizes) >= 25 and max(sizes) <= 60
        assert sum(30 <= size <= 50 for size in sizes) / len(sizes) > 0.7

    def test_about_one_household_in_a_hundred_borrows_outside_a_group(self, province):
        in_groups = sum(len(group.household_codes) for group in province.groups)
        assert len(province.households) - in_groups == sum(
            int(households * Decimal("0.01"))
            for households, _groups in gazetteer.OFFICE_REGISTERS.values()
        )

    @pytest.mark.parametrize(("count", "total"), [(196, 8_534), (5, 125), (3, 180)])
    def test_group_sizes_add_up_and_stay_in_bounds(self, count, total):
        import random

        sizes = group_sizes(random.Random(count), count, total)
        assert sum(sizes) == total and all(25 <= size <= 60 for size in sizes)

    def test_group_sizes_refuse_an_impossible_total(self):
        import random

        with pytest.raises(ValueError):
            group_sizes(random.Random(1), 3, 181)

    def test_apportion_keeps_the_total_and_the_minimum(self):
        assert apportion(10, [1, 1, 1]) == [4, 3, 3]
        assert apportion(196, [6, 14, 10]) == [39, 92, 65]
        assert apportion(3, [100, 1, 1], minimum=1) == [1, 1, 1]


class TestAssociations:
    def test_units_beside_the_branch_every_office_and_every_commune(self, office):
        names = {(u.association_code, u.place_code): u.name for u in office.association_units}
        vu_lang = "185008"
        assert names["11", vu_lang] == "Hội Nông dân xã Vũ Lăng"
        assert names["12", "74001"] == "Hội LHPN huyện Bắc Sơn"
        assert names["13", "740"] == "Hội CCB tỉnh Lạng Sơn"
        assert names["14", vu_lang] == "Đoàn TN xã Vũ Lăng"
        assert names["11", "185001"] == "Hội Nông dân thị trấn Bắc Sơn"
        levels = Counter(u.level for u in office.association_units)
        assert levels == {PROVINCE_LEVEL: 4, DISTRICT_LEVEL: 4, COMMUNE_LEVEL: 80}
        # Higher levels first, so each unit finds its parent when it is created.
        order = [u.level for u in office.association_units]
        assert order == sorted(order, key=[PROVINCE_LEVEL, DISTRICT_LEVEL, COMMUNE_LEVEL].index)

    def test_units_have_a_chair_and_a_landline(self, province):
        for unit in province.association_units:
            assert unit.chair_name and len(unit.name) <= 160
            assert unit.phone.startswith("0205 3")
        female_middle_names = {
            name for names in gazetteer.MIDDLE_NAMES_BY_GROUP.values() for name in names["female"]
        }
        for unit in province.association_units:
            if unit.association_code == "12":  # the Women's Union has a woman in the chair
                assert unit.chair_name.split()[1] in female_middle_names

    def test_contracts_pass_the_rules_with_the_default_terms(self, province):
        numbers = [contract.number for contract in province.contracts]
        assert len(set(numbers)) == len(numbers)
        for contract in province.contracts:
            assert (
                association_rules.contract_problems(
                    number=contract.number,
                    signed_on=contract.signed_on,
                    valid_from=contract.valid_from,
                    valid_to=None,
                    tasks=contract.tasks,
                    known_tasks=EntrustmentTask.values,
                )
                == []
            )
            assert contract.fee_rate_monthly == association_rules.DEFAULT_FEE_RATE_MONTHLY
            assert contract.split_bp == association_rules.DEFAULT_SPLIT_BP

    def test_the_bank_signs_where_the_association_unit_sits(self, office):
        places = {(u.association_code, u.place_code): u.level for u in office.association_units}
        for contract in office.contracts:
            level = places[contract.association_code, contract.place_code]
            expected = {PROVINCE_LEVEL: "740", DISTRICT_LEVEL: "74001", COMMUNE_LEVEL: "74001"}
            assert contract.bank_unit_code == expected[level]


class TestHouseholds:
    def test_every_household_passes_the_household_rules(self, office):
        for household in office.households:
            head, *members = (
                household_rules.PersonInput(
                    p.full_name, p.sex, p.relationship, p.birth_date, p.national_id
                )
                for p in household.people
            )
            problems = household_rules.household_problems(
                head=head,
                members=members,
                today=TODAY,
                code=household.code,
                phone=household.phone,
                ethnicity=household.ethnicity,
                address=household.address,
            )
            assert problems == [], (household.code, problems)
            assert household.code.startswith(household.village_code[:6])

    def test_national_ids_are_unique_and_valid_across_the_province(self, province):
        ids = [person.national_id for person in province.persons() if person.national_id]
        assert len(set(ids)) == len(ids)
        assert all(household_rules.national_id_problems(national_id) == [] for national_id in ids)
        provinces = Counter(national_id[:3] for national_id in ids)
        assert provinces.most_common(1)[0][0] == "020"  # Lạng Sơn
        assert set(provinces) <= {"020", *gazetteer.OTHER_PROVINCE_ID_CODES}

    def test_an_id_tells_the_century_sex_and_year_of_birth(self, province):
        for person in list(province.persons())[:20_000]:
            if person.national_id:
                digit = int(person.national_id[3])
                assert digit == (person.birth_date.year >= 2000) * 2 + (person.sex == "female")
                assert person.national_id[4:6] == f"{person.birth_date.year % 100:02d}"
            else:
                assert person.age_on(TODAY) < 14

    def test_phones_are_valid_and_unique(self, province):
        phones = [household.phone for household in province.households if household.phone]
        assert len(set(phones)) == len(phones)
        assert all(household_rules.phone_problems(phone) == [] for phone in phones)
        assert 0.75 < len(phones) / len(province.households) < 0.95

    def test_codes_are_unique_ten_digits_of_the_commune(self, province):
        codes = [household.code for household in province.households]
        assert len(set(codes)) == len(codes)
        assert all(household_rules.household_code_problems(code) == [] for code in codes)

    def test_families_look_like_families(self, province):
        for household in province.households[:5_000]:
            relationships = [person.relationship for person in household.people]
            assert relationships[0] == Relationship.HEAD and relationships.count("head") == 1
            assert relationships.count("spouse") <= 1
            assert set(relationships) <= set(Relationship.values)
            assert {person.sex for person in household.people} <= set(Sex.values)
            head = household.head
            for person in household.people:
                if person.relationship == "child":
                    assert person.birth_date > head.birth_date.replace(
                        year=head.birth_date.year - 1
                    )

    def test_the_ethnic_groups_and_family_names_of_lang_son(self, province):
        groups = Counter(household.ethnicity for household in province.households)
        assert [name for name, _n in groups.most_common(3)] in (
            ["Nùng", "Tày", "Kinh"],
            ["Tày", "Nùng", "Kinh"],
        )
        assert groups["Dao"] > 0 and groups["H'Mông"] > 0
        surnames = Counter(h.head.full_name.split()[0] for h in province.households)
        assert {
            "Hoàng",
            "Nông",
            "Lường",
            "Lộc",
            "Vi",
            "Triệu",
            "Hà",
            "Nguyễn",
            "Lăng",
            "Mã",
        } <= set(surnames)
        assert surnames.most_common(1)[0][0] in ("Hoàng", "Nguyễn")

    def test_classifications_pass_the_rules(self, province):
        kinds = Counter()
        for household in province.households:
            recorded: list[str] = []
            for entry in household.classifications:
                assert (
                    household_rules.classification_problems(
                        year=entry.year,
                        kind=entry.kind,
                        certified_by=entry.certified_by,
                        certified_on=entry.certified_on,
                        exit_year=entry.exit_year,
                        today=TODAY,
                    )
                    == []
                )
                assert (
                    household_rules.classification_conflicts(entry.kind, entry.year, recorded) == []
                )
                recorded.append(entry.kind)
                kinds[entry.kind] += 1
            if "ethnic_minority" in recorded:
                assert household.ethnicity != "Kinh" and "poor" in recorded
        assert set(kinds) == {
            ClassificationKind.POOR,
            ClassificationKind.NEAR_POOR,
            ClassificationKind.ESCAPED_POVERTY,
            ClassificationKind.ETHNIC_MINORITY,
        }
        # Some households, not all: about a quarter of them are on a certified list.
        listed = sum(bool(h.classifications) for h in province.households)
        assert 0.2 < listed / len(province.households) < 0.4


class TestGroups:
    def test_no_household_is_in_two_groups_and_every_member_exists(self, province):
        named = [code for group in province.groups for code in group.household_codes]
        assert len(set(named)) == len(named)
        assert set(named) <= {household.code for household in province.households}

    def test_groups_pass_the_founding_rules(self, province):
        codes = [group.code for group in province.groups]
        assert len(set(codes)) == len(codes)
        for group in province.groups:
            assert group_rules.code_problems(group.code) == []
            assert group_rules.name_problems(group.name) == []
            assert (
                group_rules.founding_problems(
                    founded_on=group.founded_on,
                    approval_decision=group.approval_decision,
                    approval_decision_on=group.approval_decision_on,
                    today=TODAY,
                )
                == []
            )

    def test_members_live_in_the_group_village_or_an_adjacent_one(self, province):
        village_of = {household.code: household.village_code for household in province.households}
        for group in province.groups:
            villages = {code: code for code in (group.village_code, *group.adjacent_village_codes)}
            assert all(code[:6] == group.village_code[:6] for code in villages)
            for household in group.household_codes:
                assert (
                    group_rules.village_problems(
                        household_label=household,
                        household_village_id=village_of[household],
                        household_village_name="",
                        group_villages=villages,
                        group_label=group.code,
                    )
                    == []
                )
        with_adjacent = sum(bool(group.adjacent_village_codes) for group in province.groups)
        assert 0 < with_adjacent < len(province.groups) * 0.3

    def test_every_village_has_households_in_a_group(self, province):
        plan = province_plan(scale=SCALE_PROVINCE, seed=SEED)
        villages = {
            code
            for group in province.groups
            for code in (group.village_code, *group.adjacent_village_codes)
        }
        assert villages == {village.code for village in plan.villages()}

    def test_leader_and_deputy_are_adult_members_and_not_close_relatives(self, province):
        households = {household.code: household for household in province.households}
        ids: dict[tuple[str, int], int] = {}

        def candidate(seat) -> group_rules.BoardCandidate:
            person = households[seat.household_code].people[seat.index]
            person_id = ids.setdefault((seat.household_code, seat.index), len(ids) + 1)
            return group_rules.BoardCandidate(
                person_id, int(seat.household_code), person.relationship, person.full_name
            )

        leaders = set()
        for group in province.groups:
            for seat in (group.leader, group.deputy):
                assert seat.household_code in group.household_codes
                person = households[seat.household_code].people[seat.index]
                assert person.relationship in ("head", "spouse")
                assert person.age_on(group.founded_on) >= 18
            tie = group_rules.board_tie_problems(
                candidate(group.deputy), "Deputy leader", candidate(group.leader), "Group leader"
            )
            assert tie == [], group.code
            leaders.add((group.leader.household_code, group.leader.index))
        assert len(leaders) == len(province.groups)  # a person leads at most one group

    def test_women_lead_the_womens_union_groups(self, province):
        households = {household.code: household for household in province.households}
        for group in province.groups:
            leader = households[group.leader.household_code].people[group.leader.index]
            if group.association_code == "12":
                assert leader.sex == "female", group.code

    def test_farmers_and_women_manage_most_groups(self, province):
        managed = Counter(group.association_code for group in province.groups)
        assert set(managed) == {"11", "12", "13", "14"}
        assert managed["11"] + managed["12"] > 0.6 * len(province.groups)
        assert min(managed["11"], managed["12"]) > max(managed["13"], managed["14"])

    def test_leader_vulang_is_the_leader_of_the_first_group_of_vu_lang(self, office):
        (login,) = office.leader_logins
        group = next(group for group in office.groups if group.code == login.group_code)
        assert group.village_code.startswith("185008")
        assert group.code == min(
            g.code for g in office.groups if g.village_code.startswith("185008")
        )
        household = next(h for h in office.households if h.code == login.seat.household_code)
        assert (login.username, login.seat) == ("leader.vulang", group.leader)
        assert login.full_name == household.people[login.seat.index].full_name


class TestIdentityBook:
    def test_two_communes_never_give_the_same_id_or_phone(self):
        import random

        first, second = IdentityBook(0), IdentityBook(1)
        born = date(1980, 5, 1)
        ids = [
            book.national_id(random.Random(n), "020", "male", born)
            for n in range(300)
            for book in (first, second)
        ]
        assert len(set(ids)) == len(ids)
        phones = [book.phone(random.Random(n)) for n in range(300) for book in (first, second)]
        assert len({phone[3:] for phone in phones}) == len(phones)

    def test_a_partition_out_of_range_is_refused(self):
        with pytest.raises(ValueError):
            IdentityBook(1_000)


@settings(max_examples=4, deadline=None)
@given(seed=st.integers(min_value=0, max_value=2**31))
def test_any_seed_gives_a_consistent_office(seed):
    print(f"seed={seed}")
    plan = registers_plan(province_plan(scale=SCALE_OFFICE, seed=seed), today=TODAY)
    assert len(plan.groups) == 196
    named = [code for group in plan.groups for code in group.household_codes]
    assert len(set(named)) == len(named)
    assert all(25 <= len(group.household_codes) <= 60 for group in plan.groups)
    ids = [person.national_id for person in plan.persons() if person.national_id]
    assert len(set(ids)) == len(ids)
    for group in plan.groups:
        assert group.leader.household_code != group.deputy.household_code


@settings(max_examples=50, deadline=None)
@given(
    age=st.integers(min_value=0, max_value=100),
    today=st.dates(min_value=date(2020, 1, 2), max_value=date(2040, 12, 31)),
    seed=st.integers(min_value=0, max_value=2**16),
)
def test_a_birth_date_gives_exactly_the_drawn_age(age, today, seed):
    import random

    from policylend.demo.people import PersonPlan, birth_date

    born = birth_date(random.Random(seed), age, today)
    assert born <= today
    assert PersonPlan("A", "male", "head", born).age_on(today) == age


def test_the_plan_modules_do_not_import_django():
    import subprocess
    import sys

    code = (
        "import sys; import policylend.demo.registers, policylend.demo.province; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env={}
    )
    assert result.stdout.strip() == "[]"
