"""Checking a row of the Members sheet."""

from __future__ import annotations

from django.utils.translation import gettext as _

from policylend.core.errors import Problem
from policylend.core.text import fold
from policylend.households import rules as household_rules
from policylend.households.models import Relationship, Sex
from policylend.households.rules import PersonInput

from ..error_codes import ImportErrorCode as E
from ..layout import (
    HOUSEHOLDS,
    MEMBERS,
)
from ..models import RowOutcome
from ..rules import cell_text as text
from ..rules import (
    parse_choice,
    parse_date,
    required_problems,
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
)
from .context import Context, _reference_key
from .records import MemberRecord


def check_member(record: MemberRecord, context: Context) -> list[Problem]:
    spec, raw = MEMBERS, record.raw
    label = _labels(spec).__getitem__
    problems: list[Problem] = _length_problems(spec, raw, _labels(spec))
    full_name = household_rules.normalise_text(text(raw.get("full_name")))
    sex, sex_problems = parse_choice(
        text(raw.get("sex")), context.sex_lookup, context.shown(Sex), "sex", label("sex")
    )
    relationship, relationship_problems = parse_choice(
        text(raw.get("relationship")),
        context.relationship_lookup,
        context.shown(Relationship),
        "relationship",
        label("relationship"),
    )
    birth_date, date_problems = parse_date(raw.get("birth_date"), "birth_date", label("birth_date"))
    problems += required_problems(record.reference, "household", label("household"))
    problems += required_problems(full_name, "full_name", label("full_name"))
    problems += required_problems(text(raw.get("sex")), "sex", label("sex"))
    problems += required_problems(
        text(raw.get("relationship")), "relationship", label("relationship")
    )
    problems += sex_problems + relationship_problems + date_problems
    record.person = PersonInput(
        full_name=full_name,
        sex=sex or "",
        relationship=relationship or "",
        birth_date=birth_date,
        national_id=record.national_id,
    )
    taken = {p.field for p in problems}
    problems += _renamed(
        household_rules.person_problems(record.person, field="", today=context.today, as_head=False)
        if context.register_rules
        else (),
        {},
        taken,
    )
    problems += _member_household_problems(record, context)
    if not problems:
        problems += _member_register_problems(record, context)
    return problems


def _member_household_problems(record: MemberRecord, context: Context) -> list[Problem]:
    record.household_row, record.household_id = None, None
    reference = record.reference
    if not reference:
        return []
    key = _reference_key(context, reference)
    if key is None or (
        key.startswith("h")
        and not context.path_visible(context.households_by_id[int(key[1:])]["village_path"])
    ):
        return [
            Problem(
                E.HOUSEHOLD_REFERENCE,
                _(
                    "%(field)s: “%(value)s” is neither the number of a row of the sheet %(sheet)s nor the customer code of a household in your scope."
                )
                % {
                    "field": _label(MEMBERS, "household"),
                    "value": reference[:20],
                    "sheet": HOUSEHOLDS.label,
                },
                "household",
            )
        ]
    if key.startswith("r"):
        record.household_row = context.household_rows_by_number[int(key[1:])]
    else:
        record.household_id = int(key[1:])
    return []


def _member_register_problems(record: MemberRecord, context: Context) -> list[Problem]:
    if record.national_id:
        first_sheet, first_row = context.first_person_by_national_id[record.national_id]
        if (first_sheet, first_row) != (MEMBERS.key, record.number):
            return [
                _repeated(_label(MEMBERS, "national_id"), "", first_sheet, first_row, "national_id")
            ]
    household_id = record.household_id
    if household_id is None and record.household_row is not None and record.household_row.existing:
        household_id = record.household_row.existing["id"]
    person = context.persons_by_national_id.get(record.national_id or "")
    if person is not None and person["household_id"] != household_id:
        return [_id_taken()]
    if household_id is None:
        return []
    if person is None:
        wanted = fold(record.person.full_name)
        person = next(
            (
                p
                for p in context.persons_of_household.get(household_id, [])
                if fold(p["full_name"]) == wanted
            ),
            None,
        )
    if person is None:
        return []
    expected = {
        "full_name": record.person.full_name,
        "sex": record.person.sex,
        "birth_date": record.person.birth_date,
        "relationship": record.person.relationship,
        "national_id": record.person.national_id,
    }
    labels = {key: _label(MEMBERS, key) for key in expected}
    differing = _differences(expected, person, labels)
    if differing:
        return [_other_data_problem(record.person.full_name, differing, "full_name")]
    record.outcome = RowOutcome.UNCHANGED
    return []
