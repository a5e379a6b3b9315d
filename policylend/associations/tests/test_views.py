"""The association pages: lists with filters, a unit's page, recording units, contracts (percents
typed in Vietnamese), asking for a change of terms, the plan and inspections."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from policylend.approvals.models import ApprovalRequest
from policylend.associations.models import (
    AssociationUnit,
    EntrustmentContract,
    Inspection,
    SupervisionItem,
)


def text(response) -> str:
    return response.content.decode()


def test_the_units_list_filters_and_paginates(units, org, make_user, client_of):
    client = client_of(make_user("branch_manager", org.branch))
    page = client.get(reverse("associations:unit_list"))
    assert page.status_code == 200
    assert "Hội Nông dân xã Vũ Lăng" in text(page) and "Hội Phụ nữ xã Vũ Lăng" in text(page)
    women = client.get(reverse("associations:unit_list"), {"association": units.women.pk})
    assert "Hội Phụ nữ xã Vũ Lăng" in text(women) and "Hội Nông dân xã Vũ Lăng" not in text(women)
    districts = client.get(reverse("associations:unit_list"), {"level": "district"})
    assert "huyện Bắc Sơn" in text(districts) and "xã Vũ Lăng" not in text(districts)
    by_place = client.get(reverse("associations:unit_list"), {"q": "hung vu"})
    assert "Hội Nông dân xã Hưng Vũ" in text(by_place) and "Vũ Lăng" not in text(by_place)
    small = client.get(reverse("associations:unit_list"), {"size": 2, "page": 2})
    assert "Page 2 of 4 (7 rows)" in text(small)


def test_the_menu_leads_to_the_associations(org, make_user, client_of):
    client = client_of(make_user("credit_officer", org.office_a))
    assert reverse("associations:unit_list") in text(client.get("/"))


def test_a_units_page_lists_its_officers_contracts_plan_and_inspections(
    units, org, make_user, client_of, contract_of
):
    lan = make_user("association_officer", org.commune_a1, "11")
    lan.full_name = "Hoàng Thị Lan"
    lan.save(update_fields=["full_name"])
    contract_of(units.commune_a1, number="07/2025/HĐUT")
    page = client_of(make_user("credit_officer", org.office_a)).get(
        reverse("associations:unit_detail", args=[units.commune_a1.pk])
    )
    body = text(page)
    assert "Hoàng Thị Lan" in body
    assert "07/2025/HĐUT" in body
    assert "0 of 0 items done" in body
    assert "Supervision plan 2026" in body  # the year is not written 2,026
    assert reverse("associations:unit_create") not in body  # a credit officer opens no unit


def test_opening_and_editing_a_unit_through_the_pages(units, org, sysadmin, client_of):
    client = client_of(sysadmin)
    form = client.get(reverse("associations:unit_create"), {"unit": org.commune_a2.pk})
    assert form.status_code == 200
    response = client.post(
        reverse("associations:unit_create"),
        {
            "association": units.women.pk,
            "unit": org.commune_a2.pk,
            "name": "Hội Phụ nữ xã Hưng Vũ",
            "chair_name": "Lương Thị Hoa",
        },
    )
    created = AssociationUnit.objects.get(name="Hội Phụ nữ xã Hưng Vũ")
    assert response.status_code == 302
    assert response["Location"] == reverse("associations:unit_detail", args=[created.pk])
    again = client.post(
        reverse("associations:unit_create"),
        {"association": units.women.pk, "unit": org.commune_a2.pk, "name": "x"},
    )
    assert again.status_code == 200 and "already has a unit of this association" in text(again)

    edit = client.post(
        reverse("associations:unit_edit", args=[created.pk]),
        {"name": "Hội LHPN xã Hưng Vũ", "chair_name": "", "phone": "0205 383 3123"},
    )
    assert edit.status_code == 302
    created.refresh_from_db()
    assert (created.name, created.phone) == ("Hội LHPN xã Hưng Vũ", "0205 383 3123")


def test_roles_that_may_not_change_get_403(units, org, make_user, client_of, contract_of):
    contract = contract_of(units.commune_a1)
    officer = client_of(make_user("association_officer", org.commune_a1, "11"))
    for url in (
        reverse("associations:unit_create"),
        reverse("associations:unit_edit", args=[units.commune_a1.pk]),
        reverse("associations:contract_create"),
        reverse("associations:terms_change", args=[contract.pk]),
    ):
        assert officer.get(url).status_code == 403, url
    teller = client_of(make_user("teller", org.office_a))
    assert (
        teller.get(
            reverse("associations:inspection_create", args=[units.commune_a1.pk])
        ).status_code
        == 403
    )
    build = teller.post(
        reverse("associations:unit_plan", args=[units.commune_a1.pk]), {"year": 2026}
    )
    assert build.status_code == 403
    assert not SupervisionItem.objects.exists()


def contract_form(units, **changes):
    return {
        "association_unit": units.commune_a1.pk,
        "bank_unit": "",
        "number": "12/2025/HĐUT",
        "signed_on": "20/12/2024",
        "valid_from": "01/01/2025",
        "valid_to": "",
        "tasks": ["communicate", "form_groups", "urge_repayment"],
        "fee_rate_monthly": "0,045",
        "split_central": "3",
        "split_province": "5",
        "split_district": "8",
        "split_commune": "84",
        **changes,
    }


def test_recording_a_contract_with_percents_typed_in_vietnamese(units, org, sysadmin, client_of):
    client = client_of(sysadmin, language="vi")
    form = client.get(reverse("associations:contract_create"), {"unit": units.commune_a1.pk})
    assert 'value="0,045"' in text(form) and 'value="84"' in text(form)
    response = client.post(reverse("associations:contract_create"), contract_form(units))
    contract = EntrustmentContract.objects.get(number="12/2025/HĐUT")
    assert response.status_code == 302
    assert contract.bank_unit == org.office_a  # filled in: the office signs for its communes
    assert contract.tasks == ["communicate", "form_groups", "urge_repayment"]
    terms = contract.terms.get()
    assert (terms.fee_rate_monthly, terms.split) == (Decimal("0.00045"), [300, 500, 800, 8400])


def test_a_split_that_does_not_add_up_is_refused_naming_the_sum(units, sysadmin, client_of):
    client = client_of(sysadmin, language="vi")
    response = client.post(
        reverse("associations:contract_create"),
        contract_form(units, split_commune="83,5", fee_rate_monthly="0.045"),
    )
    assert response.status_code == 200
    body = text(response)
    assert "0.045" in body and "0,045" in body  # the English mark is refused, the form says how
    response = client.post(
        reverse("associations:contract_create"), contract_form(units, split_commune="83,5")
    )
    assert "99,5 %" in text(response)
    too_fine = client.post(
        reverse("associations:contract_create"), contract_form(units, split_commune="83,555")
    )
    assert "83,555" in text(too_fine)
    assert not EntrustmentContract.objects.exists()


def test_the_contract_page_shows_its_terms_history_and_is_printable(
    units, org, make_user, client_of, contract_of
):
    contract = contract_of(units.commune_a1, number="12/2025/HĐUT")
    client = client_of(make_user("credit_officer", org.office_a), language="vi")
    page = text(client.get(reverse("associations:contract_detail", args=[contract.pk])))
    assert "12/2025/HĐUT" in page
    assert "0,045\u00a0%" in page and "84\u00a0%" in page and "01/01/2025" in page
    assert "window.print()" in page
    assert reverse("associations:terms_change", args=[contract.pk]) in page


def test_asking_for_new_terms_through_the_page_and_approving_them(
    units, org, make_user, client_of, contract_of
):
    contract = contract_of(units.commune_a1, number="12/2025/HĐUT")
    maker = client_of(make_user("credit_officer", org.office_a), language="vi")
    form = maker.get(reverse("associations:terms_change", args=[contract.pk]))
    assert 'value="0,045"' in text(form) and 'value="01/12/2026"' in text(form)
    response = maker.post(
        reverse("associations:terms_change", args=[contract.pk]),
        {
            "effective_from": "01/01/2027",
            "fee_rate_monthly": "0,04",
            "split_central": "2,5",
            "split_province": "5",
            "split_district": "10",
            "split_commune": "82,5",
            "overdue_ratio_above": "2",
            "overdue_reduce_by": "20",
            "note": "Thỏa thuận mới",
        },
    )
    request = ApprovalRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("approvals:detail", args=[request.pk])
    assert request.payload["split_bp"] == [250, 500, 1000, 8250]
    assert request.payload["fee_rate_monthly"] == "0.0004"
    assert request.payload["reductions"] == [{"overdue_ratio_above": "0.02", "reduce_by": "0.2"}]

    checker = client_of(make_user("controller", org.office_a), language="vi")
    detail = text(checker.get(reverse("approvals:detail", args=[request.pk])))
    assert "12/2025/HĐUT" in detail and "0,04\u00a0%" in detail and "82,5\u00a0%" in detail
    assert "01/01/2027" in detail
    checker.post(reverse("approvals:approve", args=[request.pk]), {"note": ""})
    assert contract.terms.count() == 2
    page = text(checker.get(reverse("associations:contract_detail", args=[contract.pk])))
    assert "0,04\u00a0%" in page and "31/12/2026" in page and f"#{request.pk}" in page


def test_half_a_reduction_is_refused_beside_its_field(
    units, org, make_user, client_of, contract_of
):
    contract = contract_of(units.commune_a1)
    maker = client_of(make_user("branch_staff", org.branch))
    response = maker.post(
        reverse("associations:terms_change", args=[contract.pk]),
        {
            "effective_from": "01/01/2027",
            "fee_rate_monthly": "0.04",
            "split_central": "3",
            "split_province": "5",
            "split_district": "8",
            "split_commune": "84",
            "interest_collection_below": "95",
        },
    )
    assert response.status_code == 200
    assert "Give both the condition and the reduction." in text(response)
    assert not ApprovalRequest.objects.exists()


def test_the_plan_is_built_on_its_page_and_an_inspection_marks_it_done(
    units, org, make_user, client_of, make_group
):
    group = make_group(units.commune_a1, name="Tổ TK&VV thôn Quan Hảo")
    other = make_group(units.commune_a1)
    client = client_of(make_user("association_officer", org.commune_a1, "11"))
    plan_url = reverse("associations:unit_plan", args=[units.commune_a1.pk])
    built = client.post(plan_url, {"year": "2026"})
    assert built.status_code == 302 and built["Location"] == f"{plan_url}?year=2026"
    page = text(client.get(plan_url, {"year": 2026}))
    assert "Tổ TK&amp;VV thôn Quan Hảo" in page and "31/12/2026" in page
    assert "0 of 2 items done, 2 left." in page

    form_url = reverse("associations:inspection_create", args=[units.commune_a1.pk])
    assert f"{form_url}?group={group.pk}" in page
    form = client.get(form_url, {"group": group.pk})
    assert form.status_code == 200
    response = client.post(
        form_url,
        {
            "group": group.pk,
            "inspected_on": "20/11/2026",
            "inspector_name": "Hoàng Thị Lan",
            "checked": ["loan_use", "savings", "meeting_minutes"],
            "findings": "Các hộ sử dụng vốn đúng mục đích.",
            "reported_on": "23/11/2026",
        },
    )
    inspection = Inspection.objects.get()
    assert response["Location"] == reverse("associations:inspection_detail", args=[inspection.pk])
    assert SupervisionItem.objects.get(group=group).inspection == inspection
    assert SupervisionItem.objects.get(group=other).inspection is None
    done = text(client.get(plan_url, {"year": 2026, "state": "done"}))
    assert "Tổ TK&amp;VV thôn Quan Hảo" in done and other.name not in done
    detail = text(client.get(response["Location"]))
    assert "Hoàng Thị Lan" in detail and "20/11/2026" in detail


def test_an_inspection_form_shows_the_rules_beside_the_fields(
    units, org, make_user, client_of, make_group
):
    group = make_group(units.commune_a1)
    client = client_of(make_user("association_officer", org.commune_a1, "11"))
    response = client.post(
        reverse("associations:inspection_create", args=[units.commune_a1.pk]),
        {
            "group": group.pk,
            "inspected_on": "20/11/2030",
            "inspector_name": "Lan",
            "checked": [],
            "findings": "",
        },
    )
    body = text(response)
    assert response.status_code == 200
    assert "Tick at least one thing that was checked." in body
    assert "Write the findings." in body
    assert "is after today" in body
    assert not Inspection.objects.exists()


def test_the_inspections_list_filters_by_year(units, org, make_user, client_of, make_group):
    from policylend.associations.services import inspection_record

    officer = make_user("association_officer", org.commune_a1, "11")
    group = make_group(units.commune_a1)
    for day in (date(2025, 5, 4), date(2026, 5, 4)):
        inspection_record(
            actor=officer,
            association_unit=units.commune_a1,
            group=group,
            inspected_on=day,
            inspector_name=f"Inspector {day.year}",
            checked=["loan_use"],
            findings="ok",
            today=date(2026, 11, 25),
        )
    client = client_of(officer)
    both = text(client.get(reverse("associations:inspection_list")))
    assert "04/05/2025" in both and "04/05/2026" in both
    only = text(client.get(reverse("associations:inspection_list"), {"year": 2025}))
    assert "04/05/2025" in only and "04/05/2026" not in only


@pytest.mark.parametrize("language", ["vi", "en", "hi"])
def test_every_page_opens_in_every_language(
    units, org, make_user, client_of, contract_of, make_group, language
):
    contract = contract_of(units.commune_a1)
    make_group(units.commune_a1)
    client = client_of(make_user("system_admin", org.branch), language=language)
    for url in (
        reverse("associations:unit_list"),
        reverse("associations:unit_create"),
        reverse("associations:unit_detail", args=[units.commune_a1.pk]),
        reverse("associations:unit_edit", args=[units.commune_a1.pk]),
        reverse("associations:unit_plan", args=[units.commune_a1.pk]),
        reverse("associations:contract_list"),
        reverse("associations:contract_create"),
        reverse("associations:contract_detail", args=[contract.pk]),
        reverse("associations:inspection_list"),
    ):
        assert client.get(url).status_code == 200, url
