"""The schemas of the groups API: what goes in (with its limits) and what comes out."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from ninja import Field, Schema

from policylend.core.pagination import PAGE_SIZE, PAGE_SIZE_MAX

from .. import rules

StatusName = Literal["active", "merged", "dissolved", "below_minimum"]
HOUSEHOLDS_MAX = 100  # the service refuses more than 60 with its own message
VILLAGES_MAX = 30


class GroupOut(Schema):
    id: int
    code: str
    name: str
    status: str
    branch_id: int
    office_id: int
    commune_id: int
    village_id: int
    village_ids: list[int]
    association_unit_id: int
    association_code: str
    founded_on: date
    approval_decision: str
    approval_decision_on: date
    closed_on: date | None
    closed_reason: str
    merged_into_id: int | None
    split_from_id: int | None
    member_count: int
    below_minimum: bool = Field(..., description="Active with fewer than 5 members")

    @staticmethod
    def resolve_village_ids(obj):
        return sorted(village.pk for village in obj.villages.all())

    @staticmethod
    def resolve_association_code(obj):
        return obj.association_unit.association.code

    @staticmethod
    def resolve_below_minimum(obj):
        return obj.status == "active" and obj.member_count < rules.MEMBERS_MIN


class GroupPage(Schema):
    items: list[GroupOut]
    count: int
    page: int
    size: int


class GroupFilters(Schema):
    page: int = Field(1, ge=1, le=1_000_000)
    size: int = Field(PAGE_SIZE, ge=1, le=PAGE_SIZE_MAX)
    q: str = Field(
        "",
        max_length=60,
        description="Part of the name (accents optional), or the start of the code",
    )
    office_id: int | None = None
    commune_id: int | None = None
    association_id: int | None = None
    status: StatusName | None = None


class GroupCreateIn(Schema):
    code: str = Field(..., min_length=1, max_length=7)
    name: str = Field(..., min_length=1, max_length=rules.NAME_LENGTH_MAX)
    village_id: int
    adjacent_village_ids: list[int] = Field([], max_length=VILLAGES_MAX)
    association_unit_id: int
    founded_on: date
    approval_decision: str = Field(..., max_length=rules.DECISION_LENGTH_MAX)
    approval_decision_on: date
    household_ids: list[int] = Field(..., max_length=HOUSEHOLDS_MAX)


class GroupPatchIn(Schema):
    name: str | None = Field(None, min_length=1, max_length=rules.NAME_LENGTH_MAX)
    adjacent_village_ids: list[int] | None = Field(None, max_length=VILLAGES_MAX)


class MembershipOut(Schema):
    id: int
    group_id: int
    household_id: int
    household_code: str
    head_name: str
    village_id: int
    joined_on: date
    left_on: date | None
    leave_reason: str
    leave_note: str
    moved_to_id: int | None

    @staticmethod
    def resolve_household_code(obj):
        return obj.household.code

    @staticmethod
    def resolve_head_name(obj):
        return obj.household.head.full_name if obj.household.head_id else ""

    @staticmethod
    def resolve_village_id(obj):
        return obj.household.village_id


class JoinIn(Schema):
    household_id: int
    joined_on: date


class LeaveIn(Schema):
    left_on: date
    reason: Literal["moved_away", "no_longer_borrowing", "deceased", "excluded", "other"]
    note: str = Field("", max_length=rules.NOTE_LENGTH_MAX)


class MoveIn(Schema):
    to_group_id: int
    moved_on: date


class BoardTermOut(Schema):
    id: int
    group_id: int
    person_id: int
    person_name: str
    household_id: int
    role: str
    started_on: date
    ended_on: date | None

    @staticmethod
    def resolve_person_name(obj):
        return obj.person.full_name

    @staticmethod
    def resolve_household_id(obj):
        return obj.person.household_id


class ElectIn(Schema):
    person_id: int
    role: Literal["leader", "deputy"]
    started_on: date


class TermEndIn(Schema):
    ended_on: date


class MeetingOut(Schema):
    id: int
    group_id: int
    held_on: date
    kind: str
    attendee_ids: list[int]
    attendance: int
    guests: str
    decisions: str
    minutes: str
    recorded_by_id: int
    recorded_at: datetime

    @staticmethod
    def resolve_attendee_ids(obj):
        return sorted(person.pk for person in obj.attendees.all())

    @staticmethod
    def resolve_attendance(obj):
        return len(obj.attendees.all())


class MeetingIn(Schema):
    held_on: date
    kind: Literal["regular", "loan_review"]
    attendee_ids: list[int] = Field([], max_length=rules.ATTENDEES_MAX)
    guests: str = Field("", max_length=rules.GUESTS_LENGTH_MAX)
    decisions: str = Field("", max_length=rules.DECISIONS_LENGTH_MAX)
    minutes: str = Field("", max_length=rules.MINUTES_LENGTH_MAX)


class DissolveIn(Schema):
    dissolved_on: date
    reason: str = Field(..., max_length=rules.REASON_LENGTH_MAX)


class MergeIn(Schema):
    target_id: int
    merged_on: date


class SplitIn(Schema):
    new_code: str = Field(..., min_length=1, max_length=7)
    new_name: str = Field(..., min_length=1, max_length=rules.NAME_LENGTH_MAX)
    household_ids: list[int] = Field(..., max_length=HOUSEHOLDS_MAX)
    split_on: date
    new_village_id: int | None = None
    approval_decision: str = Field("", max_length=rules.DECISION_LENGTH_MAX)
    approval_decision_on: date | None = None
