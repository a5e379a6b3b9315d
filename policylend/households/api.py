"""Households in the JSON API (/api/v1/households/). The same selectors and services as the
pages: a household outside the caller's scope is 404, a change without the capability 403, a
broken rule 422 naming the field (``head.national_id``, ``members[2].birth_date``).

National IDs: every answer carries them masked (``•••••••• 1234``); the whole number comes only
from ``POST /persons/{id}/national-id``, for a role that may see it, and each call is logged. A
search goes in a POST body (``/search``), so that an ID typed as a query never lands in a URL."""

from __future__ import annotations

from datetime import date
from typing import Literal

from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from policylend.api.common import api_fields, page_of
from policylend.core.errors import DomainError
from policylend.core.pagination import PAGE_SIZE, PAGE_SIZE_MAX
from policylend.users import access
from policylend.users.roles import Capability

from . import selectors, services
from .error_codes import HouseholdErrorCode as E
from .models import Household, Person
from .rules import (
    ADDRESS_LENGTH_MAX,
    CERTIFIED_BY_LENGTH_MAX,
    MEMBERS_MAX,
    NAME_LENGTH_MAX,
    SEARCH_LENGTH_MAX,
    PersonInput,
    ethnicity_label,
    mask_national_id,
)

router = Router(tags=["households"])

SexName = Literal["male", "female"]
RelationshipName = Literal[
    "head", "spouse", "child", "parent", "sibling", "grandchild", "child_in_law", "other"
]
StatusName = Literal["active", "moved_away", "dissolved"]
KindName = Literal[
    "poor",
    "near_poor",
    "escaped_poverty",
    "ethnic_minority",
    "disadvantaged_area",
    "ex_prisoner",
    "student",
    "policy_family",
]
# Longer than the rules allow, so that a wrong value gets the rule's message, not a schema error.
ID_TEXT_MAX = 20
PHONE_TEXT_MAX = 20
ETHNICITY_TEXT_MAX = 40


# --- schemas ---------------------------------------------------------------------------------------


class PersonOut(Schema):
    id: int
    household_id: int
    full_name: str
    sex: str
    relationship: str
    birth_date: date | None
    national_id_masked: str = Field(..., description="•••••••• and the last four digits")
    is_active: bool

    @staticmethod
    def resolve_national_id_masked(obj):
        return mask_national_id(obj.national_id)


class ClassificationOut(Schema):
    id: int
    year: int
    kind: str
    exit_year: int | None
    certified_by: str
    certified_on: date
    recorded_by_id: int


class HouseholdOut(Schema):
    id: int
    code: str
    branch_id: int
    office_id: int
    commune_id: int
    village_id: int
    village_code: str
    village_name: str
    head_id: int | None
    head_name: str
    head_national_id_masked: str
    address: str
    phone: str
    ethnicity: str = Field(..., description="The General Statistics Office's code, 01–54, 99")
    ethnicity_name: str
    status: str
    member_count: int

    @staticmethod
    def resolve_village_code(obj):
        return obj.village.code

    @staticmethod
    def resolve_village_name(obj):
        return obj.village.name

    @staticmethod
    def resolve_head_name(obj):
        return obj.head.full_name if obj.head_id else ""

    @staticmethod
    def resolve_head_national_id_masked(obj):
        return mask_national_id(obj.head.national_id) if obj.head_id else ""

    @staticmethod
    def resolve_ethnicity_name(obj):
        return ethnicity_label(obj.ethnicity)

    @staticmethod
    def resolve_member_count(obj):
        count = getattr(obj, "member_count", None)
        return count if count is not None else obj.members.filter(is_active=True).count()


class HouseholdDetailOut(HouseholdOut):
    members: list[PersonOut]
    classifications: list[ClassificationOut]

    @staticmethod
    def resolve_members(obj):
        return selectors.household_members(obj)

    @staticmethod
    def resolve_classifications(obj):
        return list(selectors.household_classifications(obj))


class HouseholdPage(Schema):
    items: list[HouseholdOut]
    count: int
    page: int
    size: int


