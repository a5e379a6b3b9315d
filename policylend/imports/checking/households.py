"""Checking a row of the Households sheet."""

from __future__ import annotations

from django.utils.translation import gettext as _

from policylend.core.errors import Problem
from policylend.groups import rules as group_rules
from policylend.groups.models import GroupStatus
from policylend.households import rules as household_rules
from policylend.households.models import Relationship, Sex
from policylend.households.rules import PersonInput

from ..error_codes import ImportErrorCode as E
from ..layout import (
    GROUPS,
    HOUSEHOLDS,
)
from ..rules import cell_text as text
from ..rules import (
    code_problems,
    parse_choice,
    parse_date,
    required_problems,
    text_problems,
)
from .common import (
    _differences,
    _id_taken,
    _label,
    _labels,
    _length_problems,
    _other_data_problem,
    _renamed,
    _repeated,
    _village_problems,
)
from .constants import HOUSEHOLD_FIELDS
from .context import Context
from .records import HouseholdRecord


def check_household(record: HouseholdRecord, context: Context) -> list[Problem]:
    spec, raw = HOUSEHOLDS, record.raw
    label = _labels(spec).__getitem__
    problems: list[Problem] = _length_problems(spec, raw, _labels(spec))
    record.join_group = None
    head_name = household_rules.normalise_text(text(raw.get("head_name")))
    sex, sex_problems = parse_choice(
        text(raw.get("sex")), context.sex_lookup, context.shown(Sex), "sex", label("sex")
    )
    birth_date, date_problems = parse_date(raw.get("birth_date"), "birth_date", label("birth_date"))
    record.phone = household_rules.normalise_phone(text(raw.get("phone"), length=10))
    record.ethnicity = household_rules.normalise_text(text(raw.get("ethnicity")))
    record.address = household_rules.normalise_text(text(raw.get("address")))
    problems += required_problems(record.village_code, "village_code", label("village_code"))
    problems += required_problems(head_name, "head_name", label("head_name"))
    problems += required_problems(text(raw.get("sex")), "sex", label("sex"))
    problems += sex_problems + date_problems
    problems += code_problems(record.village_code, "village_code", label("village_code"), 8)
    problems += code_problems(record.group_code, "group_code", label("group_code"), 7)
    for key, value in (("phone", record.phone), ("ethnicity", record.ethnicity)):
        problems += text_problems(value, key, label(key), spec.column(key).length)
    record.head = PersonInput(
        full_name=head_name,
        sex=sex or "",
        relationship=Relationship.HEAD,
        birth_date=birth_date,
        national_id=record.national_id,
    )
    taken = {p.field for p in problems}
    problems += _renamed(
        household_rules.household_problems(
            head=record.head,
            members=(),
            today=context.today,
            code=record.code or None,
            phone=record.phone,
            ethnicity=record.ethnicity,
            address=record.address,
        )
        if context.register_rules
        else (),
        HOUSEHOLD_FIELDS,
        taken,
    )
    problems += _household_place_problems(record, context)
    problems += _household_register_problems(record, context)
    problems += _household_group_problems(record, context)
    return problems


def _household_place_problems(record: HouseholdRecord, context: Context) -> list[Problem]:
    record.village = None
    if not record.village_code or len(record.village_code) != 8:
        return []
    unit, problems = _village_problems(
        record.village_code, "village_code", _label(HOUSEHOLDS, "village_code"), context
    )
    record.village = unit
    return problems


