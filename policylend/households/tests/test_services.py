"""The household services on the database: each rule that needs the database, success and failure
side by side; nothing is written when a rule fails."""

from __future__ import annotations

from datetime import date

import pytest
from auditlog.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.translation import override

from policylend.core.errors import DomainError, Forbidden, NotFound
from policylend.households import services
from policylend.households.error_codes import HouseholdErrorCode as E
from policylend.households.models import (
    Classification,
    Household,
    Kinship,
    NationalIdView,
    Person,
)
from policylend.households.rules import HouseholdInput, PersonInput
from policylend.organisation.services import commune_merge, unit_move

from .conftest import ID_HEAD_A, ID_HEAD_B, ID_SPOUSE_A, head, member

TODAY = date(2026, 11, 25)


def spelled(number: int) -> str:
    """A number written in letters, for names (a name may not contain digits)."""
    return "".join(chr(ord("a") + int(digit)) for digit in str(number))


def problems_of(error: DomainError) -> list[tuple[str, str]]:
    return [(p.code, p.field) for p in error.problems]


# --- registering a household ---------------------------------------------------------------------


def test_a_household_gets_its_places_from_its_village_and_the_communes_next_code(org, household_a):
    village = org.villages["20600101"]
    assert household_a.code == "2060010001"
    assert (household_a.branch, household_a.office, household_a.commune) == (
        org.branch,
        org.office_a,
        org.commune_a1,
    )
    assert household_a.village == village
    assert household_a.head.full_name == "Nguyễn Văn Đức"
    assert household_a.head.relationship == "head"
    assert household_a.search_text == "nguyen van duc"
    assert household_a.ethnicity == "02"  # "Tày", stored by its code
    members = list(household_a.members.order_by("pk"))
    assert [(p.full_name, p.search_name, p.national_id_last4) for p in members] == [
        ("Nguyễn Văn Đức", "nguyen van duc", "1234"),
        ("Hoàng Thị Lan", "hoang thi lan", "5678"),
    ]


def test_the_next_code_follows_the_highest_code_of_the_commune(org, officer_a, household_a):
    second = services.household_create(
        actor=officer_a, village=org.villages["20600102"], head=head("Lý Văn Hai")
    )
    other_commune = services.household_create(
        actor=officer_a, village=org.villages["20600201"], head=head("Lý Văn Ba")
    )
    assert (second.code, other_commune.code) == ("2060010002", "2060020001")


def test_a_given_code_is_kept_when_it_is_free_and_refused_when_taken(org, officer_a, household_a):
    given = services.household_create(
        actor=officer_a,
        village=org.villages["20600101"],
        head=head("Lý Văn Hai"),
        code="2060010500",
    )
    assert given.code == "2060010500"
    # the generated sequence continues after the highest code, given or not
    after = services.household_create(
        actor=officer_a, village=org.villages["20600101"], head=head("Lý Văn Ba")
    )
    assert after.code == "2060010501"
    with pytest.raises(DomainError) as caught, override("en"):
        services.household_create(
            actor=officer_a,
            village=org.villages["20600101"],
            head=head("Lý Văn Tư"),
            code="2060010500",
        )
    assert problems_of(caught.value) == [(E.CODE_TAKEN, "code")]
    assert caught.value.message == "The customer code 2060010500 is already used."


def test_a_code_that_is_not_10_digits_is_refused(org, officer_a):
    with pytest.raises(DomainError) as caught:
        services.household_create(
            actor=officer_a, village=org.villages["20600101"], head=head(), code="20600101"
        )
    assert problems_of(caught.value) == [(E.CODE_FORMAT, "code")]
    assert not Household.objects.exists()


def test_a_commune_whose_sequence_is_full_fills_its_gaps(org, officer_a):
    services.household_create(
        actor=officer_a, village=org.villages["20600101"], head=head("A"), code="2060019999"
    )
    gap = services.household_create(
        actor=officer_a, village=org.villages["20600101"], head=head("B")
    )
    assert gap.code == "2060010001"


def test_a_household_lives_in_an_active_village(org, officer_a):
    with pytest.raises(DomainError) as caught:
        services.household_create(actor=officer_a, village=org.commune_a1, head=head())
    assert problems_of(caught.value) == [(E.VILLAGE_NOT_A_VILLAGE, "village")]


