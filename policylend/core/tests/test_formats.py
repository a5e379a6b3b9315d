"""Django's stock Vietnamese formats read 05/03/2025 as 3 May and print 1234567 without
separators; the format modules in policylend.core.formats fix both (TOOLCHAIN.md)."""

from datetime import date

import pytest
from django import forms
from django.template import Context, Template
from django.utils import formats, translation

from policylend.core.forms import MoneyField


class DateForm(forms.Form):
    day = forms.DateField()
    amount = MoneyField()


@pytest.mark.parametrize("language", ["vi", "en", "hi"])
def test_05_03_2025_is_the_fifth_of_march(language):
    with translation.override(language):
        form = DateForm({"day": "05/03/2025", "amount": "1"})
        assert form.is_valid(), form.errors
        assert form.cleaned_data["day"] == date(2025, 3, 5)


def test_25_12_2025_is_accepted_in_vietnamese():
    with translation.override("vi"):
        form = DateForm({"day": "25/12/2025", "amount": "1"})
        assert form.is_valid(), form.errors
        assert form.cleaned_data["day"] == date(2025, 12, 25)


def test_dates_print_day_first():
    with translation.override("vi"):
        assert formats.date_format(date(2025, 3, 5), "SHORT_DATE_FORMAT") == "05/03/2025"
        assert (
            Template("{{ d|date:'SHORT_DATE_FORMAT' }}").render(Context({"d": date(2025, 3, 5)}))
            == "05/03/2025"
        )


def test_numbers_print_with_vietnamese_separators():
    with translation.override("vi"):
        assert formats.number_format(1234567, force_grouping=True) == "1.234.567"
        assert (
            Template("{% load humanize %}{{ n|intcomma }}").render(Context({"n": 1234567}))
            == "1.234.567"
        )


def test_a_bare_number_is_an_identifier_and_is_not_grouped():
    # An id in a URL or an element id must stay "1234", never "1.234" or "1,234".
    for language in ("vi", "en", "hi"):
        with translation.override(language):
            assert Template("{{ n }}").render(Context({"n": 1234567})) == "1234567"


def test_money_filter_serves_every_page():
    template = Template("{% load policylend %}{{ n|money }}|{{ n|money_plain }}")
    with translation.override("vi"):
        assert template.render(Context({"n": 1234567})) == "1.234.567\u00a0₫|1.234.567"
    with translation.override("en"):
        assert template.render(Context({"n": 1234567})) == "1,234,567\u00a0₫|1,234,567"


def test_money_field_parses_vietnamese_and_refuses_a_fraction():
    with translation.override("vi"):
        good = DateForm({"day": "05/03/2025", "amount": "1.234.567"})
        assert good.is_valid() and good.cleaned_data["amount"] == 1234567
        bad = DateForm({"day": "05/03/2025", "amount": "80,5"})
        assert not bad.is_valid()
        assert "amount" in bad.errors
        assert "80,5" in bad.errors["amount"][0]
