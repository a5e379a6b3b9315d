"""Scope: an association officer sees only their own association's units inside their scope
unit; bank staff see every association inside theirs. Outside: 404 in the selectors, the pages
and the API, exactly as for an id that does not exist."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from policylend.associations import selectors
from policylend.associations.models import AssociationUnit
from policylend.core.errors import NotFound


def names(queryset):
    return {unit.name for unit in queryset}


def test_a_farmers_officer_of_office_a_sees_only_the_farmers_units_of_office_a(
    units, org, make_user
):
    officer = make_user("association_officer", org.office_a, "11")
    assert set(selectors.association_unit_list(officer)) == {
        units.district_a,
        units.commune_a1,
        units.commune_a2,
    }
    for hidden in (units.women_a1, units.province, units.district_b, units.commune_b1):
        with pytest.raises(NotFound):
            selectors.association_unit_get(officer, hidden.pk)
    assert list(selectors.association_list(officer)) == [units.farmers]


def test_a_womens_officer_of_a_commune_sees_only_that_unit(units, org, make_user):
    officer = make_user("association_officer", org.commune_a1, "12")
    assert list(selectors.association_unit_list(officer)) == [units.women_a1]
    with pytest.raises(NotFound):
        selectors.association_unit_get(officer, units.commune_a1.pk)


def test_staff_see_every_association_in_their_scope(units, org, make_user):
    officer_a = make_user("credit_officer", org.office_a)
    assert set(selectors.association_unit_list(officer_a)) == {
        units.district_a,
        units.commune_a1,
        units.commune_a2,
        units.women_a1,
    }
    with pytest.raises(NotFound):
        selectors.association_unit_get(officer_a, units.commune_b1.pk)
    manager = make_user("branch_manager", org.branch)
    assert selectors.association_unit_list(manager).count() == AssociationUnit.objects.count()


def test_the_rule_is_reusable_for_the_groups_an_association_manages(
    units, org, make_user, make_group
):
    from policylend.groups.models import SavingsGroup
    from policylend.users import access

    farmers_a1, women_a1, farmers_b1 = (
        make_group(units.commune_a1),
        make_group(units.women_a1),
        make_group(units.commune_b1),
    )
    officer = make_user("association_officer", org.office_a, "11")
    staff = make_user("credit_officer", org.office_a)

    def visible(viewer):
        return set(
            SavingsGroup.objects.filter(
                access.unit_q(viewer, "village"),
                selectors.association_filter_q(viewer, "association_unit"),
            )
        )

    assert visible(officer) == {farmers_a1}
    assert visible(staff) == {farmers_a1, women_a1}
    assert set(
        SavingsGroup.objects.filter(selectors.association_unit_q(officer, "association_unit"))
    ) == {farmers_a1}
    assert farmers_b1 not in visible(staff)


def test_contracts_and_inspections_follow_their_unit(
    units, org, make_user, make_group, contract_of
):
    from policylend.associations.services import inspection_record

    contract_a = contract_of(units.commune_a1, number="A-1")
    contract_women = contract_of(units.women_a1, number="W-1")
    contract_b = contract_of(units.commune_b1, number="B-1")
    officer_b = make_user("association_officer", org.commune_b1, "11")
    inspection_b = inspection_record(
        actor=officer_b,
        association_unit=units.commune_b1,
        group=make_group(units.commune_b1),
        inspected_on=date(2026, 11, 2),
        inspector_name="x",
        checked=["loan_use"],
        findings="ok",
        today=date(2026, 11, 25),
    )
    officer = make_user("association_officer", org.office_a, "11")
    assert list(selectors.contract_list(officer)) == [contract_a]
    staff = make_user("credit_officer", org.office_a)
    assert set(selectors.contract_list(staff)) == {contract_a, contract_women}
    for viewer in (officer, staff):
        with pytest.raises(NotFound):
            selectors.contract_get(viewer, contract_b.pk)
        with pytest.raises(NotFound):
            selectors.inspection_get(viewer, inspection_b.pk)
    assert list(selectors.inspection_list(officer_b)) == [inspection_b]


def test_pages_and_api_of_office_b_answer_404_for_office_a(
    units, org, make_user, client_of, contract_of
):
    contract_b = contract_of(units.commune_b1, number="B-1")
    for user in (
        make_user("association_officer", org.office_a, "11"),
        make_user("credit_officer", org.office_a),
        make_user("system_admin", org.office_a),
    ):
        client = client_of(user)
        for url in (
            reverse("associations:unit_detail", args=[units.commune_b1.pk]),
            reverse("associations:unit_edit", args=[units.commune_b1.pk]),
            reverse("associations:unit_plan", args=[units.commune_b1.pk]),
            reverse("associations:inspection_create", args=[units.commune_b1.pk]),
            reverse("associations:contract_detail", args=[contract_b.pk]),
            reverse("associations:terms_change", args=[contract_b.pk]),
            f"/api/v1/associations/units/{units.commune_b1.pk}",
            f"/api/v1/associations/contracts/{contract_b.pk}",
            f"/api/v1/associations/units/{units.commune_b1.pk}/plan/2026",
        ):
            assert client.get(url).status_code == 404, (user.role, url)
        response = client.post(f"/api/v1/associations/units/{units.commune_b1.pk}/plan/2026")
        assert response.status_code == 404
    women_officer = client_of(make_user("association_officer", org.commune_a1, "12"))
    assert (
        women_officer.get(
            reverse("associations:unit_detail", args=[units.commune_a1.pk])
        ).status_code
        == 404
    )
    assert (
        women_officer.get(reverse("associations:unit_detail", args=[units.women_a1.pk])).status_code
        == 200
    )
