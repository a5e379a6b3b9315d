"""Forms of the first half of a loan's life: the application (with the chosen programme's own
fields), a review, the proposed decision, the disbursement. They parse input; the services judge
it and their problems are shown beside the fields."""

from __future__ import annotations

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from policylend.core.forms import DateInput, MoneyField
from policylend.programmes.models import FundingSource, ProgrammeField

from .models import ReviewDecision, ReviewStage
from .services.application import NUMBER_FIELDS

DATE_FIELDS = {"course_end"}


def programme_field_name(name: str) -> str:
    return f"pf_{name}"


class ApplicationForm(forms.Form):
    household_code = forms.CharField(label=_("Household code"), max_length=10)
    programme = forms.ModelChoiceField(label=_("Programme"), queryset=None)
    amount = MoneyField(label=_("Amount requested (₫)"))
    term_months = forms.IntegerField(label=_("Term (months)"), min_value=1, max_value=600)
    purpose = forms.CharField(label=_("Purpose"), max_length=300)
    plan = forms.CharField(
        label=_("Plan for using the money"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    funding_source = forms.ChoiceField(
        label=_("Funding source"), choices=FundingSource.choices, initial=FundingSource.CENTRAL
    )
    applied_on = forms.DateField(label=_("Applied on"), widget=DateInput())

    def __init__(self, *args, programmes, programme=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes
        self.fields["programme"].widget.attrs.update(
            {"hx-get": "fields/", "hx-target": "#programme-fields", "hx-trigger": "change"}
        )
        self.programme = programme
        for name in (programme.extra_fields if programme else []) or []:
            label = ProgrammeField(name).label if name in ProgrammeField.values else name
            if name in NUMBER_FIELDS:
                field = forms.IntegerField(label=label, min_value=1)
            elif name in DATE_FIELDS:
                field = forms.DateField(label=label, widget=DateInput())
            else:
                field = forms.CharField(label=label, max_length=200)
            self.fields[programme_field_name(name)] = field

    def programme_field_names(self) -> list[str]:
        return [name for name in self.fields if name.startswith("pf_")]

    def programme_values(self) -> dict:
        values = {}
        for name in self.programme_field_names():
            value = self.cleaned_data.get(name)
            values[name[3:]] = value.isoformat() if hasattr(value, "isoformat") else value
        return values


# Service problem fields → form fields.
APPLICATION_FIELDS = {"household": "household_code"}


class ReviewForm(forms.Form):
    stage = forms.ChoiceField(label=_("Stage"), choices=ReviewStage.choices)
    decision = forms.ChoiceField(label=_("Decision"), choices=ReviewDecision.choices)
    decided_on = forms.DateField(label=_("Decided on"), widget=DateInput())
    meeting = forms.ModelChoiceField(label=_("Loan-review meeting"), queryset=None, required=False)
    decided_by_name = forms.CharField(
        label=_("Certified by (commune)"), max_length=200, required=False
    )
    decision_number = forms.CharField(
        label=_("Certification number"), max_length=60, required=False
    )
    note = forms.CharField(label=_("Note / reason"), max_length=300, required=False)

    def __init__(self, *args, meetings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings
        self.fields["meeting"].label_from_instance = lambda m: m.held_on.strftime("%d/%m/%Y")


class DecisionForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("Approve")), ("0", _("Reject"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    amount = MoneyField(label=_("Amount approved (₫)"), required=False)
    reason = forms.CharField(label=_("Reason for rejection"), max_length=300, required=False)


class DisbursementForm(forms.Form):
    disbursed_on = forms.DateField(label=_("Disbursed on"), widget=DateInput())
    place = forms.ChoiceField(
        label=_("Place"),
        choices=[
            ("point", _("At the commune transaction session")),
            ("office", _("At the transaction office")),
        ],
        widget=forms.RadioSelect,
        initial="point",
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=100)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("idempotency_key", uuid.uuid4().hex)
        super().__init__(*args, **kwargs)


DISBURSEMENT_FIELDS = {"at_point": "place", "Idempotency-Key": None}
