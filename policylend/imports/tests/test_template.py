"""The template a user downloads: sheets and headers in their language, lists to choose from,
formats that keep codes and dates as typed; and it reads back as an empty, valid workbook."""

import io

import pytest
from django.utils.translation import override
from openpyxl import load_workbook

from policylend.imports.layout import SHEETS, header_aliases
from policylend.imports.template import write_template

ASSOCIATIONS = [("11", "Farmers"), ("12", "Women"), ("13", "Veterans"), ("14", "Youth")]


def template(language: str):
    buffer = io.BytesIO()
    with override(language):
        write_template(buffer, associations=ASSOCIATIONS)
    buffer.seek(0)
    return buffer


@pytest.mark.parametrize("language", ["vi", "en", "hi"])
def test_the_template_has_the_sheets_and_headers_of_the_reader_language(language):
    book = load_workbook(template(language))
    with override(language):
        for spec in SHEETS:
            sheet = book[str(spec.label)]
            headers = [c.value for c in sheet[1] if c.value]
            aliases = header_aliases(spec)
            from policylend.imports.rules import header_key

            assert [aliases[header_key(h)] for h in headers] == [c.key for c in spec.columns]
    hidden = [s for s in book.worksheets if s.sheet_state == "hidden"]
    assert len(hidden) == 1 and hidden[0].protection.sheet
    with override(language):
        from django.utils.translation import gettext

        guide = book[gettext("Guide")]
    assert guide.protection.sheet and guide.sheet_state == "visible"
    assert book.active.title == book.worksheets[0].title != hidden[0].title


def test_the_template_offers_lists_and_formats():
    book = load_workbook(template("en"))
    households = book["Households"]
    validations = {str(v.sqref): v.formula1 for v in households.data_validations.dataValidation}
    assert any(sqref.startswith("D2") for sqref in validations)  # sex
    assert households["B2"].number_format == "@"  # village code stays text
    assert households["E2"].number_format == "DD/MM/YYYY"
    groups = book["Groups"]
    association = next(
        v for v in groups.data_validations.dataValidation if str(v.sqref).startswith("E2")
    )
    lists = book["Lists"]
    column = association.formula1.split("!")[1].split(":")[0].replace("$", "")[0]
    assert [lists[f"{column}{row}"].value for row in range(2, 6)] == ["11", "12", "13", "14"]


def test_the_template_uploaded_empty_reads_as_a_workbook_with_nothing_to_import(
    org, make_user, settings, tmp_path
):
    from policylend.imports import services
    from policylend.imports.models import ImportStatus

    from .workbooks import upload

    officer = make_user("credit_officer", org.office_a)
    with override("vi"):
        job = services.import_job_create(actor=officer, upload=upload(template("vi").getvalue()))
    job.refresh_from_db()
    assert job.status == ImportStatus.HAS_PROBLEMS
    assert [p["code"] for p in job.problems] == ["import_nothing_to_import"]
