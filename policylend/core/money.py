"""Money: whole dong in ``int``; one rounding policy; allocation that never loses a dong.

VND has no minor unit, so an amount is an ``int`` of dong everywhere: in rules, in the database
(``BigIntegerField``) and on the wire. ``Decimal`` appears only for rates inside rules and is turned
back into dong by the one rounding function here. ``float`` never appears on a money path.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

from django.utils.translation import get_language
from django.utils.translation import gettext as _

CURRENCY_SYMBOL = "₫"

# One ceiling for any single amount a user may type: 10^15 dong (a million billion) is far above
# any branch's balance sheet and well inside a signed 64-bit column.
AMOUNT_MAX = 10**15


class MoneyError(ValueError):
    """An amount that is not a whole number of dong, or a split that does not add up."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def require_amount(value: object) -> int:
    """Return ``value`` if it is a whole number of dong (an ``int``, not a bool or float)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise MoneyError("not_whole_dong", _("An amount must be a whole number of dong."))
    return value


def round_half_up(value: Decimal) -> int:
    """Round a computed amount to the whole dong, half away from zero (domain.md §6.6)."""
    if not isinstance(value, Decimal):
        raise TypeError("round_half_up takes a Decimal")
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def round_down_to(amount: int, unit: int) -> int:
    """Round a non-negative amount down to a multiple of ``unit`` (instalments: 100,000 ₫)."""
    require_amount(amount)
    if amount < 0 or unit <= 0:
        raise ValueError("round_down_to takes a non-negative amount and a positive unit")
    return amount // unit * unit


def allocate(total: int, ratios: Sequence[int | Decimal]) -> list[int]:
    """Split ``total`` dong by ``ratios`` so the parts sum exactly to ``total``.

    Each part first gets the floor of its exact share; the dong left over go one at a time to the
    parts with the largest remainders, ties to the earlier part (worked-examples.md: 1,000,001 split
    3/5/8/84 gives 30,000 / 50,000 / 80,000 / 840,001).
    """
    require_amount(total)
    if total < 0:
        raise ValueError("allocate takes a non-negative total")
    weights = [Decimal(r) for r in ratios]
    if not weights or any(w < 0 for w in weights) or sum(weights) == 0:
        raise ValueError("allocate needs at least one ratio, none negative, not all zero")
    weight_sum = sum(weights)
    exact = [Decimal(total) * w / weight_sum for w in weights]
    parts = [int(e.to_integral_value(rounding=ROUND_FLOOR)) for e in exact]
    left = total - sum(parts)
    order = sorted(range(len(parts)), key=lambda i: (-(exact[i] - parts[i]), i))
    for i in order[:left]:
        parts[i] += 1
    if sum(parts) != total:
        raise MoneyError("allocation_lost_money", "allocation does not sum to the total")
    return parts


# --- formatting and parsing -----------------------------------------------------------------------

_SEPARATORS = {
    # language: (thousands separator, decimal separator, grouping)
    "vi": (".", ",", (3,)),
    "en": (",", ".", (3,)),
    # Hindi readers group by the Indian system: 12,34,567.
    "hi": (",", ".", (3, 2)),
}


def _group(digits: str, separator: str, grouping: tuple[int, ...]) -> str:
    groups: list[str] = []
    sizes = iter(grouping)
    size = next(sizes)
    while len(digits) > size:
        groups.append(digits[-size:])
        digits = digits[:-size]
        size = next(sizes, size)
    groups.append(digits)
    return separator.join(reversed(groups))


def separators_for(language: str | None) -> tuple[str, str, tuple[int, ...]]:
    """The separators of ``language``; None means the language of the current request."""
    language = language or get_language() or "vi"
    return _SEPARATORS.get(language.split("-")[0], _SEPARATORS["vi"])


def format_amount(amount: int, language: str | None = None, symbol: bool = True) -> str:
    """``1234567`` → ``1.234.567 ₫`` in Vietnamese, ``1,234,567 ₫`` in English, ``12,34,567 ₫`` in Hindi."""
    require_amount(amount)
    thousands, _decimal, grouping = separators_for(language)
    text = _group(str(abs(amount)), thousands, grouping)
    if amount < 0:
        text = "-" + text
    return f"{text}\u00a0{CURRENCY_SYMBOL}" if symbol else text


_SPACES = re.compile(r"[\s\u00a0\u202f]")


def parse_amount(text: str, language: str | None = None) -> int:
    """Read an amount typed by a user in their language's convention.

    ``1.234.567`` is 1,234,567 ₫ in Vietnamese. A decimal part ("80,5" in Vietnamese) is refused:
    VND has no minor unit. Separators must sit in the language's groups, so "1.23.4" is refused.
    """
    thousands, decimal, grouping = separators_for(language)
    raw = _SPACES.sub("", str(text)).removesuffix(CURRENCY_SYMBOL).removesuffix("đ")
    raw = raw.removesuffix("VND").strip()
    if not raw:
        raise MoneyError("amount_required", _("Enter an amount."))
    negative = raw.startswith("-")
    body = raw[1:] if negative else raw
    if decimal in body:
        raise MoneyError(
            "amount_has_fraction",
            _("“%(text)s” has a decimal part; amounts are whole dong.") % {"text": text},
        )
    if not re.fullmatch(rf"\d+(?:{re.escape(thousands)}\d+)*", body):
        raise MoneyError(
            "amount_not_a_number",
            _("“%(text)s” is not an amount of dong.") % {"text": text},
        )
    if thousands in body and _group(body.replace(thousands, ""), thousands, grouping) != body:
        raise MoneyError(
            "amount_bad_grouping",
            _("“%(text)s” has its digit separators in the wrong places.") % {"text": text},
        )
    value = int(body.replace(thousands, ""))
    if value > AMOUNT_MAX:
        raise MoneyError(
            "amount_too_large",
            _("An amount may not exceed %(max)s.") % {"max": format_amount(AMOUNT_MAX, language)},
        )
    return -value if negative else value
