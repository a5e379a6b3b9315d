"""Pages that change a group: members join, leave and move; the board is elected and its terms
end; meetings are recorded; the group is dissolved, merged or split. Each finds the object in the
viewer's scope first (404 otherwise), then asks for the capability (403), then calls one service."""

from __future__ import annotations

from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from policylend.core.forms import NOT_DONE, submit
from policylend.users import access
from policylend.users.roles import Capability

from .. import selectors, services
from ..forms import (
    DissolveForm,
    ElectForm,
    JoinForm,
    LeaveForm,
    MeetingForm,
    MergeForm,
    MoveForm,
    SplitForm,
    TermEndForm,
)
from .common import require_manager, to_group, viewer_required


def _form_page(
    request, form, group, title, *, explanation="", danger=False, template="groups/form.html"
):
    return render(
        request,
        template,
        {
            "form": form,
            "group": group,
            "title": title,
            "explanation": explanation,
            "danger": danger,
        },
    )


def _today():
    return timezone.localdate()


# --- members ---------------------------------------------------------------------------------------


@viewer_required
def membership_join(request, group_id: int):
    group = selectors.group_get(request.user, group_id)
    require_manager(request)
    households = (
        selectors.commune_households(request.user, group.commune_id)
        if request.method == "POST"
        else selectors.join_household_choices(request.user, group)
    )
    form = JoinForm(request.POST or None, initial={"joined_on": _today()}, households=households)
    membership = submit(
        request,
        form,
        lambda data: services.membership_join(
            actor=request.user,
            group=group,
            household=data["household"],
            joined_on=data["joined_on"],
        ),
    )
    if membership is not NOT_DONE:
        message = _("Household %(household)s joined the group.") % {
            "household": membership.household.code
        }
        return to_group(request, message, group.pk, "members")
    return _form_page(
        request,
        form,
        group,
        _("Add a member to %(group)s") % {"group": group},
        explanation=_(
            "Households of the group's villages that are in no group today. A group has at most 60 members."
        ),
    )


@viewer_required
def membership_leave(request, membership_id: int):
    membership = selectors.membership_get(request.user, membership_id)
    require_manager(request)
    group = membership.group
    form = LeaveForm(request.POST or None, initial={"left_on": _today()})
    left = submit(
        request,
        form,
        lambda data: services.membership_leave(
            actor=request.user,
            membership=membership,
            left_on=data["left_on"],
            reason=data["reason"],
            note=data["note"],
        ),
    )
    if left is not NOT_DONE:
        message = _("Household %(household)s left the group.") % {
            "household": membership.household.code
        }
        return to_group(request, message, group.pk, "members")
    return _form_page(
        request,
        form,
        group,
        _("Household %(household)s leaves %(group)s")
        % {"household": membership.household, "group": group},
        explanation=_(
            "A group keeps at least 5 members: below that, merge or dissolve it instead. A household "
            "that moved away or whose member died is recorded as leaving all the same."
        ),
    )


@viewer_required
def membership_move(request, membership_id: int):
    membership = selectors.membership_get(request.user, membership_id)
    require_manager(request)
    group = membership.group
    form = MoveForm(
        request.POST or None,
        initial={"moved_on": _today()},
        groups=selectors.other_active_groups(request.user, group),
    )
    moved = submit(
        request,
        form,
        lambda data: services.membership_move(
            actor=request.user,
            membership=membership,
            to_group=data["to_group"],
            moved_on=data["moved_on"],
        ),
    )
    if moved is not NOT_DONE:
        message = _("Household %(household)s moved to %(group)s.") % {
            "household": membership.household.code,
            "group": moved.group,
        }
        return to_group(request, message, group.pk, "history")
    return _form_page(
        request,
        form,
        group,
        _("Household %(household)s moves from %(group)s")
        % {"household": membership.household, "group": group},
        explanation=_(
            "To another active group of the same commune that takes members from the household's village."
        ),
    )


# --- board -----------------------------------------------------------------------------------------


@viewer_required
def board_elect(request, group_id: int):
    group = selectors.group_get(request.user, group_id)
    require_manager(request)
    initial = {"started_on": _today(), "role": request.GET.get("role", "leader")}
    form = ElectForm(request.POST or None, initial=initial, persons=selectors.member_persons(group))
    term = submit(
        request,
        form,
        lambda data: services.board_elect(
            actor=request.user,
            group=group,
            person=data["person"],
            role=data["role"],
            started_on=data["started_on"],
        ),
    )
    if term is not NOT_DONE:
        message = _("%(person)s was elected %(role)s.") % {
            "person": term.person.full_name,
            "role": term.get_role_display().lower(),
        }
        return to_group(request, message, group.pk, "board")
    return _form_page(
        request,
        form,
        group,
        _("Elect the board of %(group)s") % {"group": group},
        explanation=_(
            "Leader and deputy are members and are not spouse, parent, child or sibling of each "
            "other; a person leads one group at most. The sitting holder of the role steps down "
            "the day the new term starts."
        ),
    )


