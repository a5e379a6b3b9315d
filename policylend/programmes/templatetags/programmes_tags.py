"""How the programme pages write rates, limits and lists in the reader's convention:
``{{ 0.066|rate_year }}`` → "6,6 %/năm", ``{{ 0.066|rate_month }}`` → "0,55 %/tháng"."""

from decimal import Decimal

from django import template
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from policylend.core.money import format_amount
from policylend.households.models import ClassificationKind
from policylend.programmes import rules
from policylend.programmes.models import AmountBasis, RepaymentMode

register = template.Library()


@register.filter
def rate_year(rate):
    if rate is None or rate == "":
        return "—"
    return _("%(rate)s %%/year") % {"rate": rules.percent_text(Decimal(rate), get_language())}


@register.filter
def rate_month(rate):
    if rate is None or rate == "":
        return "—"
    return _("%(rate)s %%/month") % {
        "rate": rules.monthly_percent_text(Decimal(rate), get_language())
    }


@register.filter
def percent(fraction):
    """A fraction (1.3) as a percent: "130 %"."""
    if fraction is None or fraction == "":
        return "—"
    return f"{rules.percent_text(Decimal(fraction), get_language())}\u00a0%"


@register.filter
def rate_rule(terms):
    """How a version sets its rate: "Fixed" or "125 % of the poor-household rate"."""
    if terms.rate_basis == "fixed":
        return _("Fixed rate")
    return _("%(share)s of the poor-household rate") % {"share": percent(terms.rate_factor)}


def _get(terms, name):
    return terms.get(name) if isinstance(terms, dict) else getattr(terms, name)


@register.filter
def amount_limit(terms):
    """ "100.000.000 ₫ per household", "80 % of the contract, at most 1.000.000.000 ₫" (a version
    or a request's payload)."""
    amount = format_amount(int(_get(terms, "amount_max")), get_language())
    share = _get(terms, "amount_share")
    if _get(terms, "amount_basis") == AmountBasis.CONTRACT:
        return _("%(share)s of the contract value, at most %(max)s") % {
            "share": percent(share if share is not None else 1),
            "max": amount,
        }
    return f"{amount} {AmountBasis(_get(terms, 'amount_basis')).label}"


@register.filter
def repayment_text(terms):
    """ "Equal principal instalments, every 12 months; grace 60 months"."""
    text = _("%(mode)s, every %(months)d months") % {
        "mode": RepaymentMode(_get(terms, "repayment_mode")).label,
        "months": int(_get(terms, "repayment_interval_months")),
    }
    grace = int(_get(terms, "grace_months") or 0)
    if grace:
        text += "; " + _("grace %(months)d months") % {"months": grace}
    return text


@register.filter
def classification_list(entries):
    """["poor"] → "Poor household"; ["ethnic_minority+poor"] → "Ethnic minority + Poor household"."""
    labels = dict(ClassificationKind.choices)
    if not entries:
        return _("No certified list needed")
    return "; ".join(
        " + ".join(str(labels.get(part, part)) for part in entry.split(rules.ALL_OF))
        for entry in entries
    )
