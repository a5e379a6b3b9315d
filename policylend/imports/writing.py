"""Writing a checked workbook to the registers, through the registers' own services only, inside
the caller's one database transaction (all rows or none):

1. new households with their new members: ``households.services.households_create_bulk``, in
   batches;
2. new members of households already registered: ``households.services.person_add``;
3. new groups with their households: ``groups.services.groups_create_bulk``, in batches;
4. households joining a group already registered: ``groups.services.membership_join``.

Rows already present and unchanged are skipped. A service that refuses a row raises DomainError;
its problems are located at the row of the workbook they concern.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from policylend.core.errors import DomainError
from policylend.groups.models import SavingsGroup
from policylend.groups.services import GroupSpec, groups_create_bulk, membership_join
from policylend.households.models import Household
from policylend.households.services import HouseholdInput, households_create_bulk, person_add

from .checking import GROUP_FIELDS, HOUSEHOLD_FIELDS, CheckResult, GroupRecord, HouseholdRecord
from .error_codes import ImportErrorCode as E
from .layout import GROUPS, HOUSEHOLDS, MEMBERS
from .models import RowOutcome

HOUSEHOLD_BATCH = 5_000
GROUP_BATCH = 500


class RowRefused(DomainError):
    """A register's service refused a row while importing: nothing was written. ``located``
    names the sheet and row of each problem."""

    def __init__(self, located: list[dict]):
        first = located[0]
        super().__init__(E.REFUSED_ON_IMPORT, first["message"], first.get("field"))
        self.located = located


def _locate(error: DomainError, records: Sequence, sheet: str, names: dict[str, str]) -> RowRefused:
    """A bulk service's problems (``rows[3].head.national_id``) at the rows of the workbook."""
    located = []
    for problem in error.problems:
        field = problem.field or ""
        record = records[0] if len(records) == 1 else None
        if "[" in field and "]" in field:
            index = int(field[field.index("[") + 1 : field.index("]")])
            record = records[index] if index < len(records) else None
            field = field[field.index("]") + 1 :].lstrip(".")
        located.append(
            {
                "code": str(problem.code),
                "sheet": sheet,
                "row": record.number if record is not None else None,
                "field": names.get(field, field) or None,
                "message": str(problem.message),
            }
        )
    return RowRefused(located)


def _batches(items: list, size: int):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def write_rows(
    result: CheckResult, *, actor, today: date, progress: Callable[[int], None]
) -> dict[str, int]:
    """Write every new row (the caller holds the transaction); returns what was written."""
    written = {"households": 0, "persons": 0, "groups": 0, "memberships": 0}
    done = 0
    created: dict[int, Household] = {}  # household row number → the household written

    new_households = [r for r in result.households if r.outcome == RowOutcome.NEW]
    done += len(result.households) - len(new_households)
    for batch in _batches(new_households, HOUSEHOLD_BATCH):
        rows = [
            HouseholdInput(
                village=record.village,
                head=record.head,
                members=[member.person for member in record.members],
                code=record.code or None,
                address=record.address,
                phone=record.phone,
                ethnicity=record.ethnicity,
            )
            for record in batch
        ]
        try:
            households = households_create_bulk(actor=actor, rows=rows, today=today)
        except DomainError as error:
            raise _locate(error, batch, HOUSEHOLDS.key, HOUSEHOLD_FIELDS) from error
        for record, household in zip(batch, households, strict=True):
            created[record.number] = household
        written["households"] += len(batch)
        written["persons"] += sum(1 + len(record.members) for record in batch)
        done += len(batch)
        progress(done)

    existing = _existing_households(result)
    for member in result.members:
        done += 1
        if member.outcome != RowOutcome.NEW or (
            member.household_row is not None and member.household_row.outcome == RowOutcome.NEW
        ):
            continue
        household_id = member.household_id or member.household_row.existing["id"]
        try:
            person_add(
                actor=actor, household=existing[household_id], person=member.person, today=today
            )
        except DomainError as error:
            raise _locate(error, [member], MEMBERS.key, {}) from error
        written["persons"] += 1
    progress(done)

    done = _write_groups(result, actor, today, created, existing, written, done, progress)
    done = _join_registered_groups(result, actor, today, created, existing, written, done)
    progress(done)
    return written


def _join_registered_groups(result, actor, today, created, existing, written, done) -> int:
    """Rows of the Households sheet that name a registered group the Groups sheet does not list."""
    rows = [r for r in result.households if r.join_group is not None]
    groups = SavingsGroup.objects.in_bulk({r.join_group["id"] for r in rows})
    for record in rows:
        household = created.get(record.number) or existing[record.existing["id"]]
        try:
            membership_join(
                actor=actor,
                group=groups[record.join_group["id"]],
                household=household,
                joined_on=today,
                today=today,
            )
        except DomainError as error:
            raise _locate(
                error, [record], HOUSEHOLDS.key, {"household": "group_code", "group": "group_code"}
            ) from error
        written["memberships"] += 1
    return done


def _existing_households(result: CheckResult) -> dict[int, Household]:
    ids = {m.household_id for m in result.members if m.household_id}
    ids |= {r.existing["id"] for r in result.households if r.join_group is not None and r.existing}
    ids |= {
        m.household_row.existing["id"]
        for m in result.members
        if m.household_row and m.household_row.existing
    }
    for group in result.groups:
        ids |= set(group.household_ids)
        ids |= {row.existing["id"] for row in group.household_rows if row.existing}
    return Household.objects.select_related("village").in_bulk(list(ids))


def _household_of(key: str, record: GroupRecord, created, existing) -> Household:
    if key.startswith("h"):
        return existing[int(key[1:])]
    row: HouseholdRecord = next(r for r in record.household_rows if r.number == int(key[1:]))
    return created.get(row.number) or existing[row.existing["id"]]


def _write_groups(result, actor, today, created, existing, written, done, progress) -> int:
    new_groups = [g for g in result.groups if g.outcome == RowOutcome.NEW and g.existing is None]
    for batch in _batches(new_groups, GROUP_BATCH):
        specs = [
            GroupSpec(
                code=record.code,
                name=record.name,
                village=record.village,
                association_unit=record.association_unit,
                founded_on=record.founded_on,
                approval_decision=record.decision_number,
                approval_decision_on=record.decision_date,
                households=[
                    _household_of(key, record, created, existing) for key in record.joining
                ],
                adjacent_villages=record.adjacent,
            )
            for record in batch
        ]
        try:
            groups_create_bulk(actor=actor, specs=specs, today=today)
        except DomainError as error:
            raise _locate(error, batch, GROUPS.key, GROUP_FIELDS) from error
        written["groups"] += len(batch)
        written["memberships"] += sum(len(spec.households) for spec in specs)
        done += len(batch)
        progress(done)
    joining = [g for g in result.groups if g.outcome == RowOutcome.NEW and g.existing is not None]
    groups = SavingsGroup.objects.in_bulk([g.existing["id"] for g in joining])
    for record in joining:
        group = groups[record.existing["id"]]
        for key in record.joining:
            try:
                membership_join(
                    actor=actor,
                    group=group,
                    household=_household_of(key, record, created, existing),
                    joined_on=today,
                    today=today,
                )
            except DomainError as error:
                raise _locate(error, [record], GROUPS.key, GROUP_FIELDS) from error
            written["memberships"] += 1
        done += 1
    done += sum(1 for g in result.groups if g.outcome == RowOutcome.UNCHANGED)
    return done