class HouseholdFilters(Schema):
    page: int = Field(1, ge=1, le=1_000_000)
    size: int = Field(PAGE_SIZE, ge=1, le=PAGE_SIZE_MAX)
    office_id: int | None = None
    commune_id: int | None = None
    village_id: int | None = None
    status: StatusName | None = None


class HouseholdSearchIn(HouseholdFilters):
    q: str = Field(
        "",
        max_length=SEARCH_LENGTH_MAX,
        description="A name (accents optional), the start of a customer code, part of a phone "
        "number or the last 4 digits of a national ID",
    )


class PersonIn(Schema):
    full_name: str = Field(..., min_length=1, max_length=NAME_LENGTH_MAX)
    sex: SexName
    relationship: RelationshipName
    birth_date: date | None = None
    national_id: str | None = Field(None, max_length=ID_TEXT_MAX, description="12 digits")

    def as_input(self) -> PersonInput:
        return PersonInput(
            full_name=self.full_name,
            sex=self.sex,
            relationship=self.relationship,
            birth_date=self.birth_date,
            national_id=self.national_id or None,
        )


class HeadIn(PersonIn):
    relationship: RelationshipName = "head"


class HouseholdCreateIn(Schema):
    village_id: int
    code: str | None = Field(
        None, max_length=ID_TEXT_MAX, description="10 digits; omitted: the commune's next code"
    )
    head: HeadIn
    members: list[PersonIn] = Field(default_factory=list, max_length=MEMBERS_MAX)
    address: str = Field("", max_length=ADDRESS_LENGTH_MAX)
    phone: str = Field("", max_length=PHONE_TEXT_MAX)
    ethnicity: str = Field("", max_length=ETHNICITY_TEXT_MAX, description="Code or name")


class HouseholdPatchIn(Schema):
    village_id: int | None = None
    address: str | None = Field(None, max_length=ADDRESS_LENGTH_MAX)
    phone: str | None = Field(None, max_length=PHONE_TEXT_MAX)
    ethnicity: str | None = Field(None, max_length=ETHNICITY_TEXT_MAX)
    status: StatusName | None = None


class PersonPatchIn(Schema):
    full_name: str | None = Field(None, min_length=1, max_length=NAME_LENGTH_MAX)
    sex: SexName | None = None
    relationship: RelationshipName | None = None
    birth_date: date | None = None
    national_id: str | None = Field(
        None, max_length=ID_TEXT_MAX, description="A new ID replaces the registered one"
    )


class ClassificationIn(Schema):
    year: int = Field(..., ge=1, le=9999)
    kind: KindName
    exit_year: int | None = Field(None, ge=1, le=9999)
    certified_by: str = Field(..., max_length=CERTIFIED_BY_LENGTH_MAX)
    certified_on: date


class NationalIdOut(Schema):
    person_id: int
    national_id: str = Field(..., description="In full; this call was logged")


# --- helpers ---------------------------------------------------------------------------------------


def _village_ref(request, village_id: int, field: str = "village_id"):
    """A village named in the body: unknown or outside the scope is a fault of that field."""
    village = access.units_visible_to(request.user).filter(pk=village_id).first()
    if village is None:
        raise DomainError(E.VILLAGE_UNKNOWN, _("No such village in your scope."), field)
    return village


def _detail(household: Household) -> Household:
    return Household.objects.select_related("head", "village").get(pk=household.pk)


def _list(request, filters: HouseholdFilters, search: str = "") -> dict:
    households = selectors.household_list(
        request.user,
        search=search,
        office_id=filters.office_id,
        commune_id=filters.commune_id,
        village_id=filters.village_id,
        status=filters.status,
    )
    page = page_of(households, filters.page, filters.size)
    page["items"] = selectors.with_member_counts(page["items"])
    return page


# --- households ------------------------------------------------------------------------------------


@router.get("", response=HouseholdPage, summary="Households in your scope")
def household_list(request, filters: Query[HouseholdFilters]):
    return _list(request, filters)


