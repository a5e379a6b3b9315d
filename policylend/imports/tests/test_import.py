"""Confirming: all rows or none, through the registers' services; the same file twice creates
nothing twice; a row that differs from the register is a problem."""

import pytest
from django.utils.translation import override

from policylend.core.errors import DomainError
from policylend.groups.models import GroupMembership, SavingsGroup
from policylend.households.models import Household, Person
from policylend.imports import services, writing
from policylend.imports.models import ImportRow, ImportStatus, RowOutcome

from .workbooks import household, upload, workbook_bytes

GROUP = {
    "group_code": "2060011",
    "name": "Tổ tiết kiệm và vay vốn thôn 1",
    "village_code": "20600101",
    "adjacent_villages": "20600102",
    "association_code": "11",
    "founded_on": "01/02/2020",
    "decision_number": "12/QĐ-UBND",
    "decision_date": "15/01/2020",
    "members": "2, 3, 4, 5, 6",
}


def full_workbook(**changes) -> bytes:
    households = [household(n) for n in range(6)]
    households[5]["village_code"] = "20600102"
    households[5]["group_code"] = "2060011"  # the sixth joins through its own sheet
    members = [
        {
            "household": 2,
            "full_name": "Lê Thị Hoa",
            "sex": "Female",
            "relationship": "Spouse",
            "birth_date": "02/02/1982",
            "national_id": "020100000001",
        },
        {"household": 3, "full_name": "Nguyễn Văn Bình", "sex": "Male", "relationship": "Child"},
    ]
    return workbook_bytes(
        households=changes.get("households", households),
        members=changes.get("members", members),
        groups=changes.get("groups", [GROUP]),
    )


def imported(officer, content):
    with override("en"):
        job = services.import_job_create(actor=officer, upload=upload(content))
        job.refresh_from_db()
        assert job.status == ImportStatus.CHECKED, (
            job.problems,
            list(job.rows.filter(outcome="problem").values_list("row_number", "problems")),
        )
        services.import_job_confirm(actor=officer, job=job)
    job.refresh_from_db()
    return job


def test_confirming_writes_every_row_through_the_services(org, officer, associations):
    job = imported(officer, full_workbook())
    assert job.status == ImportStatus.IMPORTED, (job.problems, job.error)
    assert job.written == {"households": 6, "persons": 8, "groups": 1, "memberships": 6}
    assert (job.rows_done, job.rows_total) == (9, 9)
    group = SavingsGroup.objects.get(code="2060011")
    assert group.association_unit == associations["11"]
    assert GroupMembership.objects.filter(group=group, left_on__isnull=True).count() == 6
    assert set(group.villages.values_list("code", flat=True)) == {"20600101", "20600102"}
    head = Household.objects.get(head__national_id="020000000000")
    assert head.code.startswith("206001") and len(head.code) == 10
    assert Person.objects.get(national_id="020100000001").household == head


def test_the_same_file_twice_creates_nothing_twice(org, officer, associations):
    content = full_workbook()
    imported(officer, content)
    counts = (Household.objects.count(), Person.objects.count(), GroupMembership.objects.count())

    # when the same file is uploaded again
    with override("en"):
        job = services.import_job_create(actor=officer, upload=upload(content))
    job.refresh_from_db()

    # then every row is already present, unchanged; importing it writes nothing
    assert job.status == ImportStatus.CHECKED
    assert (job.rows_unchanged, job.rows_new, job.rows_with_problems) == (9, 0, 0)
    services.import_job_confirm(actor=officer, job=job)
    job.refresh_from_db()
    assert job.status == ImportStatus.IMPORTED
    assert counts == (
        Household.objects.count(),
        Person.objects.count(),
        GroupMembership.objects.count(),
    )


def test_a_row_that_differs_from_the_register_is_a_problem(org, officer, associations):
    content = full_workbook()
    imported(officer, content)
    households = [household(n) for n in range(6)]
    households[5]["village_code"] = "20600102"
    households[5]["group_code"] = "2060011"
    households[1]["phone"] = "0911111111"  # row 3: the same head (by ID), another phone
    with override("en"):
        job = services.import_job_create(
            actor=officer, upload=upload(full_workbook(households=households))
        )
    job.refresh_from_db()
    problem = ImportRow.objects.get(job=job, outcome=RowOutcome.PROBLEM)
    assert problem.row_number == 3
    assert problem.problems[0]["code"] == "import_exists_with_other_data"
    assert "Phone" in problem.problems[0]["messages"]["en"]


