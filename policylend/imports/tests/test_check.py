"""The preview: every row checked with the registers' rules, problems at their row and column in
the reader's language, nothing written to the registers."""

import pytest
from django.utils.translation import override

from policylend.groups.models import GroupMembership, SavingsGroup
from policylend.households.models import Household, Person
from policylend.imports import services
from policylend.imports.models import ImportRow, ImportStatus, RowOutcome

from .workbooks import household, upload, workbook_bytes

BAD = {
    4: {"national_id": "02000000001"},  # 11 digits (row 4: the third household)
    6: {"sex": "X"},
    7: {"birth_date": "31/02/1980"},
}


def rows_with(bad: dict[int, dict]) -> list[dict]:
    rows = []
    for n in range(8):
        row = household(n)
        rows.append({**row, **bad.get(n + 2, {})})
    return rows


def checked(officer, content, language="en"):
    with override(language):
        job = services.import_job_create(actor=officer, upload=upload(content))
    job.refresh_from_db()
    return job


def problems_of(job) -> dict[int, list[dict]]:
    return {
        row.row_number: row.problems
        for row in ImportRow.objects.filter(job=job, outcome=RowOutcome.PROBLEM)
    }


def test_a_workbook_with_three_bad_rows_lists_exactly_those_rows(org, officer):
    # given a workbook of 8 households, 3 of them wrong
    job = checked(officer, workbook_bytes(households=rows_with(BAD)))

    # then the preview lists exactly rows 4, 6 and 7 with the column and the rule
    assert job.status == ImportStatus.HAS_PROBLEMS
    assert (job.rows_total, job.rows_with_problems, job.rows_new) == (8, 3, 5)
    found = problems_of(job)
    assert sorted(found) == [4, 6, 7]
    assert [(p["field"], p["code"]) for p in found[4]] == [
        ("national_id", "household_national_id_format")
    ]
    assert [(p["field"], p["code"]) for p in found[6]] == [("sex", "import_choice")]
    assert [(p["field"], p["code"]) for p in found[7]] == [("birth_date", "import_date_format")]
    # each message in English and in Vietnamese, as each language's catalog has it
    message = found[4][0]["messages"]
    assert "12 digits" in message["en"]
    with override("vi"):
        from django.utils.translation import gettext

        assert message["vi"] == gettext(
            "A national ID has exactly 12 digits; the one entered has %(n)d."
        ) % {"n": 11}
    # and nothing reached the registers
    assert Household.objects.count() == 0 and Person.objects.count() == 0


def test_the_preview_of_a_good_workbook_writes_nothing(org, officer):
    job = checked(officer, workbook_bytes(households=rows_with({})))
    assert job.status == ImportStatus.CHECKED
    assert (job.rows_total, job.rows_new, job.rows_with_problems) == (8, 8, 0)
    assert Household.objects.count() == 0


def test_a_village_outside_the_uploaders_scope_is_a_problem(org, officer):
    # given office A's officer and a row in a village of office B
    rows = [household(0), household(1, village="20700101")]
    job = checked(officer, workbook_bytes(households=rows))
    found = problems_of(job)
    assert list(found) == [3]
    assert [(p["field"], p["code"]) for p in found[3]] == [
        ("village_code", "import_village_outside_scope")
    ]


def test_an_unknown_village_and_repeats_inside_the_file(org, officer):
    rows = [
        household(0, customer_code="2060010001"),
        household(1, customer_code="2060010001"),  # the same code again
        {**household(2), "national_id": household(0)["national_id"]},  # the same ID again
        household(3, village="99999999"),
    ]
    job = checked(officer, workbook_bytes(households=rows))
    found = problems_of(job)
    assert sorted(found) == [3, 4, 5]
    assert [p["code"] for p in found[3]] == ["import_repeated_in_file"]
    assert [p["code"] for p in found[4]] == ["import_repeated_in_file"]
    assert [p["code"] for p in found[5]] == ["import_village_unknown"]


