"""The association services on the real database: units, contracts, the maker–checker change of
terms, the supervision plan and inspections. Success and failure side by side."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from conftest import TODAY
from policylend.approvals.error_codes import ApprovalErrorCode
from policylend.approvals.models import ApprovalStatus
from policylend.approvals.services import approval_request_approve, approval_request_reject
from policylend.associations import selectors, services
from policylend.associations.error_codes import AssociationErrorCode as E
from policylend.associations.models import (
    AssociationUnit,
    EntrustmentTask,
    EntrustmentTerms,
    Inspection,
    SupervisionItem,
)
from policylend.associations.rules import Reduction, TermsInput
from policylend.core.errors import DomainError, Forbidden, NotFound


def codes(error) -> list[str]:
    return [p.code for p in error.value.problems]


# --- units ------------------------------------------------------------------------------------------


def test_units_sit_at_three_levels_under_each_other(units, org):
    assert (units.province.level, units.district_a.level, units.commune_a1.level) == (
        "province",
        "district",
        "commune",
    )
    assert units.province.parent is None
    assert units.district_a.parent == units.province
    assert units.commune_a1.parent == units.district_a
    assert units.women_a1.parent is None  # the Women's Union has no unit above it yet
    assert units.commune_a1.branch == org.branch


def test_a_higher_unit_opened_later_takes_the_lower_ones_under_it(units, org):
    women_district = services.association_unit_create(
        actor=None, association=units.women, unit=org.office_a, name="Hội Phụ nữ huyện Bắc Sơn"
    )
    units.women_a1.refresh_from_db()
    assert units.women_a1.parent == women_district
    assert women_district.parent is None


def test_opening_a_unit_success_and_failure_side_by_side(units, org, sysadmin):
    opened = services.association_unit_create(
        actor=sysadmin,
        association=units.women,
        unit=org.commune_a2,
        name="Hội Phụ nữ xã Hưng Vũ",
        chair_name="Lương Thị Hoa",
        phone="0205 3833 123",
    )
    assert (opened.level, opened.chair_name, opened.phone) == (
        "commune",
        "Lương Thị Hoa",
        "0205 3833 123",
    )

    with translation.override("en"), pytest.raises(DomainError) as twice:
        services.association_unit_create(
            actor=sysadmin, association=units.women, unit=org.commune_a2, name="Again"
        )
    assert codes(twice) == [E.UNIT_EXISTS]
    assert "Hội Phụ nữ xã Hưng Vũ" in twice.value.message

    with pytest.raises(DomainError) as village:
        services.association_unit_create(
            actor=sysadmin,
            association=units.women,
            unit=org.villages["20600101"],
            name="",
            phone="call me",
        )
    assert codes(village) == [E.UNIT_LEVEL, E.NAME_REQUIRED, E.PHONE_FORMAT]
    assert AssociationUnit.objects.filter(association=units.women).count() == 2


def test_only_an_administrator_in_scope_opens_a_unit(units, org, make_user):
    for role, unit in (("credit_officer", org.office_a), ("association_officer", org.office_a)):
        user = make_user(
            role, unit, association_code="12" if role == "association_officer" else None
        )
        with pytest.raises(Forbidden):
            services.association_unit_create(
                actor=user, association=units.women, unit=org.commune_a2, name="x"
            )
    admin_b = make_user("system_admin", org.office_b)
    with pytest.raises(Forbidden):
        services.association_unit_create(
            actor=admin_b, association=units.women, unit=org.commune_a2, name="x"
        )


def test_editing_a_unit(units, sysadmin):
    services.association_unit_update(
        actor=sysadmin, association_unit=units.commune_a1, name="Hội ND Vũ Lăng", chair_name="Ông A"
    )
    units.commune_a1.refresh_from_db()
    assert (units.commune_a1.name, units.commune_a1.chair_name) == ("Hội ND Vũ Lăng", "Ông A")
    with pytest.raises(DomainError) as empty:
        services.association_unit_update(
            actor=sysadmin, association_unit=units.commune_a1, name=" "
        )
    assert codes(empty) == [E.NAME_REQUIRED]


def test_officers_of_a_unit(units, org, make_user):
    lan = make_user("association_officer", org.commune_a1, association_code="11", username="lan")
    make_user("association_officer", org.commune_a1, association_code="12", username="hoa")
    make_user("association_officer", org.office_a, association_code="11", username="binh")
    make_user("credit_officer", org.office_a, username="officer")
    assert list(selectors.association_unit_officers(units.commune_a1)) == [lan]
    assert [u.username for u in selectors.association_unit_officers(units.district_a)] == ["binh"]


# --- contracts --------------------------------------------------------------------------------------


def test_a_contract_starts_with_its_first_terms(units, contract_of):
    contract = contract_of(units.commune_a1)
    assert contract.bank_unit == units.commune_a1.unit.parent  # the office signs for the commune
    assert contract.branch == units.commune_a1.branch
    assert contract.tasks == list(EntrustmentTask.values)
    (terms,) = contract.terms.all()
    assert (terms.effective_from, terms.fee_rate_monthly, terms.split, terms.reductions) == (
        date(2025, 1, 1),
        Decimal("0.00045"),
        [300, 500, 800, 8400],
        [],
    )
    assert terms.approval is None


def test_who_signs_for_the_bank(units, org, sysadmin):
    def create(association_unit, bank_unit, number):
        return services.contract_create(
            actor=sysadmin,
            association_unit=association_unit,
            bank_unit=bank_unit,
            number=number,
            signed_on=date(2025, 1, 1),
            valid_from=date(2025, 1, 1),
            tasks=["communicate"],
            terms=TermsInput(),
        )

    assert create(units.province, org.branch, "P-1").bank_unit == org.branch
    assert create(units.district_a, org.office_a, "D-1").bank_unit == org.office_a
    with translation.override("en"), pytest.raises(DomainError) as wrong:
        create(units.commune_a1, org.office_b, "C-1")
    assert codes(wrong) == [E.BANK_UNIT_MISMATCH]
    assert "Bắc Sơn" in wrong.value.message and "Bình Gia" in wrong.value.message
    with pytest.raises(DomainError) as commune:
        create(units.commune_a1, org.commune_a1, "C-2")
    assert codes(commune) == [E.BANK_UNIT_KIND]


def test_contract_rules_success_and_failure_side_by_side(units, org, sysadmin, contract_of):
    contract_of(units.commune_a1, number="01/HĐ")
    with translation.override("en"), pytest.raises(DomainError) as broken:
        services.contract_create(
            actor=sysadmin,
            association_unit=units.commune_a2,
            bank_unit=org.office_a,
            number="01/HĐ",
            signed_on=date(2025, 2, 1),
            valid_from=date(2025, 1, 1),
            valid_to=date(2024, 12, 31),
            tasks=[],
            terms=TermsInput(fee_rate_monthly=Decimal("0.045"), split_bp=(300, 500, 800, 8350)),
        )
    assert codes(broken) == [
        E.SIGNED_AFTER_START,
        E.DATES_ORDER,
        E.TASKS_REQUIRED,
        E.FEE_RATE_RANGE,
        E.SPLIT_SUM,
        E.NUMBER_TAKEN,
    ]
    assert "99.5 %" in broken.value.problems[4].message
    # the same number in the same branch is refused, a new number is fine
    second = contract_of(units.commune_a2, number="02/HĐ")
    assert second.number == "02/HĐ"


def test_only_an_administrator_records_a_contract(units, org, make_user):
    staff = make_user("branch_staff", org.branch)
    with pytest.raises(Forbidden):
        services.contract_create(
            actor=staff,
            association_unit=units.commune_a1,
            bank_unit=org.office_a,
            number="x",
            signed_on=date(2025, 1, 1),
            valid_from=date(2025, 1, 1),
            tasks=["communicate"],
            terms=TermsInput(),
        )


# --- a change of terms through maker–checker --------------------------------------------------------

NEW_TERMS = TermsInput(
    fee_rate_monthly=Decimal("0.0004"),
    split_bp=(250, 500, 1000, 8250),
    reductions=(Reduction("overdue_ratio_above", Decimal("0.02"), Decimal("0.2")),),
)


@pytest.fixture
def people(org, make_user):
    return {
        "maker": make_user("credit_officer", org.office_a, username="maker"),
        "staff": make_user("branch_staff", org.branch, username="staff"),
        "controller": make_user("controller", org.office_a, username="controller"),
        "manager": make_user("branch_manager", org.branch, username="manager"),
        "officer": make_user("association_officer", org.commune_a1, "11", username="officer"),
        "maker_b": make_user("credit_officer", org.office_b, username="maker-b"),
    }


def test_a_change_of_terms_round_trip(units, contract_of, people):
    contract = contract_of(units.commune_a1)
    # given a maker's request for new terms from 01/01/2026
    request = services.terms_change_request(
        actor=people["maker"],
        contract=contract,
        effective_from=date(2026, 1, 1),
        terms=NEW_TERMS,
        today=TODAY,
        note="Biên bản thỏa thuận 12/2025",
    )
    assert request.status == ApprovalStatus.PENDING and request.unit == contract.bank_unit
    assert contract.terms.count() == 1  # nothing changes before a checker approves

    # the maker cannot check their own request
    with pytest.raises(Forbidden):
        approval_request_approve(request_id=request.pk, checker=people["maker"], today=TODAY)
    # nor can an association officer
    with pytest.raises(Forbidden):
        approval_request_approve(request_id=request.pk, checker=people["officer"], today=TODAY)

    # when the office's controller approves
    approved = approval_request_approve(
        request_id=request.pk, checker=people["controller"], today=TODAY
    )
    assert approved.status == ApprovalStatus.APPROVED
    assert approved.result_reference == f"entrustment_contract:{contract.pk}"

    # then the new terms apply from their date and the old ones stay in the history
    old = selectors.contract_terms_on(contract, date(2025, 12, 31))
    new = selectors.contract_terms_on(contract, date(2026, 1, 1))
    assert (old.fee_rate_monthly, old.split, old.approval) == (
        Decimal("0.00045"),
        [300, 500, 800, 8400],
        None,
    )
    assert (new.fee_rate_monthly, new.split, new.reductions, new.approval_id) == (
        Decimal("0.0004"),
        [250, 500, 1000, 8250],
        [{"overdue_ratio_above": "0.02", "reduce_by": "0.2"}],
        request.pk,
    )
    history = selectors.contract_terms_history(contract, TODAY)
    assert [(row.terms.effective_from, row.last_day, row.in_force) for row in history] == [
        (date(2026, 1, 1), None, True),
        (date(2025, 1, 1), date(2025, 12, 31), False),
    ]
    as_in_2025 = selectors.contract_terms_history(contract, date(2025, 6, 1))
    assert [row.in_force for row in as_in_2025] == [False, True]


def test_a_change_of_terms_is_checked_when_asked_and_again_when_approved(
    units, contract_of, people
):
    contract = contract_of(units.commune_a1)
    ask = {"actor": people["maker"], "contract": contract, "today": TODAY}
    # refused at once: the same day as the latest version, unchanged terms, a bad split
    with pytest.raises(DomainError) as same_day:
        services.terms_change_request(**ask, effective_from=date(2025, 1, 1), terms=NEW_TERMS)
    assert codes(same_day) == [E.TERMS_DATE_NOT_AFTER_CURRENT]
    with pytest.raises(DomainError) as unchanged:
        services.terms_change_request(**ask, effective_from=date(2026, 1, 1), terms=TermsInput())
    assert codes(unchanged) == [E.TERMS_UNCHANGED]
    with pytest.raises(DomainError) as split:
        services.terms_change_request(
            **ask, effective_from=date(2026, 1, 1), terms=TermsInput(split_bp=(1, 2, 3, 4))
        )
    assert codes(split) == [E.SPLIT_SUM]

    # one waiting request per contract and day
    march = services.terms_change_request(**ask, effective_from=date(2026, 3, 1), terms=NEW_TERMS)
    with pytest.raises(DomainError) as second:
        services.terms_change_request(**ask, effective_from=date(2026, 3, 1), terms=NEW_TERMS)
    assert codes(second) == [ApprovalErrorCode.ALREADY_WAITING]
    february = services.terms_change_request(
        **ask, effective_from=date(2026, 2, 1), terms=TermsInput(fee_rate_monthly=Decimal("0.0005"))
    )
    # once March is approved, February would rewrite the history: refused at approval, still pending
    approval_request_approve(request_id=march.pk, checker=people["manager"], today=TODAY)
    with pytest.raises(DomainError) as late:
        approval_request_approve(request_id=february.pk, checker=people["manager"], today=TODAY)
    assert codes(late) == [E.TERMS_DATE_NOT_AFTER_CURRENT]
    february.refresh_from_db()
    assert february.status == ApprovalStatus.PENDING
    approval_request_reject(request_id=february.pk, checker=people["manager"], reason="late")
    assert contract.terms.count() == 2


def test_who_may_ask_for_a_change_of_terms(units, contract_of, people, org):
    contract = contract_of(units.commune_a1)
    ask = {
        "contract": contract,
        "effective_from": date(2026, 1, 1),
        "terms": NEW_TERMS,
        "today": TODAY,
    }
    with pytest.raises(Forbidden):
        services.terms_change_request(actor=people["officer"], **ask)
    with pytest.raises(Forbidden):
        services.terms_change_request(actor=people["controller"], **ask)
    with pytest.raises(NotFound):
        services.terms_change_request(actor=people["maker_b"], **ask)
    # branch staff may ask for any contract of the branch
    assert services.terms_change_request(actor=people["staff"], **ask).maker == people["staff"]


def test_a_province_contract_is_changed_only_at_the_branch(units, contract_of, people):
    contract = contract_of(units.province, number="P-01")
    ask = {
        "contract": contract,
        "effective_from": date(2026, 1, 1),
        "terms": NEW_TERMS,
        "today": TODAY,
    }
    with pytest.raises(NotFound):  # office A does not see the province unit's contract
        services.terms_change_request(actor=people["maker"], **ask)
    request = services.terms_change_request(actor=people["staff"], **ask)
    with pytest.raises(NotFound):  # nor does office A's controller see the branch's request
        approval_request_approve(request_id=request.pk, checker=people["controller"], today=TODAY)
    approval_request_approve(request_id=request.pk, checker=people["manager"], today=TODAY)
    assert contract.terms.count() == 2


# --- the supervision plan ---------------------------------------------------------------------------


@pytest.fixture
def groups(units, make_group, org):
    return {
        "one": make_group(units.commune_a1),
        "two": make_group(units.commune_a1, org.villages["20600102"]),
        "three": make_group(units.commune_a1, founded_on=date(2026, 11, 1)),
        "dissolved": make_group(units.commune_a1, status="dissolved", closed_on=date(2025, 6, 30)),
        "next_year": make_group(units.commune_a1, founded_on=date(2027, 1, 15)),
        "women": make_group(units.women_a1),
        "hung_vu": make_group(units.commune_a2),
    }


def test_the_plan_has_every_active_group_once_a_year_and_building_again_adds_nothing(
    units, groups, make_group, django_assert_max_num_queries
):
    plan = services.supervision_plan_build(actor=None, association_unit=units.commune_a1, year=2026)
    assert {item.group for item in plan} == {groups["one"], groups["two"], groups["three"]}
    assert {(item.reason, item.due_by, item.inspection) for item in plan} == {
        ("group_yearly", date(2026, 12, 31), None)
    }
    again = services.supervision_plan_build(
        actor=None, association_unit=units.commune_a1, year=2026
    )
    assert [item.pk for item in again] == [item.pk for item in plan]
    assert SupervisionItem.objects.filter(association_unit=units.commune_a1).count() == 3

    four = make_group(units.commune_a1)
    with django_assert_max_num_queries(11):  # 8 for the groups, 3 for the loans
        grown = services.supervision_plan_build(
            actor=None, association_unit=units.commune_a1, year=2026
        )
    assert {item.group for item in grown} == {groups["one"], groups["two"], groups["three"], four}
    # the next year is a plan of its own, with the group founded then
    assert (
        len(
            services.supervision_plan_build(
                actor=None, association_unit=units.commune_a1, year=2027
            )
        )
        == 5
    )


def test_building_a_plan_in_bulk_is_a_fixed_number_of_queries(
    units, make_group, django_assert_max_num_queries
):
    for _ in range(40):
        make_group(units.commune_a2)
    with django_assert_max_num_queries(11):  # 8 for the groups, 3 for the loans
        plan = services.supervision_plan_build(
            actor=None, association_unit=units.commune_a2, year=2026
        )
    assert len(plan) == 40


def test_who_may_build_a_plan(units, groups, org, make_user):
    officer = make_user("association_officer", org.commune_a1, "11")
    women_officer = make_user("association_officer", org.commune_a1, "12")
    teller = make_user("teller", org.office_a)
    assert (
        len(
            services.supervision_plan_build(
                actor=officer, association_unit=units.commune_a1, year=2026
            )
        )
        == 3
    )
    with pytest.raises(Forbidden):
        services.supervision_plan_build(
            actor=women_officer, association_unit=units.commune_a1, year=2026
        )
    with pytest.raises(Forbidden):
        services.supervision_plan_build(actor=teller, association_unit=units.commune_a1, year=2026)
    with pytest.raises(DomainError) as year:
        services.supervision_plan_build(actor=officer, association_unit=units.commune_a1, year=1990)
    assert codes(year) == [E.YEAR_RANGE]


# --- inspections ------------------------------------------------------------------------------------


def record(actor, unit, group, **changes):
    values = {
        "actor": actor,
        "association_unit": unit,
        "group": group,
        "inspected_on": date(2026, 11, 20),
        "inspector_name": "Hoàng Thị Lan",
        "checked": ["loan_use", "meeting_minutes"],
        "findings": "Sổ sách đầy đủ.",
        "reported_on": date(2026, 11, 23),
        "today": TODAY,
    }
    return services.inspection_record(**(values | changes))


def test_an_inspection_marks_the_years_plan_item_done(units, groups, org, make_user):
    officer = make_user("association_officer", org.commune_a1, "11")
    services.supervision_plan_build(actor=officer, association_unit=units.commune_a1, year=2026)
    inspection = record(officer, units.commune_a1, groups["one"])
    assert (inspection.inspector_name, inspection.checked, inspection.recorded_by) == (
        "Hoàng Thị Lan",
        ["loan_use", "meeting_minutes"],
        officer,
    )
    items = {
        item.group: item for item in selectors.supervision_plan(officer, units.commune_a1, 2026)
    }
    assert items[groups["one"]].inspection == inspection
    assert items[groups["two"]].inspection is None
    progress = selectors.supervision_plan_progress(
        selectors.supervision_plan(officer, units.commune_a1, 2026)
    )
    assert (progress.total, progress.done, progress.left) == (3, 1, 2)

    # a second inspection of the same group leaves the first one on the plan
    record(
        officer, units.commune_a1, groups["one"], inspected_on=date(2026, 11, 24), reported_on=None
    )
    assert SupervisionItem.objects.get(group=groups["one"], year=2026).inspection == inspection
    # an inspection of last year's does not touch this year's plan
    record(
        officer, units.commune_a1, groups["two"], inspected_on=date(2025, 11, 24), reported_on=None
    )
    assert SupervisionItem.objects.get(group=groups["two"], year=2026).inspection is None


def test_an_inspection_before_the_plan_is_found_when_the_plan_is_built(
    units, groups, org, make_user
):
    officer = make_user("association_officer", org.commune_a1, "11")
    inspection = record(officer, units.commune_a1, groups["two"], inspected_on=date(2026, 3, 2))
    plan = services.supervision_plan_build(actor=None, association_unit=units.commune_a1, year=2026)
    assert {item.group: item.inspection for item in plan}[groups["two"]] == inspection


def test_an_inspection_by_the_district_unit_counts_for_the_communes_plan(
    units, groups, org, make_user
):
    district_officer = make_user("association_officer", org.office_a, "11")
    services.supervision_plan_build(actor=None, association_unit=units.commune_a1, year=2026)
    inspection = record(district_officer, units.district_a, groups["three"])
    assert SupervisionItem.objects.get(group=groups["three"], year=2026).inspection == inspection


def test_inspection_rules_success_and_failure_side_by_side(units, groups, org, make_user):
    officer = make_user("association_officer", org.commune_a1, "11")
    assert record(officer, units.commune_a1, groups["one"]).pk
    with translation.override("en"), pytest.raises(DomainError) as other_association:
        record(officer, units.commune_a1, groups["women"])
    assert codes(other_association) == [E.GROUP_NOT_MANAGED]
    with pytest.raises(DomainError) as other_commune:
        record(officer, units.commune_a1, groups["hung_vu"])
    assert codes(other_commune) == [E.GROUP_NOT_MANAGED]
    with pytest.raises(DomainError) as dissolved:
        record(officer, units.commune_a1, groups["dissolved"])
    assert codes(dissolved) == [E.GROUP_CLOSED]
    with pytest.raises(DomainError) as before_founding:
        record(officer, units.commune_a1, groups["three"], inspected_on=date(2026, 10, 1))
    assert codes(before_founding) == [E.GROUP_NOT_FOUNDED]
    with pytest.raises(DomainError) as nothing:
        record(officer, units.commune_a1, None, checked=[], findings=" ")
    assert codes(nothing) == [E.CHECKED_REQUIRED, E.FINDINGS_REQUIRED, E.SUBJECT_REQUIRED]
    assert Inspection.objects.count() == 1


def test_who_may_record_an_inspection(units, groups, org, make_user):
    women_officer = make_user("association_officer", org.commune_a1, "12")
    officer_a2 = make_user("association_officer", org.commune_a2, "11")
    credit_officer = make_user("credit_officer", org.office_a)
    for actor in (women_officer, officer_a2, credit_officer):
        with pytest.raises(Forbidden):
            record(actor, units.commune_a1, groups["one"])
    assert not Inspection.objects.exists()


def test_the_terms_row_keeps_basis_points(units, contract_of):
    contract = contract_of(units.commune_a1, split_bp=(0, 0, 1500, 8500))
    assert EntrustmentTerms.objects.get(contract=contract).split == [0, 0, 1500, 8500]
