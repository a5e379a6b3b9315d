"""The form that asks for a new version of a programme's terms. Rates and shares are typed as
percents in the reader's convention ("6,6" in Vietnamese); the service judges the rules and its
problems are shown beside these fields."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from policylend.associations.forms import PercentField
from policylend.core.forms import DateInput, MoneyField
from policylend.households.models import ClassificationKind

from . import rules
from .models import AmountBasis, RateBasis, RepaymentMode
from .rules import ALL_OF, TermsInput
from .services import AREA_KINDS


def _percent(fraction) -> Decimal | None:
    return None if fraction is None else (Decimal(fraction) * 100).normalize()


def _fraction(percent) -> Decimal | None:
    return None if percent is None else (Decimal(percent) / 100).normalize()


class TermsChangeForm(forms.Form):
    effective_from = forms.DateField(
        label=_("In force from"), widget=DateInput(), help_text=_("dd/mm/yyyy")
    )
    rate_basis = forms.ChoiceField(label=_("Rate basis"), choices=RateBasis.choices)
    annual_rate = PercentField(
        label=_("Annual rate (%)"), required=False, help_text=_("For a fixed rate: 6,6 a year.")
    )
    rate_factor = PercentField(
        label=_("Share of the poor-household rate (%)"),
        required=False,
        help_text=_("For a multiple of the poor-household rate: 125 is 125 %."),
    )
    overdue_factor = PercentField(
        label=_("Overdue rate, as a share of the loan's rate (%)"), decimals_max=2
    )
    amount_max = MoneyField(label=_("Maximum amount"))
    amount_basis = forms.ChoiceField(label=_("Maximum per"), choices=AmountBasis.choices)
    amount_share = PercentField(
        label=_("Share of the contract value (%)"),
        required=False,
        decimals_max=2,
        help_text=_("With a maximum by contract: 80 means 80 percent of the contract value."),
    )
    term_months_max = forms.IntegerField(
        label=_("Maximum term (months)"), min_value=1, max_value=rules.TERM_MONTHS_LIMIT
    )
    repayment_mode = forms.ChoiceField(label=_("Repayment"), choices=RepaymentMode.choices)
    repayment_interval_months = forms.IntegerField(
        label=_("Months between instalments"),
        min_value=1,
        max_value=rules.INTERVAL_MONTHS_LIMIT,
    )
    grace_months = forms.IntegerField(
        label=_("Grace period (months)"), min_value=0, max_value=rules.TERM_MONTHS_LIMIT
    )
    classifications = forms.MultipleChoiceField(
        label=_("Certified lists that qualify"),
        choices=ClassificationKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: no certified list is needed."),
    )
    classifications_all_needed = forms.BooleanField(
        label=_("The household must be on every list ticked (not just one)"), required=False
    )
    eligible_areas = forms.MultipleChoiceField(
        label=_("Areas that qualify"),
        choices=[(k, label) for k, label in ClassificationKind.choices if k in AREA_KINDS],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    applies_to_existing = forms.BooleanField(
        label=_("Applies to loans already disbursed"), required=False
    )
    note = forms.CharField(
        label=_("Note (legal basis)"), max_length=rules.NOTE_LENGTH_MAX, required=False
    )

    @staticmethod
    def initial_for(terms: TermsInput) -> dict:
        entries = list(terms.eligible_classifications)
        combined = len(entries) == 1 and ALL_OF in entries[0]
        return {
            "rate_basis": terms.rate_basis,
            "annual_rate": _percent(terms.annual_rate),
            "rate_factor": _percent(terms.rate_factor),
            "overdue_factor": _percent(terms.overdue_factor),
            "amount_max": terms.amount_max,
            "amount_basis": terms.amount_basis,
            "amount_share": _percent(terms.amount_share),
            "term_months_max": terms.term_months_max,
            "repayment_mode": terms.repayment_mode,
            "repayment_interval_months": terms.repayment_interval_months,
            "grace_months": terms.grace_months,
            "classifications": entries[0].split(ALL_OF) if combined else entries,
            "classifications_all_needed": combined,
            "eligible_areas": list(terms.eligible_areas),
            "note": "",
        }

    def terms_fields(self) -> dict:
        """The service's keyword arguments for the terms."""
        data = self.cleaned_data
        kinds = list(data["classifications"])
        if data["classifications_all_needed"] and len(kinds) > 1:
            kinds = [ALL_OF.join(kinds)]
        fixed = data["rate_basis"] == RateBasis.FIXED
        return {
            "rate_basis": data["rate_basis"],
            "annual_rate": _fraction(data["annual_rate"]) if fixed else None,
            "rate_factor": None if fixed else _fraction(data["rate_factor"]),
            "overdue_factor": _fraction(data["overdue_factor"]),
            "amount_max": data["amount_max"],
            "amount_basis": data["amount_basis"],
            "amount_share": _fraction(data["amount_share"])
            if data["amount_basis"] == AmountBasis.CONTRACT
            else None,
            "term_months_max": data["term_months_max"],
            "repayment_mode": data["repayment_mode"],
            "repayment_interval_months": data["repayment_interval_months"],
            "grace_months": data["grace_months"],
            "eligible_classifications": kinds,
            "eligible_areas": list(data["eligible_areas"]),
            "applies_to_existing": data["applies_to_existing"],
            "note": data["note"],
        }
