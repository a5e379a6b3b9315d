"""The import pages: upload, preview in the reader's language, confirm; a user's imports are
theirs alone."""

import pytest

from policylend.households.models import Household
from policylend.imports.models import ImportJob, ImportStatus

from .workbooks import household, upload, workbook_bytes


def bad_workbook() -> bytes:
    rows = [household(n) for n in range(6)]
    rows[0]["national_id"] = "0201"
    rows[2]["sex"] = "X"
    rows[4]["birth_date"] = "32/01/1990"
    return workbook_bytes("vi", households=rows)


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


def upload_file(client, content: bytes, name="ho.xlsx"):
    return client.post("/imports/", {"file": upload(content, name)})


def test_the_import_page_offers_the_template_and_the_upload(officer_client):
    officer_client.cookies["policylend_language"] = "en"
    page = officer_client.get("/imports/").content.decode()
    assert "/imports/template.xlsx" in page and 'type="file"' in page
    response = officer_client.get("/imports/template.xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")


def test_uploading_shows_the_preview_with_the_problems_in_the_readers_language(officer_client, org):
    response = upload_file(officer_client, bad_workbook())
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/imports/{job.pk}/"
    assert job.status == ImportStatus.HAS_PROBLEMS

    for language in ("en", "vi"):
        officer_client.cookies["policylend_language"] = language
        page = officer_client.get(f"/imports/{job.pk}/").content.decode()
        for row in job.rows.filter(outcome="problem"):
            for problem in row.problems:
                assert problem["messages"][language] in page
    assert 'id="confirm-import"' not in page
    assert Household.objects.count() == 0


def test_a_clean_file_is_imported_on_confirmation(officer_client, org):
    upload_file(officer_client, workbook_bytes(households=[household(n) for n in range(3)]))
    job = ImportJob.objects.get()
    officer_client.cookies["policylend_language"] = "en"
    page = officer_client.get(f"/imports/{job.pk}/").content.decode()
    assert 'id="confirm-import"' in page and "Import 3 new rows" in page
    response = officer_client.post(f"/imports/{job.pk}/confirm/")
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportStatus.IMPORTED and Household.objects.count() == 3
    page = officer_client.get(f"/imports/{job.pk}/").content.decode()
    assert "Imported: 3 households" in page


def test_the_progress_block_asks_for_a_reload_once_the_job_is_done(officer_client, org):
    upload_file(officer_client, workbook_bytes(households=[household(0)]))
    job = ImportJob.objects.get()
    response = officer_client.get(f"/imports/{job.pk}/progress/?running=1")
    assert response.status_code == 204 and response["HX-Refresh"] == "true"
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.CHECKING, rows_done=4, rows_total=10
    )
    officer_client.cookies["policylend_language"] = "en"
    block = officer_client.get(f"/imports/{job.pk}/progress/?running=1").content.decode()
    assert "4 of 10 rows done" in block and 'hx-trigger="every 2s"' in block


def test_another_users_import_does_not_exist_for_me(client, org, make_user, officer):
    client.force_login(officer)
    upload_file(client, workbook_bytes(households=[household(0)]))
    job = ImportJob.objects.get()
    client.force_login(make_user("credit_officer", org.office_a))
    assert client.get(f"/imports/{job.pk}/").status_code == 404
    assert client.post(f"/imports/{job.pk}/confirm/").status_code == 404


def test_a_role_that_may_not_import_gets_403(client, org, make_user):
    client.force_login(make_user("teller", org.office_a))
    assert client.get("/imports/").status_code == 403


def test_a_file_that_is_not_a_workbook_is_refused_beside_the_field(officer_client):
    officer_client.cookies["policylend_language"] = "en"
    response = upload_file(officer_client, b"name,phone\n", "list.csv")
    assert response.status_code == 200
    assert "Only Excel workbooks (.xlsx)" in response.content.decode()
    assert not ImportJob.objects.exists()
