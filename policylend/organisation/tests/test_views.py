"""The organisation pages: what they show, forms in dd/mm/yyyy, errors beside the field."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation

from policylend.organisation.forms import AsOnForm, UnitMoveForm
from policylend.organisation.models import OrganisationUnit, TransactionPoint, UnitParentPeriod


def url(name, *args):
    return reverse(f"organisation:{name}", args=args)


@pytest.mark.parametrize("language", ["vi", "en"])
def test_forms_read_dd_mm_yyyy(language):
    with translation.override(language):
        form = AsOnForm({"on": "05/03/2025"})
        assert form.is_valid(), form.errors
        assert form.cleaned_data["on"] == date(2025, 3, 5)


def test_anonymous_is_sent_to_login(org, client):
    for name, args in [
        ("tree", ()),
        ("unit_list", ()),
        ("unit_detail", (org.commune_a1.pk,)),
        ("point_list", ()),
    ]:
        response = client.get(url(name, *args))
        assert response.status_code == 302
        assert reverse("users:login") in response["Location"]


# --- tree -------------------------------------------------------------------------------------------


def test_tree_shows_down_to_communes_and_loads_villages_on_demand(org, sysadmin, client_of):
    client = client_of(sysadmin)
    response = client.get(url("tree"))
    html = response.content.decode()
    assert response.status_code == 200
    for name in ("Lạng Sơn", "Bắc Sơn", "Bình Gia", "Vũ Lăng", "Tân Văn"):
        assert name in html
    assert "Thôn 1 Vũ Lăng" not in html  # villages load when their commune is opened
    children_url = url("unit_children", org.commune_a1.pk)
    assert f'hx-get="{children_url}"' in html
    assert f'href="{url("unit_detail", org.commune_a1.pk)}#children"' in html  # without JavaScript

    fragment = client.get(children_url, HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200
    assert "<html" not in fragment.content.decode()
    assert "Thôn 1 Vũ Lăng" in fragment.content.decode()
    assert "Thôn 1 Hưng Vũ" not in fragment.content.decode()

    plain = client.get(children_url)
    assert plain.status_code == 302
    assert plain["Location"] == url("unit_detail", org.commune_a1.pk)


def test_tree_of_an_office_user_is_their_office(org, officer_a, client_of):
    html = client_of(officer_a).get(url("tree")).content.decode()
    assert "Bắc Sơn" in html and "Vũ Lăng" in html
    assert "Bình Gia" not in html and "Hoàng Văn Thụ" not in html
    assert url("unit_create") not in html


def test_home_page_uses_the_tree_nodes(org, officer_a, client_of):
    response = client_of(officer_a).get(reverse("core:home"))
    assert response.status_code == 200
    assert "Vũ Lăng" in response.content.decode()


# --- list and detail --------------------------------------------------------------------------------


def test_unit_list_filters(org, sysadmin, client_of):
    client = client_of(sysadmin)
    html = client.get(url("unit_list"), {"kind": "commune"}).content.decode()
    assert "206001" in html and "207002" in html and "20600101" not in html
    html = client.get(url("unit_list"), {"q": "2070"}).content.decode()
    assert "207001" in html and "206001" not in html
    html = client.get(url("unit_list"), {"q": "Hưng"}).content.decode()
    assert "Hưng Vũ" in html and "Tân Văn" not in html
    assert url("unit_detail", org.commune_a2.pk) in html
    response = client.get(url("unit_list"), {"kind": "nonsense", "page": "x"})
    assert response.status_code == 200


def test_unit_list_is_paginated(org, sysadmin, client_of):
    response = client_of(sysadmin).get(url("unit_list"), {"size": 5})
    assert len(response.context["page"].object_list) == 5
    assert response.context["page"].paginator.count == OrganisationUnit.objects.count()
    assert 'rel="next"' in response.content.decode()


def test_unit_detail_facts_breadcrumb_children_point_and_buttons(
    org, sysadmin, officer_a, client_of
):
    commune = org.commune_a1
    html = client_of(sysadmin).get(url("unit_detail", commune.pk)).content.decode()
    assert "206001" in html and "Vũ Lăng" in html and "01/01/2020" in html
    assert url("unit_detail", org.office_a.pk) in html  # breadcrumb
    assert "Thôn 1 Vũ Lăng" in html and "Thôn 2 Vũ Lăng" in html
    assert "TXN206001" in html
    for name in ("unit_edit", "unit_move", "commune_merge", "unit_close"):
        assert url(name, commune.pk) in html

    html = client_of(officer_a).get(url("unit_detail", commune.pk)).content.decode()
    assert "Vũ Lăng" in html
    for name in ("unit_edit", "unit_move", "commune_merge", "unit_close"):
        assert url(name, commune.pk) not in html
    # the branch is above the officer's scope: named in the breadcrumb, not linked
    assert "Lạng Sơn" in html and url("unit_detail", org.branch.pk) not in html


def test_unit_detail_history_and_children_as_on_a_date(org, sysadmin, client_of):
    from policylend.organisation import services

    village = org.villages["20600101"]
    services.unit_move(
        unit=village,
        new_parent=org.commune_a2,
        effective_on=date(2025, 3, 5),
        actor=sysadmin,
        reason="NQ 7",
    )
    client = client_of(sysadmin)

    html = client.get(url("unit_detail", org.commune_a1.pk), {"on": "04/03/2025"}).content.decode()
    # the village belonged to Vũ Lăng until the day before the move
    assert "01/01/2020" in html and "04/03/2025" in html
    section = html[html.index('id="as-on"') :]
    assert "Thôn 1 Vũ Lăng" in section

    html = client.get(url("unit_detail", org.commune_a1.pk), {"on": "05/03/2025"}).content.decode()
    section = html[html.index('id="as-on"') :]
    assert "Thôn 1 Vũ Lăng" not in section and "Thôn 2 Vũ Lăng" in section

    html = client.get(url("unit_detail", village.pk)).content.decode()
    assert "Vũ Lăng" in html and "Hưng Vũ" in html and "04/03/2025" in html and "05/03/2025" in html
    assert "NQ 7" in html

    response = client.get(url("unit_detail", org.commune_a1.pk), {"on": "31/02/2025"})
    assert response.status_code == 200
    assert response.context["as_on_form"].errors


# --- forms ------------------------------------------------------------------------------------------


def test_create_commune(org, sysadmin, client_of):
    client = client_of(sysadmin)
    form_page = client.get(url("unit_create"), {"kind": "commune", "parent": org.office_a.pk})
    assert form_page.status_code == 200
    parents = form_page.context["form"].fields["parent"].queryset
    assert set(parents) == {org.office_a, org.office_b}

    response = client.post(
        url("unit_create"),
        {
            "kind": "commune",
            "parent": org.office_a.pk,
            "code": "206003",
            "name": "Tân Lập",
            "address": "",
            "opened_on": "05/03/2025",
        },
    )
    unit = OrganisationUnit.objects.get(code="206003")
    assert response.status_code == 302 and response["Location"] == url("unit_detail", unit.pk)
    assert unit.opened_on == date(2025, 3, 5) and unit.parent == org.office_a
    followed = client.get(response["Location"])
    assert "Tân Lập" in " ".join(str(m) for m in followed.context["messages"])


def test_create_with_bad_code_shows_the_rule_beside_the_field(org, sysadmin, client_of):
    count = OrganisationUnit.objects.count()
    response = client_of(sysadmin, "en").post(
        url("unit_create"),
        {
            "kind": "commune",
            "parent": org.office_a.pk,
            "code": "2060",
            "name": "Tân Lập",
            "opened_on": "05/03/2025",
        },
    )
    assert response.status_code == 200
    assert "6 digits" in " ".join(response.context["form"].errors["code"])
    assert 'class="error"' in response.content.decode()
    assert OrganisationUnit.objects.count() == count


def test_edit_unit(org, sysadmin, client_of):
    response = client_of(sysadmin).post(
        url("unit_edit", org.commune_a1.pk), {"name": "Vũ Lăng (mới)", "address": "UBND"}
    )
    assert response.status_code == 302
    org.commune_a1.refresh_from_db()
    assert org.commune_a1.name == "Vũ Lăng (mới)"

    response = client_of(sysadmin).post(
        url("unit_edit", org.commune_a1.pk), {"name": "", "address": ""}
    )
    assert response.status_code == 200 and response.context["form"].errors["name"]


def test_move_reads_the_date_as_day_month_year(org, sysadmin, client_of):
    village = org.villages["20600101"]
    page = client_of(sysadmin).get(url("unit_move", village.pk))
    assert set(page.context["form"].fields["new_parent"].queryset) == {
        org.commune_a2,
        org.commune_b1,
        org.commune_b2,
    }

    response = client_of(sysadmin).post(
        url("unit_move", village.pk),
        {
            "new_parent": org.commune_a2.pk,
            "effective_on": "05/03/2025",
            "reason": "QĐ 5/2025",
        },
    )
    assert response.status_code == 302
    period = UnitParentPeriod.objects.get(unit=village, valid_to__isnull=True)
    assert (period.parent, period.valid_from, period.reason) == (
        org.commune_a2,
        date(2025, 3, 5),
        "QĐ 5/2025",
    )


def test_move_date_before_history_is_shown_beside_the_date(org, sysadmin, client_of):
    village = org.villages["20600101"]
    response = client_of(sysadmin).post(
        url("unit_move", village.pk),
        {
            "new_parent": org.commune_a2.pk,
            "effective_on": "01/01/2020",
            "reason": "x",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["effective_on"]
    village.refresh_from_db()
    assert village.parent == org.commune_a1


def test_merge_from_the_source_page(org, sysadmin, client_of):
    source = org.commune_a2
    page = client_of(sysadmin).get(url("commune_merge", source.pk))
    assert set(page.context["form"].fields["target"].queryset) == {
        org.commune_a1,
        org.commune_b1,
        org.commune_b2,
    }
    response = client_of(sysadmin).post(
        url("commune_merge", source.pk),
        {
            "target": org.commune_a1.pk,
            "effective_on": "01/07/2025",
            "reason": "NQ 1/2025",
        },
    )
    assert response.status_code == 302 and response["Location"] == url(
        "unit_detail", org.commune_a1.pk
    )
    source.refresh_from_db()
    assert (source.status, source.merged_into, source.closed_on) == (
        "merged",
        org.commune_a1,
        date(2025, 7, 1),
    )

    html = client_of(sysadmin).get(url("unit_detail", source.pk)).content.decode()
    assert url("commune_merge", source.pk) not in html  # no buttons on a merged commune
    assert url("unit_detail", org.commune_a1.pk) in html


def test_merge_page_only_for_communes(org, sysadmin, client_of):
    assert (
        client_of(sysadmin).get(url("commune_merge", org.villages["20600101"].pk)).status_code
        == 404
    )


def test_close_refused_shows_the_reason(org, sysadmin, client_of):
    response = client_of(sysadmin).post(
        url("unit_close", org.commune_a1.pk), {"closed_on": "05/03/2025"}
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    org.commune_a1.refresh_from_db()
    assert org.commune_a1.status == "active"

    village = org.villages["20600101"]
    response = client_of(sysadmin).post(url("unit_close", village.pk), {"closed_on": "05/03/2025"})
    assert response.status_code == 302
    village.refresh_from_db()
    assert (village.status, village.closed_on) == ("closed", date(2025, 3, 5))


# --- transaction points -----------------------------------------------------------------------------


def test_point_list_and_detail(org, officer_a, client_of):
    client = client_of(officer_a)
    html = client.get(url("point_list")).content.decode()
    assert "TXN206001" in html and "TXN206002" in html and "TXN207001" not in html
    html = client.get(url("point_list"), {"session_day": 21}).content.decode()
    assert "TXN206001" in html and "TXN206002" not in html
    point = org.points["206001"]
    html = client.get(url("point_detail", point.pk)).content.decode()
    assert "Vũ Lăng" in html and "21" in html and "Bắc Sơn" in html
    assert url("point_edit", point.pk) not in html


def test_point_create_and_edit(org, sysadmin, client_of):
    from policylend.organisation import services

    commune = services.unit_create(
        kind="commune",
        code="206003",
        name="Tân Lập",
        parent=org.office_a,
        opened_on=date(2024, 1, 1),
        actor=sysadmin,
    )
    client = client_of(sysadmin)
    page = client.get(url("point_create"), {"commune": commune.pk})
    assert list(page.context["form"].fields["commune"].queryset) == [commune]
    assert page.context["form"].initial["code"] == "TXN206003"

    response = client.post(
        url("point_create"),
        {
            "commune": commune.pk,
            "code": "TXN206003",
            "name": "Điểm giao dịch xã Tân Lập",
            "session_day": "12",
            "address": "UBND xã Tân Lập",
            "opened_on": "05/03/2025",
        },
    )
    point = TransactionPoint.objects.get(code="TXN206003")
    assert response.status_code == 302 and response["Location"] == url("point_detail", point.pk)
    assert (point.session_day, point.opened_on) == (12, date(2025, 3, 5))

    response = client.post(
        url("point_edit", point.pk), {"name": point.name, "session_day": "29", "address": "UBND"}
    )
    assert response.status_code == 200
    assert "29" in " ".join(response.context["form"].errors["session_day"])
    point.refresh_from_db()
    assert point.session_day == 12

    response = client.post(
        url("point_edit", point.pk), {"name": point.name, "session_day": "28", "address": "UBND"}
    )
    assert response.status_code == 302
    point.refresh_from_db()
    assert point.session_day == 28


# --- languages --------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["tree", "unit_list", "point_list", "unit_create", "point_create"])
@pytest.mark.parametrize("language", ["vi", "en"])
def test_pages_render_in_each_language(org, sysadmin, client_of, name, language):
    client = client_of(sysadmin)
    client.cookies["policylend_language"] = language
    response = client.get(url(name))
    assert response.status_code == 200
    assert f'<html lang="{language}">' in response.content.decode()


@pytest.mark.parametrize("language", ["vi", "en"])
def test_detail_pages_render_in_each_language(org, sysadmin, client_of, language):
    client = client_of(sysadmin, language)
    for name, pk in [
        ("unit_detail", org.commune_a1.pk),
        ("unit_detail", org.villages["20600101"].pk),
        ("unit_move", org.commune_a1.pk),
        ("commune_merge", org.commune_a1.pk),
        ("unit_close", org.commune_a1.pk),
        ("unit_edit", org.branch.pk),
        ("point_detail", org.points["206001"].pk),
        ("point_edit", org.points["206001"].pk),
    ]:
        response = client.get(url(name, pk), {"on": "05/03/2025"} if name == "unit_detail" else {})
        assert response.status_code == 200, name
        assert f'<html lang="{language}">' in response.content.decode()
        assert "01/01/2020" in response.content.decode() or name not in (
            "unit_detail",
            "point_detail",
        )


def test_move_form_in_english_reads_day_first(org):
    with translation.override("en"):
        form = UnitMoveForm(
            {"new_parent": org.commune_a2.pk, "effective_on": "05/03/2025", "reason": "x"},
            parents=OrganisationUnit.objects.filter(kind="commune"),
        )
        assert form.is_valid(), form.errors
        assert form.cleaned_data["effective_on"] == date(2025, 3, 5)


def test_create_form_offers_parents_of_the_kind_and_names_the_rule(org, sysadmin, client_of):
    client = client_of(sysadmin)
    page = client.get(url("unit_create"), {"kind": "village", "code": "20600103", "name": "Thôn 3"})
    assert set(page.context["form"].fields["parent"].queryset) == {
        org.commune_a1,
        org.commune_a2,
        org.commune_b1,
        org.commune_b2,
    }
    assert page.context["form"].initial["code"] == "20600103"
    assert 'hx-get="/organisation/units/new/"' in page.content.decode()

    response = client_of(sysadmin, "en").post(
        url("unit_create"),
        {
            "kind": "village",
            "parent": org.office_a.pk,
            "code": "20600103",
            "name": "Thôn 3",
            "opened_on": "05/03/2025",
        },
    )
    assert response.status_code == 200
    assert "must sit under a commune" in " ".join(response.context["form"].errors["parent"])
    assert not OrganisationUnit.objects.filter(code="20600103").exists()


def test_admin_is_read_only(org, db, client):
    from policylend.users.models import User

    root = User.objects.create_superuser(
        "root", password="Correct-horse-battery-9", role="system_admin"
    )
    client.force_login(root)
    for model in ("organisationunit", "unitparentperiod", "transactionpoint"):
        assert client.get(f"/admin/organisation/{model}/").status_code == 200, model
        assert client.get(f"/admin/organisation/{model}/add/").status_code == 403, model
    page = client.get(f"/admin/organisation/organisationunit/{org.commune_a1.pk}/change/")
    assert page.status_code == 200
    assert 'name="name"' not in page.content.decode()
    delete = client.post(
        f"/admin/organisation/organisationunit/{org.commune_a1.pk}/delete/", {"post": "yes"}
    )
    assert delete.status_code == 403
    assert OrganisationUnit.objects.filter(pk=org.commune_a1.pk).exists()
