"""What every app's API router shares: a page of a list, and problems named by the API's fields."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace

from policylend.core.errors import DomainError


def page_of(queryset, page: int, size: int) -> dict:
    """One page of ``queryset`` as the API's list schemas expect it (items, count, page, size)."""
    start = (page - 1) * size
    return {
        "items": list(queryset[start : start + size]),
        "count": queryset.count(),
        "page": page,
        "size": size,
    }


@contextmanager
def api_fields(
    names: dict[str, str | None], *, prefixes: dict[str, str] | None = None
) -> Iterator[None]:
    """Name a service's problems by the API's fields: ``{"parent": "parent_id"}`` renames a field;
    ``prefixes={"reductions": "terms."}`` puts ``terms.`` before every field that starts with
    ``reductions``."""
    try:
        yield
    except DomainError as error:
        renamed = []
        for problem in error.problems:
            name = problem.field or ""
            prefix = next(
                (p for start, p in (prefixes or {}).items() if name.startswith(start)), None
            )
            if prefix is not None:
                renamed.append(replace(problem, field=f"{prefix}{name}"))
            else:
                renamed.append(replace(problem, field=names.get(name, problem.field)))
        error.problems = renamed
        raise
