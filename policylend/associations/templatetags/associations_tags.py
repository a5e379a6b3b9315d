"""Percents of the association pages in the reader's convention: ``{{ terms.fee_rate_monthly|rate_percent }}``
→ "0,045 %", ``{{ 8400|bp_percent }}`` → "84 %"."""

from decimal import Decimal

from django import template
from django.utils.translation import get_language

from policylend.associations import rules

register = template.Library()


@register.filter
def rate_percent(rate):
    """A rate stored as a fraction (0.00045) shown as a percent: "0,045 %"."""
    if rate is None or rate == "":
        return ""
    return f"{rules.format_percent(Decimal(rate) * 100, get_language())}\u00a0%"


@register.filter
def bp_percent(points):
    """A share in basis points (8400) shown as a percent: "84 %"."""
    if points is None or points == "":
        return ""
    return f"{rules.format_basis_points(int(points), get_language())}\u00a0%"


@register.filter
def task_label(code):
    from policylend.associations.models import EntrustmentTask

    try:
        return EntrustmentTask(code).label
    except ValueError:
        return code


@register.filter
def check_label(code):
    return rules.CHECKLIST.get(code, code)


@register.filter
def reduction_text(reduction: dict):
    """{"overdue_ratio_above": "0.02", "reduce_by": "0.2"} → "Overdue ratio above 2 %: −20 %"."""
    parsed = rules.Reduction.from_dict(reduction)
    label = rules.REDUCTION_LABELS.get(parsed.condition, parsed.condition)
    return f"{label} {rate_percent(parsed.threshold)}: −{rate_percent(parsed.reduce_by)}"
