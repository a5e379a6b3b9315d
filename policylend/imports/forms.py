"""Forms of the import pages: they read what was sent; the services judge it."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ImportSheet, RowOutcome
from .rules import FILE_SIZE_MAX


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Excel workbook (.xlsx)"),
        help_text=_("At most %(size)d MB, 100,000 rows a sheet.")
        % {"size": FILE_SIZE_MAX // 1024 // 1024},
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )


class RowFilterForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Rows"),
        required=False,
        choices=[("", _("All rows")), *RowOutcome.choices],
    )
    sheet = forms.ChoiceField(
        label=_("Sheet"), required=False, choices=[("", _("All sheets")), *ImportSheet.choices]
    )
