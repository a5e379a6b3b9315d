"""The workbook's layout: its sheets and columns, the template a user downloads, and reading an
uploaded workbook back, row by row, without holding it in memory (openpyxl read-only mode).

Headers and sheet names are written in the user's language; a workbook is read back whatever
language its headers are in (Vietnamese, English or Hindi), and the column order does not matter.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override

from policylend.core.errors import Problem

from .error_codes import ImportErrorCode as E
from .models import ImportSheet
from .rules import ROWS_MAX, header_key

TEXT, CODE, DATE, CHOICE, LIST = "text", "code", "date", "choice", "list"


@dataclass(frozen=True)
class ColumnSpec:
    key: str
    label: Promise
    kind: str = TEXT
    required: bool = False
    length: int = 120  # the longest text allowed (the number of digits of a code)
    width: int = 18
    help: Promise | str = ""


@dataclass(frozen=True)
class SheetSpec:
    key: str
    label: Promise
    columns: tuple[ColumnSpec, ...]
    help: Promise

    def column(self, key: str) -> ColumnSpec:
        return next(c for c in self.columns if c.key == key)


HOUSEHOLDS = SheetSpec(
    ImportSheet.HOUSEHOLDS,
    gettext_lazy("Households"),
    (
        ColumnSpec(
            "customer_code",
            gettext_lazy("Customer code"),
            CODE,
            length=10,
            width=14,
            help=gettext_lazy(
                "10 digits. Leave it empty for a new household: it gets the next free code of its commune."
            ),
        ),
        ColumnSpec(
            "village_code",
            gettext_lazy("Village code"),
            CODE,
            True,
            8,
            12,
            gettext_lazy("8 digits."),
        ),
        ColumnSpec("head_name", gettext_lazy("Head's full name"), TEXT, True, 120, 28),
        ColumnSpec("sex", gettext_lazy("Sex"), CHOICE, True, 20, 10),
        ColumnSpec(
            "birth_date",
            gettext_lazy("Birth date"),
            DATE,
            width=12,
            help=gettext_lazy("dd/mm/yyyy"),
        ),
        ColumnSpec(
            "national_id",
            gettext_lazy("National ID"),
            CODE,
            length=12,
            width=15,
            help=gettext_lazy("12 digits."),
        ),
        ColumnSpec("phone", gettext_lazy("Phone"), CODE, length=15, width=13),
        ColumnSpec("ethnicity", gettext_lazy("Ethnicity"), TEXT, length=40, width=12),
        ColumnSpec("address", gettext_lazy("Address"), TEXT, length=200, width=30),
        ColumnSpec(
            "group_code",
            gettext_lazy("Group code"),
            CODE,
            length=7,
            width=11,
            help=gettext_lazy(
                "Optional: the savings-and-loan group the household joins (7 digits)."
            ),
        ),
    ),
    gettext_lazy("One row per household, described by its head."),
)

MEMBERS = SheetSpec(
    ImportSheet.MEMBERS,
    gettext_lazy("Members"),
    (
        ColumnSpec(
            "household",
            gettext_lazy("Household"),
            CODE,
            True,
            10,
            14,
            gettext_lazy(
                "The household's customer code, or the number of its row in the Households sheet."
            ),
        ),
        ColumnSpec("full_name", gettext_lazy("Full name"), TEXT, True, 120, 28),
        ColumnSpec("sex", gettext_lazy("Sex"), CHOICE, True, 20, 10),
        ColumnSpec(
            "birth_date",
            gettext_lazy("Birth date"),
            DATE,
            width=12,
            help=gettext_lazy("dd/mm/yyyy"),
        ),
        ColumnSpec("relationship", gettext_lazy("Relationship to the head"), CHOICE, True, 40, 20),
        ColumnSpec("national_id", gettext_lazy("National ID"), CODE, length=12, width=15),
    ),
    gettext_lazy("One row per member other than the head."),
)

GROUPS = SheetSpec(
    ImportSheet.GROUPS,
    gettext_lazy("Groups"),
    (
        ColumnSpec(
            "group_code", gettext_lazy("Group code"), CODE, True, 7, 11, gettext_lazy("7 digits.")
        ),
        ColumnSpec("name", gettext_lazy("Group name"), TEXT, True, 120, 26),
        ColumnSpec("village_code", gettext_lazy("Village code"), CODE, True, 8, 12),
        ColumnSpec(
            "adjacent_villages",
            gettext_lazy("Adjacent village codes"),
            LIST,
            length=200,
            width=20,
            help=gettext_lazy(
                "Villages of the same commune whose households may join, separated by commas."
            ),
        ),
        ColumnSpec(
            "association_code",
            gettext_lazy("Association code"),
            CHOICE,
            True,
            2,
            12,
            gettext_lazy(
                "11 Farmers, 12 Women, 13 Veterans, 14 Youth: its commune unit manages the group."
            ),
        ),
        ColumnSpec("founded_on", gettext_lazy("Founded on"), DATE, True, width=12),
        ColumnSpec("decision_number", gettext_lazy("Decision number"), TEXT, True, 80, 16),
        ColumnSpec("decision_date", gettext_lazy("Decision date"), DATE, True, width=12),
        ColumnSpec(
            "members",
            gettext_lazy("Member households"),
            LIST,
            length=1000,
            width=30,
            help=gettext_lazy(
                "Customer codes or row numbers of the Households sheet, separated by commas; "
                "households may also name the group in their own sheet."
            ),
        ),
    ),
    gettext_lazy("One row per savings-and-loan group."),
)

SHEETS: tuple[SheetSpec, ...] = (HOUSEHOLDS, MEMBERS, GROUPS)


def language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def spellings(label: Promise | str) -> set[str]:
    """A label as it reads in every language of the installation."""
    texts = set()
    for language in language_codes():
        with override(language):
            texts.add(str(label))
    return texts


def header_aliases(sheet: SheetSpec) -> dict[str, str]:
    """Folded header text → column key, for the headers of every language."""
    aliases: dict[str, str] = {}
    for column in sheet.columns:
        aliases[header_key(column.key)] = column.key
        for text in spellings(column.label):
            aliases.setdefault(header_key(text), column.key)
    return aliases


def sheet_aliases() -> dict[str, SheetSpec]:
    aliases: dict[str, SheetSpec] = {}
    for sheet in SHEETS:
        aliases[header_key(sheet.key)] = sheet
        for text in spellings(sheet.label):
            aliases.setdefault(header_key(text), sheet)
    return aliases


# --- reading -----------------------------------------------------------------------------------


@dataclass
class SheetReader:
    """One sheet of an uploaded workbook, read as dictionaries of its known columns."""

    spec: SheetSpec
    worksheet: object
    columns: dict[int, str] = field(default_factory=dict)  # position → key
    problems: list[Problem] = field(default_factory=list)

    def rows(self) -> Iterator[tuple[int, dict[str, object]]]:
        """(row number, {key: raw cell value}) for every row that is not blank, below the
        header. Stops after ROWS_MAX rows with a problem of the file."""
        count = 0
        positions = sorted(self.columns.items())
        for number, values in enumerate(
            self.worksheet.iter_rows(min_row=2, values_only=True), start=2
        ):
            for value in values:
                if value is not None and (value.__class__ is not str or value.strip()):
                    break
            else:
                continue  # a blank row
            count += 1
            if count > ROWS_MAX:
                self.problems.append(
                    Problem(
                        E.TOO_MANY_ROWS,
                        _("The sheet %(sheet)s has more than %(limit)s rows; split the file.")
                        % {"sheet": self.spec.label, "limit": f"{ROWS_MAX:,}"},
                        self.spec.key,
                    )
                )
                return
            width = len(values)
            yield number, {key: values[position] for position, key in positions if position < width}


def read_header(spec: SheetSpec, worksheet) -> SheetReader:
    reader = SheetReader(spec, worksheet)
    aliases = header_aliases(spec)
    header = next(worksheet.iter_rows(min_row=1, max_row=1, values_only=True), ())
    for position, text in enumerate(header):
        if text is None or not str(text).strip():
            continue
        key = aliases.get(header_key(text))
        if key is None:
            reader.problems.append(
                Problem(
                    E.COLUMN_UNKNOWN,
                    _("The sheet %(sheet)s has a column “%(column)s” that is not in the template.")
                    % {"sheet": spec.label, "column": str(text)[:60]},
                    spec.key,
                )
            )
        elif key in reader.columns.values():
            reader.problems.append(
                Problem(
                    E.COLUMN_REPEATED,
                    _("The sheet %(sheet)s has the column “%(column)s” twice.")
                    % {"sheet": spec.label, "column": str(text)[:60]},
                    spec.key,
                )
            )
        else:
            reader.columns[position] = key
    for column in spec.columns:
        if column.required and column.key not in reader.columns.values():
            reader.problems.append(
                Problem(
                    E.COLUMN_MISSING,
                    _("The sheet %(sheet)s has no column “%(column)s”.")
                    % {"sheet": spec.label, "column": column.label},
                    spec.key,
                )
            )
    return reader


def open_sheets(workbook) -> tuple[dict[str, SheetReader], list[Problem]]:
    """The known sheets of a workbook opened read-only, by key; problems of the file."""
    aliases = sheet_aliases()
    readers: dict[str, SheetReader] = {}
    for worksheet in workbook.worksheets:
        spec = aliases.get(header_key(worksheet.title))
        if spec is not None and spec.key not in readers:
            readers[spec.key] = read_header(spec, worksheet)
    problems = [p for reader in readers.values() for p in reader.problems]
    if HOUSEHOLDS.key not in readers and GROUPS.key not in readers:
        problems.append(
            Problem(
                E.SHEET_MISSING,
                _(
                    "The workbook has neither a “%(households)s” nor a “%(groups)s” sheet; start from the template."
                )
                % {"households": HOUSEHOLDS.label, "groups": GROUPS.label},
                None,
            )
        )
    return readers, problems


def sheet_names(sheets: Sequence[SheetSpec] = SHEETS) -> list[str]:
    return [str(sheet.label) for sheet in sheets]
