"""The Excel template a user downloads from the import page: the three data sheets with their
headers in the user's language, lists to choose from (sex, relationship, association), date and
code columns formatted so Excel keeps them as typed, and a protected guide sheet."""

from __future__ import annotations

from collections.abc import Sequence
from typing import IO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from policylend.core.excel import DATE_FORMAT, TEXT_FORMAT

from .layout import CHOICE, CODE, DATE, LIST, SHEETS, ColumnSpec, SheetSpec

# Rows prepared with the formats and lists (Excel extends them as rows are added).
PREPARED_ROWS = 2_000
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


def choice_lists(associations: Sequence[tuple[str, str]]) -> dict[str, list[str]]:
    """What the lists offer, in the user's language: sex, relationship, association code."""
    from policylend.households.models import Relationship, Sex

    return {
        "sex": [str(label) for _value, label in Sex.choices],
        "relationship": [
            str(label) for value, label in Relationship.choices if value != Relationship.HEAD
        ],
        "association_code": [code for code, _name in associations],
    }


def _write_lists(workbook: Workbook, lists: dict[str, list[str]]):
    sheet = workbook.create_sheet(_("Lists"))
    ranges = {}
    for index, (key, values) in enumerate(lists.items(), start=1):
        letter = get_column_letter(index)
        sheet.cell(row=1, column=index, value=key)
        for row, value in enumerate(values, start=2):
            sheet.cell(row=row, column=index, value=value)
        last = max(len(values) + 1, 2)
        ranges[key] = f"{quote_sheetname(sheet.title)}!${letter}$2:${letter}${last}"
    sheet.sheet_state = "hidden"
    sheet.protection.sheet = True
    return ranges


def _prepare_column(sheet, index: int, column: ColumnSpec, ranges: dict[str, str]) -> None:
    letter = get_column_letter(index)
    sheet.column_dimensions[letter].width = column.width
    area = f"{letter}2:{letter}{PREPARED_ROWS + 1}"
    if column.kind in (CODE, LIST):
        # Codes and IDs stay text: Excel would drop their leading zeros.
        for (cell,) in sheet.iter_rows(
            min_row=2, max_row=PREPARED_ROWS + 1, min_col=index, max_col=index
        ):
            cell.number_format = TEXT_FORMAT
    elif column.kind == DATE:
        for (cell,) in sheet.iter_rows(
            min_row=2, max_row=PREPARED_ROWS + 1, min_col=index, max_col=index
        ):
            cell.number_format = DATE_FORMAT
    if column.kind == CHOICE and column.key in ranges:
        validation = DataValidation(
            type="list", formula1=f"={ranges[column.key]}", allow_blank=True
        )
        validation.error = _("Choose a value from the list.")
        validation.errorTitle = str(column.label)
        validation.add(area)
        sheet.add_data_validation(validation)


def _write_data_sheet(workbook: Workbook, spec: SheetSpec, ranges: dict[str, str]) -> None:
    sheet = workbook.create_sheet(str(spec.label))
    bold = Font(bold=True)
    for index, column in enumerate(spec.columns, start=1):
        label = str(column.label) + (" *" if column.required else "")
        cell = sheet.cell(row=1, column=index, value=label)
        cell.font, cell.fill = bold, HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        _prepare_column(sheet, index, column, ranges)
    sheet.freeze_panes = "A2"


def _write_guide(workbook: Workbook) -> None:
    sheet = workbook.create_sheet(_("Guide"))
    sheet.column_dimensions["A"].width = 28
    sheet.column_dimensions["B"].width = 100
    lines: list[tuple[str, str, bool]] = [
        (_("How to fill in this workbook"), "", True),
        (
            "",
            _(
                "Fill in the sheets you need and upload the file on the import page. Nothing is "
                "written until you have seen the check and confirmed it; a file imported twice "
                "creates nothing twice. Columns marked * are required; dates are dd/mm/yyyy."
            ),
            False,
        ),
    ]
    for spec in SHEETS:
        lines.append(("", "", False))
        lines.append((str(spec.label), str(spec.help), True))
        for column in spec.columns:
            required = _("required") if column.required else _("optional")
            text = f"{required}. {column.help}" if column.help else f"{required}."
            lines.append((str(column.label), text, False))
    for row, (name, text, heading) in enumerate(lines, start=1):
        first = sheet.cell(row=row, column=1, value=name)
        second = sheet.cell(row=row, column=2, value=text)
        second.alignment = Alignment(wrap_text=True, vertical="top")
        if heading:
            first.font = second.font = Font(bold=True)
    sheet.protection.sheet = True


def write_template(target: IO[bytes], *, associations: Sequence[tuple[str, str]]) -> None:
    """The template in the current language, written to ``target``."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    ranges = _write_lists(workbook, choice_lists(associations))
    for spec in SHEETS:
        _write_data_sheet(workbook, spec, ranges)
    _write_guide(workbook)
    # Lists sheet last but one, hidden; the first data sheet is the one that opens.
    workbook.move_sheet(workbook[_("Lists")], offset=len(workbook.sheetnames))
    workbook.active = 0
    workbook.save(target)
