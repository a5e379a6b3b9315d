"""Every list exported to Excel holds what its reader may see and nothing else: office A's export
never contains office B's rows; national IDs are masked for a role that may not see them (and
logged when shown in full); what a user typed is never evaluated as a formula."""

import io

import pytest
from openpyxl import load_workbook

from conftest import PASSWORD
from policylend.households.models import NationalIdView
from policylend.households.services import PersonInput, household_create


def add_household(village, n, **extra):
    return household_create(
        actor=None,
        village=village,
        head=PersonInput(
            full_name={1: "Hoàng Văn Sơn", 2: "Lý Thị Đào"}[n],
            sex="male",
            relationship="head",
            national_id=f"0201000000{n:02d}",
        ),
        **extra,
    )


@pytest.fixture
def households(org):
    return {
        "a": add_household(org.villages["20600101"], 1, address='=HYPERLINK("http://evil")'),
        "b": add_household(org.villages["20700101"], 2, address="+84 Tân Văn"),
    }


def export(client, user, name, **params):
    client.force_login(user)
    client.cookies["policylend_language"] = "en"
    response = client.get(f"/exports/{name}.xlsx", params)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = book.active
    return [list(row) for row in sheet.iter_rows()]


def values(rows):
    return [[cell.value for cell in row] for row in rows]


def test_households_export_is_scoped_and_shows_ids_to_a_role_that_may_see_them(
    client, org, make_user, households
):
    officer = make_user("credit_officer", org.office_a)
    rows = export(client, officer, "households")
    codes = [row[0].value for row in rows[1:]]
    assert codes == [households["a"].code]
    assert rows[1][4].value == "020100000001"
    # the full ID was logged as a viewing
    assert NationalIdView.objects.filter(viewer=officer, person=households["a"].head).count() == 1


def test_households_export_masks_ids_for_a_role_that_may_not_see_them(
    client, org, make_user, households
):
    officer = make_user("association_officer", org.office_a, association_code="11")
    rows = values(export(client, officer, "households"))
    assert rows[1][4] == "•••••••• 0001"
    assert not any("020100000001" in str(cell) for row in rows for cell in row)
    assert not NationalIdView.objects.exists()


def test_what_a_user_typed_is_never_a_formula(client, org, make_user, households):
    staff = make_user("branch_staff", org.branch)
    rows = export(client, staff, "households")
    address = {row[0].value: row[7] for row in rows[1:]}
    for household in households.values():
        cell = address[household.code]
        assert cell.data_type == "s" and cell.quotePrefix
        assert cell.value == household.address


def test_households_export_takes_the_filters_of_the_list_by_post(
    client, org, make_user, households
):
    staff = make_user("branch_staff", org.branch)
    client.force_login(staff)
    response = client.post("/exports/households.xlsx", {"q": "ly thi dao"})
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert [row[0].value for row in book.active.iter_rows(min_row=2)] == [households["b"].code]


@pytest.mark.parametrize(
    ("name", "visible", "hidden"),
    [
        ("units", "Bắc Sơn", "Bình Gia"),
        ("points", "TXN206001", "TXN207001"),
    ],
)
def test_organisation_exports_are_scoped(client, org, make_user, name, visible, hidden):
    teller = make_user("teller", org.office_a)
    text = str(values(export(client, teller, name)))
    assert visible in text and hidden not in text


def test_groups_and_association_units_exports_are_scoped(client, org, make_user, households):
    from policylend.associations.models import Association
    from policylend.associations.services import association_unit_create

    for commune in (org.commune_a1, org.commune_b1):
        association_unit_create(
            actor=None,
            association=Association.objects.get(code="12"),
            unit=commune,
            name=f"Hội Phụ nữ {commune.name}",
        )
    teller = make_user("teller", org.office_a)
    text = str(values(export(client, teller, "association-units")))
    assert "Vũ Lăng" in text and "Hoàng Văn Thụ" not in text
    assert values(export(client, teller, "groups"))[0][0] == "Group code"


def test_users_export_needs_the_right_to_manage_users(client, org, make_user):
    admin = make_user("system_admin", org.branch, username="admin.langson")
    assert "admin.langson" in str(values(export(client, admin, "users")))
    teller = make_user("teller", org.office_a)
    client.force_login(teller)
    assert client.get("/exports/users.xlsx").status_code == 403


def test_an_unknown_export_is_not_found(client, org, make_user):
    client.force_login(make_user("teller", org.office_a))
    assert client.get("/exports/everything.xlsx").status_code == 404


def test_exports_need_a_login(client):
    response = client.get("/exports/households.xlsx")
    assert response.status_code == 302


def test_the_api_exports_with_the_same_scope(client, org, make_user, households):
    officer = make_user("credit_officer", org.office_a)
    client.force_login(officer)
    response = client.get("/api/v1/exports/households.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert [row[0].value for row in book.active.iter_rows(min_row=2)] == [households["a"].code]
    assert PASSWORD


@pytest.mark.parametrize(
    ("role", "url", "export"),
    [
        ("branch_staff", "/households/", "/exports/households.xlsx"),
        ("branch_staff", "/groups/", "/exports/groups.xlsx"),
        ("branch_staff", "/associations/", "/exports/association-units.xlsx"),
        ("teller", "/organisation/units/", "/exports/units.xlsx"),
        ("teller", "/organisation/points/", "/exports/points.xlsx"),
        ("system_admin", "/users/", "/exports/users.xlsx"),
    ],
)
def test_each_list_offers_its_excel_export(client, org, make_user, role, url, export):
    unit = org.office_a if role == "teller" else org.branch
    client.force_login(make_user(role, unit))
    response = client.get(url)
    assert response.status_code == 200
    assert export in response.content.decode()
