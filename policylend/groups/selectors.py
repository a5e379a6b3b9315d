"""Reads of savings-and-loan groups, always scoped by the viewer.

A viewer sees the groups whose village lies in their scope; an association officer only the
groups managed by their own association. A group outside that is "not found" (404), exactly like
an id that does not exist."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from policylend.associations.models import AssociationLevel, AssociationUnit
from policylend.associations.selectors import association_filter_q
from policylend.core.errors import NotFound
from policylend.core.text import fold
from policylend.households.models import Household, HouseholdStatus, Person
from policylend.organisation.models import OrganisationUnit, UnitKind, UnitStatus
from policylend.users import access
from policylend.users.roles import Capability

from .models import BoardTerm, GroupMeeting, GroupMembership, GroupStatus, SavingsGroup
from .rules import MEMBERS_MIN

SEARCH_LENGTH_MAX = 60
BELOW_MINIMUM = "below_minimum"
OPEN = Q(memberships__left_on__isnull=True)


# --- scope -----------------------------------------------------------------------------------------


def groups_in_scope(viewer) -> QuerySet[SavingsGroup]:
    """Every group the viewer may see, without asking for a capability (services use it too)."""
    return SavingsGroup.objects.filter(
        access.placed_q(viewer) & association_filter_q(viewer, "association_unit")
    )


def group_visible(viewer, group: SavingsGroup) -> bool:
    if viewer is None:  # the demo generator and imports act without a user
        return True
    return groups_in_scope(viewer).filter(pk=group.pk).exists()


def group_label_for(viewer, group_id: int, label: str) -> str:
    """The group's code and name when the viewer may see it, otherwise "another group", so a
    refusal does not reveal what lies outside the viewer's scope."""
    if viewer is None or groups_in_scope(viewer).filter(pk=group_id).exists():
        return label
    return _("another group")


# --- lists -----------------------------------------------------------------------------------------


def with_member_count(groups: QuerySet[SavingsGroup]) -> QuerySet[SavingsGroup]:
    return groups.annotate(member_count=Count("memberships", filter=OPEN))


def group_list(
    viewer,
    *,
    search: str = "",
    office_id: int | None = None,
    commune_id: int | None = None,
    association_id: int | None = None,
    status: str | None = None,
    below_minimum: bool = False,
) -> QuerySet[SavingsGroup]:
    """Groups in the viewer's scope with their member count, filtered by office, commune,
    association and status; ``status="below_minimum"`` (or ``below_minimum``) keeps the active
    groups with fewer than five members. ``search`` matches the name without accents or the
    start of the code."""
    access.require(viewer, Capability.VIEW_GROUPS)
    groups = with_member_count(groups_in_scope(viewer)).select_related(
        "commune", "office", "village", "association_unit__association"
    )
    if office_id is not None:
        groups = groups.filter(office_id=office_id)
    if commune_id is not None:
        groups = groups.filter(commune_id=commune_id)
    if association_id is not None:
        groups = groups.filter(association_unit__association_id=association_id)
    if status == BELOW_MINIMUM:
        status, below_minimum = GroupStatus.ACTIVE, True
    if status:
        groups = groups.filter(status=status)
    if below_minimum:
        groups = groups.filter(status=GroupStatus.ACTIVE, member_count__lt=MEMBERS_MIN)
    search = (search or "").strip()[:SEARCH_LENGTH_MAX]
    if search:
        groups = groups.filter(Q(search_name__contains=fold(search)) | Q(code__startswith=search))
    return groups


def group_get(viewer, group_id: int) -> SavingsGroup:
    access.require(viewer, Capability.VIEW_GROUPS)
    group = (
        with_member_count(groups_in_scope(viewer))
        .select_related(
            "branch",
            "office",
            "commune",
            "village",
            "association_unit__association",
            "merged_into",
            "split_from",
        )
        .filter(pk=group_id)
        .first()
    )
    if group is None:
        raise NotFound("not_found", _("No such group in your scope."))
    return group


def membership_get(viewer, membership_id: int) -> GroupMembership:
    access.require(viewer, Capability.VIEW_GROUPS)
    membership = (
        GroupMembership.objects.filter(group__in=groups_in_scope(viewer), pk=membership_id)
        .select_related("group", "household__head", "household__village")
        .first()
    )
    if membership is None:
        raise NotFound("not_found", _("No such membership in your scope."))
    return membership


