"""The rows of a workbook as records, and reading them from the file (streaming)."""

from __future__ import annotations

import zipfile
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import override
from openpyxl import load_workbook

from policylend.associations.models import AssociationUnit
from policylend.core.errors import Problem
from policylend.core.text import fold
from policylend.households import rules as household_rules
from policylend.households.rules import PersonInput
from policylend.organisation.models import OrganisationUnit

from ..error_codes import ImportErrorCode as E
from ..layout import (
    GROUPS,
    HOUSEHOLDS,
    MEMBERS,
    language_codes,
    open_sheets,
)
from ..models import RowOutcome
from ..rules import (
    UNZIPPED_SIZE_MAX,
    parse_date,
    split_list,
)
from ..rules import cell_text as text

# --- rows ----------------------------------------------------------------------------------------


@dataclass(slots=True)
class HouseholdRecord:
    number: int
    raw: dict[str, Any]
    code: str = ""
    national_id: str | None = None
    village_code: str = ""
    group_code: str = ""
    natural_key: tuple = ()
    # what the check found
    outcome: str = ""
    village: OrganisationUnit | None = None
    existing: dict | None = None
    head: PersonInput | None = None
    phone: str = ""
    ethnicity: str = ""
    address: str = ""
    members: list[MemberRecord] = field(default_factory=list)
    join_group: dict | None = None  # a registered group the household joins


@dataclass(slots=True)
class MemberRecord:
    number: int
    raw: dict[str, Any]
    reference: str = ""
    national_id: str | None = None
    outcome: str = ""
    person: PersonInput | None = None
    household_row: HouseholdRecord | None = None
    household_id: int | None = None  # an existing household


@dataclass(slots=True)
class GroupRecord:
    number: int
    raw: dict[str, Any]
    code: str = ""
    village_code: str = ""
    adjacent_codes: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    outcome: str = ""
    name: str = ""
    village: OrganisationUnit | None = None
    adjacent: list[OrganisationUnit] = field(default_factory=list)
    association_unit: AssociationUnit | None = None
    founded_on: date | None = None
    decision_number: str = ""
    decision_date: date | None = None
    existing: dict | None = None
    # households of the group: rows of this file and existing households (ids)
    household_rows: list[HouseholdRecord] = field(default_factory=list)
    household_ids: list[int] = field(default_factory=list)
    # households ("r12": row 12, "h34": existing household 34) that join the group
    joining: list[str] = field(default_factory=list)


@dataclass(slots=True)
class RowResult:
    sheet: str
    number: int
    outcome: str
    label: str
    problems: list[dict]


@dataclass
class CheckResult:
    file_problems: list[dict] = field(default_factory=list)
    households: list[HouseholdRecord] = field(default_factory=list)
    members: list[MemberRecord] = field(default_factory=list)
    groups: list[GroupRecord] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    @property
    def rows_total(self) -> int:
        return len(self.households) + len(self.members) + len(self.groups)

    @property
    def has_problems(self) -> bool:
        return bool(self.file_problems) or self.counts[RowOutcome.PROBLEM] > 0


def problem_dict(problem_in_languages: dict[str, Problem], sheet: str | None = None) -> dict:
    first = next(iter(problem_in_languages.values()))
    return {
        "code": str(first.code),
        "field": first.field,
        "sheet": sheet,
        "messages": {lang: str(p.message) for lang, p in problem_in_languages.items()},
    }


def in_every_language(check: Callable[[], list[Problem]], first_language: str) -> list[dict]:
    """The problems ``check`` finds, with their message in every language (``check`` is run once
    more per other language; it is deterministic)."""
    problems = check()
    if not problems:
        return []
    by_language = {first_language: problems}
    for language in language_codes():
        if language != first_language:
            with override(language):
                by_language[language] = check()
    return [
        problem_dict({lang: found[i] for lang, found in by_language.items() if i < len(found)})
        for i in range(len(problems))
    ]


# --- reading ---------------------------------------------------------------------------------------


