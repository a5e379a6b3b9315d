"""Imports in the API: upload, follow, read the rows, confirm."""

from policylend.households.models import Household

from .workbooks import household, upload, workbook_bytes


def test_upload_read_and_confirm_through_the_api(client, org, officer):
    client.force_login(officer)
    client.cookies["policylend_language"] = "en"
    rows = [household(n) for n in range(3)]
    rows[1]["national_id"] = "99"
    response = client.post("/api/v1/imports", {"file": upload(workbook_bytes(households=rows))})
    assert response.status_code == 201, response.content
    job = response.json()
    assert job["status"] == "has_problems" and job["rows_with_problems"] == 1

    detail = client.get(f"/api/v1/imports/{job['id']}", {"outcome": "problem"}).json()
    assert detail["rows_count"] == 1
    [row] = detail["rows"]
    assert (row["sheet"], row["row"]) == ("households", 3)
    assert row["problems"][0]["field"] == "national_id"
    assert "12 digits" in row["problems"][0]["message"]

    refused = client.post(f"/api/v1/imports/{job['id']}/confirm")
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["code"] == "import_job_has_problems"

    good = client.post(
        "/api/v1/imports",
        {"file": upload(workbook_bytes(households=[household(n) for n in range(3)]))},
    ).json()
    confirmed = client.post(f"/api/v1/imports/{good['id']}/confirm")
    assert confirmed.status_code == 202
    assert client.get(f"/api/v1/imports/{good['id']}").json()["status"] == "imported"
    assert Household.objects.count() == 3


def test_page_size_is_limited(client, org, officer):
    client.force_login(officer)
    response = client.post(
        "/api/v1/imports", {"file": upload(workbook_bytes(households=[household(0)]))}
    )
    job = response.json()
    assert client.get(f"/api/v1/imports/{job['id']}", {"size": 500}).status_code == 422


def test_another_users_import_is_404_in_the_api(client, org, make_user, officer):
    client.force_login(officer)
    job = client.post(
        "/api/v1/imports", {"file": upload(workbook_bytes(households=[household(0)]))}
    ).json()
    client.force_login(make_user("credit_officer", org.office_a))
    assert client.get(f"/api/v1/imports/{job['id']}").status_code == 404
