from datetime import date

from policylend.ledger.error_codes import LedgerErrorCode as E
from policylend.ledger.rules import LineSpec, Side, content_hash, credit, debit, entry_problems


def codes(lines):
    return [p.code for p in entry_problems(lines)]


def test_a_balanced_two_line_entry_has_no_problem():
    assert codes([debit("1011", 1000), credit("1012", 1000)]) == []


def test_an_entry_needs_two_lines():
    assert codes([]) == [E.NO_LINES]
    assert E.ONE_LINE in codes([debit("1011", 1000)])


def test_unbalanced_names_both_sides_and_the_difference():
    problems = entry_problems([debit("1011", 1000), credit("1012", 999)], language="vi")
    assert [p.code for p in problems] == [E.UNBALANCED]
    assert (
        "1.000" in problems[0].message
        and "999" in problems[0].message
        and "1\u00a0₫" in problems[0].message
    )


def test_amounts_must_be_positive_whole_dong_and_each_problem_names_its_line():
    problems = entry_problems([debit("1011", 0), credit("1012", -5), debit("1011", 1.5)])
    assert [p.code for p in problems] == [
        E.AMOUNT_NOT_POSITIVE,
        E.AMOUNT_NOT_POSITIVE,
        E.AMOUNT_NOT_WHOLE,
    ]
    assert [p.field for p in problems] == ["lines[1].amount", "lines[2].amount", "lines[3].amount"]


def test_bool_is_not_an_amount():
    assert codes([debit("1011", True), credit("1012", True)]) == [
        E.AMOUNT_NOT_WHOLE,
        E.AMOUNT_NOT_WHOLE,
    ]


def test_mirror_swaps_sides_and_keeps_sub_ledgers():
    line = debit("2111.01", 5000, loan_ref=7, office_id=3)
    mirrored = line.mirrored()
    assert mirrored.side == Side.CREDIT and mirrored.amount == 5000
    assert mirrored.loan_ref == 7 and mirrored.office_id == 3
    assert mirrored.signed_amount == -line.signed_amount


def test_line_round_trips_through_a_dict():
    line = credit("4231", 70_000, savings_account_ref=12, group_ref=4)
    assert LineSpec.from_dict(line.as_dict()) == line


def test_content_hash_tells_a_retry_from_a_different_request():
    base = dict(branch_id=1, value_date=date(2025, 1, 5), kind="manual", memo="m", reverses_id=None)
    lines = [debit("1011", 1000), credit("1012", 1000)]
    assert content_hash(**base, lines=lines) == content_hash(**base, lines=list(lines))
    assert content_hash(**base, lines=lines) != content_hash(
        **base, lines=[debit("1011", 1001), credit("1012", 1001)]
    )
    assert content_hash(**base, lines=lines) != content_hash(
        **{**base, "memo": "other"}, lines=lines
    )
