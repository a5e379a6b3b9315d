from django import template
from django.utils.translation import get_language

from policylend.core.money import format_amount

register = template.Library()


@register.filter
def money(value, symbol=True):
    """``{{ amount|money }}`` → ``1.234.567 ₫`` in the reader's language; blank for None."""
    if value is None or value == "":
        return ""
    return format_amount(int(value), get_language(), symbol=bool(symbol))


@register.filter
def money_plain(value):
    """An amount without the currency sign, for table columns headed "₫"."""
    return money(value, False)


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters changed (pagination, sorting)."""
    query = context["request"].GET.copy()
    for key, value in changes.items():
        if value is None or value == "":
            query.pop(key, None)
        else:
            query[key] = value
    return "?" + query.urlencode() if query else "?"
