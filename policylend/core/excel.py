"""Writing any list to an .xlsx workbook, streaming (openpyxl's write-only mode: one row in memory
at a time, whatever the length of the list).

Cells are written so that Excel never evaluates what a user typed: a text that begins with ``=``,
``+``, ``-``, ``@``, a tab or a carriage return (a "formula injection": ``=HYPERLINK(…)``) is
stored as a string cell with the text format and Excel's quote prefix, so it stays text even
when somebody edits the cell later. Numbers stay numbers, dates are dates shown ``dd/mm/yyyy``.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import IO, Any

from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from .errors import DomainError

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_FORMAT = "DD/MM/YYYY"
TEXT_FORMAT = "@"
# Characters that make a spreadsheet read a cell as a formula (OWASP "CSV injection").
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# XML 1.0 refuses these control characters; openpyxl raises on them.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# One sheet of Excel holds 1,048,576 rows; an export stops well before.
EXPORT_ROWS_MAX = 200_000
CELL_TEXT_MAX = 32_000
SHEET_TITLE_MAX = 31


@dataclass(frozen=True)
class Column:
    """One column of an export: its header and how to read its value from a row."""

    header: str
    value: Callable[[Any], Any]
    width: int = 16
    text: bool = False  # keep as text even when it looks like a number (codes, phones)


def sheet_title(title: str) -> str:
    """A title Excel accepts: at most 31 characters, none of ``[]:*?/\\``."""
    cleaned = re.sub(r"[\[\]:*?/\\]", " ", str(title)).strip() or "Sheet"
    return cleaned[:SHEET_TITLE_MAX]


def is_formula_like(text: str) -> bool:
    return text.startswith(FORMULA_TRIGGERS)


def text_cell(sheet, text: str) -> WriteOnlyCell:
    """A cell Excel shows as the text itself and never evaluates."""
    cell = WriteOnlyCell(sheet, value=None)
    cell.value = text
    cell.data_type = "s"
    cell.number_format = TEXT_FORMAT
    cell._style.quotePrefix = 1
    return cell


def cell_of(sheet, value: Any, *, text: bool = False):
    """The value as a write-only cell (or a plain value where openpyxl's default is safe)."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        cell = WriteOnlyCell(sheet, value=value.replace(tzinfo=None))
        cell.number_format = f"{DATE_FORMAT} HH:MM"
        return cell
    if isinstance(value, date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = DATE_FORMAT
        return cell
    if isinstance(value, int | float) and not text:
        return value
    string = _ILLEGAL.sub("", str(value))[:CELL_TEXT_MAX]
    if text or is_formula_like(string):
        return text_cell(sheet, string)
    return string


def write_sheet(workbook: Workbook, title: str, columns: list[Column], rows: Iterable) -> int:
    """Append a sheet with a bold header row and one line per row; returns the number of rows.
    Refuses (DomainError) a list longer than EXPORT_ROWS_MAX."""
    sheet = workbook.create_sheet(sheet_title(title))
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for column in columns:
        cell = text_cell(sheet, str(column.header))
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    count = 0
    for row in rows:
        count += 1
        if count > EXPORT_ROWS_MAX:
            raise DomainError(
                "export_too_long",
                _("An export holds at most %(limit)s rows; narrow the filters.")
                % {"limit": f"{EXPORT_ROWS_MAX:,}"},
                None,
            )
        sheet.append([cell_of(sheet, column.value(row), text=column.text) for column in columns])
    return count


def write_workbook(target: IO[bytes], title: str, columns: list[Column], rows: Iterable) -> int:
    """Write one list as a one-sheet workbook to ``target``; returns the number of rows."""
    workbook = Workbook(write_only=True)
    count = write_sheet(workbook, title, columns, rows)
    workbook.save(target)
    return count


def xlsx_response(filename: str, title: str, columns: list[Column], rows: Iterable) -> FileResponse:
    """The list as a downloaded .xlsx. The workbook is written to a temporary file (kept in
    memory while small) so that a long list never sits in memory whole."""
    spool = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115
    write_workbook(spool, title, columns, rows)
    spool.seek(0)
    return FileResponse(spool, as_attachment=True, filename=filename, content_type=CONTENT_TYPE)