def _unzipped_size(path: str) -> int | None:
    """The size of the workbook's parts once unpacked, from the zip's directory (None when it
    is not a zip: openpyxl then says the file cannot be read)."""
    try:
        with zipfile.ZipFile(path) as archive:
            return sum(info.file_size for info in archive.infolist())
    except (OSError, zipfile.BadZipFile):
        return None


def read_sheets(path: str) -> tuple[dict[str, list], list[dict]]:
    """The rows of the known sheets as (row number, {column: raw value}), and the problems of
    the file. Read with openpyxl in read-only mode (streaming)."""
    unzipped = _unzipped_size(path)
    if unzipped is not None and unzipped > UNZIPPED_SIZE_MAX:
        return {}, [
            problem_dict_now(
                E.FILE_TOO_LARGE,
                lambda: (
                    _(
                        "Unpacked, the workbook would take %(size)s MB; at most %(limit)s MB are read. "
                        "Split it."
                    )
                    % {"size": unzipped // 1024 // 1024, "limit": UNZIPPED_SIZE_MAX // 1024 // 1024}
                ),
            )
        ]
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds on a damaged file
        return {}, [
            problem_dict_now(
                E.FILE_UNREADABLE,
                lambda: _("The file cannot be read as an Excel workbook (.xlsx)."),
            )
        ]
    try:
        readers, problems = open_sheets(workbook)
        if problems:
            return {}, [_problem_in_languages(p) for p in problems]
        sheets = {key: list(reader.rows()) for key, reader in readers.items()}
        problems = [p for reader in readers.values() for p in reader.problems]
        return sheets, [_problem_in_languages(p) for p in problems]
    finally:
        workbook.close()


def records_of(sheets: dict[str, list], file_problems: list[dict]) -> CheckResult:
    """The rows as records, with the keys the context is looked up by."""
    result = CheckResult(file_problems=list(file_problems))
    for number, raw in sheets.get(HOUSEHOLDS.key, ()):
        result.households.append(
            HouseholdRecord(
                number=number,
                raw=raw,
                code=text(raw.get("customer_code"), length=10),
                national_id=household_rules.normalise_national_id(
                    text(raw.get("national_id"), length=12)
                ),
                village_code=text(raw.get("village_code"), length=8),
                group_code=text(raw.get("group_code"), length=7),
            )
        )
    for number, raw in sheets.get(MEMBERS.key, ()):
        result.members.append(
            MemberRecord(
                number=number,
                raw=raw,
                reference=text(raw.get("household")),
                national_id=household_rules.normalise_national_id(
                    text(raw.get("national_id"), length=12)
                ),
            )
        )
    for number, raw in sheets.get(GROUPS.key, ()):
        result.groups.append(
            GroupRecord(
                number=number,
                raw=raw,
                code=text(raw.get("group_code"), length=7),
                village_code=text(raw.get("village_code"), length=8),
                adjacent_codes=split_list(text(raw.get("adjacent_villages"))),
                references=split_list(text(raw.get("members"))),
            )
        )
    if not result.file_problems and not result.rows_total:
        result.file_problems.append(
            problem_dict_now(E.NOTHING_TO_IMPORT, lambda: _("The workbook has no rows to import."))
        )
    return result


def read_workbook(path: str) -> CheckResult:
    """Every row of the known sheets, with its keys; the problems of the file."""
    sheets, problems = read_sheets(path)
    return records_of(sheets, problems)


def natural_key(record: HouseholdRecord) -> tuple:
    """A household without customer code nor national ID is known by its village and its head's
    folded name and birth date."""
    return (
        record.village_code,
        fold(text(record.raw.get("head_name"))),
        parse_date(record.raw.get("birth_date"), "", "")[0],
    )


def _problem_in_languages(problem: Problem) -> dict:
    # Problems of the file are made once, in the current language; their message is kept as is.
    return {
        "code": str(problem.code),
        "field": None,
        "sheet": problem.field,
        "messages": {lang: str(problem.message) for lang in language_codes()},
    }


def problem_dict_now(code: str, message: Callable[[], str]) -> dict:
    messages = {}
    for language in language_codes():
        with override(language):
            messages[language] = str(message())
    return {"code": str(code), "field": None, "sheet": None, "messages": messages}