def test_every_problem_of_the_form_is_reported_at_once_and_nothing_is_written(org, officer_a):
    with pytest.raises(DomainError) as caught:
        services.household_create(
            actor=officer_a,
            village=org.villages["20600101"],
            head=head(national_id="12345"),
            members=[member("", birth_date=date(2027, 1, 1))],
            phone="12345",
        )
    assert set(problems_of(caught.value)) == {
        (E.NATIONAL_ID_FORMAT, "head.national_id"),
        (E.NAME_REQUIRED, "members[0].full_name"),
        (E.BIRTH_DATE_FUTURE, "members[0].birth_date"),
        (E.PHONE_FORMAT, "phone"),
    }
    assert not Household.objects.exists() and not Person.objects.exists()


# --- national IDs: unique across the installation, without leaking ------------------------------


def test_an_id_registered_in_the_officers_scope_names_the_holder(org, officer_a, household_a):
    with pytest.raises(DomainError) as caught, override("en"):
        services.household_create(
            actor=officer_a,
            village=org.villages["20600102"],
            head=head("Lý Văn Hai"),
            members=[member("Lý Thị Ba", national_id=ID_SPOUSE_A)],
        )
    assert problems_of(caught.value) == [(E.NATIONAL_ID_TAKEN, "members[0].national_id")]
    assert caught.value.message == (
        "This national ID is already registered for Hoàng Thị Lan of household 2060010001."
    )


def test_an_id_registered_outside_the_scope_is_refused_without_saying_whose(
    org, officer_a, household_b
):
    with pytest.raises(DomainError) as caught, override("en"):
        services.household_create(
            actor=officer_a, village=org.villages["20600101"], head=head(national_id=ID_HEAD_B)
        )
    assert problems_of(caught.value) == [(E.NATIONAL_ID_TAKEN, "head.national_id")]
    message = caught.value.message
    assert "already registered" in message
    assert household_b.code not in message and "Lộc" not in message and "Bình" not in message
    assert Household.objects.count() == 1


def test_the_same_id_typed_with_spaces_is_the_same_id(org, officer_a, household_a):
    with pytest.raises(DomainError) as caught:
        services.household_create(
            actor=officer_a,
            village=org.villages["20600101"],
            head=head("Lý Văn Hai", national_id="020 085 001 234"),
        )
    assert problems_of(caught.value) == [(E.NATIONAL_ID_TAKEN, "head.national_id")]


def test_household_create_takes_a_fixed_number_of_queries(org, officer_a):
    def queries(members: int) -> int:
        with CaptureQueriesContext(connection) as captured:
            services.household_create(
                actor=officer_a,
                village=org.villages["20600101"],
                head=head(f"Chủ hộ {'a' * members}"),
                members=[member(f"Thành viên {'b' * i}", "child") for i in range(members)],
            )
        return len(captured)

    queries(2)  # the first call also loads the content types of the audit log, once
    assert queries(1) == queries(8)


# --- bulk ----------------------------------------------------------------------------------------


def rows_for(org, n: int, **changes) -> list[HouseholdInput]:
    village = org.villages["20600201"]
    return [
        HouseholdInput(
            village=village,
            head=head(f"Hà Văn {chr(65 + i % 26)}", national_id=f"020{i:09d}"),
            members=(member(f"Vi Thị {chr(65 + i % 26)}", "spouse"),),
            phone=f"09{i:08d}",
            ethnicity="Nùng",
            **changes,
        )
        for i in range(n)
    ]


def test_bulk_registration_writes_every_row_with_the_same_rules(org, officer_a):
    households = services.households_create_bulk(actor=officer_a, rows=rows_for(org, 30))
    assert len(households) == 30
    assert [h.code for h in households][:3] == ["2060020001", "2060020002", "2060020003"]
    assert Person.objects.count() == 60
    first = Household.objects.select_related("head").get(code="2060020001")
    assert first.head.full_name == "Hà Văn A" and first.head.search_name == "ha van a"
    assert first.head.national_id_last4 == "0000" and first.ethnicity == "07"
    assert first.search_text == "ha van a"
    assert (first.commune, first.office, first.branch) == (org.commune_a2, org.office_a, org.branch)
    # one audit record per household, with the unit path for the scoped audit page
    entries = LogEntry.objects.filter(content_type__model="household")
    assert entries.count() == 30
    assert entries.first().additional_data == {"unit_path": org.villages["20600201"].path}


