"""Savings-and-loan groups in the JSON API (/api/v1/groups/): list, detail, founding, name and
villages, membership (join, leave, move), the board (elect, end a term), meetings, dissolution,
merger and split. The same selectors and services as the pages: a group outside the caller's scope
is 404, a change the role may not make 403, a broken rule 422 naming the field. An id in the body
that does not exist or lies outside the scope is a fault of that field (422)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from policylend.api.common import api_fields, page_of
from policylend.associations.selectors import association_unit_get
from policylend.core.errors import DomainError, NotFound
from policylend.core.pagination import PAGE_SIZE_MAX
from policylend.organisation.selectors import unit_get

from .. import selectors, services
from ..error_codes import GroupErrorCode as E
from ..models import BoardTerm, GroupMeeting, GroupMembership, SavingsGroup
from .schemas import (
    BoardTermOut,
    DissolveIn,
    ElectIn,
    GroupCreateIn,
    GroupFilters,
    GroupOut,
    GroupPage,
    GroupPatchIn,
    JoinIn,
    LeaveIn,
    MeetingIn,
    MeetingOut,
    MembershipOut,
    MergeIn,
    MoveIn,
    SplitIn,
    TermEndIn,
)

router = Router(tags=["groups"])


# --- helpers ---------------------------------------------------------------------------------------


def _group_out(request, group: SavingsGroup) -> SavingsGroup:
    """The group as the list shows it: with its member count."""
    return selectors.group_get(request.user, group.pk)


def _group_ref(request, group_id: int, field: str) -> SavingsGroup:
    try:
        return selectors.group_get(request.user, group_id)
    except NotFound:
        raise DomainError(E.GROUP_UNKNOWN, _("No such group in your scope."), field) from None


def _unit_ref(request, unit_id: int, field: str):
    try:
        return unit_get(request.user, unit_id)
    except NotFound:
        raise DomainError(E.UNIT_UNKNOWN, _("No such unit in your scope."), field) from None


def _households_ref(request, ids: list[int], field: str):
    households = selectors.households_in_scope(request.user, ids)
    if len({h.pk for h in households}) != len(set(ids)):
        missing = sorted(set(ids) - {h.pk for h in households})
        raise DomainError(
            E.HOUSEHOLD_UNKNOWN,
            _("No such household in your scope: %(ids)s.") % {"ids": ", ".join(map(str, missing))},
            field,
        )
    return households


def _person_ref(request, person_id: int, field: str):
    person = selectors.person_in_scope(request.user, person_id)
    if person is None:
        raise DomainError(E.PERSON_UNKNOWN, _("No such person in your scope."), field)
    return person


GROUP_FIELDS = {
    "village": "village_id",
    "adjacent_villages": "adjacent_village_ids",
    "association_unit": "association_unit_id",
    "households": "household_ids",
    "household": "household_id",
    "to_group": "to_group_id",
    "target": "target_id",
    "person": "person_id",
    "new_village": "new_village_id",
    "group": None,
    "source": None,
    "membership": None,
    "term": None,
}


def _with_villages(groups):
    return groups.prefetch_related("villages")


# --- groups ----------------------------------------------------------------------------------------


@router.get("", response=GroupPage, summary="Groups in your scope")
def group_list(request, filters: Query[GroupFilters]):
    groups = selectors.group_list(
        request.user,
        search=filters.q,
        office_id=filters.office_id,
        commune_id=filters.commune_id,
        association_id=filters.association_id,
        status=filters.status,
    ).order_by("code")
    return page_of(_with_villages(groups), filters.page, filters.size)


@router.get("/{group_id}", response=GroupOut, summary="One group")
def group_get(request, group_id: int):
    return selectors.group_get(request.user, group_id)


@router.post("", response={201: GroupOut}, summary="Found a group with 5 to 60 households")
def group_create(request, payload: GroupCreateIn):
    village = _unit_ref(request, payload.village_id, "village_id")
    adjacent = [
        _unit_ref(request, pk, "adjacent_village_ids") for pk in payload.adjacent_village_ids
    ]
    try:
        association_unit = association_unit_get(request.user, payload.association_unit_id)
    except NotFound:
        raise DomainError(
            E.UNIT_UNKNOWN, _("No such association unit in your scope."), "association_unit_id"
        ) from None
    households = _households_ref(request, payload.household_ids, "household_ids")
    with api_fields(GROUP_FIELDS):
        group = services.group_create(
            actor=request.user,
            code=payload.code,
            name=payload.name,
            village=village,
            association_unit=association_unit,
            founded_on=payload.founded_on,
            approval_decision=payload.approval_decision,
            approval_decision_on=payload.approval_decision_on,
            households=households,
            adjacent_villages=adjacent,
        )
    return Status(201, _group_out(request, group))


@router.patch(
    "/{group_id}", response=GroupOut, summary="Rename a group or change its adjacent villages"
)
def group_update(request, group_id: int, payload: GroupPatchIn):
    group = selectors.group_get(request.user, group_id)
    if payload.adjacent_village_ids is None:
        adjacent = list(group.villages.exclude(pk=group.village_id))
    else:
        adjacent = [
            _unit_ref(request, pk, "adjacent_village_ids") for pk in payload.adjacent_village_ids
        ]
    with api_fields(GROUP_FIELDS):
        services.group_update(
            actor=request.user,
            group=group,
            name=group.name if payload.name is None else payload.name,
            adjacent_villages=adjacent,
        )
    return _group_out(request, group)


# --- membership ------------------------------------------------------------------------------------


@router.get(
    "/{group_id}/memberships",
    response=list[MembershipOut],
    summary="Every membership of the group, open and closed (the history)",
)
def group_memberships(request, group_id: int, open_only: bool = False):
    group = selectors.group_get(request.user, group_id)
    memberships = selectors.memberships_of(group)
    return memberships.filter(left_on__isnull=True) if open_only else memberships


@router.post("/{group_id}/memberships", response={201: MembershipOut}, summary="A household joins")
def membership_join(request, group_id: int, payload: JoinIn):
    group = selectors.group_get(request.user, group_id)
    (household,) = _households_ref(request, [payload.household_id], "household_id")
    with api_fields(GROUP_FIELDS):
        membership = services.membership_join(
            actor=request.user, group=group, household=household, joined_on=payload.joined_on
        )
    return Status(201, membership)


@router.post(
    "/memberships/{membership_id}/leave", response=MembershipOut, summary="A household leaves"
)
def membership_leave(request, membership_id: int, payload: LeaveIn):
    membership: GroupMembership = selectors.membership_get(request.user, membership_id)
    with api_fields(GROUP_FIELDS):
        return services.membership_leave(
            actor=request.user,
            membership=membership,
            left_on=payload.left_on,
            reason=payload.reason,
            note=payload.note,
        )


@router.post(
    "/memberships/{membership_id}/move",
    response={201: MembershipOut},
    summary="A household moves to another group; returns the new membership",
)
def membership_move(request, membership_id: int, payload: MoveIn):
    membership = selectors.membership_get(request.user, membership_id)
    to_group = _group_ref(request, payload.to_group_id, "to_group_id")
    with api_fields(GROUP_FIELDS):
        moved = services.membership_move(
            actor=request.user, membership=membership, to_group=to_group, moved_on=payload.moved_on
        )
    return Status(201, moved)


# --- board -----------------------------------------------------------------------------------------


@router.get(
    "/{group_id}/board", response=list[BoardTermOut], summary="The board's terms, sitting and past"
)
def group_board(request, group_id: int):
    return selectors.board_terms_of(selectors.group_get(request.user, group_id))


@router.post("/{group_id}/board", response={201: BoardTermOut}, summary="Elect a leader or deputy")
def board_elect(request, group_id: int, payload: ElectIn):
    group = selectors.group_get(request.user, group_id)
    person = _person_ref(request, payload.person_id, "person_id")
    with api_fields(GROUP_FIELDS):
        term = services.board_elect(
            actor=request.user,
            group=group,
            person=person,
            role=payload.role,
            started_on=payload.started_on,
        )
    return Status(201, term)


@router.post("/board-terms/{term_id}/end", response=BoardTermOut, summary="End a board term")
def board_term_end(request, term_id: int, payload: TermEndIn):
    term: BoardTerm = selectors.board_term_get(request.user, term_id)
    with api_fields(GROUP_FIELDS):
        return services.board_term_end(actor=request.user, term=term, ended_on=payload.ended_on)


# --- meetings --------------------------------------------------------------------------------------


@router.get("/{group_id}/meetings", response=list[MeetingOut], summary="The group's meetings")
def meeting_list(request, group_id: int, limit: int = Query(50, ge=1, le=PAGE_SIZE_MAX)):
    return selectors.meeting_list(request.user, group_id).prefetch_related("attendees")[:limit]


@router.post("/{group_id}/meetings", response={201: MeetingOut}, summary="Record a meeting")
def meeting_record(request, group_id: int, payload: MeetingIn):
    group = selectors.group_get(request.user, group_id)
    with api_fields(GROUP_FIELDS):
        meeting: GroupMeeting = services.meeting_record(
            actor=request.user,
            group=group,
            held_on=payload.held_on,
            kind=payload.kind,
            attendee_ids=payload.attendee_ids,
            guests=payload.guests,
            decisions=payload.decisions,
            minutes=payload.minutes,
        )
    return Status(201, meeting)


@router.get("/meetings/{meeting_id}", response=MeetingOut, summary="One meeting")
def meeting_get(request, meeting_id: int):
    return selectors.meeting_get(request.user, meeting_id)


# --- dissolve, merge, split ------------------------------------------------------------------------


@router.post("/{group_id}/dissolve", response=GroupOut, summary="Dissolve a group")
def group_dissolve(request, group_id: int, payload: DissolveIn):
    group = selectors.group_get(request.user, group_id)
    with api_fields(GROUP_FIELDS):
        services.group_dissolve(
            actor=request.user,
            group=group,
            dissolved_on=payload.dissolved_on,
            reason=payload.reason,
        )
    return _group_out(request, group)


@router.post(
    "/{group_id}/merge", response=GroupOut, summary="Merge a group into another; returns the target"
)
def group_merge(request, group_id: int, payload: MergeIn):
    source = selectors.group_get(request.user, group_id)
    target = _group_ref(request, payload.target_id, "target_id")
    with api_fields(GROUP_FIELDS):
        services.group_merge(
            actor=request.user, source=source, target=target, merged_on=payload.merged_on
        )
    return _group_out(request, target)


@router.post(
    "/{group_id}/split", response={201: GroupOut}, summary="Split households off into a new group"
)
def group_split(request, group_id: int, payload: SplitIn):
    source = selectors.group_get(request.user, group_id)
    new_village = (
        _unit_ref(request, payload.new_village_id, "new_village_id")
        if payload.new_village_id
        else None
    )
    households = _households_ref(request, payload.household_ids, "household_ids")
    with api_fields(GROUP_FIELDS):
        new = services.group_split(
            actor=request.user,
            source=source,
            new_code=payload.new_code,
            new_name=payload.new_name,
            households=households,
            split_on=payload.split_on,
            new_village=new_village,
            approval_decision=payload.approval_decision,
            approval_decision_on=payload.approval_decision_on,
        )
    return Status(201, _group_out(request, new))


# --- monthly grading (api/grading.py) --------------------------------------------------------------

from .grading import router as grading_router  # noqa: E402

router.add_router("", grading_router)
