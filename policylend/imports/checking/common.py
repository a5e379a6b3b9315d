"""What the checks of every sheet share: column labels, problems renamed to the workbook's columns, villages, repeats, differences with the register."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from policylend.core.errors import Problem
from policylend.organisation.models import UnitKind

from ..error_codes import ImportErrorCode as E
from ..layout import (
    GROUPS,
    HOUSEHOLDS,
    LIST,
    MEMBERS,
    TEXT,
    SheetSpec,
)
from ..rules import (
    text_problems,
)
from .context import Context

# --- checking each row -----------------------------------------------------------------------------


_LABELS: dict[tuple[str, str], dict[str, str]] = {}


def _labels(spec: SheetSpec) -> dict[str, str]:
    """The sheet's column headers in the current language (read once per language)."""
    language = get_language() or ""
    labels = _LABELS.get((language, spec.key))
    if labels is None:
        labels = {column.key: str(column.label) for column in spec.columns}
        _LABELS[(language, spec.key)] = labels
    return labels


def _label(spec: SheetSpec, key: str) -> str:
    return _labels(spec)[key]


def _renamed(problems: Iterable[Problem], names: dict[str, str], taken: set[str]) -> list[Problem]:
    """Problems of a register's rules under the workbook's column names; one problem per column
    (the first one found is the one a user must fix first)."""
    renamed = []
    for problem in problems:
        name = names.get(problem.field or "", problem.field)
        if name in taken:
            continue
        taken.add(name)
        renamed.append(Problem(problem.code, problem.message, name))
    return renamed


def _differences(
    expected: dict[str, Any], existing: dict[str, Any], labels: dict[str, str]
) -> list[str]:
    """The columns whose value in the file (when given) differs from the register's."""
    return [
        labels[key]
        for key, value in expected.items()
        if value not in (None, "") and (existing.get(key) or "") != value
    ]


def _other_data_problem(what: str, differing: list[str], field_name: str) -> Problem:
    return Problem(
        E.EXISTS_WITH_OTHER_DATA,
        _(
            "%(what)s already exists with other data: %(fields)s differ. Correct the row or the register."
        )
        % {"what": what, "fields": ", ".join(differing)},
        field_name,
    )


def _length_problems(spec: SheetSpec, raw: dict, labels: dict[str, str]) -> list[Problem]:
    """No text longer than its column allows (codes and dates have rules of their own)."""
    problems = []
    for column in spec.columns:
        value = raw.get(column.key)
        if value.__class__ is str and len(value) > column.length and column.kind in (TEXT, LIST):
            problems += text_problems(value.strip(), column.key, labels[column.key], column.length)
    return problems


def _village_problems(code: str, field_name: str, label: str, context: Context):
    """The village of a code, or the problem: unknown, outside the uploader's scope, not a
    village."""
    unit = context.villages.get(code)
    if unit is None or unit.kind != UnitKind.VILLAGE:
        return None, [
            Problem(
                E.VILLAGE_UNKNOWN,
                _("%(field)s: there is no village with the code %(code)s.")
                % {"field": label, "code": code},
                field_name,
            )
        ]
    if not context.visible(unit):
        return None, [
            Problem(
                E.VILLAGE_OUTSIDE_SCOPE,
                _(
                    "%(field)s: the village %(code)s is outside your scope; you may import only within it."
                )
                % {"field": label, "code": code},
                field_name,
            )
        ]
    return unit, []


def _repeated(label: str, value: str, first_sheet: str, first_row: int, field_name: str) -> Problem:
    return Problem(
        E.REPEATED_IN_FILE,
        _("%(field)s %(value)s is already used in row %(row)s of the sheet %(sheet)s.")
        % {"field": label, "value": value, "row": first_row, "sheet": _sheet_label(first_sheet)},
        field_name,
    )


def _sheet_label(key: str) -> str:
    return str(next(s.label for s in (HOUSEHOLDS, MEMBERS, GROUPS) if s.key == key))


def _id_taken() -> Problem:
    return Problem(
        E.NATIONAL_ID_TAKEN,
        _("This national ID is already registered for another person."),
        "national_id",
    )
