"""Forms of the group pages. They parse what the user typed; the services judge the rules, and
their problems are shown beside these fields (``core.forms.add_problems``)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from policylend.associations.models import Association, AssociationUnit
from policylend.core.forms import DateInput
from policylend.households.models import Household, Person
from policylend.organisation.models import OrganisationUnit

from . import rules
from .models import BoardRole, GroupStatus, LeaveReason, MeetingKind, SavingsGroup
from .selectors import BELOW_MINIMUM


def date_field(label, **kwargs) -> forms.DateField:
    return forms.DateField(label=label, widget=DateInput(), help_text=_("dd/mm/yyyy"), **kwargs)


class UnitChoiceField(forms.ModelChoiceField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("queryset", OrganisationUnit.objects.none())
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj):
        return f"{obj.code} {obj.name}"


class VillagesField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("queryset", OrganisationUnit.objects.none())
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj):
        return f"{obj.code} {obj.name}"


class HouseholdsField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("queryset", Household.objects.none())
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj):
        head = obj.head.full_name if obj.head_id else ""
        return f"{obj.code} {head} — {obj.village.name}"


class HouseholdChoiceField(forms.ModelChoiceField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("queryset", Household.objects.none())
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj):
        head = obj.head.full_name if obj.head_id else ""
        return f"{obj.code} {head} — {obj.village.name}"


def person_label(person: Person) -> str:
    return (
        f"{person.full_name} ({person.get_relationship_display().lower()}, {person.household.code})"
    )


class PersonChoiceField(forms.ModelChoiceField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("queryset", Person.objects.none())
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj):
        return person_label(obj)


class PersonsField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("queryset", Person.objects.none())
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj):
        return person_label(obj)


class GroupChoiceField(forms.ModelChoiceField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("queryset", SavingsGroup.objects.none())
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj):
        count = getattr(obj, "member_count", None)
        return f"{obj.code} {obj.name}" + (f" ({count})" if count is not None else "")


def _reload(field: forms.Field, url: str) -> None:
    """With JavaScript, changing the field reloads the form with the choices that follow from it."""
    field.widget.attrs.update(
        {
            "hx-get": url,
            "hx-trigger": "change",
            "hx-include": "closest form",
            "hx-select": "form.group-form",
            "hx-target": "closest form",
            "hx-swap": "outerHTML",
        }
    )


# --- lists -----------------------------------------------------------------------------------------


class GroupFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or code"), max_length=60, required=False)
    office = UnitChoiceField(
        label=_("Transaction office"), required=False, empty_label=_("All offices")
    )
    commune = UnitChoiceField(label=_("Commune"), required=False, empty_label=_("All communes"))
    association = forms.ModelChoiceField(
        label=_("Association"),
        queryset=Association.objects.all(),
        required=False,
        empty_label=_("All associations"),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("All statuses")),
            *GroupStatus.choices,
            (BELOW_MINIMUM, _("Below 5 members")),
        ],
    )

    def __init__(self, *args, offices=None, communes=None, associations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if offices is not None:
            self.fields["office"].queryset = offices
        if communes is not None:
            self.fields["commune"].queryset = communes
        if associations is not None:
            self.fields["association"].queryset = associations


# --- founding and changes --------------------------------------------------------------------------


class GroupCreateForm(forms.Form):
    code = forms.CharField(label=_("Group code"), max_length=7, help_text=_("7 digits."))
    name = forms.CharField(label=_("Name"), max_length=rules.NAME_LENGTH_MAX)
    village = UnitChoiceField(
        label=_("Village"), help_text=_("The village where the group is founded.")
    )
    adjacent_villages = VillagesField(
        label=_("Adjacent villages"),
        required=False,
        help_text=_("Villages of the same commune the group also takes members from."),
    )
    association_unit = forms.ModelChoiceField(
        label=_("Managed by"),
        queryset=AssociationUnit.objects.none(),
        help_text=_("The commune-level association unit that manages the group."),
    )
    founded_on = date_field(_("Founded on"))
    approval_decision = forms.CharField(
        label=_("Commune People's Committee decision"),
        max_length=rules.DECISION_LENGTH_MAX,
        help_text=_("Number of the decision approving the group and its rules."),
    )
    approval_decision_on = date_field(_("Decision date"))
    households = HouseholdsField(
        label=_("Founding households"), help_text=_("5 to 60 households in no other group.")
    )

    def __init__(
        self,
        *args,
        villages=None,
        adjacent=None,
        association_units=None,
        households=None,
        reload_url: str = "",
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        if villages is not None:
            self.fields["village"].queryset = villages
        if adjacent is not None:
            self.fields["adjacent_villages"].queryset = adjacent
        if association_units is not None:
            self.fields["association_unit"].queryset = association_units
        if households is not None:
            self.fields["households"].queryset = households
        if reload_url:
            _reload(self.fields["village"], reload_url)
            _reload(self.fields["adjacent_villages"], reload_url)


class GroupEditForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=rules.NAME_LENGTH_MAX)
    adjacent_villages = VillagesField(
        label=_("Adjacent villages"),
        required=False,
        help_text=_("Villages of the same commune the group also takes members from."),
    )

    def __init__(self, *args, adjacent=None, **kwargs):
        super().__init__(*args, **kwargs)
        if adjacent is not None:
            self.fields["adjacent_villages"].queryset = adjacent


class JoinForm(forms.Form):
    household = HouseholdChoiceField(label=_("Household"))
    joined_on = date_field(_("Joined on"))

    def __init__(self, *args, households=None, **kwargs):
        super().__init__(*args, **kwargs)
        if households is not None:
            self.fields["household"].queryset = households


class LeaveForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Reason"),
        choices=[(reason, LeaveReason(reason).label) for reason in rules.MEMBER_LEAVE_REASONS],
    )
    left_on = date_field(_("Left on"))
    note = forms.CharField(label=_("Note"), max_length=rules.NOTE_LENGTH_MAX, required=False)


class MoveForm(forms.Form):
    to_group = GroupChoiceField(label=_("Move to group"))
    moved_on = date_field(_("Moved on"))

    def __init__(self, *args, groups=None, **kwargs):
        super().__init__(*args, **kwargs)
        if groups is not None:
            self.fields["to_group"].queryset = groups


class ElectForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=BoardRole.choices)
    person = PersonChoiceField(label=_("Member elected"))
    started_on = date_field(_("Term starts on"))

    def __init__(self, *args, persons=None, **kwargs):
        super().__init__(*args, **kwargs)
        if persons is not None:
            self.fields["person"].queryset = persons


class TermEndForm(forms.Form):
    ended_on = date_field(_("Term ends on"))


class MeetingForm(forms.Form):
    held_on = date_field(_("Held on"))
    kind = forms.ChoiceField(label=_("Kind"), choices=MeetingKind.choices)
    attendees = PersonsField(label=_("Members present"), required=False)
    guests = forms.CharField(
        label=_("Guests (association, commune, bank)"),
        max_length=rules.GUESTS_LENGTH_MAX,
        required=False,
    )
    decisions = forms.CharField(
        label=_("Decisions"),
        max_length=rules.DECISIONS_LENGTH_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    minutes = forms.CharField(
        label=_("Minutes"),
        max_length=rules.MINUTES_LENGTH_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
    )

    def __init__(self, *args, persons=None, **kwargs):
        super().__init__(*args, **kwargs)
        if persons is not None:
            self.fields["attendees"].queryset = persons


class DissolveForm(forms.Form):
    dissolved_on = date_field(_("Dissolved on"))
    reason = forms.CharField(
        label=_("Reason"),
        max_length=rules.REASON_LENGTH_MAX,
        help_text=_("For example the number and date of the commune's decision."),
    )


class MergeForm(forms.Form):
    target = GroupChoiceField(label=_("Merge into group"))
    merged_on = date_field(_("Merged on"))

    def __init__(self, *args, groups=None, **kwargs):
        super().__init__(*args, **kwargs)
        if groups is not None:
            self.fields["target"].queryset = groups


class SplitForm(forms.Form):
    new_code = forms.CharField(label=_("Code of the new group"), max_length=7)
    new_name = forms.CharField(label=_("Name of the new group"), max_length=rules.NAME_LENGTH_MAX)
    new_village = UnitChoiceField(label=_("Village of the new group"))
    households = HouseholdsField(label=_("Households that move to the new group"))
    split_on = date_field(_("Split on"))
    approval_decision = forms.CharField(
        label=_("Commune People's Committee decision"),
        max_length=rules.DECISION_LENGTH_MAX,
        required=False,
        help_text=_("Approving the new group; empty: the group's own decision."),
    )
    approval_decision_on = date_field(_("Decision date"), required=False)

    def __init__(self, *args, villages=None, households=None, **kwargs):
        super().__init__(*args, **kwargs)
        if villages is not None:
            self.fields["new_village"].queryset = villages
        if households is not None:
            self.fields["households"].queryset = households