def test_bulk_registration_reports_the_problems_of_each_row_and_writes_nothing(
    org, officer_a, household_a
):
    rows = rows_for(org, 5)
    rows[1] = HouseholdInput(village=rows[1].village, head=head("", national_id="1"))
    rows[3] = HouseholdInput(
        village=rows[3].village, head=head("Lò Văn Tám", national_id=ID_HEAD_A)
    )
    rows[4] = HouseholdInput(
        village=rows[4].village, head=head("Lò Văn Chín", national_id="020000000000")
    )  # the same ID as row 0
    with pytest.raises(DomainError) as caught:
        services.households_create_bulk(actor=officer_a, rows=rows)
    assert set(caught.value.rows) == {1, 3, 4}
    assert {(p.code, p.field) for p in caught.value.rows[1]} == {
        (E.NAME_REQUIRED, "rows[1].head.full_name"),
        (E.NATIONAL_ID_FORMAT, "rows[1].head.national_id"),
    }
    assert [(p.code, p.field) for p in caught.value.rows[3]] == [
        (E.NATIONAL_ID_TAKEN, "rows[3].head.national_id")
    ]
    assert [(p.code, p.field) for p in caught.value.rows[4]] == [
        (E.NATIONAL_ID_REPEATED, "rows[4].head.national_id")
    ]
    assert Household.objects.count() == 1


def test_bulk_registration_takes_a_fixed_number_of_queries(org, officer_a):
    def queries(n: int, offset: int) -> int:
        rows = [
            HouseholdInput(
                village=org.villages["20600101"],
                head=head(f"Hộ {spelled(i)}", national_id=f"021{offset + i:09d}"),
                members=(member(f"Vợ {spelled(i)}"),),
            )
            for i in range(n)
        ]
        with CaptureQueriesContext(connection) as captured:
            services.households_create_bulk(actor=officer_a, rows=rows)
        return len(captured)

    # Statements grow with the batches the database accepts (SQLite binds at most 999 values in
    # one statement), never with the rows: 400 households with 800 members in a few dozen.
    small, large = queries(5, 0), queries(400, 1000)
    assert small <= 12 and large <= small + 400 // 16


def test_bulk_registration_respects_the_scope(org, officer_a):
    rows = [HouseholdInput(village=org.villages["20700101"], head=head("Ngoài phạm vi"))]
    with pytest.raises(Forbidden):
        services.households_create_bulk(actor=officer_a, rows=rows)


# --- changing a household ------------------------------------------------------------------------


def test_a_household_is_updated_and_moves_to_another_village(org, officer_a, household_a):
    updated = services.household_update(
        actor=officer_a,
        household=household_a,
        village=org.villages["20600201"],
        address="Thôn 1, Hưng Vũ",
        phone="+84 356 789 012",
        ethnicity="Nùng",
        status="active",
    )
    assert (updated.village, updated.commune, updated.phone, updated.ethnicity) == (
        org.villages["20600201"],
        org.commune_a2,
        "0356789012",
        "07",
    )
    assert updated.code == "2060010001"  # the customer code stays


def test_a_household_update_checks_the_phone(org, officer_a, household_a):
    with pytest.raises(DomainError) as caught:
        services.household_update(
            actor=officer_a,
            household=household_a,
            address="",
            phone="0212345678",
            ethnicity="",
            status="active",
        )
    assert problems_of(caught.value) == [(E.PHONE_FORMAT, "phone")]


def test_households_follow_their_village_when_the_tree_changes(
    org, make_user, household_a, officer_a
):
    admin = make_user("system_admin", org.branch)
    unit_move(
        unit=org.villages["20600101"],
        new_parent=org.commune_b1,
        effective_on=date(2026, 6, 1),
        actor=admin,
    )
    household_a.refresh_from_db()
    assert (household_a.commune, household_a.office) == (org.commune_b1, org.office_b)
    other = services.household_create(
        actor=None, village=org.villages["20600201"], head=head("Lê Văn Năm")
    )
    commune_merge(
        source=org.commune_a2, target=org.commune_a1, effective_on=date(2026, 7, 1), actor=admin
    )
    other.refresh_from_db()
    assert other.commune == org.commune_a1 and other.office == org.office_a


