"""Pure rules of the household register (domain.md §4): what a valid household, member, national
ID, phone number and certified classification are, how customer codes are numbered, how IDs are
masked and how a search is read. No ORM, no clock: ``today`` is passed in.

The value lists (sex, relationship, classification kind) are the models' choices, imported as
plain enumerations so that each list lives in one place.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from policylend.core.errors import Problem
from policylend.core.text import fold

from .error_codes import HouseholdErrorCode as E
from .models import ClassificationKind, HouseholdStatus, Relationship, Sex

NAME_LENGTH_MAX = 120
ADDRESS_LENGTH_MAX = 200
CERTIFIED_BY_LENGTH_MAX = 200
# Members besides the head that one form or API call may carry; a household is rarely above 12.
MEMBERS_MAX = 30
# Rows that one call of households_create_bulk may carry (an import is split into batches).
BULK_ROWS_MAX = 20_000
BIRTH_YEAR_MIN = 1900
CLASSIFICATION_YEAR_MIN = 2000
# "Just escaped poverty" lasts three years after the household left the poor list (domain.md §4,
# Decision 28/2015/QĐ-TTg).
ESCAPED_POVERTY_YEARS = 3
# A citizen ID's first three digits are the province of birth registration: 001 (Hà Nội) to
# 096 (Cà Mau), Circular 07/2016/TT-BCA.
PROVINCE_CODE_MIN, PROVINCE_CODE_MAX = 1, 96
NATIONAL_ID_LENGTH = 12
# Customer code: the commune's 6-digit code followed by a 4-digit sequence (0001–9999).
CODE_LENGTH = 10
SEQUENCE_DIGITS = 4
SEQUENCE_MAX = 10**SEQUENCE_DIGITS - 1
MASK = "••••••••"
SEARCH_LENGTH_MAX = 60

# The value lists as sets, looked up once per member of a 90,000-household import.
SEXES = frozenset(Sex.values)
RELATIONSHIPS = frozenset(Relationship.values)
STATUSES = frozenset(HouseholdStatus.values)
KINDS = frozenset(ClassificationKind.values)

# A poor, a near-poor and a just-escaped household are three places on one ladder: a household
# is on at most one of them in a year.
POVERTY_LADDER = frozenset(
    {ClassificationKind.POOR, ClassificationKind.NEAR_POOR, ClassificationKind.ESCAPED_POVERTY}
)


@dataclass(frozen=True)
class PersonInput:
    """A household member as a form, the API or an import states it."""

    full_name: str
    sex: str
    relationship: str
    birth_date: date | None = None
    national_id: str | None = None


@dataclass(frozen=True)
class HouseholdInput:
    """One household for ``households_create_bulk``: ``village`` is the organisation unit."""

    village: Any
    head: PersonInput
    members: Sequence[PersonInput] = ()
    code: str | None = None
    address: str = ""
    phone: str = ""
    ethnicity: str = ""


def format_day(day: date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


# --- names ----------------------------------------------------------------------------------------


def normalise_text(text: str | None) -> str:
    """One Unicode form (NFC: a Vietnamese keyboard may send decomposed accents) and single
    spaces."""
    return " ".join(unicodedata.normalize("NFC", text or "").split())


def name_problems(full_name: str, field: str) -> list[Problem]:
    if not full_name:
        return [Problem(E.NAME_REQUIRED, _("Enter the member's full name."), field)]
    if len(full_name) > NAME_LENGTH_MAX:
        return [
            Problem(
                E.NAME_TOO_LONG,
                _("A full name may have at most %(max)d characters; this one has %(n)d.")
                % {"max": NAME_LENGTH_MAX, "n": len(full_name)},
                field,
            )
        ]
    if any(ch.isdigit() for ch in full_name):
        return [Problem(E.NAME_HAS_DIGITS, _("A full name cannot contain digits."), field)]
    return []


# --- national ID ----------------------------------------------------------------------------------


def normalise_national_id(text: str | None) -> str | None:
    """The ID without the spaces, dots and dashes people type between groups of digits; None
    when nothing was typed."""
    cleaned = re.sub(r"[\s.\-]", "", text or "")
    return cleaned or None


def national_id_problems(text: str | None, field: str = "national_id") -> list[Problem]:
    """A citizen ID has exactly 12 digits, the first three a province code from 001 to 096.
    The messages never repeat the number."""
    national_id = normalise_national_id(text)
    if national_id is None:
        return []
    if not national_id.isdigit():
        return [
            Problem(
                E.NATIONAL_ID_FORMAT,
                _("A national ID is made of exactly 12 digits; the one entered has other signs."),
                field,
            )
        ]
    if len(national_id) != NATIONAL_ID_LENGTH:
        return [
            Problem(
                E.NATIONAL_ID_FORMAT,
                _("A national ID has exactly 12 digits; the one entered has %(n)d.")
                % {"n": len(national_id)},
                field,
            )
        ]
    province = int(national_id[:3])
    if not PROVINCE_CODE_MIN <= province <= PROVINCE_CODE_MAX:
        return [
            Problem(
                E.NATIONAL_ID_PROVINCE,
                _(
                    "The first 3 digits of a national ID are a province code from 001 to 096; "
                    "%(code)s is not one."
                )
                % {"code": national_id[:3]},
                field,
            )
        ]
    return []


def mask_national_id(national_id: str | None) -> str:
    """``•••••••• 1234``: only the last four digits, as every page but the reveal shows it."""
    if not national_id:
        return ""
    return f"{MASK} {national_id[-4:]}"


def audit_mask(value: str) -> str:
    """How the audit log records a national ID that changed (auditlog's mask callable): masked
    like everywhere else; "None" (no ID) stays as it is."""
    digits = "".join(ch for ch in value or "" if ch.isdigit())
    return mask_national_id(digits) if digits else value


# --- phone, ethnicity, address --------------------------------------------------------------------


def normalise_phone(text: str | None) -> str:
    """Digits only, the country code +84 written as the leading 0."""
    cleaned = re.sub(r"[\s.\-()]", "", text or "")
    if cleaned.startswith("+84"):
        cleaned = "0" + cleaned[3:]
    elif cleaned.startswith("84") and len(cleaned) == 11:
        cleaned = "0" + cleaned[2:]
    return cleaned


def phone_problems(phone: str, field: str = "phone") -> list[Problem]:
    """A Vietnamese mobile number: 10 digits, 03/05/07/08/09 first (landlines have 11 digits)."""
    if not phone or re.fullmatch(r"0[35789]\d{8}", phone):
        return []
    return [
        Problem(
            E.PHONE_FORMAT,
            _(
                "A mobile number has 10 digits and starts with 03, 05, 07, 08 or 09; "
                "“%(phone)s” does not."
            )
            % {"phone": phone[:20]},
            field,
        )
    ]


# Vietnam's 54 ethnic groups with the General Statistics Office's codes (Decision
# 121-TCTK/PPCĐ), and "other" for anyone else. Names are proper nouns and are not translated.
ETHNICITY_OTHER = "99"
ETHNICITIES: tuple[tuple[str, str], ...] = (
    ("01", "Kinh"),
    ("02", "Tày"),
    ("03", "Thái"),
    ("04", "Hoa"),
    ("05", "Khơ-me"),
    ("06", "Mường"),
    ("07", "Nùng"),
    ("08", "H'Mông"),
    ("09", "Dao"),
    ("10", "Gia-rai"),
    ("11", "Ngái"),
    ("12", "Ê-đê"),
    ("13", "Ba-na"),
    ("14", "Xơ-đăng"),
    ("15", "Sán Chay"),
    ("16", "Cơ-ho"),
    ("17", "Chăm"),
    ("18", "Sán Dìu"),
    ("19", "Hrê"),
    ("20", "Mnông"),
    ("21", "Ra-glai"),
    ("22", "Xtiêng"),
    ("23", "Bru-Vân Kiều"),
    ("24", "Thổ"),
    ("25", "Giáy"),
    ("26", "Cơ-tu"),
    ("27", "Gié-Triêng"),
    ("28", "Mạ"),
    ("29", "Khơ-mú"),
    ("30", "Co"),
    ("31", "Tà-ôi"),
    ("32", "Chơ-ro"),
    ("33", "Kháng"),
    ("34", "Xinh-mun"),
    ("35", "Hà Nhì"),
    ("36", "Chu-ru"),
    ("37", "Lào"),
    ("38", "La Chí"),
    ("39", "La Ha"),
    ("40", "Phù Lá"),
    ("41", "La Hủ"),
    ("42", "Lự"),
    ("43", "Lô Lô"),
    ("44", "Chứt"),
    ("45", "Mảng"),
    ("46", "Pà Thẻn"),
    ("47", "Cơ Lao"),
    ("48", "Cống"),
    ("49", "Bố Y"),
    ("50", "Si La"),
    ("51", "Pu Péo"),
    ("52", "Brâu"),
    ("53", "Ơ Đu"),
    ("54", "Rơ-măm"),
)
ETHNICITY_OTHER_LABEL = gettext_lazy("Other")
_ETHNICITY_NAMES = dict(ETHNICITIES)


def _ethnicity_key(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", fold(text))


# Other spellings people write: "Mông", "Hmong", "Khmer", "Vân Kiều" …
_ETHNICITY_ALIASES = {
    "mong": "08",
    "hmong": "08",
    "meo": "08",
    "khmer": "05",
    "khome": "05",
    "bru": "23",
    "vankieu": "23",
    "khac": ETHNICITY_OTHER,
    "other": ETHNICITY_OTHER,
}
_ETHNICITY_BY_KEY = {_ethnicity_key(name): code for code, name in ETHNICITIES} | _ETHNICITY_ALIASES


def ethnicity_code(text: str | None) -> str | None:
    """The code of an ethnic group written as its code ("2", "02") or its name with or without
    accents ("Tày", "tay"); "" for nothing, None when it is not a group of the list."""
    text = normalise_text(text)
    if not text:
        return ""
    if text.isdigit():
        code = f"{int(text):02d}"
        return code if code in _ETHNICITY_NAMES or code == ETHNICITY_OTHER else None
    return _ETHNICITY_BY_KEY.get(_ethnicity_key(text))


def ethnicity_label(code: str | None) -> str:
    if not code:
        return ""
    if code == ETHNICITY_OTHER:
        return str(ETHNICITY_OTHER_LABEL)
    return _ETHNICITY_NAMES.get(code, code)


def ethnicity_choices() -> list[tuple[str, str]]:
    return [*ETHNICITIES, (ETHNICITY_OTHER, str(ETHNICITY_OTHER_LABEL))]


def ethnicity_problems(text: str | None, field: str = "ethnicity") -> list[Problem]:
    if ethnicity_code(text) is not None:
        return []
    return [
        Problem(
            E.ETHNICITY_UNKNOWN,
            _("“%(text)s” is not one of Vietnam's 54 ethnic groups; choose one, or “Other”.")
            % {"text": normalise_text(text)[:40]},
            field,
        )
    ]


def address_problems(address: str, field: str = "address") -> list[Problem]:
    if len(address) <= ADDRESS_LENGTH_MAX:
        return []
    return [
        Problem(
            E.ADDRESS_TOO_LONG,
            _("The address may have at most %(max)d characters; this one has %(n)d.")
            % {"max": ADDRESS_LENGTH_MAX, "n": len(address)},
            field,
        )
    ]


def status_problems(status: str, field: str = "status") -> list[Problem]:
    if status in STATUSES:
        return []
    return [Problem(E.STATUS_UNKNOWN, _("Choose the household's status."), field)]


# --- customer codes -------------------------------------------------------------------------------


def household_code_problems(code: str, field: str = "code") -> list[Problem]:
    if re.fullmatch(r"\d{10}", code or ""):
        return []
    return [
        Problem(
            E.CODE_FORMAT,
            _("A customer code has exactly 10 digits; “%(code)s” does not.")
            % {"code": (code or "")[:20]},
            field,
        )
    ]


def code_after(commune_code: str, highest: str | None) -> str | None:
    """The commune's next code after its highest one (commune code + 0001 for the first);
    None when the sequence reached 9999."""
    sequence = int(highest[len(commune_code) :]) if highest else 0
    if sequence >= SEQUENCE_MAX:
        return None
    return f"{commune_code}{sequence + 1:0{SEQUENCE_DIGITS}d}"


def codes_free(commune_code: str, used: Iterable[str], count: int) -> list[str]:
    """Up to ``count`` unused codes of the commune: after the highest one first, then the gaps
    left by codes that were never used."""
    taken = {
        int(code[len(commune_code) :])
        for code in used
        if code.startswith(commune_code) and code[len(commune_code) :].isdigit()
    }
    highest = max(taken, default=0)
    after = range(highest + 1, min(highest + count, SEQUENCE_MAX) + 1)
    free = [f"{commune_code}{n:0{SEQUENCE_DIGITS}d}" for n in after]
    gap = 1
    while len(free) < count and gap <= highest:
        if gap not in taken:
            free.append(f"{commune_code}{gap:0{SEQUENCE_DIGITS}d}")
        gap += 1
    return free


# --- members --------------------------------------------------------------------------------------


def clean_person(person: PersonInput) -> PersonInput:
    """The input as it will be stored: names in one Unicode form, the ID without separators."""
    return PersonInput(
        full_name=normalise_text(person.full_name),
        sex=(person.sex or "").strip(),
        relationship=(person.relationship or "").strip(),
        birth_date=person.birth_date,
        national_id=normalise_national_id(person.national_id),
    )


def person_problems(
    person: PersonInput, *, field: str, today: date, as_head: bool | None
) -> list[Problem]:
    """The rules of one member (already cleaned). ``as_head``: True for the head (relationship
    "head"), False for another member (not "head"), None when the relationship is not checked
    against the place in the household."""
    problems = name_problems(person.full_name, f"{field}full_name")
    if person.sex not in SEXES:
        problems.append(Problem(E.SEX_UNKNOWN, _("Choose the member's sex."), f"{field}sex"))
    if person.relationship not in RELATIONSHIPS:
        problems.append(
            Problem(
                E.RELATIONSHIP_UNKNOWN,
                _("Choose the member's relationship to the head of the household."),
                f"{field}relationship",
            )
        )
    elif as_head is True and person.relationship != Relationship.HEAD:
        problems.append(
            Problem(
                E.HEAD_RELATIONSHIP,
                _("The head of the household has the relationship “head of household”."),
                f"{field}relationship",
            )
        )
    elif as_head is False and person.relationship == Relationship.HEAD:
        problems.append(
            Problem(
                E.SECOND_HEAD,
                _("A household has one head; choose this member's relationship to the head."),
                f"{field}relationship",
            )
        )
    problems += birth_date_problems(person.birth_date, f"{field}birth_date", today)
    problems += national_id_problems(person.national_id, f"{field}national_id")
    return problems


def birth_date_problems(birth_date: date | None, field: str, today: date) -> list[Problem]:
    if birth_date is None:
        return []
    if birth_date > today:
        return [
            Problem(
                E.BIRTH_DATE_FUTURE,
                _("The birth date %(day)s is after today, %(today)s.")
                % {"day": format_day(birth_date), "today": format_day(today)},
                field,
            )
        ]
    if birth_date.year < BIRTH_YEAR_MIN:
        return [
            Problem(
                E.BIRTH_DATE_TOO_EARLY,
                _("The birth date %(day)s is before %(year)d; check the year.")
                % {"day": format_day(birth_date), "year": BIRTH_YEAR_MIN},
                field,
            )
        ]
    return []


def repeated_id_problems(people: Sequence[tuple[str, PersonInput]]) -> list[Problem]:
    """Two members of one household (or of one import) with the same national ID: ``people`` is
    (field prefix, cleaned person)."""
    seen: dict[str, str] = {}
    problems = []
    for field, person in people:
        if not person.national_id:
            continue
        first = seen.setdefault(person.national_id, field)
        if first != field:
            problems.append(
                Problem(
                    E.NATIONAL_ID_REPEATED,
                    _("The same national ID is entered for two people."),
                    f"{field}national_id",
                )
            )
    return problems


def household_problems(
    *,
    head: PersonInput,
    members: Sequence[PersonInput],
    today: date,
    code: str | None,
    phone: str,
    ethnicity: str,
    address: str,
    field: str = "",
) -> list[Problem]:
    """Every rule of a new household that needs no database: the head, each member, the code
    when given, phone, ethnicity, address, and no ID twice. ``field`` prefixes the field names
    (``rows[3].`` in a bulk import)."""
    problems: list[Problem] = []
    if code is not None:
        problems += household_code_problems(code, f"{field}code")
    problems += phone_problems(phone, f"{field}phone")
    problems += ethnicity_problems(ethnicity, f"{field}ethnicity")
    problems += address_problems(address, f"{field}address")
    if len(members) > MEMBERS_MAX:
        problems.append(
            Problem(
                E.MEMBERS_TOO_MANY,
                _("A household may be entered with at most %(max)d members besides the head.")
                % {"max": MEMBERS_MAX},
                f"{field}members",
            )
        )
        return problems
    people = [(f"{field}head.", head)] + [
        (f"{field}members[{i}].", member) for i, member in enumerate(members)
    ]
    for prefix, person in people:
        problems += person_problems(
            person, field=prefix, today=today, as_head=prefix == f"{field}head."
        )
    problems += repeated_id_problems(people)
    return problems


# --- classifications ------------------------------------------------------------------------------


def classification_problems(
    *,
    year: int,
    kind: str,
    certified_by: str,
    certified_on: date,
    exit_year: int | None,
    today: date,
) -> list[Problem]:
    """A certified classification (domain.md §4): a known kind; the commune People's
    Committee's decision named; certified no later than today and not for a year after the
    certification date; "just escaped poverty" names its exit year, at most 3 years before."""
    problems = []
    if kind not in KINDS:
        problems.append(
            Problem(E.CLASSIFICATION_KIND_UNKNOWN, _("Choose the classification."), "kind")
        )
    if not certified_by:
        problems.append(
            Problem(
                E.CLASSIFICATION_CERTIFIED_BY_REQUIRED,
                _("Enter the commune People's Committee decision that certified it."),
                "certified_by",
            )
        )
    elif len(certified_by) > CERTIFIED_BY_LENGTH_MAX:
        problems.append(
            Problem(
                E.CLASSIFICATION_CERTIFIED_BY_TOO_LONG,
                _("“Certified by” may have at most %(max)d characters.")
                % {"max": CERTIFIED_BY_LENGTH_MAX},
                "certified_by",
            )
        )
    if certified_on > today:
        problems.append(
            Problem(
                E.CLASSIFICATION_CERTIFIED_FUTURE,
                _("The certification date %(day)s is after today, %(today)s.")
                % {"day": format_day(certified_on), "today": format_day(today)},
                "certified_on",
            )
        )
    if year < CLASSIFICATION_YEAR_MIN:
        problems.append(
            Problem(
                E.CLASSIFICATION_YEAR_RANGE,
                _("The year must be %(min)d or later; %(year)d is not.")
                % {"min": CLASSIFICATION_YEAR_MIN, "year": year},
                "year",
            )
        )
    elif year > certified_on.year:
        problems.append(
            Problem(
                E.CLASSIFICATION_YEAR_AFTER_CERTIFICATION,
                _("A list certified on %(day)s cannot be for %(year)d, a later year.")
                % {"day": format_day(certified_on), "year": year},
                "year",
            )
        )
    problems += exit_year_problems(kind, year, exit_year)
    return problems


def exit_year_problems(kind: str, year: int, exit_year: int | None) -> list[Problem]:
    if kind != ClassificationKind.ESCAPED_POVERTY:
        if exit_year is None:
            return []
        return [
            Problem(
                E.CLASSIFICATION_EXIT_YEAR_NOT_ALLOWED,
                _("Only “just escaped poverty” has a year of leaving poverty."),
                "exit_year",
            )
        ]
    if exit_year is None:
        return [
            Problem(
                E.CLASSIFICATION_EXIT_YEAR_REQUIRED,
                _("Enter the year the household left poverty."),
                "exit_year",
            )
        ]
    if exit_year > year:
        return [
            Problem(
                E.CLASSIFICATION_EXIT_YEAR_RANGE,
                _("The household cannot leave poverty in %(exit)d, after the year %(year)d.")
                % {"exit": exit_year, "year": year},
                "exit_year",
            )
        ]
    if year - exit_year > ESCAPED_POVERTY_YEARS:
        return [
            Problem(
                E.CLASSIFICATION_EXIT_YEAR_RANGE,
                _(
                    "A household that left poverty in %(exit)d has just escaped poverty for "
                    "%(n)d years, until %(last)d; %(year)d is later."
                )
                % {
                    "exit": exit_year,
                    "n": ESCAPED_POVERTY_YEARS,
                    "last": exit_year + ESCAPED_POVERTY_YEARS,
                    "year": year,
                },
                "exit_year",
            )
        ]
    return []


def classification_conflicts(kind: str, year: int, existing: Iterable[str]) -> list[Problem]:
    """Against the household's classifications of the same year: no kind twice, and at most one
    place on the poverty ladder (poor, near-poor, just escaped)."""
    existing = set(existing)
    if kind in existing:
        return [
            Problem(
                E.CLASSIFICATION_DUPLICATE,
                _("The household already has this classification for %(year)d.") % {"year": year},
                "kind",
            )
        ]
    if kind in POVERTY_LADDER:
        other = sorted(existing & POVERTY_LADDER)
        if other:
            return [
                Problem(
                    E.CLASSIFICATION_CONFLICT,
                    _("For %(year)d the household is already certified as “%(other)s”.")
                    % {"year": year, "other": ClassificationKind(other[0]).label},
                    "kind",
                )
            ]
    return []


# --- search ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchTerms:
    """How a typed search is read: folded words of a name, or the digits of a code, phone or
    national ID (``phone`` is the digits with +84 written as 0)."""

    words: tuple[str, ...] = ()
    digits: str = ""
    phone: str = ""

    def __bool__(self) -> bool:
        return bool(self.words or self.digits)


def search_terms(text: str | None) -> SearchTerms:
    text = normalise_text(text)[:SEARCH_LENGTH_MAX]
    compact = re.sub(r"[\s.\-()]", "", text)
    if compact.startswith("+"):
        compact = compact[1:]
    if compact.isdigit():
        return SearchTerms(digits=compact, phone=normalise_phone(text))
    return SearchTerms(words=tuple(fold(text).split()))
