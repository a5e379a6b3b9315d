"""Forms of the organisation pages. They parse what the user typed; the services judge the
business rules and their problems are shown beside these fields (``core.forms.add_problems``)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from policylend.core.forms import DateInput

from .models import OrganisationUnit, UnitKind, UnitStatus
from .services import ADDRESS_LENGTH_MAX, NAME_LENGTH_MAX, REASON_LENGTH_MAX

CODE_LENGTH_MAX = 12


def unit_label(unit: OrganisationUnit) -> str:
    return f"{'— ' * unit.depth}{unit.code} {unit.name} ({unit.get_kind_display()})"


class UnitChoiceField(forms.ModelChoiceField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("queryset", OrganisationUnit.objects.none())
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj):
        return unit_label(obj)


def date_field(label, **kwargs) -> forms.DateField:
    return forms.DateField(label=label, widget=DateInput(), help_text=_("dd/mm/yyyy"), **kwargs)


def session_day_field() -> forms.IntegerField:
    # The range 1 to 28 is the service's rule; the form only reads a whole number.
    return forms.IntegerField(
        label=_("Session day"),
        help_text=_("The day of each month the session is held, from 1 to 28."),
        widget=forms.NumberInput(attrs={"min": 1, "max": 28}),
    )


class UnitFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or code"), max_length=60, required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *UnitKind.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *UnitStatus.choices]
    )


class UnitCreateForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=UnitKind.choices)
    parent = UnitChoiceField(
        label=_("Belongs to"),
        required=False,
        help_text=_(
            "An office belongs to a branch, a commune to an office, a village to a commune."
        ),
    )
    code = forms.CharField(
        label=_("Code"),
        max_length=CODE_LENGTH_MAX,
        help_text=_("Commune: 6 digits; village: 8 digits; office: 4 to 6 digits."),
    )
    name = forms.CharField(label=_("Name"), max_length=NAME_LENGTH_MAX)
    address = forms.CharField(label=_("Address"), max_length=ADDRESS_LENGTH_MAX, required=False)
    opened_on = date_field(_("Opened on"))

    def __init__(self, *args, parents=None, reload_url: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if parents is not None:
            self.fields["parent"].queryset = parents
        if reload_url:
            # With JavaScript, choosing the kind reloads the form with the parents of that kind.
            self.fields["kind"].widget.attrs.update(
                {
                    "hx-get": reload_url,
                    "hx-trigger": "change",
                    "hx-include": "closest form",
                    "hx-select": "form.unit-form",
                    "hx-target": "closest form",
                    "hx-swap": "outerHTML",
                }
            )


class UnitEditForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=NAME_LENGTH_MAX)
    address = forms.CharField(label=_("Address"), max_length=ADDRESS_LENGTH_MAX, required=False)


class UnitMoveForm(forms.Form):
    new_parent = UnitChoiceField(label=_("New parent unit"))
    effective_on = date_field(_("Effective from"))
    reason = forms.CharField(
        label=_("Reason"),
        max_length=REASON_LENGTH_MAX,
        help_text=_("For example the number and date of the decision."),
    )

    def __init__(self, *args, parents=None, **kwargs):
        super().__init__(*args, **kwargs)
        if parents is not None:
            self.fields["new_parent"].queryset = parents


class CommuneMergeForm(forms.Form):
    target = UnitChoiceField(label=_("Merge into commune"))
    effective_on = date_field(_("Effective from"))
    reason = forms.CharField(
        label=_("Reason"),
        max_length=REASON_LENGTH_MAX,
        help_text=_("For example the number and date of the resolution."),
    )

    def __init__(self, *args, targets=None, **kwargs):
        super().__init__(*args, **kwargs)
        if targets is not None:
            self.fields["target"].queryset = targets


class UnitCloseForm(forms.Form):
    closed_on = date_field(_("Closed on"))


class AsOnForm(forms.Form):
    on = date_field(_("As on"))


class PointFilterForm(forms.Form):
    q = forms.CharField(label=_("Code, name or commune"), max_length=60, required=False)
    office = UnitChoiceField(
        label=_("Transaction office"), required=False, empty_label=_("All offices")
    )
    session_day = forms.IntegerField(
        label=_("Session day"), required=False, min_value=1, max_value=28
    )
    closed = forms.BooleanField(label=_("Include closed points"), required=False)

    def __init__(self, *args, offices=None, **kwargs):
        super().__init__(*args, **kwargs)
        if offices is not None:
            self.fields["office"].queryset = offices


class PointCreateForm(forms.Form):
    commune = UnitChoiceField(label=_("Commune"))
    code = forms.CharField(
        label=_("Code"), max_length=CODE_LENGTH_MAX, help_text=_("TXN followed by 3 to 9 digits.")
    )
    name = forms.CharField(label=_("Name"), max_length=NAME_LENGTH_MAX)
    session_day = session_day_field()
    address = forms.CharField(label=_("Address"), max_length=ADDRESS_LENGTH_MAX)
    opened_on = date_field(_("Opened on"))

    def __init__(self, *args, communes=None, **kwargs):
        super().__init__(*args, **kwargs)
        if communes is not None:
            self.fields["commune"].queryset = communes


class PointEditForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=NAME_LENGTH_MAX)
    session_day = session_day_field()
    address = forms.CharField(label=_("Address"), max_length=ADDRESS_LENGTH_MAX)