def board_term_get(viewer, term_id: int) -> BoardTerm:
    access.require(viewer, Capability.VIEW_GROUPS)
    term = (
        BoardTerm.objects.filter(group__in=groups_in_scope(viewer), pk=term_id)
        .select_related("group", "person__household")
        .first()
    )
    if term is None:
        raise NotFound("not_found", _("No such board term in your scope."))
    return term


def memberships_of(group: SavingsGroup) -> QuerySet[GroupMembership]:
    """Every membership of the group, open and closed, oldest first."""
    return (
        GroupMembership.objects.filter(group=group)
        .select_related("household__head", "household__village", "moved_to")
        .order_by("joined_on", "pk")
    )


def open_memberships_of(group: SavingsGroup) -> QuerySet[GroupMembership]:
    return memberships_of(group).filter(left_on__isnull=True).order_by("household__code")


def board_terms_of(group: SavingsGroup) -> QuerySet[BoardTerm]:
    return (
        BoardTerm.objects.filter(group=group)
        .select_related("person__household")
        .order_by("ended_on", "role", "-started_on")
    )


def meetings_of(group: SavingsGroup) -> QuerySet[GroupMeeting]:
    return (
        GroupMeeting.objects.filter(group=group)
        .annotate(attendance=Count("attendees"))
        .select_related("recorded_by")
        .order_by("-held_on", "-pk")
    )


def meeting_list(viewer, group_id: int) -> QuerySet[GroupMeeting]:
    return meetings_of(group_get(viewer, group_id))


def meeting_get(viewer, meeting_id: int) -> GroupMeeting:
    access.require(viewer, Capability.VIEW_GROUPS)
    meeting = (
        GroupMeeting.objects.filter(group__in=groups_in_scope(viewer), pk=meeting_id)
        .annotate(attendance=Count("attendees"))
        .select_related("group", "recorded_by")
        .prefetch_related(
            Prefetch("attendees", queryset=Person.objects.select_related("household"))
        )
        .first()
    )
    if meeting is None:
        raise NotFound("not_found", _("No such meeting in your scope."))
    return meeting


# --- the group's page ------------------------------------------------------------------------------


@dataclass
class GroupDossier:
    """Everything the group's page shows."""

    group: SavingsGroup
    villages: list[OrganisationUnit]
    sitting: dict[str, BoardTerm]
    board_history: list[BoardTerm]
    members: list[GroupMembership]
    history: list[GroupMembership]
    meetings: list[GroupMeeting]
    meeting_count: int
    merged_from: list[SavingsGroup]
    split_into: list[SavingsGroup]
    visible_group_ids: set[int] = field(default_factory=set)

    @property
    def member_count(self) -> int:
        return len(self.members)

    @property
    def below_minimum(self) -> bool:
        return self.group.status == GroupStatus.ACTIVE and self.member_count < MEMBERS_MIN


MEETINGS_SHOWN = 50


def group_dossier(viewer, group_id: int) -> GroupDossier:
    group = group_get(viewer, group_id)
    memberships = list(memberships_of(group))
    terms = list(board_terms_of(group))
    meetings = meetings_of(group)
    merged_from = list(SavingsGroup.objects.filter(merged_into=group).order_by("code"))
    split_into = list(SavingsGroup.objects.filter(split_from=group).order_by("code"))
    related = {m.moved_to_id for m in memberships if m.moved_to_id}
    related |= {g.pk for g in merged_from + split_into}
    related |= {group.merged_into_id, group.split_from_id} - {None}
    visible = set(groups_in_scope(viewer).filter(pk__in=related).values_list("pk", flat=True))
    return GroupDossier(
        group=group,
        villages=list(group.villages.order_by("code")),
        sitting={t.role: t for t in terms if t.ended_on is None},
        board_history=terms,
        members=sorted(
            (m for m in memberships if m.left_on is None), key=lambda m: m.household.code
        ),
        history=memberships,
        meetings=list(meetings[:MEETINGS_SHOWN]),
        meeting_count=meetings.count(),
        merged_from=merged_from,
        split_into=split_into,
        visible_group_ids=visible,
    )