# --- members -------------------------------------------------------------------------------------


def test_a_member_is_added_and_a_second_head_refused(org, officer_a, household_a):
    child = services.person_add(
        actor=officer_a,
        household=household_a,
        person=member("Nguyễn Văn Đông", "child", sex="male", birth_date=date(2010, 1, 5)),
    )
    assert child.search_name == "nguyen van dong" and child.household == household_a
    with pytest.raises(DomainError) as caught:
        services.person_add(
            actor=officer_a, household=household_a, person=member("Ai Đó", relationship="head")
        )
    assert problems_of(caught.value) == [(E.SECOND_HEAD, "relationship")]


def test_a_member_with_a_registered_id_is_refused(org, officer_a, household_a, household_b):
    with pytest.raises(DomainError) as caught, override("en"):
        services.person_add(
            actor=officer_a,
            household=household_a,
            person=member("Ai Đó", "child", national_id=ID_HEAD_B),
        )
    assert problems_of(caught.value) == [(E.NATIONAL_ID_TAKEN, "national_id")]
    assert "Lộc" not in caught.value.message


def test_no_member_joins_a_household_that_moved_away(org, officer_a, household_a):
    services.household_update(
        actor=officer_a,
        household=household_a,
        address="",
        phone="",
        ethnicity="",
        status="moved_away",
    )
    household_a.refresh_from_db()
    with pytest.raises(DomainError) as caught:
        services.person_add(actor=officer_a, household=household_a, person=member("Ai Đó"))
    assert caught.value.code == E.HOUSEHOLD_INACTIVE


def test_renaming_the_head_keeps_the_households_search_text(org, officer_a, household_a):
    head_person = household_a.head
    services.person_update(
        actor=officer_a,
        person=head_person,
        data=PersonInput("Nguyễn Văn Đạt", "male", "head", date(1985, 4, 2), None),
    )
    household_a.refresh_from_db()
    head_person.refresh_from_db()
    assert household_a.search_text == "nguyen van dat"
    assert head_person.national_id == ID_HEAD_A  # None keeps the registered ID


def test_a_member_update_replaces_the_id_and_keeps_it_unique(org, officer_a, household_a):
    wife = household_a.members.get(relationship="spouse")
    services.person_update(
        actor=officer_a,
        person=wife,
        data=PersonInput("Hoàng Thị Lan", "female", "spouse", None, "020187000001"),
    )
    wife.refresh_from_db()
    assert (wife.national_id, wife.national_id_last4) == ("020187000001", "0001")
    with pytest.raises(DomainError) as caught:
        services.person_update(
            actor=officer_a,
            person=wife,
            data=PersonInput("Hoàng Thị Lan", "female", "spouse", None, ID_HEAD_A),
        )
    assert problems_of(caught.value) == [(E.NATIONAL_ID_TAKEN, "national_id")]
    with pytest.raises(DomainError) as caught:
        services.person_update(
            actor=officer_a,
            person=household_a.head,
            data=PersonInput("Nguyễn Văn Đức", "male", "spouse", None, None),
        )
    assert problems_of(caught.value) == [(E.HEAD_RELATIONSHIP, "relationship")]


def test_the_audit_log_records_a_changed_id_masked(org, officer_a, household_a):
    wife = household_a.members.get(relationship="spouse")
    services.person_update(
        actor=officer_a,
        person=wife,
        data=PersonInput("Hoàng Thị Lan", "female", "spouse", None, "020187000001"),
    )
    entry = LogEntry.objects.filter(content_type__model="person", object_id=wife.pk).latest("pk")
    assert entry.changes_dict["national_id"] == ["•••••••• 5678", "•••••••• 0001"]


def test_only_the_register_keepers_of_the_scope_write(org, make_user, household_a, household_b):
    teller = make_user("teller", org.office_a)
    with pytest.raises(Forbidden):
        services.person_add(actor=teller, household=household_a, person=member("Ai Đó"))
    officer = make_user("credit_officer", org.office_a)
    with pytest.raises(Forbidden):
        services.person_add(actor=officer, household=household_b, person=member("Ai Đó"))
    assert Person.objects.count() == 3


