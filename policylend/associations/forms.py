"""Forms of the association pages. They read what the user typed (percents in the user's
convention: "0,045" in Vietnamese); the services judge the rules and their problems are shown
beside these fields."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from policylend.core.forms import DateInput
from policylend.organisation.forms import UnitChoiceField

from . import rules
from .models import (
    Association,
    AssociationLevel,
    AssociationUnit,
    ContractStatus,
    EntrustmentTask,
)
from .rules import Reduction, ReductionCondition, TermsInput
from .services.units import CHAIR_LENGTH_MAX, NAME_LENGTH_MAX

SEARCH_LENGTH_MAX = 60
PHONE_LENGTH_MAX = 20
NOTE_LENGTH_MAX = 500


def date_field(label, **kwargs) -> forms.DateField:
    return forms.DateField(label=label, widget=DateInput(), help_text=_("dd/mm/yyyy"), **kwargs)


class PercentField(forms.Field):
    """A percent typed as the user writes it ("0,045" in Vietnamese); cleaned to a Decimal
    percent (0.045), never a float."""

    widget = forms.TextInput
    TEXT_LENGTH_MAX = 20

    def __init__(self, *args, decimals_max: int = rules.RATE_PERCENT_DECIMALS_MAX, **kwargs):
        self.decimals_max = decimals_max
        super().__init__(*args, **kwargs)
        self.widget.attrs.update(
            {"inputmode": "decimal", "class": "percent", "maxlength": str(self.TEXT_LENGTH_MAX)}
        )

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            return rules.format_percent(value, get_language())
        return value

    def to_python(self, value):
        if value in self.empty_values or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, Decimal):
            return value
        try:
            return rules.parse_percent(
                str(value)[: self.TEXT_LENGTH_MAX], get_language(), decimals_max=self.decimals_max
            )
        except rules.PercentError as error:
            raise forms.ValidationError(error.problem.message, code=error.problem.code) from error


class AssociationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Association):
        return f"{obj.code} {obj.name}"


class AssociationUnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: AssociationUnit):
        return f"{obj.association.code} · {obj.name} ({obj.get_level_display()})"


def _share_field(label) -> PercentField:
    return PercentField(label=label, decimals_max=rules.SHARE_PERCENT_DECIMALS_MAX)


class TermsFields(forms.Form):
    """The fee terms: the rate a month, the split between the association's levels (percent,
    at most two decimals, adding up to 100) and optional reductions."""

    fee_rate_monthly = PercentField(
        label=_("Fee rate a month (%)"),
        help_text=_("Of the outstanding of the loans whose interest was collected in the month."),
    )
    split_central = _share_field(_("Central share (%)"))
    split_province = _share_field(_("Province share (%)"))
    split_district = _share_field(_("District share (%)"))
    split_commune = _share_field(_("Commune share (%)"))
    overdue_ratio_above = PercentField(
        label=_("Reduce the fee when the overdue ratio is above (%)"), required=False
    )
    overdue_reduce_by = PercentField(label=_("… reduce the fee by (%)"), required=False)
    interest_collection_below = PercentField(
        label=_("Reduce the fee when interest collection is below (%)"), required=False
    )
    interest_reduce_by = PercentField(label=_("… reduce the fee by (%)"), required=False)

    REDUCTION_FIELDS = (
        (ReductionCondition.OVERDUE_RATIO_ABOVE, "overdue_ratio_above", "overdue_reduce_by"),
        (
            ReductionCondition.INTEREST_COLLECTION_BELOW,
            "interest_collection_below",
            "interest_reduce_by",
        ),
    )

    @staticmethod
    def initial_for(terms: TermsInput) -> dict:
        central, province, district, commune = (Decimal(bp) / 100 for bp in terms.split_bp)
        initial = {
            "fee_rate_monthly": terms.fee_rate_monthly * 100,
            "split_central": central,
            "split_province": province,
            "split_district": district,
            "split_commune": commune,
        }
        for reduction in terms.reductions:
            for condition, threshold_field, reduce_field in TermsFields.REDUCTION_FIELDS:
                if reduction.condition == condition:
                    initial[threshold_field] = reduction.threshold * 100
                    initial[reduce_field] = reduction.reduce_by * 100
        return initial

    def clean(self):
        data = super().clean()
        for _condition, threshold_field, reduce_field in self.REDUCTION_FIELDS:
            given = [data.get(threshold_field) is not None, data.get(reduce_field) is not None]
            if any(given) and not all(given):
                missing = reduce_field if given[0] else threshold_field
                self.add_error(missing, _("Give both the condition and the reduction."))
        return data

    def terms_input(self) -> TermsInput:
        data = self.cleaned_data
        reductions = tuple(
            Reduction(
                condition=str(condition),
                threshold=rules.rate_from_percent(data[threshold_field]),
                reduce_by=rules.rate_from_percent(data[reduce_field]),
            )
            for condition, threshold_field, reduce_field in self.REDUCTION_FIELDS
            if data.get(threshold_field) is not None and data.get(reduce_field) is not None
        )
        return TermsInput(
            fee_rate_monthly=rules.rate_from_percent(data["fee_rate_monthly"]),
            split_bp=tuple(
                rules.basis_points_from_percent(data[f"split_{level}"])
                for level in rules.SPLIT_LEVELS
            ),
            reductions=reductions,
        )


# --- units ------------------------------------------------------------------------------------------


class UnitFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or place"), max_length=SEARCH_LENGTH_MAX, required=False)
    association = AssociationChoiceField(
        label=_("Association"),
        queryset=Association.objects.none(),
        required=False,
        empty_label=_("All associations"),
    )
    level = forms.ChoiceField(
        label=_("Level"),
        required=False,
        choices=[("", _("All levels")), *AssociationLevel.choices[1:]],
    )

    def __init__(self, *args, associations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if associations is not None:
            self.fields["association"].queryset = associations


class UnitCreateForm(forms.Form):
    association = AssociationChoiceField(
        label=_("Association"), queryset=Association.objects.none()
    )
    unit = UnitChoiceField(
        label=_("Beside"),
        help_text=_("The province branch, a transaction office or a commune."),
    )
    name = forms.CharField(label=_("Name"), max_length=NAME_LENGTH_MAX)
    chair_name = forms.CharField(label=_("Chair"), max_length=CHAIR_LENGTH_MAX, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=PHONE_LENGTH_MAX, required=False)

    def __init__(self, *args, associations=None, places=None, **kwargs):
        super().__init__(*args, **kwargs)
        if associations is not None:
            self.fields["association"].queryset = associations
        if places is not None:
            self.fields["unit"].queryset = places


class UnitEditForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=NAME_LENGTH_MAX)
    chair_name = forms.CharField(label=_("Chair"), max_length=CHAIR_LENGTH_MAX, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=PHONE_LENGTH_MAX, required=False)


# --- contracts --------------------------------------------------------------------------------------


class ContractFilterForm(forms.Form):
    q = forms.CharField(label=_("Number or unit"), max_length=SEARCH_LENGTH_MAX, required=False)
    association = AssociationChoiceField(
        label=_("Association"),
        queryset=Association.objects.none(),
        required=False,
        empty_label=_("All associations"),
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *ContractStatus.choices]
    )

    def __init__(self, *args, associations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if associations is not None:
            self.fields["association"].queryset = associations


class ContractCreateForm(TermsFields):
    association_unit = AssociationUnitChoiceField(
        label=_("Association unit"), queryset=AssociationUnit.objects.none()
    )
    bank_unit = UnitChoiceField(
        label=_("Signed for the bank by"),
        required=False,
        help_text=_(
            "Leave empty: the branch signs with a province unit, the transaction office with "
            "the district unit and the communes under it."
        ),
    )
    number = forms.CharField(label=_("Contract number"), max_length=rules.NUMBER_LENGTH_MAX)
    signed_on = date_field(_("Signed on"))
    valid_from = date_field(_("Valid from"))
    valid_to = date_field(_("Valid to"), required=False)
    tasks = forms.MultipleChoiceField(
        label=_("Entrusted tasks"),
        choices=EntrustmentTask.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    field_order = [
        "association_unit",
        "bank_unit",
        "number",
        "signed_on",
        "valid_from",
        "valid_to",
        "tasks",
    ]

    def __init__(self, *args, association_units=None, bank_units=None, **kwargs):
        super().__init__(*args, **kwargs)
        if association_units is not None:
            self.fields["association_unit"].queryset = association_units
        if bank_units is not None:
            self.fields["bank_unit"].queryset = bank_units


class TermsChangeForm(TermsFields):
    effective_from = date_field(_("New terms apply from"))
    note = forms.CharField(
        label=_("Note for the checker"),
        max_length=NOTE_LENGTH_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    field_order = ["effective_from"]


# --- supervision and inspections --------------------------------------------------------------------


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=rules.YEAR_MIN, max_value=rules.YEAR_MAX)


class GroupChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} {obj.name} — {obj.village.name}"


class InspectionForm(forms.Form):
    group = GroupChoiceField(label=_("Group inspected"), queryset=AssociationUnit.objects.none())
    inspected_on = date_field(_("Inspected on"))
    inspector_name = forms.CharField(
        label=_("Inspector"),
        max_length=rules.INSPECTOR_LENGTH_MAX,
        help_text=_("Who made the inspection (name and position)."),
    )
    checked = forms.MultipleChoiceField(
        label=_("What was checked"),
        choices=list(rules.CHECKLIST.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    findings = forms.CharField(
        label=_("Findings"),
        max_length=rules.FINDINGS_LENGTH_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
    )
    reported_on = date_field(_("Reported on"), required=False)

    def __init__(self, *args, groups=None, **kwargs):
        super().__init__(*args, **kwargs)
        if groups is not None:
            self.fields["group"].queryset = groups


class InspectionFilterForm(forms.Form):
    association = AssociationChoiceField(
        label=_("Association"),
        queryset=Association.objects.none(),
        required=False,
        empty_label=_("All associations"),
    )
    year = forms.IntegerField(
        label=_("Year"), required=False, min_value=rules.YEAR_MIN, max_value=rules.YEAR_MAX
    )

    def __init__(self, *args, associations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if associations is not None:
            self.fields["association"].queryset = associations
