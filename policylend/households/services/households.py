"""Households: register one (with its head and members), register many at once (imports and the
demo generator), and change a household's own facts."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from auditlog.context import disable_auditlog
from django.db import IntegrityError, transaction
from django.db.models import Max, OuterRef, Subquery
from django.utils.translation import gettext as _

from policylend.core.audit import log_created
from policylend.core.errors import DomainError, Problem
from policylend.core.text import fold
from policylend.organisation.models import OrganisationUnit

from ..error_codes import HouseholdErrorCode as E
from ..models import Household, Person, Relationship
from ..rules import (
    BULK_ROWS_MAX,
    HouseholdInput,
    PersonInput,
    address_problems,
    clean_person,
    code_after,
    codes_free,
    ethnicity_code,
    ethnicity_problems,
    household_problems,
    normalise_phone,
    normalise_text,
    phone_problems,
    status_problems,
)
from .common import (
    BULK_BATCH,
    bank_today,
    chunks,
    person_row,
    require_manage,
    taken_code_problems,
    taken_id_problems,
    village_places,
    village_problems,
)


def _clean(row: HouseholdInput) -> HouseholdInput:
    code = (row.code or "").strip() or None
    return replace(
        row,
        head=clean_person(row.head),
        members=tuple(clean_person(member) for member in row.members),
        code=code,
        address=normalise_text(row.address),
        phone=normalise_phone(row.phone),
        ethnicity=normalise_text(row.ethnicity),
    )


def _row_problems(row: HouseholdInput, today: date, field: str = "") -> list[Problem]:
    """Every rule of one cleaned row that needs no database."""
    return village_problems(row.village, f"{field}village") + household_problems(
        head=row.head,
        members=row.members,
        today=today,
        code=row.code,
        phone=row.phone,
        ethnicity=row.ethnicity,
        address=row.address,
        field=field,
    )


def _people(row: HouseholdInput, field: str = "") -> list[tuple[str, PersonInput]]:
    return [(f"{field}head.", row.head)] + [
        (f"{field}members[{i}].", member) for i, member in enumerate(row.members)
    ]


def _database_problems(actor, rows: Sequence[tuple[str, HouseholdInput]]) -> list[Problem]:
    """The rules that need the database, for all rows at once: IDs and codes already used."""
    people = [
        (prefix, person.national_id)
        for field, row in rows
        for prefix, person in _people(row, field)
    ]
    codes = [(f"{field}code", row.code) for field, row in rows if row.code]
    return taken_id_problems(actor, people) + taken_code_problems(codes)


def _household_row(row: HouseholdInput, code: str) -> Household:
    return Household(
        code=code,
        village=row.village,
        **village_places(row.village),
        address=row.address,
        phone=row.phone,
        ethnicity=ethnicity_code(row.ethnicity) or "",
        search_text=fold(row.head.full_name),
    )


def _commune_codes(commune_ids: set[int], lock: bool) -> dict[int, str]:
    """The codes of the communes whose households get a generated customer code; locked (in
    primary-key order) so that two registrations at once do not take the same number."""
    communes = OrganisationUnit.objects.filter(pk__in=commune_ids).order_by("pk")
    if lock:
        communes = communes.select_for_update()
    return dict(communes.values_list("pk", "code"))


def _generated_codes(commune_code: str, count: int, reserved: set[str]) -> list[str]:
    """``count`` free codes of the commune: after its highest code (in the database or given
    explicitly in this batch), then the gaps."""
    highest = Household.objects.filter(code__startswith=commune_code).aggregate(Max("code"))
    candidates = [highest["code__max"] or ""] + [c for c in reserved if c.startswith(commune_code)]
    top = max(candidates) or None
    codes: list[str] = []
    nxt = code_after(commune_code, top)
    while nxt is not None and len(codes) < count:
        codes.append(nxt)
        nxt = code_after(commune_code, nxt)
    if len(codes) < count:
        used = set(
            Household.objects.filter(code__startswith=commune_code).values_list("code", flat=True)
        )
        codes += codes_free(commune_code, used | reserved | set(codes), count - len(codes))
    if len(codes) < count:
        raise DomainError(
            E.CODES_EXHAUSTED,
            _(
                "Commune %(commune)s has used all 9,999 customer codes of its sequence; "
                "enter the household's code."
            )
            % {"commune": commune_code},
            "code",
        )
    return codes[:count]


def _assign_codes(rows: Sequence[HouseholdInput]) -> list[str]:
    """The customer code of each row: the one given, or the next free code of its commune."""
    places = [village_places(row.village) for row in rows]
    wanting: dict[int, int] = defaultdict(int)
    for row, place in zip(rows, places, strict=True):
        if row.code is None:
            wanting[place["commune_id"]] += 1
    if not wanting:
        return [row.code for row in rows]
    commune_codes = _commune_codes(set(wanting), lock=True)
    reserved = {row.code for row in rows if row.code}
    generated = {
        commune_id: iter(_generated_codes(commune_codes[commune_id], count, reserved))
        for commune_id, count in wanting.items()
    }
    return [
        row.code or next(generated[place["commune_id"]])
        for row, place in zip(rows, places, strict=True)
    ]


def _write(actor, rows: Sequence[HouseholdInput], *, log_members: bool) -> list[Household]:
    """Insert the households, then their members, then point each household at its head: a
    fixed number of statements per batch, whatever the number of rows."""
    codes = _assign_codes(rows)
    households = [_household_row(row, code) for row, code in zip(rows, codes, strict=True)]
    with disable_auditlog():
        Household.objects.bulk_create(households, batch_size=BULK_BATCH)
        persons: list[Person] = []
        for household, row in zip(households, rows, strict=True):
            household.head = person_row(household, row.head)
            persons += [household.head, *(person_row(household, m) for m in row.members)]
        Person.objects.bulk_create(persons, batch_size=BULK_BATCH)
        for household in households:
            household.head = household.head  # the head has its id now: keep head_id in step
        _point_at_heads([household.pk for household in households])
    log_created(actor, [*households, *(persons if log_members else ())])
    return households


def _point_at_heads(household_ids: list[int]) -> None:
    """Set each new household's head: one UPDATE per chunk, reading the member registered as
    "head" (there is exactly one: the rules refuse a second)."""
    heads = Person.objects.filter(household=OuterRef("pk"), relationship=Relationship.HEAD).values(
        "pk"
    )[:1]
    for part in chunks(household_ids):
        Household.objects.filter(pk__in=part).update(head=Subquery(heads))


def _written(actor, rows: Sequence[tuple[str, HouseholdInput]], *, log_members: bool):
    """Write in one transaction; a registration that raced ours to the same ID or code is
    reported like any taken ID or code."""
    try:
        with transaction.atomic():
            return _write(actor, [row for _field, row in rows], log_members=log_members)
    except IntegrityError:
        problems = _database_problems(actor, rows)
        if problems:
            raise DomainError.of(problems) from None
        raise


def household_create(
    *,
    actor,
    village: OrganisationUnit,
    head: PersonInput,
    members: Sequence[PersonInput] = (),
    code: str | None = None,
    address: str = "",
    phone: str = "",
    ethnicity: str = "",
    today: date | None = None,
) -> Household:
    """Register a household of ``village`` (which fixes its commune, office and branch) with its
    head and members (domain.md §4). The customer code is the one given (10 digits, unused) or
    the commune's next free code: the commune's 6-digit code and a 4-digit sequence. Each
    national ID is checked (12 digits, a province code 001–096) and must not be registered yet.

    A fixed number of queries whatever the number of members, so imports can call it per row."""
    require_manage(actor, village)
    row = _clean(
        HouseholdInput(
            village=village,
            head=head,
            members=tuple(members),
            code=code,
            address=address,
            phone=phone,
            ethnicity=ethnicity,
        )
    )
    problems = _row_problems(row, bank_today(today)) + _database_problems(actor, [("", row)])
    if problems:
        raise DomainError.of(problems)
    (household,) = _written(actor, [("", row)], log_members=True)
    return household


def households_create_bulk(
    *, actor, rows: Sequence[HouseholdInput], today: date | None = None
) -> list[Household]:
    """Register many households at once with the same rules as ``household_create``: every row
    is checked first and the problems of all rows are reported together, each field named
    ``rows[i].…`` (``i`` the row's index in ``rows``, from 0; ``error.rows`` maps each index to
    its problems); then all rows are written with bulk inserts, or none. One audit record per
    household (not per member)."""
    if len(rows) > BULK_ROWS_MAX:
        raise DomainError(
            E.ROWS_TOO_MANY,
            _("At most %(max)d households can be registered at once; %(n)d were sent.")
            % {"max": BULK_ROWS_MAX, "n": len(rows)},
            "rows",
        )
    today = bank_today(today)
    for village in {row.village.pk: row.village for row in rows}.values():
        require_manage(actor, village)
    cleaned = [(f"rows[{i}].", _clean(row)) for i, row in enumerate(rows)]
    problems: list[Problem] = []
    for field, row in cleaned:
        problems += _row_problems(row, today, field)
    problems += _batch_repeats(cleaned)
    problems += _database_problems(actor, cleaned)
    if problems:
        raise _bulk_error(problems)
    return _written(actor, cleaned, log_members=False) if cleaned else []


def _batch_repeats(rows: Sequence[tuple[str, HouseholdInput]]) -> list[Problem]:
    """An ID or a code given in two rows of one batch (a repeat inside one household is
    reported by the row's own rules)."""
    problems = []
    first_row: dict[str, str] = {}
    for field, row in rows:
        for prefix, person in _people(row, field):
            if person.national_id and first_row.setdefault(person.national_id, field) != field:
                problems.append(
                    Problem(
                        E.NATIONAL_ID_REPEATED,
                        _("The same national ID is entered for two people."),
                        f"{prefix}national_id",
                    )
                )
    seen: dict[str, str] = {}
    for field, row in rows:
        if row.code and seen.setdefault(row.code, field) != field:
            problems.append(
                Problem(
                    E.CODE_TAKEN,
                    _("The customer code %(code)s is given to two households.")
                    % {"code": row.code},
                    f"{field}code",
                )
            )
    return problems


def _bulk_error(problems: list[Problem]) -> DomainError:
    error = DomainError.of(problems)
    by_row: dict[int, list[Problem]] = defaultdict(list)
    for problem in problems:
        field = problem.field or ""
        if field.startswith("rows[") and "]" in field:
            by_row[int(field[5 : field.index("]")])].append(problem)
    error.rows = dict(by_row)
    return error


def household_update(
    *,
    actor,
    household: Household,
    address: str,
    phone: str,
    ethnicity: str,
    status: str,
    village: OrganisationUnit | None = None,
) -> Household:
    """Change a household's address, phone, ethnicity or status, or move it to another village
    (its commune, office and branch follow; its customer code stays)."""
    require_manage(actor, household.village)
    if village is not None and village.pk != household.village_id:
        require_manage(actor, village)
    address, phone, ethnicity = normalise_text(address), normalise_phone(phone), ethnicity
    problems = (
        address_problems(address)
        + phone_problems(phone)
        + ethnicity_problems(ethnicity)
        + status_problems(status)
    )
    if village is not None and village.pk != household.village_id:
        problems += village_problems(village)
    if problems:
        raise DomainError.of(problems)
    with transaction.atomic():
        household = Household.objects.select_for_update().get(pk=household.pk)
        household.address, household.phone, household.status = address, phone, status
        household.ethnicity = ethnicity_code(ethnicity) or ""
        fields = ["address", "phone", "ethnicity", "status"]
        if village is not None and village.pk != household.village_id:
            household.village = village
            for name, value in village_places(village).items():
                setattr(household, name, value)
            fields += ["village", "branch", "office", "commune"]
        household.save(update_fields=fields)
    return household
