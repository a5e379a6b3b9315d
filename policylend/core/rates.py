"""Rates: one convention (ARCHITECTURE.md, Money and time).

A rate is a ``Decimal`` fraction inside rules (0.00045 is 0.045 % a month) and a ``RateField``
(``DecimalField`` with 10 decimal places) in the database. Shares that split an amount are whole
basis points (1/10,000), so a split is exact and sums to 10,000.
"""

from decimal import Decimal

from django.db import models

BASIS_POINTS_WHOLE = 10_000


class RateField(models.DecimalField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 10)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        path = "policylend.core.rates.RateField"
        return name, path, args, kwargs


def percent(rate: Decimal) -> Decimal:
    """0.00045 → 0.045 (for display as "0,045 %")."""
    return (rate * 100).normalize()