# --- revealing an ID -----------------------------------------------------------------------------


def test_revealing_an_id_returns_it_and_logs_who_saw_it(org, officer_a, household_a):
    wife = household_a.members.get(relationship="spouse")
    assert services.national_id_reveal(viewer=officer_a, person=wife, where="test") == ID_SPOUSE_A
    view = NationalIdView.objects.get()
    assert (view.viewer, view.person, view.where) == (officer_a, wife, "test")


def test_a_role_without_the_right_or_outside_the_scope_cannot_reveal(
    org, association_officer_a, officer_b, household_a
):
    with pytest.raises(Forbidden):
        services.national_id_reveal(
            viewer=association_officer_a, person=household_a.head, where="test"
        )
    with pytest.raises(NotFound):
        services.national_id_reveal(viewer=officer_b, person=household_a.head, where="test")
    assert not NationalIdView.objects.exists()


# --- classifications -----------------------------------------------------------------------------


def classify(actor, household, **changes):
    values = {
        "year": 2026,
        "kind": "poor",
        "certified_by": "QĐ 12/QĐ-UBND ngày 15/01/2026",
        "certified_on": date(2026, 1, 15),
        "today": TODAY,
    }
    return services.classification_add(actor=actor, household=household, **(values | changes))


def test_a_classification_is_recorded_with_who_certified_it(org, officer_a, household_a):
    recorded = classify(officer_a, household_a)
    assert (recorded.year, recorded.kind, recorded.recorded_by) == (2026, "poor", officer_a)
    assert classify(officer_a, household_a, kind="ethnic_minority").kind == "ethnic_minority"


def test_a_second_place_on_the_poverty_ladder_in_a_year_is_refused(org, officer_a, household_a):
    classify(officer_a, household_a)
    with pytest.raises(DomainError) as caught, override("en"):
        classify(officer_a, household_a, kind="near_poor")
    assert problems_of(caught.value) == [(E.CLASSIFICATION_CONFLICT, "kind")]
    assert caught.value.message == (
        "For 2026 the household is already certified as “Poor household”."
    )
    with pytest.raises(DomainError) as caught:
        classify(officer_a, household_a)
    assert problems_of(caught.value) == [(E.CLASSIFICATION_DUPLICATE, "kind")]
    # another year is another list
    assert classify(
        officer_a, household_a, year=2025, kind="near_poor", certified_on=date(2025, 2, 1)
    )


def test_a_classification_certified_in_the_future_is_refused(org, officer_a, household_a):
    with pytest.raises(DomainError) as caught:
        classify(officer_a, household_a, certified_on=date(2026, 12, 1))
    assert problems_of(caught.value) == [(E.CLASSIFICATION_CERTIFIED_FUTURE, "certified_on")]
    assert not Classification.objects.exists()


def test_just_escaped_poverty_needs_its_exit_year(org, officer_a, household_a):
    with pytest.raises(DomainError) as caught:
        classify(officer_a, household_a, kind="escaped_poverty")
    assert problems_of(caught.value) == [(E.CLASSIFICATION_EXIT_YEAR_REQUIRED, "exit_year")]
    assert (
        classify(officer_a, household_a, kind="escaped_poverty", exit_year=2024).exit_year == 2024
    )


# --- family ties ---------------------------------------------------------------------------------


def test_a_tie_across_households_is_recorded_once(org, officer_a, household_a):
    other = services.household_create(
        actor=officer_a, village=org.villages["20600101"], head=head("Nguyễn Văn Hùng")
    )
    tie = services.kinship_record(
        actor=officer_a, person=household_a.head, relative=other.head, tie="sibling"
    )
    again = services.kinship_record(
        actor=officer_a, person=other.head, relative=household_a.head, tie="sibling"
    )
    assert tie == again and Kinship.objects.count() == 1
    with pytest.raises(DomainError):
        services.kinship_record(
            actor=officer_a,
            person=household_a.head,
            relative=household_a.members.get(relationship="spouse"),
            tie="spouse",
        )
