"""Checking a row of the Groups sheet."""

from __future__ import annotations

from django.utils.translation import gettext as _

from policylend.core.errors import Problem
from policylend.groups import rules as group_rules
from policylend.groups.models import GroupStatus
from policylend.groups.services.common import association_unit_problems, village_choice_problems
from policylend.households import rules as household_rules

from ..error_codes import ImportErrorCode as E
from ..layout import (
    GROUPS,
    HOUSEHOLDS,
)
from ..rules import cell_text as text
from ..rules import (
    code_problems,
    list_problems,
    parse_date,
    required_problems,
)
from .common import (
    _differences,
    _label,
    _labels,
    _length_problems,
    _other_data_problem,
    _renamed,
    _repeated,
    _village_problems,
)
from .constants import GROUP_FIELDS
from .context import Context, _reference_key
from .records import GroupRecord


def check_group(record: GroupRecord, context: Context) -> list[Problem]:
    spec, raw = GROUPS, record.raw
    label = _labels(spec).__getitem__
    problems: list[Problem] = _length_problems(spec, raw, _labels(spec))
    record.name = household_rules.normalise_text(text(raw.get("name")))
    record.decision_number = household_rules.normalise_text(text(raw.get("decision_number")))
    association_code = text(raw.get("association_code"), length=2)
    record.founded_on, founded_problems = parse_date(
        raw.get("founded_on"), "founded_on", label("founded_on")
    )
    record.decision_date, decision_problems = parse_date(
        raw.get("decision_date"), "decision_date", label("decision_date")
    )
    for key in (
        "group_code",
        "name",
        "village_code",
        "association_code",
        "founded_on",
        "decision_number",
        "decision_date",
    ):
        problems += required_problems(text(raw.get(key)), key, label(key))
    problems += founded_problems + decision_problems
    problems += code_problems(record.village_code, "village_code", label("village_code"), 8)
    problems += list_problems(record.references, "members", label("members"))
    if association_code and association_code not in context.association_codes:
        problems.append(
            Problem(
                E.CHOICE,
                _("%(field)s must be one of: %(choices)s; “%(value)s” is not.")
                % {
                    "field": label("association_code"),
                    "choices": ", ".join(context.association_codes),
                    "value": association_code,
                },
                "association_code",
            )
        )
    taken = {p.field for p in problems}
    found = group_rules.code_problems(record.code) if record.code else []
    found += group_rules.name_problems(record.name) if record.name else []
    if (
        record.founded_on
        and record.decision_number
        and record.decision_date
        and context.register_rules
    ):
        found += group_rules.founding_problems(
            founded_on=record.founded_on,
            approval_decision=record.decision_number,
            approval_decision_on=record.decision_date,
            today=context.today,
        )
    problems += _renamed(found, GROUP_FIELDS, taken)
    problems += _group_place_problems(record, context, association_code, taken)
    problems += _group_member_problems(record, context)
    if problems:
        return problems
    return _group_register_problems(record, context, association_code)


def _group_place_problems(
    record: GroupRecord, context: Context, association_code: str, taken: set[str]
) -> list[Problem]:
    record.village, record.adjacent, record.association_unit = None, [], None
    if "village_code" in taken:
        return []
    unit, problems = _village_problems(
        record.village_code, "village_code", _label(GROUPS, "village_code"), context
    )
    if unit is None:
        return problems
    record.village = unit
    for code in record.adjacent_codes:
        other, found = _village_problems(
            code, "adjacent_villages", _label(GROUPS, "adjacent_villages"), context
        )
        problems += found
        if other is not None:
            record.adjacent.append(other)
    problems += _renamed(village_choice_problems(unit, record.adjacent), GROUP_FIELDS, set(taken))
    if association_code and "association_code" not in taken:
        record.association_unit = context.association_units.get((association_code, unit.parent_id))
        if record.association_unit is None:
            problems.append(
                Problem(
                    E.ASSOCIATION_UNIT_MISSING,
                    _(
                        "The association %(association)s has no unit in the commune %(commune)s to manage the group; set it up first."
                    )
                    % {"association": association_code, "commune": unit.parent.name},
                    "association_code",
                )
            )
        else:
            problems += _renamed(
                association_unit_problems(record.association_unit, unit), GROUP_FIELDS, set(taken)
            )
    return problems