# --- choices the forms offer -----------------------------------------------------------------------


def village_choices(viewer) -> QuerySet[OrganisationUnit]:
    return access.units_visible_to(viewer).filter(kind=UnitKind.VILLAGE, status=UnitStatus.ACTIVE)


def commune_villages(commune_id: int | None) -> QuerySet[OrganisationUnit]:
    return OrganisationUnit.objects.filter(
        kind=UnitKind.VILLAGE, status=UnitStatus.ACTIVE, parent_id=commune_id
    ).order_by("code")


def association_unit_choices(viewer, commune_id: int | None) -> QuerySet[AssociationUnit]:
    """The commune-level association units of the commune: the ones that may manage a group."""
    units = AssociationUnit.objects.filter(
        unit_id=commune_id, level=AssociationLevel.COMMUNE, is_active=True
    ).select_related("association")
    association_id = access.scope_of(viewer).association_id
    if association_id is not None:
        units = units.filter(association_id=association_id)
    return units.order_by("association__code")


def free_households(viewer, village_ids) -> QuerySet[Household]:
    """Active households of the villages, in the viewer's scope, in no group today: the ones a
    group may take."""
    return (
        Household.objects.filter(access.placed_q(viewer))
        .filter(village_id__in=list(village_ids), status=HouseholdStatus.ACTIVE)
        .exclude(pk__in=GroupMembership.objects.filter(left_on__isnull=True).values("household_id"))
        .select_related("head", "village")
        .order_by("village__code", "code")
    )


def join_household_choices(viewer, group: SavingsGroup) -> QuerySet[Household]:
    return free_households(viewer, group.villages.values_list("pk", flat=True))


def member_persons(group: SavingsGroup, on: date | None = None) -> QuerySet[Person]:
    """Persons of the households that are members today (or were on ``on``)."""
    memberships = GroupMembership.objects.filter(group=group)
    if on is None:
        memberships = memberships.filter(left_on__isnull=True)
    else:
        memberships = memberships.filter(joined_on__lte=on).filter(
            Q(left_on__isnull=True) | Q(left_on__gte=on)
        )
    return (
        Person.objects.filter(household_id__in=memberships.values("household_id"), is_active=True)
        .select_related("household")
        .order_by("household__code", "pk")
    )


def other_active_groups(viewer, group: SavingsGroup) -> QuerySet[SavingsGroup]:
    """Active groups of the same commune in the viewer's scope: where members may move, and
    what the group may merge into."""
    return (
        with_member_count(groups_in_scope(viewer))
        .filter(commune_id=group.commune_id, status=GroupStatus.ACTIVE)
        .exclude(pk=group.pk)
        .order_by("code")
    )


def office_choices(viewer) -> QuerySet[OrganisationUnit]:
    return access.units_visible_to(viewer).filter(kind=UnitKind.OFFICE).order_by("code")


def commune_choices(viewer) -> QuerySet[OrganisationUnit]:
    return access.units_visible_to(viewer).filter(kind=UnitKind.COMMUNE).order_by("code")


def commune_households(viewer, commune_id: int | None) -> QuerySet[Household]:
    """Every household of the commune in the viewer's scope: what a posted form may name (the
    services then say why a household cannot join)."""
    return (
        Household.objects.filter(access.placed_q(viewer))
        .filter(commune_id=commune_id)
        .select_related("head", "village")
    )


def persons_of_past_and_present_members(group: SavingsGroup) -> QuerySet[Person]:
    return Person.objects.filter(
        household_id__in=GroupMembership.objects.filter(group=group).values("household_id")
    ).select_related("household")


def households_in_scope(viewer, ids) -> list[Household]:
    """The households with these ids that lie in the viewer's scope, in the order asked."""
    found = (
        Household.objects.filter(access.placed_q(viewer))
        .select_related("head", "village")
        .in_bulk(list(ids))
    )
    return [found[pk] for pk in ids if pk in found]


def person_in_scope(viewer, person_id: int) -> Person | None:
    return (
        Person.objects.filter(access.placed_q(viewer, "household__"), pk=person_id)
        .select_related("household")
        .first()
    )