def test_headers_in_any_language_are_read(org, officer):
    for language in ("vi", "en", "hi"):
        job = checked(officer, workbook_bytes(language, households=rows_with({})), language)
        assert job.status == ImportStatus.CHECKED, (language, job.problems)


def test_a_column_that_is_not_in_the_template_is_a_problem_of_the_file(org, officer):
    import io

    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(workbook_bytes(households=rows_with({}))))
    book.active.cell(row=1, column=12, value="Favourite colour")
    buffer = io.BytesIO()
    book.save(buffer)
    job = checked(officer, buffer.getvalue())
    assert job.status == ImportStatus.HAS_PROBLEMS
    assert [p["code"] for p in job.problems] == ["import_column_unknown"]
    assert "Favourite colour" in job.problems[0]["messages"]["en"]


def test_progress_counters_advance_while_checking(org, officer, monkeypatch):
    # given the preview's rows stored 3 at a time
    monkeypatch.setattr(services, "ROWS_SAVED_PER_BATCH", 3)
    seen = []
    original = services._RowWriter.flush

    def flush(self):
        original(self)
        seen.append(services.ImportJob.objects.get(pk=self.job.pk).rows_done)

    monkeypatch.setattr(services._RowWriter, "flush", flush)
    job = checked(officer, workbook_bytes(households=rows_with({})))
    # then the job's counter went 3, 6, 8 of 8, each step written as it went
    assert [n for n in seen if n] == [3, 6, 8]
    assert (job.rows_done, job.rows_total) == (8, 8)


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("list.csv", b"PK\x03\x04rest", "import_file_not_xlsx"),
        ("list.xlsx", b"not a zip", "import_file_not_xlsx"),
        ("list.xlsx", b"", "import_file_empty"),
    ],
)
def test_only_xlsx_files_are_received(org, officer, name, content, code):
    from policylend.core.errors import DomainError

    with pytest.raises(DomainError) as caught:
        services.import_job_create(actor=officer, upload=upload(content, name))
    assert caught.value.code == code


def test_a_file_over_the_size_limit_is_refused(org, officer, monkeypatch):
    from policylend.core.errors import DomainError

    monkeypatch.setattr(services, "FILE_SIZE_MAX", 100)
    with pytest.raises(DomainError) as caught, override("en"):
        services.import_job_create(actor=officer, upload=upload(workbook_bytes(households=[])))
    assert caught.value.code == "import_file_too_large"
    assert "MB" in caught.value.message


def test_a_sheet_over_the_row_limit_is_a_problem_of_the_file(org, officer, monkeypatch):
    from policylend.imports import layout

    monkeypatch.setattr(layout, "ROWS_MAX", 5)
    job = checked(officer, workbook_bytes(households=rows_with({})))
    assert job.status == ImportStatus.HAS_PROBLEMS
    assert [p["code"] for p in job.problems] == ["import_too_many_rows"]


def test_a_role_that_may_not_import_is_refused(org, make_user):
    from policylend.core.errors import Forbidden

    teller = make_user("teller", org.office_a)
    with pytest.raises(Forbidden):
        services.import_job_create(actor=teller, upload=upload(workbook_bytes(households=[])))
    assert not SavingsGroup.objects.exists() and not GroupMembership.objects.exists()


def test_a_workbook_too_large_once_unpacked_is_refused_before_reading(org, officer, monkeypatch):
    from policylend.imports.checking import records

    monkeypatch.setattr(records, "UNZIPPED_SIZE_MAX", 1000)
    job = checked(officer, workbook_bytes(households=rows_with({})))
    assert job.status == ImportStatus.HAS_PROBLEMS
    assert [p["code"] for p in job.problems] == ["import_file_too_large"]


def test_a_text_longer_than_its_column_allows_is_a_problem(org, officer):
    rows = rows_with({})
    rows[0]["address"] = "x" * 201
    job = checked(officer, workbook_bytes(households=rows))
    assert [(p["field"], p["code"]) for p in problems_of(job)[2]] == [
        ("address", "import_text_too_long")
    ]
