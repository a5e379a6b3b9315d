"""Pure rules of reading a workbook: what a cell means. No ORM, no clock.

A cell arrives as openpyxl reads it (text, a number, a date, nothing) and leaves as the text or
the date the registers' services take, or as a problem naming the field and the rule. The rules
of the registers themselves (a national ID is 12 digits, a group has 5 to 60 households …) are
not repeated here: the check calls the registers' own rule functions.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime

from django.utils.translation import gettext as _

from policylend.core.errors import Problem
from policylend.core.text import fold

from .error_codes import ImportErrorCode as E

# Limits on what a user may send (STYLE.md: a limit on everything).
FILE_SIZE_MAX = 20 * 1024 * 1024
ROWS_MAX = 100_000  # per sheet
# What the workbook may hold once unzipped: a province's 150,000 rows take about 50 MB; more is a
# damaged file or a "zip bomb", refused before anything is parsed.
UNZIPPED_SIZE_MAX = 400 * 1024 * 1024
LIST_ITEMS_MAX = 60  # codes in one cell (a group has at most 60 households)
XLSX_MAGIC = b"PK\x03\x04"

_DATE_PATTERNS = (
    (re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$"), ("d", "m", "y")),
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"), ("y", "m", "d")),
)


def header_key(text) -> str:
    """A header cell reduced to what identifies it: folded, without marks such as ``*`` or a
    note in brackets, spaces collapsed. "Họ và tên chủ hộ *" → "ho va ten chu ho"."""
    folded = fold(str(text or ""))
    folded = re.sub(r"\(.*?\)", " ", folded)
    folded = re.sub(r"[^0-9a-z\u0900-\u097f]+", " ", folded)
    return " ".join(folded.split())


def cell_text(value, *, length: int | None = None) -> str:
    """The text of a cell. A number typed into a code column comes back as its digits, padded
    with the leading zeros a spreadsheet drops (``length``): 1234567890 → "01234567890"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        digits = str(value)
        if length and value >= 0 and len(digits) < length:
            return digits.zfill(length)
        return digits
    if isinstance(value, datetime | date):
        return value.strftime("%d/%m/%Y")
    return " ".join(str(value).split())


def text_problems(text: str, field: str, label: str, limit: int) -> list[Problem]:
    if len(text) > limit:
        return [
            Problem(
                E.TEXT_TOO_LONG,
                _("%(field)s is %(length)s characters long; at most %(limit)s are allowed.")
                % {"field": label, "length": len(text), "limit": limit},
                field,
            )
        ]
    return []


def required_problems(text: str, field: str, label: str) -> list[Problem]:
    if not text:
        return [Problem(E.REQUIRED, _("%(field)s is required.") % {"field": label}, field)]
    return []


def code_problems(text: str, field: str, label: str, digits: int) -> list[Problem]:
    if text and not re.fullmatch(rf"\d{{{digits}}}", text):
        return [
            Problem(
                E.CODE_FORMAT,
                _("%(field)s must be %(digits)s digits; “%(value)s” is not.")
                % {"field": label, "digits": digits, "value": text[:40]},
                field,
            )
        ]
    return []


def parse_date(value, field: str, label: str) -> tuple[date | None, list[Problem]]:
    """A date cell (a real date, or text dd/mm/yyyy; yyyy-mm-dd is accepted too)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, []
    if isinstance(value, datetime):
        return value.date(), []
    if isinstance(value, date):
        return value, []
    text = cell_text(value)
    for pattern, order in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            parts = dict(zip(order, (int(g) for g in match.groups()), strict=True))
            try:
                return date(parts["y"], parts["m"], parts["d"]), []
            except ValueError:
                break
    return None, [
        Problem(
            E.DATE_FORMAT,
            _("%(field)s must be a date written dd/mm/yyyy; “%(value)s” is not.")
            % {"field": label, "value": text[:40]},
            field,
        )
    ]


def choice_lookup(choices: Mapping[str, Iterable[str]]) -> dict[str, str]:
    """How each value of a choice list may be written (its stored value, its label in any
    language, an abbreviation), reduced by ``header_key`` → the value."""
    lookup = {}
    for value, spellings in choices.items():
        lookup.setdefault(header_key(value), value)
        for spelling in spellings:
            lookup.setdefault(header_key(spelling), value)
    return lookup


def parse_choice(
    text: str, lookup: Mapping[str, str], shown: str | Callable[[], str], field: str, label: str
) -> tuple[str | None, list[Problem]]:
    """One of a choice list (``lookup`` from ``choice_lookup``; ``shown`` lists the choices in
    the message, or makes that list when called)."""
    if not text:
        return None, []
    value = lookup.get(header_key(text))
    if value is not None:
        return value, []
    return None, [
        Problem(
            E.CHOICE,
            _("%(field)s must be one of: %(choices)s; “%(value)s” is not.")
            % {
                "field": label,
                "choices": shown() if callable(shown) else shown,
                "value": text[:40],
            },
            field,
        )
    ]


def split_list(text: str) -> list[str]:
    """Codes or row numbers separated by commas, semicolons or spaces."""
    return [part for part in re.split(r"[,;\s]+", text or "") if part]


def list_problems(items: list[str], field: str, label: str) -> list[Problem]:
    if len(items) > LIST_ITEMS_MAX:
        return [
            Problem(
                E.LIST_TOO_LONG,
                _("%(field)s lists %(count)s items; at most %(limit)s are allowed.")
                % {"field": label, "count": len(items), "limit": LIST_ITEMS_MAX},
                field,
            )
        ]
    return []
