"""The kinds of request that go through maker–checker, each registered by the app that owns it.

An app registers a kind with the capability a checker needs, a function that checks the request
when it is made, a function that carries it out when approved (inside the approval's database
transaction) and a function that describes it to people.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from policylend.users.roles import Capability


@dataclass(frozen=True)
class ApprovalKind:
    code: str
    label: Any  # a lazily translated string
    maker_capability: Capability
    checker_capability: Capability
    # (payload, maker, today) → None; raises DomainError when the request is not acceptable.
    validate: Callable[[dict, Any, date], None]
    # (request, checker, today) → a reference to what was done ("journal entry 42").
    apply: Callable[[Any, Any, date], str]
    # (request) → a one-line description in the current language.
    describe: Callable[[Any], str]
    # An optional template that shows the request's details on its page.
    detail_template: str | None = None
    # (payload) → what the request is about; at most one request per subject waits at a time.
    subject: Callable[[dict], str] | None = None
    # (request) → None; called inside the transaction that rejects or withdraws the request, for a
    # kind that put its subject in a waiting state when the request was made.
    on_reject: Callable[[Any], None] | None = None


_KINDS: dict[str, ApprovalKind] = {}


def register(kind: ApprovalKind) -> ApprovalKind:
    if kind.code in _KINDS and _KINDS[kind.code] != kind:
        raise ValueError(f"approval kind {kind.code} registered twice")
    _KINDS[kind.code] = kind
    return kind


def get(code: str) -> ApprovalKind:
    return _KINDS[code]


def all_kinds() -> list[ApprovalKind]:
    return list(_KINDS.values())


# Where the result of an approved request can be seen: the owning app registers, for the kind
# of reference its ``apply`` returns ("journal_entry:42"), the URL of that id.
_RESULT_LINKS: dict[str, Callable[[int], str]] = {}


def register_result_link(reference_kind: str, link: Callable[[int], str]) -> None:
    _RESULT_LINKS[reference_kind] = link


def result_link(reference: str) -> str | None:
    kind, _sep, ident = (reference or "").partition(":")
    if not ident.isdigit() or kind not in _RESULT_LINKS:
        return None
    return _RESULT_LINKS[kind](int(ident))