def _group_member_problems(record: GroupRecord, context: Context) -> list[Problem]:
    """The households of the group: its references, and the rows of the Households sheet that
    name it."""
    record.household_rows, record.household_ids = [], []
    unknown, seen = [], set()
    references = list(record.references)
    for reference in references:
        key = _reference_key(context, reference)
        if key is None or (
            key.startswith("h")
            and not context.path_visible(context.households_by_id[int(key[1:])]["village_path"])
        ):
            unknown.append(reference[:20])
            continue
        if key in seen:
            continue
        seen.add(key)
        if key.startswith("r"):
            record.household_rows.append(context.household_rows_by_number[int(key[1:])])
        else:
            record.household_ids.append(int(key[1:]))
    for row in context.household_rows_by_group.get(record.code, ()):
        if f"r{row.number}" not in seen:
            seen.add(f"r{row.number}")
            record.household_rows.append(row)
    problems = []
    if unknown:
        problems.append(
            Problem(
                E.HOUSEHOLD_REFERENCE,
                _(
                    "%(field)s: %(values)s are neither row numbers of the sheet %(sheet)s nor customer codes of households in your scope."
                )
                % {
                    "field": _label(GROUPS, "members"),
                    "values": ", ".join(unknown[:10]),
                    "sheet": HOUSEHOLDS.label,
                },
                "members",
            )
        )
    for key in sorted(seen):
        if len(context.groups_named_for.get(key, ())) > 1:
            problems.append(
                Problem(
                    E.HOUSEHOLD_IN_TWO_GROUPS,
                    _(
                        "The file puts the household %(household)s in the groups %(groups)s; a household belongs to one group at a time."
                    )
                    % {
                        "household": _household_name(key, context),
                        "groups": ", ".join(sorted(context.groups_named_for[key])),
                    },
                    "members",
                )
            )
    return problems


def _household_name(key: str, context: Context) -> str:
    if key.startswith("r"):
        return _("row %(row)s") % {"row": key[1:]}
    return context.households_by_id[int(key[1:])]["code"]


def _group_register_problems(
    record: GroupRecord, context: Context, association_code: str
) -> list[Problem]:
    if context.first_group_by_code.get(record.code) != record.number:
        return [
            _repeated(
                _label(GROUPS, "group_code"),
                record.code,
                GROUPS.key,
                context.first_group_by_code[record.code],
                "group_code",
            )
        ]
    record.existing = context.groups_by_code.get(record.code)
    record.joining = []
    villages = {unit.pk: unit.name for unit in [record.village, *record.adjacent]}
    members = [
        (f"r{row.number}", row.existing["id"] if row.existing else None, row.village)
        for row in record.household_rows
    ] + [(f"h{pk}", pk, None) for pk in record.household_ids]
    if record.existing is None:
        problems = _renamed(group_rules.founding_size_problems(len(members)), GROUP_FIELDS, set())
        problems += _member_place_problems(record, context, members, villages, group_id=None)
        return problems
    existing = record.existing
    if not context.path_visible(existing["village__path"]):
        return [
            Problem(
                E.EXISTS_WITH_OTHER_DATA,
                _("The group code %(code)s is already used by a group outside your scope.")
                % {"code": record.code},
                "group_code",
            )
        ]
    expected = {
        "name": record.name,
        "village_code": record.village_code,
        "association_code": association_code,
        "founded_on": record.founded_on,
        "decision_number": record.decision_number,
        "decision_date": record.decision_date,
    }
    stored = {
        "name": existing["name"],
        "village_code": existing["village__code"],
        "association_code": existing["association_unit__association__code"],
        "founded_on": existing["founded_on"],
        "decision_number": existing["approval_decision"],
        "decision_date": existing["approval_decision_on"],
    }
    labels = {key: _label(GROUPS, key) for key in expected}
    differing = _differences(expected, stored, labels)
    if differing:
        return [
            _other_data_problem(
                _("The group %(code)s") % {"code": record.code}, differing, "group_code"
            )
        ]
    if existing["status"] != GroupStatus.ACTIVE and members:
        return [
            Problem(
                E.EXISTS_WITH_OTHER_DATA,
                _("The group %(code)s is closed; it accepts no members.") % {"code": record.code},
                "members",
            )
        ]
    problems = _member_place_problems(
        record, context, members, existing["villages"], group_id=existing["id"]
    )
    problems += _renamed(
        group_rules.join_size_problems(record.code, len(existing["members"]), len(record.joining))
        if record.joining
        else [],
        GROUP_FIELDS,
        set(),
    )
    return problems


def _member_place_problems(
    record, context, members, villages: dict[int, str], group_id
) -> list[Problem]:
    """Each household lives in one of the group's villages and is in no other group; those not
    yet in the group are the ones joining it (``record.joining``)."""
    problems = []
    for key, household_id, village in members:
        if household_id is not None:
            snapshot = context.households_by_id[household_id]
            village = context.villages.get(snapshot["village_code"])
            other = context.open_group_of_household.get(household_id)
            if other is not None and other == group_id:
                continue  # already a member: nothing to do
            if other is not None:
                problems.append(
                    Problem(
                        E.HOUSEHOLD_IN_TWO_GROUPS,
                        _("The household %(household)s is already a member of another group.")
                        % {"household": snapshot["code"]},
                        "members",
                    )
                )
                continue
        record.joining.append(key)
        if village is None:
            continue  # the household's row has its own problem
        problems += _renamed(
            group_rules.village_problems(
                household_label=_household_name(key, context),
                household_village_id=village.pk,
                household_village_name=village.name,
                group_villages=villages,
                group_label=record.code,
                field="members",
            ),
            GROUP_FIELDS,
            set(),
        )
    return problems
