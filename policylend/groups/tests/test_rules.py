"""The pure rules of groups: sizes, codes, dates, villages and the ties between board members."""

from __future__ import annotations

from datetime import date
from itertools import product

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from policylend.groups import rules
from policylend.groups.error_codes import GroupErrorCode as E
from policylend.groups.rules import (
    CHILD,
    CHILD_IN_LAW,
    GRANDCHILD,
    HEAD,
    OTHER,
    PARENT,
    RELATIONSHIPS,
    SIBLING,
    SPOUSE,
    BoardCandidate,
    Tie,
    board_tie,
    household_tie,
)
from policylend.households.models import Kinship, Relationship

TODAY = date(2026, 11, 25)

# --- ties inside one household ---------------------------------------------------------------------

# Every pair of relationships to the head, with the tie the rule names (None: no listed tie).
TIE_TABLE = {
    (HEAD, SPOUSE): Tie.SPOUSE,
    (HEAD, CHILD): Tie.PARENT_CHILD,
    (HEAD, PARENT): Tie.PARENT_CHILD,
    (HEAD, SIBLING): Tie.SIBLING,
    (HEAD, GRANDCHILD): None,
    (HEAD, CHILD_IN_LAW): None,
    (HEAD, OTHER): None,
    (SPOUSE, SPOUSE): None,
    (SPOUSE, CHILD): Tie.PARENT_CHILD,
    (SPOUSE, PARENT): None,
    (SPOUSE, SIBLING): None,
    (SPOUSE, GRANDCHILD): None,
    (SPOUSE, CHILD_IN_LAW): None,
    (SPOUSE, OTHER): None,
    (CHILD, CHILD): Tie.SIBLING,
    (CHILD, PARENT): None,
    (CHILD, SIBLING): None,
    (CHILD, GRANDCHILD): None,
    (CHILD, CHILD_IN_LAW): None,
    (CHILD, OTHER): None,
    (PARENT, PARENT): Tie.SPOUSE,
    (PARENT, SIBLING): Tie.PARENT_CHILD,
    (PARENT, GRANDCHILD): None,
    (PARENT, CHILD_IN_LAW): None,
    (PARENT, OTHER): None,
    (SIBLING, SIBLING): Tie.SIBLING,
    (SIBLING, GRANDCHILD): None,
    (SIBLING, CHILD_IN_LAW): None,
    (SIBLING, OTHER): None,
    (GRANDCHILD, GRANDCHILD): None,
    (GRANDCHILD, CHILD_IN_LAW): None,
    (GRANDCHILD, OTHER): None,
    (CHILD_IN_LAW, CHILD_IN_LAW): None,
    (CHILD_IN_LAW, OTHER): None,
    (OTHER, OTHER): None,
    (HEAD, HEAD): None,
}


def test_the_table_covers_every_pair_of_relationships():
    assert set(RELATIONSHIPS) == set(Relationship.values)
    covered = {frozenset(pair) for pair in TIE_TABLE}
    assert covered == {frozenset(pair) for pair in product(RELATIONSHIPS, repeat=2)}


@pytest.mark.parametrize(("pair", "tie"), sorted(TIE_TABLE.items(), key=str))
def test_household_tie(pair, tie):
    a, b = pair
    assert household_tie(a, b) == tie
    assert household_tie(b, a) == tie


@given(st.sampled_from(RELATIONSHIPS), st.sampled_from(RELATIONSHIPS))
def test_household_tie_is_symmetric(a, b):
    assert household_tie(a, b) == household_tie(b, a)


def test_tie_in_one_household_and_none_across_households():
    head = BoardCandidate(1, 10, HEAD, "Hoàng Văn An")
    wife = BoardCandidate(2, 10, SPOUSE, "Lý Thị Bình")
    neighbour_wife = BoardCandidate(3, 11, SPOUSE, "Lý Thị Cúc")
    # the spouse in the same household is a tie, a spouse in another household is not
    assert board_tie(head, wife) == Tie.SPOUSE
    assert board_tie(head, neighbour_wife) is None
    # a recorded kinship row makes the tie across households
    assert board_tie(head, neighbour_wife, ["sibling"]) == Tie.SIBLING
    assert board_tie(head, neighbour_wife, ["parent_of"]) == Tie.PARENT_CHILD


def test_recorded_ties_cover_every_kinship_row():
    assert set(rules.RECORDED_TIES) == set(Kinship.Tie.values)


def test_a_recorded_row_settles_a_pair_the_records_cannot():
    son = BoardCandidate(1, 10, CHILD, "Hoàng Văn Đức")
    his_wife = BoardCandidate(2, 10, CHILD_IN_LAW, "Nông Thị Em")
    assert board_tie(son, his_wife) is None
    assert board_tie(son, his_wife, ["spouse"]) == Tie.SPOUSE


def test_board_tie_message_names_both_people_and_the_tie():
    head = BoardCandidate(1, 10, HEAD, "Hoàng Văn An")
    son = BoardCandidate(2, 10, CHILD, "Hoàng Văn Bảo")
    with translation.override("en"):
        problems = rules.board_tie_problems(son, "Deputy leader", head, "Group leader")
    assert [(p.code, p.field) for p in problems] == [(E.BOARD_RELATIVES, "person")]
    assert "Hoàng Văn Bảo" in problems[0].message and "Hoàng Văn An" in problems[0].message
    assert "parent and child" in problems[0].message
    daughter_in_law = BoardCandidate(3, 10, CHILD_IN_LAW, "Nông Thị Em")
    assert rules.board_tie_problems(daughter_in_law, "Deputy", head, "Leader") == []


