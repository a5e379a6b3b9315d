"""Workbooks built in tests: the template's headers (in a chosen language) and rows given as
dictionaries keyed by column."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import override
from openpyxl import Workbook

from policylend.imports.layout import SHEETS


def workbook_bytes(language: str = "en", **sheets: list[dict]) -> bytes:
    """``households=[{...}], members=[...], groups=[...]``: one row per dictionary."""
    book = Workbook()
    book.remove(book.active)
    with override(language):
        for spec in SHEETS:
            rows = sheets.get(spec.key)
            if rows is None:
                continue
            sheet = book.create_sheet(str(spec.label))
            keys = [column.key for column in spec.columns]
            sheet.append([str(column.label) for column in spec.columns])
            for row in rows:
                sheet.append([row.get(key) for key in keys])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(content: bytes, name: str = "households.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name,
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


SURNAMES = ("Nguyễn", "Hoàng", "Lý", "Nông", "Đặng", "Vi", "Lương", "Triệu")
GIVEN = ("Đức", "Hoa", "Bình", "Sơn", "Lan", "Tuấn", "Mai", "Dũng", "Hạnh", "Quang")


def person_name(n: int) -> str:
    """A distinct Vietnamese name for each n (names have no digits)."""
    middle = ("Văn", "Thị", "Đình", "Minh")[n // 80 % 4]
    return f"{SURNAMES[n % 8]} {middle} {GIVEN[n // 8 % 10]}"


def household(n: int, village: str = "20600101", **extra) -> dict:
    """A valid household row: a distinct head, born 1980, ID 020 + n."""
    return {
        "village_code": village,
        "head_name": person_name(n),
        "sex": "Male",
        "birth_date": "05/03/1980",
        "national_id": f"020{n:09d}",
        "phone": f"09{n:08d}",
        "ethnicity": "Tày",
        "address": f"Thôn {n}",
        **extra,
    }