def _household_register_problems(record: HouseholdRecord, context: Context) -> list[Problem]:
    """Repeated in the file, or already in the register: unchanged, or with other data."""
    record.existing = None
    problems = []
    if record.code and context.first_household_by_code.get(record.code) != record.number:
        first = context.first_household_by_code[record.code]
        problems.append(
            _repeated(
                _label(HOUSEHOLDS, "customer_code"),
                record.code,
                HOUSEHOLDS.key,
                first,
                "customer_code",
            )
        )
    if record.national_id:
        first_sheet, first_row = context.first_person_by_national_id[record.national_id]
        if (first_sheet, first_row) != (HOUSEHOLDS.key, record.number):
            problems.append(
                _repeated(
                    _label(HOUSEHOLDS, "national_id"), "", first_sheet, first_row, "national_id"
                )
            )
    if problems:
        return problems
    existing = None
    if record.code:
        existing = context.households_by_code.get(record.code)
    person = context.persons_by_national_id.get(record.national_id or "")
    if existing is None and person is not None:
        existing = context.households_by_id.get(person["household_id"])
        if existing is not None and existing["head_id"] != person["id"]:
            return [_id_taken()]
    if existing is None and not record.code and not record.national_id:
        existing = context.households_by_natural_key.get(record.natural_key)
    if existing is None:
        if person is not None:
            return [_id_taken()]
        return []
    if not context.path_visible(existing["village_path"]):
        return [
            Problem(
                E.EXISTS_WITH_OTHER_DATA,
                _("The customer code %(code)s is already used by a household outside your scope.")
                % {"code": record.code},
                "customer_code",
            )
            if record.code
            else _id_taken()
        ]
    if person is not None and person["id"] != existing["head_id"]:
        return [_id_taken()]
    record.existing = existing
    head = record.head
    expected = {
        "customer_code": record.code,
        "village_code": record.village_code,
        "head_name": head.full_name,
        "sex": head.sex,
        "birth_date": head.birth_date,
        "national_id": head.national_id,
        "phone": record.phone,
        "ethnicity": _ethnicity_stored(record.ethnicity),
        "address": record.address,
    }
    labels = {key: _label(HOUSEHOLDS, key) for key in expected}
    differing = _differences(expected, existing, labels)
    if differing:
        return [
            _other_data_problem(
                _("The household %(code)s") % {"code": existing["code"]}, differing, "customer_code"
            )
        ]
    return []


def _ethnicity_stored(text_value: str) -> str:
    """The ethnicity as the register stores it (its code), when the text names a group."""
    code = household_rules.ethnicity_code(text_value)
    return code or text_value


def _household_group_problems(record: HouseholdRecord, context: Context) -> list[Problem]:
    named = context.groups_named_for.get(f"r{record.number}", set())
    if (
        record.group_code
        and record.group_code not in context.group_rows_by_code
        and record.group_code not in context.groups_by_code
    ):
        return [_group_reference_problem(record)]
    if len(named) > 1:
        return [
            Problem(
                E.HOUSEHOLD_IN_TWO_GROUPS,
                _(
                    "The file puts this household in the groups %(groups)s; a household belongs to one group at a time."
                )
                % {"groups": ", ".join(sorted(named))},
                "group_code",
            )
        ]
    record.join_group = None
    if not record.group_code or record.group_code in context.group_rows_by_code:
        return []
    return _join_existing_group_problems(record, context, context.groups_by_code[record.group_code])


def _join_existing_group_problems(
    record: HouseholdRecord, context: Context, group: dict
) -> list[Problem]:
    """A household row naming a registered group that the Groups sheet does not list: it joins
    that group, under the group's rules."""
    if not context.path_visible(group["village__path"]):
        return [_group_reference_problem(record)]
    if record.existing is not None:
        other = context.open_group_of_household.get(record.existing["id"])
        if other == group["id"]:
            return []
        if other is not None:
            return [
                Problem(
                    E.HOUSEHOLD_IN_TWO_GROUPS,
                    _("The household %(household)s is already a member of another group.")
                    % {"household": record.existing["code"]},
                    "group_code",
                )
            ]
    if group["status"] != GroupStatus.ACTIVE:
        return [
            Problem(
                E.GROUP_REFERENCE,
                _("The group %(code)s is closed; it accepts no members.")
                % {"code": record.group_code},
                "group_code",
            )
        ]
    problems = []
    if record.village is not None:
        problems += group_rules.village_problems(
            household_label=record.code or record.head.full_name,
            household_village_id=record.village.pk,
            household_village_name=record.village.name,
            group_villages=group["villages"],
            group_label=record.group_code,
            field="group_code",
        )
    joining = context.joining_registered_group.get(record.group_code, 0)
    problems += _renamed(
        group_rules.join_size_problems(record.group_code, len(group["members"]), joining),
        {"group": "group_code"},
        set(),
    )
    if not problems:
        record.join_group = group
    return problems


def _group_reference_problem(record: HouseholdRecord) -> Problem:
    return Problem(
        E.GROUP_REFERENCE,
        _(
            "%(field)s: there is no group %(code)s, neither in the sheet %(sheet)s nor in the register."
        )
        % {
            "field": _label(HOUSEHOLDS, "group_code"),
            "code": record.group_code,
            "sheet": GROUPS.label,
        },
        "group_code",
    )
