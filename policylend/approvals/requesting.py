"""What every page that asks for a maker–checker reversal shares: the form (which posting, and
why) and the answer once the request is recorded."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

REASON_LENGTH_MAX = 300


class ReversalForm(forms.Form):
    """The posting to reverse (``choices``: (id, label) of the reversible ones) and the reason."""

    transaction = forms.TypedChoiceField(label=gettext_lazy("Transaction"), coerce=int)
    reason = forms.CharField(
        label=gettext_lazy("Reason"), max_length=REASON_LENGTH_MAX, widget=forms.Textarea
    )

    def __init__(self, data=None, *, choices, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["transaction"].choices = choices


class ReasonForm(forms.Form):
    """The reason alone, when the page is about one posting."""

    reason = forms.CharField(
        label=gettext_lazy("Reason"), max_length=REASON_LENGTH_MAX, widget=forms.Textarea
    )


def request_recorded(request, approval):
    """Tell the maker the request waits for a checker and show it."""
    messages.success(
        request, _("Request #%(id)d was recorded; it waits for a checker.") % {"id": approval.pk}
    )
    return redirect("approvals:detail", request_id=approval.pk)