@router.post(
    "/search",
    response=HouseholdPage,
    summary="Search households by name, code, phone or ID suffix (in the body, never the URL)",
)
def household_search(request, payload: HouseholdSearchIn):
    return _list(request, payload, payload.q)


@router.get("/{household_id}", response=HouseholdDetailOut, summary="One household")
def household_get(request, household_id: int):
    return selectors.household_get(request.user, household_id)


@router.post("", response={201: HouseholdDetailOut}, summary="Register a household")
def household_create(request, payload: HouseholdCreateIn):
    access.require(request.user, Capability.MANAGE_HOUSEHOLDS)
    village = _village_ref(request, payload.village_id)
    with api_fields({"village": "village_id"}):
        household = services.household_create(
            actor=request.user,
            village=village,
            head=payload.head.as_input(),
            members=[member.as_input() for member in payload.members],
            code=payload.code,
            address=payload.address,
            phone=payload.phone,
            ethnicity=payload.ethnicity,
        )
    return Status(201, _detail(household))


@router.patch("/{household_id}", response=HouseholdDetailOut, summary="Change a household")
def household_update(request, household_id: int, payload: HouseholdPatchIn):
    household = selectors.household_get(request.user, household_id)
    village = _village_ref(request, payload.village_id) if payload.village_id else None
    with api_fields({"village": "village_id", "household": None}):
        household = services.household_update(
            actor=request.user,
            household=household,
            village=village,
            address=household.address if payload.address is None else payload.address,
            phone=household.phone if payload.phone is None else payload.phone,
            ethnicity=household.ethnicity if payload.ethnicity is None else payload.ethnicity,
            status=household.status if payload.status is None else payload.status,
        )
    return _detail(household)


# --- members ---------------------------------------------------------------------------------------


@router.post(
    "/{household_id}/members", response={201: PersonOut}, summary="Add a member to a household"
)
def household_member_add(request, household_id: int, payload: PersonIn):
    household = selectors.household_get(request.user, household_id)
    with api_fields({"household": None}):
        person = services.person_add(
            actor=request.user, household=household, person=payload.as_input()
        )
    return Status(201, person)


@router.patch("/persons/{person_id}", response=PersonOut, summary="Correct a member")
def household_member_update(request, person_id: int, payload: PersonPatchIn):
    person: Person = selectors.person_get(request.user, person_id)
    sent = payload.model_fields_set
    data = PersonInput(
        full_name=person.full_name if payload.full_name is None else payload.full_name,
        sex=payload.sex or person.sex,
        relationship=payload.relationship or person.relationship,
        # A birth date sent as null clears it; one not sent stays.
        birth_date=payload.birth_date if "birth_date" in sent else person.birth_date,
        national_id=payload.national_id or None,
    )
    return services.person_update(actor=request.user, person=person, data=data)


@router.post(
    "/persons/{person_id}/national-id",
    response=NationalIdOut,
    summary="A member's national ID in full (roles that may see IDs; every call is logged)",
)
def person_national_id_reveal(request, person_id: int, response: HttpResponse):
    person = selectors.person_get(request.user, person_id)
    national_id = services.national_id_reveal(
        viewer=request.user, person=person, where="api: POST /persons/{id}/national-id"
    )
    # The number must not be kept by a browser or a proxy cache.
    response["Cache-Control"] = "no-store"
    return {"person_id": person.pk, "national_id": national_id}


# --- classifications -------------------------------------------------------------------------------


@router.post(
    "/{household_id}/classifications",
    response={201: ClassificationOut},
    summary="Record a certified classification",
)
def household_classification_add(request, household_id: int, payload: ClassificationIn):
    household = selectors.household_get(request.user, household_id)
    with api_fields({"household": None}):
        classification = services.classification_add(
            actor=request.user,
            household=household,
            year=payload.year,
            kind=payload.kind,
            exit_year=payload.exit_year,
            certified_by=payload.certified_by,
            certified_on=payload.certified_on,
        )
    return Status(201, classification)
