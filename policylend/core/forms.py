"""Form helpers shared by every app: money and date fields in the user's convention, and showing a
service's domain errors beside the fields they name."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .errors import DomainError
from .money import AMOUNT_MAX, MoneyError, format_amount, parse_amount


class MoneyField(forms.Field):
    """A whole amount of dong typed as the user writes it: ``1.234.567`` in Vietnamese."""

    widget = forms.TextInput
    default_error_messages = {
        "negative": _("The amount cannot be negative."),
        "too_long": _("The amount is too long."),
    }
    TEXT_LENGTH_MAX = 30

    def __init__(self, *args, allow_negative: bool = False, **kwargs):
        self.allow_negative = allow_negative
        super().__init__(*args, **kwargs)
        self.widget.attrs.setdefault("inputmode", "numeric")
        self.widget.attrs.setdefault("class", "money")
        self.widget.attrs.setdefault("maxlength", str(self.TEXT_LENGTH_MAX))

    def prepare_value(self, value):
        if isinstance(value, int) and not isinstance(value, bool):
            return format_amount(value, get_language(), symbol=False)
        return value

    def to_python(self, value):
        if value in self.empty_values or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if len(str(value)) > self.TEXT_LENGTH_MAX:
            raise forms.ValidationError(self.error_messages["too_long"], code="too_long")
        try:
            amount = parse_amount(str(value), get_language())
        except MoneyError as error:
            raise forms.ValidationError(error.message, code=error.code) from error
        if amount < 0 and not self.allow_negative:
            raise forms.ValidationError(self.error_messages["negative"], code="negative")
        if abs(amount) > AMOUNT_MAX:
            raise forms.ValidationError(_("The amount is too large."), code="too_large")
        return amount


class DateInput(forms.DateInput):
    """dd/mm/yyyy text input (the format module makes 05/03/2025 read as 5 March)."""

    def __init__(self, attrs=None):
        super().__init__(
            attrs={"placeholder": "dd/mm/yyyy", "autocomplete": "off", **(attrs or {})},
            format="%d/%m/%Y",
        )


def add_problems(
    form: forms.Form, error: DomainError, field_map: dict[str, str] | None = None
) -> None:
    """Put each problem of a service's error beside the form field it names (or at the top)."""
    field_map = field_map or {}
    for problem in error.problems:
        name = field_map.get(problem.field or "", problem.field)
        if name and "[" in name:
            name = field_map.get(name.split("[")[0], name.split("[")[0])
        form.add_error(name if name in form.fields else None, problem.message)


# What ``submit`` returns when nothing was done; a service may itself return None.
NOT_DONE: Any = object()


def submit(
    request,
    form: forms.Form,
    action: Callable[[dict], Any],
    *,
    passed_on: tuple[type[DomainError], ...] = (),
) -> Any:
    """For a POSTed, valid form, run ``action(form.cleaned_data)`` — one service call — and return
    what it returns. A DomainError's problems go beside the fields they name; NOT_DONE is
    returned then, and when the form was not posted or is invalid. Errors of the ``passed_on``
    kinds (NotFound, Forbidden) propagate, to be answered with their HTTP status instead."""
    if request.method != "POST" or not form.is_valid():
        return NOT_DONE
    try:
        return action(form.cleaned_data)
    except passed_on:
        raise
    except DomainError as error:
        add_problems(form, error)
        return NOT_DONE
