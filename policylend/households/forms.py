"""Forms of the household pages. They parse what the user typed; the services judge the rules and
their problems are shown beside these fields (``add_household_problems``).

A national ID is typed into a form that is always POSTed and is never put back into a page: an
edit form leaves it blank ("keep the registered ID")."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from policylend.core.errors import DomainError
from policylend.core.forms import DateInput
from policylend.organisation.forms import UnitChoiceField

from .models import ClassificationKind, HouseholdStatus, Relationship, Sex
from .rules import (
    ADDRESS_LENGTH_MAX,
    CERTIFIED_BY_LENGTH_MAX,
    MEMBERS_MAX,
    NAME_LENGTH_MAX,
    SEARCH_LENGTH_MAX,
    PersonInput,
    ethnicity_choices,
)

# Longer than 12 so that a typo gets the service's message ("has 13 digits"), not the form's.
NATIONAL_ID_TEXT_MAX = 20
PHONE_TEXT_MAX = 20
CODE_TEXT_MAX = 20


def date_field(label, **kwargs) -> forms.DateField:
    return forms.DateField(label=label, widget=DateInput(), help_text=_("dd/mm/yyyy"), **kwargs)


def village_label(unit) -> str:
    commune = unit.parent.name if unit.parent_id and unit.parent else ""
    return f"{unit.code} {unit.name}" + (f" — {commune}" if commune else "")


class VillageChoiceField(UnitChoiceField):
    def label_from_instance(self, obj):
        return village_label(obj)


def national_id_field(**kwargs) -> forms.CharField:
    return forms.CharField(
        label=_("National ID"),
        max_length=NATIONAL_ID_TEXT_MAX,
        required=False,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "off", "spellcheck": "false"}
        ),
        **kwargs,
    )


class HouseholdSearchForm(forms.Form):
    """The household list's search and filters. Always sent by POST: a search may be a
    national ID, which must never appear in a URL (or a server log, or the browser history)."""

    q = forms.CharField(
        label=_("Name, customer code, phone or last 4 digits of an ID"),
        max_length=SEARCH_LENGTH_MAX,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    commune = UnitChoiceField(label=_("Commune"), required=False, empty_label=_("All communes"))
    village = VillageChoiceField(label=_("Village"), required=False, empty_label=_("All villages"))
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses")), *HouseholdStatus.choices],
    )
    page = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, communes=None, villages=None, **kwargs):
        super().__init__(*args, **kwargs)
        if communes is not None:
            self.fields["commune"].queryset = communes
        if villages is not None:
            self.fields["village"].queryset = villages


class HouseholdForm(forms.Form):
    """A household's own facts: where it lives and how to reach it."""

    village = VillageChoiceField(label=_("Village"))
    code = forms.CharField(
        label=_("Customer code"),
        max_length=CODE_TEXT_MAX,
        required=False,
        help_text=_("10 digits; leave blank for the commune's next free code."),
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=PHONE_TEXT_MAX,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
        help_text=_("A mobile number: 10 digits starting with 0."),
    )
    ethnicity = forms.ChoiceField(label=_("Ethnicity"), required=False)
    address = forms.CharField(label=_("Address"), max_length=ADDRESS_LENGTH_MAX, required=False)

    def __init__(self, *args, villages=None, with_code: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ethnicity"].choices = [("", "—"), *ethnicity_choices()]
        if villages is not None:
            self.fields["village"].queryset = villages
        if not with_code:
            del self.fields["code"]


class HouseholdEditForm(HouseholdForm):
    status = forms.ChoiceField(label=_("Status"), choices=HouseholdStatus.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, with_code=False, **kwargs)


class PersonForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=NAME_LENGTH_MAX)
    sex = forms.ChoiceField(label=_("Sex"), choices=[("", "—"), *Sex.choices])
    relationship = forms.ChoiceField(
        label=_("Relationship to the head"),
        choices=[("", "—"), *[c for c in Relationship.choices if c[0] != Relationship.HEAD]],
    )
    birth_date = date_field(_("Birth date"), required=False)
    national_id = national_id_field(help_text=_("12 digits."))

    def __init__(self, *args, head: bool = False, keeps_id: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if head:
            # The head's relationship is "head"; it is not asked.
            del self.fields["relationship"]
        if keeps_id:
            self.fields["national_id"].help_text = _(
                "Registered: %(masked)s. Leave blank to keep it; type a new one to replace it."
            ) % {"masked": keeps_id}

    def person_input(self, relationship: str | None = None) -> PersonInput:
        data = self.cleaned_data
        return PersonInput(
            full_name=data["full_name"],
            sex=data["sex"],
            relationship=relationship or data["relationship"],
            birth_date=data.get("birth_date"),
            national_id=data.get("national_id") or None,
        )


class BaseMemberFormSet(forms.BaseFormSet):
    def filled_forms(self) -> list[PersonForm]:
        """The members typed in (blank rows left out), in screen order: the service's
        ``members[i]`` is the i-th of these."""
        return [form for form in self.forms if form.has_changed() and form.cleaned_data]


MemberFormSet = forms.formset_factory(
    PersonForm,
    formset=BaseMemberFormSet,
    extra=0,
    min_num=0,
    max_num=MEMBERS_MAX,
    validate_max=True,
    absolute_max=MEMBERS_MAX,
)


def member_formset(data=None, *, rows: int = 1) -> BaseMemberFormSet:
    formset = MemberFormSet(data, prefix="members")
    if data is None:
        formset.extra = rows
    return formset


def member_form(index: int) -> PersonForm:
    """A blank member row with the formset's prefix, for the htmx "add a member" button."""
    return PersonForm(prefix=f"members-{index}", empty_permitted=True, use_required_attribute=False)


def with_one_more_member(data):
    """The submitted form with one more (blank) member row, when "add a member" is pressed
    without JavaScript."""
    data = data.copy()
    try:
        count = int(data.get("members-TOTAL_FORMS", 0))
    except ValueError:
        count = 0
    data["members-TOTAL_FORMS"] = str(min(max(count, 0) + 1, MEMBERS_MAX))
    data.setdefault("members-INITIAL_FORMS", "0")
    return data


class ClassificationForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=1, max_value=9999)
    kind = forms.ChoiceField(
        label=_("Classification"), choices=[("", "—"), *ClassificationKind.choices]
    )
    exit_year = forms.IntegerField(
        label=_("Year of leaving poverty"),
        required=False,
        min_value=1,
        max_value=9999,
        help_text=_("Only for “just escaped poverty”."),
    )
    certified_by = forms.CharField(
        label=_("Certified by"),
        max_length=CERTIFIED_BY_LENGTH_MAX,
        help_text=_("The commune People's Committee decision: number and signer."),
    )
    certified_on = date_field(_("Certified on"))


PERSON_FIELD = re.compile(r"^(head|members\[(\d+)\])\.(\w+)$")


def add_household_problems(
    form: forms.Form,
    head_form: PersonForm | None,
    formset: BaseMemberFormSet | None,
    error: DomainError,
) -> None:
    """Put each problem beside its field: ``head.national_id`` on the head's row,
    ``members[1].birth_date`` on the second member typed, the rest on the household form."""
    filled = formset.filled_forms() if formset is not None else []
    for problem in error.problems:
        match = PERSON_FIELD.match(problem.field or "")
        target, name = form, problem.field
        if match and match.group(1) == "head" and head_form is not None:
            target, name = head_form, match.group(3)
        elif match and match.group(2) is not None and int(match.group(2)) < len(filled):
            target, name = filled[int(match.group(2))], match.group(3)
        target.add_error(name if name in target.fields else None, problem.message)