@viewer_required
def board_term_end(request, term_id: int):
    term = selectors.board_term_get(request.user, term_id)
    require_manager(request)
    form = TermEndForm(request.POST or None, initial={"ended_on": _today()})
    ended = submit(
        request,
        form,
        lambda data: services.board_term_end(
            actor=request.user, term=term, ended_on=data["ended_on"]
        ),
    )
    if ended is not NOT_DONE:
        message = _("The term of %(person)s ended.") % {"person": term.person.full_name}
        return to_group(request, message, term.group_id, "board")
    return _form_page(
        request,
        form,
        term.group,
        _("End the term of %(person)s as %(role)s")
        % {"person": term.person.full_name, "role": term.get_role_display().lower()},
    )


# --- meetings --------------------------------------------------------------------------------------


@viewer_required
def meeting_create(request, group_id: int):
    group = selectors.group_get(request.user, group_id)
    access.require(request.user, Capability.RECORD_GROUP_MEETINGS)
    persons = (
        selectors.persons_of_past_and_present_members(group)
        if request.method == "POST"
        else selectors.member_persons(group)
    )
    initial = {"held_on": _today(), "kind": request.GET.get("kind", "regular")}
    form = MeetingForm(request.POST or None, initial=initial, persons=persons)
    meeting = submit(
        request,
        form,
        lambda data: services.meeting_record(
            actor=request.user,
            group=group,
            held_on=data["held_on"],
            kind=data["kind"],
            attendee_ids=[p.pk for p in data["attendees"]],
            guests=data["guests"],
            decisions=data["decisions"],
            minutes=data["minutes"],
        ),
    )
    if meeting is not NOT_DONE:
        return to_group(request, _("The meeting was recorded."), group.pk, "meetings")
    return _form_page(request, form, group, _("Record a meeting of %(group)s") % {"group": group})


@viewer_required
def meeting_detail(request, meeting_id: int):
    meeting = selectors.meeting_get(request.user, meeting_id)
    return render(
        request, "groups/meeting_detail.html", {"meeting": meeting, "group": meeting.group}
    )


# --- dissolve, merge, split ------------------------------------------------------------------------


@viewer_required
def group_dissolve(request, group_id: int):
    group = selectors.group_get(request.user, group_id)
    require_manager(request)
    form = DissolveForm(request.POST or None, initial={"dissolved_on": _today()})
    done = submit(
        request,
        form,
        lambda data: services.group_dissolve(
            actor=request.user,
            group=group,
            dissolved_on=data["dissolved_on"],
            reason=data["reason"],
        ),
    )
    if done is not NOT_DONE:
        return to_group(
            request, _("The group %(group)s was dissolved.") % {"group": group}, group.pk
        )
    return _form_page(
        request,
        form,
        group,
        _("Dissolve %(group)s") % {"group": group},
        explanation=_(
            "Every member leaves the group, the board's terms end and the group accepts nothing more."
        ),
        danger=True,
    )


@viewer_required
def group_merge(request, group_id: int):
    group = selectors.group_get(request.user, group_id)
    require_manager(request)
    form = MergeForm(
        request.POST or None,
        initial={"merged_on": _today()},
        groups=selectors.other_active_groups(request.user, group),
    )
    target = submit(
        request,
        form,
        lambda data: services.group_merge(
            actor=request.user, source=group, target=data["target"], merged_on=data["merged_on"]
        ),
    )
    if target is not NOT_DONE:
        message = _("%(source)s was merged into %(target)s.") % {"source": group, "target": target}
        return to_group(request, message, target.pk)
    return _form_page(
        request,
        form,
        group,
        _("Merge %(group)s into another group") % {"group": group},
        explanation=_(
            "Every member moves to the group chosen (at most 60 members after), which also takes "
            "this group's villages; this group's board steps down and it is closed as merged."
        ),
        danger=True,
    )


@viewer_required
def group_split(request, group_id: int):
    group = selectors.group_get(request.user, group_id)
    require_manager(request)
    households = selectors.open_memberships_of(group)
    form = SplitForm(
        request.POST or None,
        initial={"split_on": _today(), "new_village": group.village_id},
        villages=selectors.commune_villages(group.commune_id),
        households=selectors.commune_households(request.user, group.commune_id).filter(
            pk__in=households.values("household_id")
        ),
    )
    new = submit(
        request,
        form,
        lambda data: services.group_split(
            actor=request.user,
            source=group,
            new_code=data["new_code"],
            new_name=data["new_name"],
            households=list(data["households"]),
            split_on=data["split_on"],
            new_village=data["new_village"],
            approval_decision=data["approval_decision"],
            approval_decision_on=data["approval_decision_on"],
        ),
    )
    if new is not NOT_DONE:
        message = _("%(new)s was split from %(group)s.") % {"new": new, "group": group}
        return to_group(request, message, new.pk)
    return _form_page(
        request,
        form,
        group,
        _("Split %(group)s") % {"group": group},
        explanation=_("The households chosen found a new group; both groups keep 5 to 60 members."),
    )
