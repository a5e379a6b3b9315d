"""Benchmark: importing a province's households from one Excel workbook, on PostgreSQL 15 (a
throwaway cluster) and SQLite.

The workbook is generated deterministically: 90,000 households (a head each, with a national ID)
in 900 villages of 180 communes, 60,000 more members, and 1,800 savings-and-loan groups of 50
households. The measuring process runs the real code path of the import page — the upload
(``import_job_create``), the preview (``import_job_check``: read, check every row, store the
preview) and the import (``import_job_run``: check again, write everything through the
registers' services in one transaction) — and reports the seconds of each step and the peak
memory of the process (``ru_maxrss``).

Targets (issue 3): preview + import ≤ 90 s on PostgreSQL; peak memory ≤ 1 GB. Run by
``make bench``; writes ``bench/results/import_households.json``. ``--households N`` measures a
smaller file (the targets are then not judged).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
from datetime import date
from pathlib import Path
from time import perf_counter

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, child_json, fresh_database, print_figures, setup_django, write_result

NAME = "import_households"
HOUSEHOLDS = int(os.environ.get("BENCH_IMPORT_HOUSEHOLDS", "90000"))
OFFICES = 10
COMMUNES_PER_OFFICE = 18
VILLAGES_PER_COMMUNE = 5
GROUP_SIZE = 50
SECONDS_TARGET_POSTGRESQL = 90
MEMORY_TARGET_MB = 1024
FULL_SIZE = 90_000

SURNAMES = ("Nguyễn", "Hoàng", "Lý", "Nông", "Đặng", "Vi", "Lương", "Triệu", "Hà", "Lăng")
MIDDLE = ("Văn", "Thị", "Đình", "Minh", "Thu", "Đức")
GIVEN = ("Đức", "Hoa", "Bình", "Sơn", "Lan", "Tuấn", "Mai", "Dũng", "Hạnh", "Quang", "Nga", "Tùng")


# --- the organisation (not measured) ----------------------------------------------------------------


def village_codes() -> list[str]:
    codes = []
    for office in range(OFFICES):
        for commune in range(COMMUNES_PER_OFFICE):
            commune_code = f"{200 + office:03d}{commune + 1:03d}"
            codes += [f"{commune_code}{v + 1:02d}" for v in range(VILLAGES_PER_COMMUNE)]
    return codes


def build_organisation():
    """A branch of 10 offices, 180 communes, 900 villages, a Farmers' Association unit in every
    commune, and a branch staff user who imports."""
    from policylend.associations.models import Association
    from policylend.associations.services import association_unit_create
    from policylend.organisation.services import unit_create
    from policylend.users.services import user_create

    opened = date(2020, 1, 1)
    farmers = Association.objects.get(code="11")
    branch = unit_create(
        kind="branch", code="740", name="Lạng Sơn", parent=None, opened_on=opened, actor=None
    )
    for office_number in range(OFFICES):
        office = unit_create(
            kind="office",
            code=f"74{office_number + 1:02d}",
            name=f"Phòng giao dịch {office_number + 1}",
            parent=branch,
            opened_on=opened,
            actor=None,
        )
        for commune_number in range(COMMUNES_PER_OFFICE):
            code = f"{200 + office_number:03d}{commune_number + 1:03d}"
            commune = unit_create(
                kind="commune",
                code=code,
                name=f"Xã {code}",
                parent=office,
                opened_on=opened,
                actor=None,
            )
            association_unit_create(
                actor=None, association=farmers, unit=commune, name=f"Hội Nông dân xã {code}"
            )
            for village_number in range(VILLAGES_PER_COMMUNE):
                unit_create(
                    kind="village",
                    code=f"{code}{village_number + 1:02d}",
                    name=f"Thôn {village_number + 1} xã {code}",
                    parent=commune,
                    opened_on=opened,
                    actor=None,
                )
    return user_create(
        actor=None,
        username="bench.staff",
        full_name="Bench staff",
        role="branch_staff",
        scope_unit=branch,
        password="Bench-import-2026-households",
    )


# --- the workbook (generated in the driving process, not measured) ------------------------------------


def name_of(n: int, sex: str) -> str:
    middle = "Thị" if sex == "Nữ" else MIDDLE[n % len(MIDDLE)]
    return f"{SURNAMES[n % 10]} {middle} {GIVEN[(n // 10) % 12]} {GIVEN[(n // 120) % 12]}"


def write_workbook(path: Path, households: int) -> dict[str, int]:
    """The workbook of ``households`` households (English headers), deterministic."""
    from openpyxl import Workbook

    villages = village_codes()
    per_village = 2 * GROUP_SIZE  # two full groups a village; a smaller file fills fewer villages
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Households")
    sheet.append(
        [
            "Customer code",
            "Village code",
            "Head's full name",
            "Sex",
            "Birth date",
            "National ID",
            "Phone",
            "Ethnicity",
            "Address",
            "Group code",
        ]
    )
    members = book.create_sheet("Members")
    members.append(
        ["Household", "Full name", "Sex", "Birth date", "Relationship to the head", "National ID"]
    )
    groups = book.create_sheet("Groups")
    groups.append(
        [
            "Group code",
            "Group name",
            "Village code",
            "Adjacent village codes",
            "Association code",
            "Founded on",
            "Decision number",
            "Decision date",
            "Member households",
        ]
    )
    counts = {"households": 0, "members": 0, "groups": 0}
    group_rows: list[tuple[str, str, int]] = []
    for n in range(households):
        village_index = n // per_village
        village = villages[village_index]
        position = n % per_village
        group_number = position // GROUP_SIZE
        group_code = f"{village_index:05d}{group_number:02d}"
        if position % GROUP_SIZE == 0:
            group_rows.append((group_code, village, group_number))
        sex = "Nam" if n % 3 else "Nữ"
        row_number = n + 2
        sheet.append(
            [
                None,
                village,
                name_of(n, sex),
                sex,
                f"{1 + n % 28:02d}/{1 + n % 12:02d}/{1950 + n % 50}",
                f"0{20 + n % 10}{n:09d}",
                f"09{n:08d}",
                ("Tày", "Nùng", "Kinh", "Dao")[n % 4],
                f"Thôn {village[-2:]}",
                group_code,
            ]
        )
        counts["households"] += 1
        if n % 3 != 2:
            members.append(
                [
                    row_number,
                    name_of(n + 7, "Nữ" if sex == "Nam" else "Nam"),
                    "Nữ" if sex == "Nam" else "Nam",
                    f"{1 + n % 27:02d}/{1 + (n + 5) % 12:02d}/{1952 + n % 45}",
                    "spouse" if n % 2 else "Spouse",
                    f"0{30 + n % 10}{n:09d}" if n % 2 else None,
                ]
            )
            counts["members"] += 1
    for code, village, number in group_rows:
        groups.append(
            [
                code,
                f"Tổ {number + 1} thôn {village}",
                village,
                None,
                "11",
                "01/03/2021",
                f"{number + 1}/QĐ-UBND",
                "15/02/2021",
                None,
            ]
        )
        counts["groups"] += 1
    book.save(path)
    return counts


# --- the measuring process -------------------------------------------------------------------------------


def peak_memory_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def measure(path: str) -> dict:
    setup_django()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection
    from django.utils.translation import override

    from policylend.groups.models import GroupMembership, SavingsGroup
    from policylend.households.models import Household, Person
    from policylend.imports import services
    from policylend.imports.models import ImportJob, ImportStatus

    staff = build_organisation()
    memory_before = peak_memory_mb()
    content = Path(path).read_bytes()
    with override("vi"):
        start = perf_counter()
        job = services.import_job_create(
            actor=staff, upload=SimpleUploadedFile("province.xlsx", content), language="vi"
        )
        upload_seconds = perf_counter() - start
        del content
        start = perf_counter()
        services.import_job_check(job_id=job.pk)
        check_seconds = perf_counter() - start
        job.refresh_from_db()
        if job.status != ImportStatus.CHECKED:
            rows = list(
                job.rows.filter(outcome="problem").values_list("sheet", "row_number", "problems")[
                    :5
                ]
            )
            raise SystemExit(f"the preview found problems: {job.problems} {rows} {job.error}")
        memory_after_check = peak_memory_mb()
        services.import_job_confirm(actor=staff, job=job)
        start = perf_counter()
        services.import_job_run(job_id=job.pk)
        import_seconds = perf_counter() - start
    job = ImportJob.objects.get(pk=job.pk)
    if job.status != ImportStatus.IMPORTED:
        raise SystemExit(f"the import failed: {job.problems} {job.error}")
    written = {
        "households": Household.objects.count(),
        "persons": Person.objects.count(),
        "groups": SavingsGroup.objects.count(),
        "memberships": GroupMembership.objects.count(),
    }
    return {
        "vendor": connection.vendor,
        "rows": job.rows_total,
        "written": written,
        "upload_seconds": upload_seconds,
        "check_seconds": check_seconds,
        "import_seconds": import_seconds,
        "peak_memory_mb": peak_memory_mb(),
        "peak_memory_before_mb": memory_before,
        "peak_memory_after_check_mb": memory_after_check,
    }


# --- the driving process -----------------------------------------------------------------------------------


def figures_of(run: dict, full: bool) -> list[dict]:
    vendor = run["vendor"]
    total = run["check_seconds"] + run["import_seconds"]
    judged = full and vendor == "postgresql"
    return [
        {
            "database": vendor,
            "figure": f"preview of {run['rows']:,} rows (read, check, store)",
            "value": round(run["check_seconds"], 1),
            "unit": "s",
            "target": None,
            "pass": None,
        },
        {
            "database": vendor,
            "figure": "import (check again, write through the services)",
            "value": round(run["import_seconds"], 1),
            "unit": "s",
            "target": None,
            "pass": None,
        },
        {
            "database": vendor,
            "figure": f"preview + import, {run['written']['households']:,} households",
            "value": round(total, 1),
            "unit": "s",
            "target": f"<= {SECONDS_TARGET_POSTGRESQL}" if judged else None,
            "pass": total <= SECONDS_TARGET_POSTGRESQL if judged else None,
        },
        {
            "database": vendor,
            "figure": "rows per second, preview + import",
            "value": round(run["rows"] / total, 1),
            "unit": "rows/s",
            "target": None,
            "pass": None,
        },
        {
            "database": vendor,
            "figure": "peak memory of the process (ru_maxrss)",
            "value": round(run["peak_memory_mb"], 1),
            "unit": "MB",
            "target": f"<= {MEMORY_TARGET_MB}" if full else None,
            "pass": run["peak_memory_mb"] <= MEMORY_TARGET_MB if full else None,
        },
    ]


def run_on(vendor: str, path: Path) -> dict:
    with fresh_database(vendor) as environment:
        return child_json(__file__, ["--measure", str(path)], environment, NAME)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--measure", metavar="WORKBOOK", help="measure on DATABASE_URL, print JSON")
    parser.add_argument("--households", type=int, default=HOUSEHOLDS)
    parser.add_argument("--only", choices=["postgresql", "sqlite"], help="one database only")
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure)))
        return 0

    with tempfile.TemporaryDirectory(prefix="policylend-bench-import-") as folder:
        path = Path(folder) / "province.xlsx"
        start = perf_counter()
        counts = write_workbook(path, args.households // GROUP_SIZE * GROUP_SIZE)
        generated = perf_counter() - start
        print(f"workbook: {counts} in {generated:.1f} s, {path.stat().st_size / 1e6:.1f} MB")
        vendors = [args.only] if args.only else ["postgresql", "sqlite"]
        runs = [run_on(vendor, path) for vendor in vendors]
        file_mb = path.stat().st_size / 1e6
    full = args.households >= FULL_SIZE
    figures = [figure for run in runs for figure in figures_of(run, full)]
    result = {
        "workbook": {**counts, "megabytes": round(file_mb, 1)},
        "runs": runs,
        "figures": figures,
    }
    if full:
        path = write_result(NAME, result)
        print(f"wrote {path.relative_to(ROOT)}")
    print_figures(figures, width=52)
    return 0


if __name__ == "__main__":
    sys.exit(main())
