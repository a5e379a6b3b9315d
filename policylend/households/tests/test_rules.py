"""The pure rules of the register, success and failure side by side, and properties of the
folding that search relies on."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest
from django.utils.translation import override
from hypothesis import given
from hypothesis import strategies as st

from policylend.core.text import fold
from policylend.households import rules
from policylend.households.error_codes import HouseholdErrorCode as E
from policylend.households.rules import PersonInput

TODAY = date(2026, 11, 25)


def codes(problems) -> list[str]:
    return [p.code for p in problems]


# --- national ID ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["020085001234", "001000000000", "096999999999", "020 085 001 234"]
)
def test_a_national_id_of_12_digits_and_a_province_code_passes(text):
    assert rules.national_id_problems(text) == []


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("02008500123", E.NATIONAL_ID_FORMAT),  # 11 digits
        ("0200850012345", E.NATIONAL_ID_FORMAT),  # 13 digits
        ("02008500123A", E.NATIONAL_ID_FORMAT),
        ("000085001234", E.NATIONAL_ID_PROVINCE),  # province 000
        ("097085001234", E.NATIONAL_ID_PROVINCE),  # province 097 does not exist
        ("999085001234", E.NATIONAL_ID_PROVINCE),
    ],
)
def test_a_wrong_national_id_is_refused_naming_the_rule(text, code):
    with override("en"):
        (problem,) = rules.national_id_problems(text, field="head.national_id")
    assert problem.code == code and problem.field == "head.national_id"
    # The message never repeats the number typed.
    assert rules.normalise_national_id(text) not in problem.message


def test_the_length_message_says_how_many_digits_were_typed():
    with override("en"):
        (problem,) = rules.national_id_problems("02008500123")
    assert problem.message == "A national ID has exactly 12 digits; the one entered has 11."


def test_the_province_message_names_the_range():
    with override("en"):
        (problem,) = rules.national_id_problems("097085001234")
    assert "001 to 096" in problem.message and "097" in problem.message


def test_no_national_id_is_no_problem():
    assert rules.national_id_problems(None) == [] and rules.national_id_problems("  ") == []


def test_masking_shows_only_the_last_four_digits():
    assert rules.mask_national_id("020085001234") == "•••••••• 1234"
    assert rules.mask_national_id(None) == "" and rules.mask_national_id("") == ""


@given(st.from_regex(r"0[0-9]{11}", fullmatch=True))
def test_a_masked_id_never_holds_more_than_four_of_its_digits(national_id):
    masked = rules.mask_national_id(national_id)
    assert sum(ch.isdigit() for ch in masked) == 4 and masked.endswith(national_id[-4:])


def test_the_audit_log_masks_like_the_pages():
    assert rules.audit_mask("020085001234") == "•••••••• 1234"
    assert rules.audit_mask("None") == "None"


# --- phone, ethnicity, code ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("0912345678", "0912345678"),
        ("091 234 5678", "0912345678"),
        ("0912.345.678", "0912345678"),
        ("+84 912 345 678", "0912345678"),
        ("84912345678", "0912345678"),
        ("0356789012", "0356789012"),
    ],
)
def test_a_mobile_number_is_read_in_the_forms_people_write_it(typed, stored):
    phone = rules.normalise_phone(typed)
    assert phone == stored and rules.phone_problems(phone) == []


@pytest.mark.parametrize("typed", ["091234567", "09123456789", "0212345678", "1912345678", "abc"])
def test_a_phone_that_is_not_a_vietnamese_mobile_is_refused(typed):
    with override("en"):
        (problem,) = rules.phone_problems(rules.normalise_phone(typed))
    assert problem.code == E.PHONE_FORMAT and "10 digits" in problem.message


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("Tày", "02"),
        ("tay", "02"),
        ("TÀY", "02"),
        ("2", "02"),
        ("02", "02"),
        ("Nùng", "07"),
        ("H'Mông", "08"),
        ("Hmong", "08"),
        ("Mông", "08"),
        ("Dao", "09"),
        ("Sán Chay", "15"),
        ("san chay", "15"),
        ("Hoa", "04"),
        ("Kinh", "01"),
        ("Khmer", "05"),
        ("Khác", rules.ETHNICITY_OTHER),
        ("", ""),
    ],
)
def test_an_ethnic_group_is_known_by_code_or_name_with_or_without_accents(typed, code):
    assert rules.ethnicity_code(typed) == code
    assert rules.ethnicity_problems(typed) == []


@pytest.mark.parametrize("typed", ["Klingon", "55", "0"])
def test_an_unknown_ethnic_group_is_refused(typed):
    assert codes(rules.ethnicity_problems(typed)) == [E.ETHNICITY_UNKNOWN]


def test_the_54_groups_have_distinct_codes_and_folded_names():
    assert len(rules.ETHNICITIES) == 54
    assert len({code for code, _ in rules.ETHNICITIES}) == 54
    assert len({rules._ethnicity_key(name) for _, name in rules.ETHNICITIES}) == 54
    for code, name in rules.ETHNICITIES:
        assert rules.ethnicity_code(name) == code and rules.ethnicity_label(code) == name


@pytest.mark.parametrize("code", ["2060010001", "0000000000"])
def test_a_customer_code_of_10_digits_passes(code):
    assert rules.household_code_problems(code) == []


@pytest.mark.parametrize("code", ["206001001", "20600100011", "206001000A", ""])
def test_a_customer_code_not_of_10_digits_is_refused(code):
    assert codes(rules.household_code_problems(code)) == [E.CODE_FORMAT]


def test_codes_follow_the_commune_code_with_a_four_digit_sequence():
    assert rules.code_after("206001", None) == "2060010001"
    assert rules.code_after("206001", "2060010041") == "2060010042"
    assert rules.code_after("206001", "2060019999") is None


def test_free_codes_continue_after_the_highest_then_fill_the_gaps():
    used = {"2060010001", "2060010003", "2060019998"}
    assert rules.codes_free("206001", used, 2) == ["2060019999", "2060010002"]
    assert rules.codes_free("206001", set(), 3) == ["2060010001", "2060010002", "2060010003"]


# --- members and households ----------------------------------------------------------------------


def person(**changes) -> PersonInput:
    values = {
        "full_name": "Nguyễn Văn Đức",
        "sex": "male",
        "relationship": "head",
        "birth_date": date(1985, 4, 2),
        "national_id": "020085001234",
    }
    return PersonInput(**(values | changes))


def test_a_complete_head_passes():
    assert rules.person_problems(person(), field="head.", today=TODAY, as_head=True) == []


@pytest.mark.parametrize(
    ("changes", "as_head", "code", "field"),
    [
        ({"full_name": ""}, True, E.NAME_REQUIRED, "head.full_name"),
        ({"full_name": "x" * 121}, True, E.NAME_TOO_LONG, "head.full_name"),
        ({"full_name": "Nguyễn Văn 2"}, True, E.NAME_HAS_DIGITS, "head.full_name"),
        ({"sex": "other"}, True, E.SEX_UNKNOWN, "head.sex"),
        ({"relationship": "cousin"}, True, E.RELATIONSHIP_UNKNOWN, "head.relationship"),
        ({"relationship": "spouse"}, True, E.HEAD_RELATIONSHIP, "head.relationship"),
        ({"relationship": "head"}, False, E.SECOND_HEAD, "head.relationship"),
        ({"birth_date": date(2026, 11, 26)}, True, E.BIRTH_DATE_FUTURE, "head.birth_date"),
        ({"birth_date": date(1899, 12, 31)}, True, E.BIRTH_DATE_TOO_EARLY, "head.birth_date"),
        ({"national_id": "12345"}, True, E.NATIONAL_ID_FORMAT, "head.national_id"),
    ],
)
def test_each_rule_of_a_member_names_its_field(changes, as_head, code, field):
    problems = rules.person_problems(person(**changes), field="head.", today=TODAY, as_head=as_head)
    assert [(p.code, p.field) for p in problems] == [(code, field)]


def test_born_today_passes():
    assert (
        rules.person_problems(person(birth_date=TODAY), field="", today=TODAY, as_head=True) == []
    )


def test_names_are_stored_in_one_unicode_form_with_single_spaces():
    decomposed = unicodedata.normalize("NFD", "Nguyễn  Văn   Đức ")
    cleaned = rules.clean_person(person(full_name=decomposed, national_id=" 020 085 001 234 "))
    assert cleaned.full_name == "Nguyễn Văn Đức"
    assert cleaned.national_id == "020085001234"


def household(members=(), **changes):
    values = {
        "head": person(),
        "members": members,
        "today": TODAY,
        "code": None,
        "phone": "0912345678",
        "ethnicity": "02",
        "address": "",
    }
    return rules.household_problems(**(values | changes))


def test_a_household_with_distinct_ids_passes_and_one_id_twice_is_refused():
    wife = person(full_name="Hoàng Thị Lan", sex="female", relationship="spouse")
    assert codes(household([replace_id(wife, "020187005678")])) == []
    problems = household([wife])  # the wife was given the head's ID
    assert [(p.code, p.field) for p in problems] == [
        (E.NATIONAL_ID_REPEATED, "members[0].national_id")
    ]


def replace_id(p: PersonInput, national_id: str) -> PersonInput:
    return PersonInput(p.full_name, p.sex, p.relationship, p.birth_date, national_id)


def test_a_household_reports_every_problem_at_once():
    problems = household(
        [person(full_name="", relationship="head", national_id=None)],
        code="123",
        phone="123",
        ethnicity="Klingon",
        address="x" * 201,
    )
    assert {(p.code, p.field) for p in problems} == {
        (E.CODE_FORMAT, "code"),
        (E.PHONE_FORMAT, "phone"),
        (E.ETHNICITY_UNKNOWN, "ethnicity"),
        (E.ADDRESS_TOO_LONG, "address"),
        (E.NAME_REQUIRED, "members[0].full_name"),
        (E.SECOND_HEAD, "members[0].relationship"),
    }


def test_too_many_members_are_refused():
    members = [replace_id(person(relationship="child"), None)] * (rules.MEMBERS_MAX + 1)
    assert codes(household(members)) == [E.MEMBERS_TOO_MANY]
    assert codes(household(members[: rules.MEMBERS_MAX])) == []


# --- classifications -----------------------------------------------------------------------------


def classification(**changes):
    values = {
        "year": 2026,
        "kind": "poor",
        "certified_by": "QĐ 12/QĐ-UBND, Chủ tịch UBND xã Vũ Lăng",
        "certified_on": date(2026, 1, 15),
        "exit_year": None,
        "today": TODAY,
    }
    return rules.classification_problems(**(values | changes))


def test_a_certified_classification_passes():
    assert classification() == []
    assert classification(certified_on=TODAY) == []


@pytest.mark.parametrize(
    ("changes", "code", "field"),
    [
        ({"kind": "rich"}, E.CLASSIFICATION_KIND_UNKNOWN, "kind"),
        ({"certified_by": ""}, E.CLASSIFICATION_CERTIFIED_BY_REQUIRED, "certified_by"),
        ({"certified_by": "x" * 201}, E.CLASSIFICATION_CERTIFIED_BY_TOO_LONG, "certified_by"),
        ({"certified_on": date(2026, 11, 26)}, E.CLASSIFICATION_CERTIFIED_FUTURE, "certified_on"),
        ({"year": 2027}, E.CLASSIFICATION_YEAR_AFTER_CERTIFICATION, "year"),
        ({"year": 1999}, E.CLASSIFICATION_YEAR_RANGE, "year"),
        ({"exit_year": 2024}, E.CLASSIFICATION_EXIT_YEAR_NOT_ALLOWED, "exit_year"),
    ],
)
def test_each_rule_of_a_classification_names_its_field(changes, code, field):
    assert [(p.code, p.field) for p in classification(**changes)] == [(code, field)]


def test_a_list_certified_late_in_the_year_for_that_year_passes_but_not_for_the_next():
    assert classification(year=2025, certified_on=date(2025, 12, 20)) == []
    with override("en"):
        (problem,) = classification(year=2026, certified_on=date(2025, 12, 20))
    assert problem.message == "A list certified on 20/12/2025 cannot be for 2026, a later year."


@pytest.mark.parametrize(
    ("exit_year", "code"),
    [
        (2026, None),
        (2023, None),  # three years on: still "just escaped"
        (2022, E.CLASSIFICATION_EXIT_YEAR_RANGE),  # four years on: no longer
        (2027, E.CLASSIFICATION_EXIT_YEAR_RANGE),  # after the year of the list
        (None, E.CLASSIFICATION_EXIT_YEAR_REQUIRED),
    ],
)
def test_just_escaped_poverty_lasts_three_years_after_the_exit_year(exit_year, code):
    problems = classification(kind="escaped_poverty", exit_year=exit_year)
    assert codes(problems) == ([code] if code else [])


def test_the_three_year_message_gives_the_numbers():
    with override("en"):
        (problem,) = classification(kind="escaped_poverty", exit_year=2022)
    assert problem.message == (
        "A household that left poverty in 2022 has just escaped poverty for 3 years, "
        "until 2025; 2026 is later."
    )


def test_one_place_on_the_poverty_ladder_a_year():
    assert rules.classification_conflicts("poor", 2026, ["ethnic_minority"]) == []
    assert codes(rules.classification_conflicts("poor", 2026, ["poor"])) == [
        E.CLASSIFICATION_DUPLICATE
    ]
    assert codes(rules.classification_conflicts("near_poor", 2026, ["poor"])) == [
        E.CLASSIFICATION_CONFLICT
    ]
    assert rules.classification_conflicts("ethnic_minority", 2026, ["poor"]) == []


# --- search --------------------------------------------------------------------------------------


def test_a_name_is_searched_as_folded_words():
    assert rules.search_terms("Nguyễn Văn ĐỨC").words == ("nguyen", "van", "duc")
    assert rules.search_terms("nguyen van duc").words == ("nguyen", "van", "duc")


def test_a_number_is_searched_as_digits_and_a_phone_in_its_local_form():
    terms = rules.search_terms("+84 912 345 678")
    assert terms.digits == "84912345678" and terms.phone == "0912345678"
    assert rules.search_terms("1234").digits == "1234"
    assert not rules.search_terms("   ")


vietnamese_letters = st.sampled_from(
    list("aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂBCDĐEÊGHIKLMNOÔƠPQRSTUƯVXY")
    + list("áàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ")
)
names = st.lists(st.text(vietnamese_letters, min_size=1, max_size=8), min_size=1, max_size=4).map(
    " ".join
)


@given(names)
def test_a_name_and_its_folded_form_search_the_same(name):
    assert rules.search_terms(name) == rules.search_terms(fold(name))
    assert rules.search_terms(name) == rules.search_terms(name.upper())
    assert rules.search_terms(name) == rules.search_terms(unicodedata.normalize("NFD", name))


@given(names)
def test_every_searched_word_of_a_name_is_found_in_its_folded_form(name):
    stored = fold(name)
    assert all(word in stored for word in rules.search_terms(name).words)
    assert stored.isascii()
