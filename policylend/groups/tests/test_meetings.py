"""Meetings: date, kind, members present (persons of member households), guests, decisions,
minutes; recorded by bank staff or the association officer of the group's association."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import translation

from policylend.core.errors import DomainError, Forbidden
from policylend.groups import selectors, services
from policylend.groups.error_codes import GroupErrorCode as E

from .conftest import make_household

D = date(2025, 6, 1)


def codes(error: DomainError) -> set[tuple[str, str | None]]:
    return {(p.code, p.field) for p in error.problems}


def test_record_a_loan_review_meeting(group_a, officer_a):
    present = list(selectors.member_persons(group_a)[:4])
    meeting = services.meeting_record(
        actor=officer_a,
        group=group_a,
        held_on=D,
        kind="loan_review",
        attendee_ids=[p.pk for p in present],
        guests="Hội Nông dân xã; cán bộ NHCSXH",
        decisions="Đề nghị cho vay 3 hộ",
        minutes="Biên bản họp bình xét …",
    )
    assert (meeting.kind, meeting.held_on, meeting.recorded_by) == ("loan_review", D, officer_a)
    assert set(meeting.attendees.all()) == set(present)
    listed = selectors.meeting_list(officer_a, group_a.pk)
    assert [(m.pk, m.attendance) for m in listed] == [(meeting.pk, 4)]


def test_only_persons_of_member_households_attend(org, group_a, officer_a):
    stranger = make_household(org.villages["20600101"], "Người ngoài").head
    member = selectors.member_persons(group_a).first()
    with pytest.raises(DomainError) as error, translation.override("en"):
        services.meeting_record(
            actor=officer_a,
            group=group_a,
            held_on=D,
            kind="regular",
            attendee_ids=[member.pk, stranger.pk],
        )
    assert codes(error.value) == {(E.MEETING_ATTENDEE, "attendee_ids")}
    assert "1 of the people" in error.value.message


def test_a_member_who_left_attended_meetings_before_leaving(group_a, officer_a):
    membership = group_a.memberships.first()
    person = membership.household.head
    services.membership_leave(
        actor=officer_a, membership=membership, left_on=date(2025, 7, 1), reason="other"
    )
    assert (
        services.meeting_record(
            actor=officer_a, group=group_a, held_on=D, kind="regular", attendee_ids=[person.pk]
        ).attendees.count()
        == 1
    )
    with pytest.raises(DomainError):
        services.meeting_record(
            actor=officer_a,
            group=group_a,
            held_on=date(2025, 8, 1),
            kind="regular",
            attendee_ids=[person.pk],
        )


def test_kind_date_and_texts(group_a, officer_a, today):
    with pytest.raises(DomainError) as error:
        services.meeting_record(
            actor=officer_a,
            group=group_a,
            held_on=date(2026, 11, 26),
            kind="party",
            attendee_ids=[],
            minutes="x" * 20_001,
            today=today,
        )
    assert codes(error.value) == {
        (E.MEETING_KIND, "kind"),
        (E.DATE_IN_FUTURE, "held_on"),
        (E.MEETING_TEXT_TOO_LONG, "minutes"),
    }


def test_who_records_meetings(org, group_a, make_user):
    farmers_officer = make_user("association_officer", org.commune_a1, association_code="11")
    women_officer = make_user("association_officer", org.commune_a1, association_code="12")
    teller = make_user("teller", org.office_a)
    assert (
        services.meeting_record(
            actor=farmers_officer, group=group_a, held_on=D, kind="regular", attendee_ids=[]
        ).recorded_by
        == farmers_officer
    )
    for outsider in (women_officer, teller):
        with pytest.raises(Forbidden):
            services.meeting_record(
                actor=outsider, group=group_a, held_on=D, kind="regular", attendee_ids=[]
            )
