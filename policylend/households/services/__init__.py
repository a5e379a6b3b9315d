"""Writes to the household register (domain.md §4). Every rule lives in ``households.rules``;
the services check the rules that need the database (a national ID or a code already used, the
household's classifications of the year), check the actor's capability and scope, and write in
one transaction. A broken rule raises DomainError naming the field and changes nothing."""

from ..rules import HouseholdInput, PersonInput
from .classifications import classification_add
from .households import household_create, household_update, households_create_bulk
from .members import kinship_record, national_id_reveal, person_add, person_update

__all__ = [
    "HouseholdInput",
    "PersonInput",
    "classification_add",
    "household_create",
    "household_update",
    "households_create_bulk",
    "kinship_record",
    "national_id_reveal",
    "person_add",
    "person_update",
]
