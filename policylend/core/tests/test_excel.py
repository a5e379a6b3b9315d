"""Exports never let Excel evaluate what a user typed, and keep numbers and dates as such."""

import io
from datetime import date

from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from policylend.core.excel import FORMULA_TRIGGERS, Column, write_workbook


def read_back(rows, columns=None):
    columns = columns or [Column("Text", lambda r: r)]
    buffer = io.BytesIO()
    write_workbook(buffer, "List", columns, rows)
    buffer.seek(0)
    sheet = load_workbook(buffer).active
    return [list(row) for row in sheet.iter_rows(min_row=2)]


def test_cells_that_begin_with_a_formula_sign_are_text():
    dangerous = [
        "=1+1",
        "+84912345678",
        "-2+3",
        "@SUM(A1)",
        "\t=1",
        "\r=1",
        '=HYPERLINK("http://x")',
    ]
    for (cell,), value in zip(read_back(dangerous), dangerous, strict=True):
        assert cell.data_type == "s"
        # (XML stores a carriage return as a line feed)
        assert cell.value == value.replace("\r", "\n")
        assert cell.quotePrefix  # Excel keeps it text even when the cell is edited


def test_plain_text_numbers_and_dates_keep_their_type():
    columns = [
        Column("Name", lambda r: r[0]),
        Column("Amount", lambda r: r[1]),
        Column("Day", lambda r: r[2]),
        Column("Code", lambda r: r[3], text=True),
    ]
    [cells] = read_back([("Nguyễn Văn Đức", -1500, date(2026, 3, 5), "0123")], columns)
    assert [c.value for c in cells[:2]] == ["Nguyễn Văn Đức", -1500]
    assert cells[1].data_type == "n"
    assert cells[2].value.date() == date(2026, 3, 5) and cells[2].number_format == "DD/MM/YYYY"
    assert cells[3].value == "0123" and cells[3].data_type == "s"


def test_control_characters_are_dropped_not_refused():
    [[cell]] = read_back(["a\x00b\x07c"])
    assert cell.value == "abc"


@given(st.text(min_size=1, max_size=30))
def test_no_text_is_ever_written_as_a_formula(text):
    [[cell]] = read_back([text])
    assert cell.data_type != "f"
    if text.startswith(FORMULA_TRIGGERS):
        assert cell.data_type == "s"