def test_fixing_the_bad_rows_then_confirming_writes_all(org, officer, associations):
    bad = [household(n) for n in range(6)]
    bad[0]["national_id"] = "12345"
    bad[2]["sex"] = "?"
    bad[4]["birth_date"] = "yesterday"
    with override("en"):
        job = services.import_job_create(
            actor=officer, upload=upload(workbook_bytes(households=bad))
        )
    job.refresh_from_db()
    assert job.rows_with_problems == 3
    with pytest.raises(DomainError) as caught:
        services.import_job_confirm(actor=officer, job=job)
    assert caught.value.code == "import_job_has_problems"
    assert Household.objects.count() == 0

    job = imported(officer, workbook_bytes(households=[household(n) for n in range(6)]))
    assert job.status == ImportStatus.IMPORTED
    assert Household.objects.count() == 6


def test_a_failure_in_the_middle_of_the_import_writes_nothing(
    org, officer, associations, monkeypatch
):
    # given the groups' service fails after the households were written
    def fail(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(writing, "groups_create_bulk", fail)
    job = imported(officer, full_workbook())

    # then nothing at all was written, and the job says it failed
    assert job.status == ImportStatus.FAILED
    assert "disk full" in job.error
    assert Household.objects.count() == 0 and Person.objects.count() == 0
    assert SavingsGroup.objects.count() == 0


def test_a_refusal_by_a_service_at_import_time_is_shown_at_its_row(
    org, officer, associations, monkeypatch
):
    def refuse(**kwargs):
        raise DomainError(
            "group_code_taken", "The group code 2060011 is already used.", "groups[0].code"
        )

    monkeypatch.setattr(writing, "groups_create_bulk", refuse)
    job = imported(officer, full_workbook())
    assert job.status == ImportStatus.FAILED
    assert job.problems[0]["sheet"] == "groups" and job.problems[0]["row"] == 2
    assert job.problems[0]["field"] == "group_code"
    assert Household.objects.count() == 0


def test_progress_advances_while_importing(org, officer, associations, monkeypatch):
    from policylend.imports import progress

    seen = []
    monkeypatch.setattr(writing, "HOUSEHOLD_BATCH", 2)
    original = progress.publish
    monkeypatch.setattr(
        progress,
        "publish",
        lambda job_id, done, total: (seen.append((done, total)), original(job_id, done, total)),
    )
    imported(officer, full_workbook())
    done = [d for d, _total in seen]
    assert done == sorted(done) and done[0] == 0 and done[-1] == 9
    assert len(set(done)) >= 4  # 0, then each batch of two households, then members and groups


def test_a_household_in_a_group_already_registered_joins_it(org, officer, associations):
    imported(officer, full_workbook())
    newcomer = household(7)
    newcomer["group_code"] = "2060011"
    job = imported(officer, workbook_bytes(households=[newcomer]))
    assert job.written["memberships"] == 1
    group = SavingsGroup.objects.get(code="2060011")
    assert GroupMembership.objects.filter(group=group, left_on__isnull=True).count() == 7


def test_a_group_too_small_is_a_problem(org, officer, associations):
    small = {**GROUP, "members": "2, 3"}
    households = [household(n) for n in range(2)]
    with override("en"):
        job = services.import_job_create(
            actor=officer, upload=upload(workbook_bytes(households=households, groups=[small]))
        )
    job.refresh_from_db()
    row = ImportRow.objects.get(job=job, sheet="groups")
    assert row.outcome == RowOutcome.PROBLEM
    assert [(p["field"], p["code"]) for p in row.problems] == [("members", "group_founding_size")]


def test_only_the_uploader_may_confirm(org, officer, make_user, associations):
    from policylend.core.errors import Forbidden

    with override("en"):
        job = services.import_job_create(actor=officer, upload=upload(full_workbook()))
    job.refresh_from_db()
    other = make_user("credit_officer", org.office_a)
    with pytest.raises(Forbidden):
        services.import_job_confirm(actor=other, job=job)
    services.import_job_confirm(actor=officer, job=job)
    job.refresh_from_db()
    with pytest.raises(DomainError) as caught:
        services.import_job_confirm(actor=officer, job=job)
    assert caught.value.code == "import_job_done"