# --- size ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "ok"), [(4, False), (5, True), (60, True), (61, False), (0, False)]
)
def test_founding_size(count, ok):
    with translation.override("en"):
        problems = rules.founding_size_problems(count)
    assert (problems == []) is ok
    if not ok:
        assert problems[0].code == E.FOUNDING_SIZE
        assert "5 to 60" in problems[0].message and str(count) in problems[0].message


def test_join_size_sixty_and_sixty_one():
    assert rules.join_size_problems("2060011 Tổ 1", 59) == []
    with translation.override("en"):
        problems = rules.join_size_problems("2060011 Tổ 1", 60)
    assert [p.code for p in problems] == [E.GROUP_FULL]
    assert "61" in problems[0].message and "60" in problems[0].message


@pytest.mark.parametrize("reason", ["no_longer_borrowing", "excluded", "other", ""])
def test_leave_below_five_is_refused_for_a_choice(reason):
    assert rules.leave_size_problems("Tổ 1", 6, 1, reason) == []
    with translation.override("en"):
        problems = rules.leave_size_problems("Tổ 1", 5, 1, reason)
    assert [p.code for p in problems] == [E.GROUP_BELOW_MINIMUM]
    assert "merge" in problems[0].message.lower() and "dissolve" in problems[0].message.lower()
    assert "4" in problems[0].message and "5" in problems[0].message


@pytest.mark.parametrize("reason", sorted(rules.FACT_REASONS))
def test_leave_below_five_is_recorded_for_a_fact(reason):
    assert rules.leave_size_problems("Tổ 1", 5, 1, reason) == []
    assert rules.leave_size_problems("Tổ 1", 1, 1, reason) == []


@given(
    count=st.integers(min_value=0, max_value=80),
    leaving=st.integers(min_value=0, max_value=80),
    reason=st.sampled_from([*rules.MEMBER_LEAVE_REASONS, "transferred"]),
)
def test_leave_rule_property(count, leaving, reason):
    refused = bool(rules.leave_size_problems("Tổ", count, leaving, reason))
    assert refused == (count - leaving < rules.MEMBERS_MIN and reason not in rules.FACT_REASONS)


@given(
    count=st.integers(min_value=0, max_value=100), joining=st.integers(min_value=0, max_value=100)
)
def test_join_rule_property(count, joining):
    refused = bool(rules.join_size_problems("Tổ", count, joining))
    assert refused == (count + joining > rules.MEMBERS_MAX)


# --- facts -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["2060011", "0000001"])
def test_code_of_seven_digits(code):
    assert rules.code_problems(code) == []


@pytest.mark.parametrize("code", ["206001", "20600111", "206001A", "", " 206001"])
def test_code_not_of_seven_digits(code):
    assert [p.code for p in rules.code_problems(code)] == [E.CODE_FORMAT]


def test_name_required_and_bounded():
    assert rules.name_problems("Tổ 1") == []
    assert [p.code for p in rules.name_problems("")] == [E.NAME_REQUIRED]
    assert [p.code for p in rules.name_problems("x" * 121)] == [E.NAME_TOO_LONG]


def test_founding_dates():
    ok = rules.founding_problems(
        founded_on=TODAY,
        approval_decision="12/QĐ-UBND",
        approval_decision_on=TODAY,
        today=TODAY,
    )
    assert ok == []
    with translation.override("en"):
        problems = rules.founding_problems(
            founded_on=date(2026, 11, 26),
            approval_decision="",
            approval_decision_on=date(2026, 11, 27),
            today=TODAY,
        )
    assert [(p.code, p.field) for p in problems] == [
        (E.FOUNDED_IN_FUTURE, "founded_on"),
        (E.DECISION_REQUIRED, "approval_decision"),
        (E.DECISION_AFTER_FOUNDING, "approval_decision_on"),
    ]
    assert "26/11/2026" in problems[0].message and "25/11/2026" in problems[0].message
    assert "27/11/2026" in problems[2].message
    missing = rules.founding_problems(
        founded_on=TODAY, approval_decision="1/QĐ", approval_decision_on=None, today=TODAY
    )
    assert [(p.code, p.field) for p in missing] == [(E.DECISION_REQUIRED, "approval_decision_on")]


def test_village_rule_names_both_villages():
    villages = {1: "Thôn Nà Lầu", 2: "Thôn Pác Ve"}
    assert (
        rules.village_problems(
            household_label="2060010001 Hoàng Văn An",
            household_village_id=2,
            household_village_name="Thôn Pác Ve",
            group_villages=villages,
            group_label="2060011 Tổ 1",
        )
        == []
    )
    with translation.override("en"):
        problems = rules.village_problems(
            household_label="2060010001 Hoàng Văn An",
            household_village_id=3,
            household_village_name="Thôn Khuổi Cáp",
            group_villages=villages,
            group_label="2060011 Tổ 1",
        )
    assert [p.code for p in problems] == [E.HOUSEHOLD_OUTSIDE_VILLAGES]
    assert "Thôn Khuổi Cáp" in problems[0].message and "Thôn Nà Lầu" in problems[0].message


def test_dates_of_the_groups_life():
    start = date(2024, 3, 1)
    assert rules.date_problems(start, today=TODAY, not_before=start, what="x", field="d") == []
    assert [
        p.code
        for p in rules.date_problems(
            date(2024, 2, 29), today=TODAY, not_before=start, what="x", field="d"
        )
    ] == [E.DATE_BEFORE_JOINING]
    assert [
        p.code
        for p in rules.date_problems(
            date(2026, 11, 26), today=TODAY, not_before=start, what="x", field="d"
        )
    ] == [E.DATE_IN_FUTURE]
