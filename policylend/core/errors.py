"""Domain errors: a stable code (English, for programs), a translated message (for people) and the
field it concerns. Services raise them; views show them beside the field; the API returns them as
problem+json. A failed rule changes nothing: services raise before they write, inside their
transaction, so the whole transaction rolls back."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    code: str
    message: str
    field: str | None = None


class DomainError(Exception):
    """A business rule refused the operation. Carries one or more problems."""

    status = 422

    def __init__(self, code: str, message: str, field: str | None = None):
        self.problems: list[Problem] = [Problem(str(code), str(message), field)]
        super().__init__(message)

    @classmethod
    def of(cls, problems: Iterable[Problem]) -> DomainError:
        problems = list(problems)
        error = cls(problems[0].code, problems[0].message, problems[0].field)
        error.problems = problems
        return error

    @property
    def code(self) -> str:
        return self.problems[0].code

    @property
    def message(self) -> str:
        return self.problems[0].message

    @property
    def field(self) -> str | None:
        return self.problems[0].field


class NotFound(DomainError):
    """The object does not exist or lies outside the viewer's scope (both look the same)."""

    status = 404


class Forbidden(DomainError):
    """The viewer may see the object but may not do this to it."""

    status = 403


class Conflict(DomainError):
    """Somebody else changed the object first (a second checker, a second reversal)."""

    status = 409
