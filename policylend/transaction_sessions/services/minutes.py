"""The minutes of the monthly briefing held at the session (domain.md §8): who chaired, the
commune authorities, the associations and group leaders present, the results, the issues raised
and the decisions. Recorded by the credit officer; kept up to date until the session closes."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from policylend.core.errors import DomainError, Problem
from policylend.users import access
from policylend.users.roles import Capability

from ..error_codes import MinutesError as E
from ..models import BriefingMinutes, SessionStatus, TransactionSession
from .sessions import session_lock

TEXT_MAX = 4000
NAME_MAX = 120


def _attendance(rows: list[dict] | None, key: str) -> list[dict]:
    clean = []
    for row in rows or []:
        entry = {
            key: row.get(key),
            "name": str(row.get("name", ""))[:NAME_MAX],
            "present": bool(row.get("present", False)),
        }
        if key == "group":
            entry["leader"] = str(row.get("leader", ""))[:NAME_MAX]
        clean.append(entry)
    return clean


def briefing_minutes_save(
    *,
    actor,
    session: TransactionSession,
    chaired_by: str,
    commune_attendees: str = "",
    associations_present: list[dict] | None = None,
    leaders_present: list[dict] | None = None,
    results: str = "",
    issues_raised: str = "",
    decisions: str = "",
) -> BriefingMinutes:
    """Create or update the minutes of ``session`` while it is not closed."""
    access.require(actor, Capability.RECORD_BRIEFING_MINUTES)
    access.require_unit(actor, session.commune)
    chaired_by = (chaired_by or "").strip()
    problems = []
    if not chaired_by:
        problems.append(
            Problem(E.CHAIR_MISSING, _("Write who chaired the briefing."), "chaired_by")
        )
    elif len(chaired_by) > NAME_MAX:
        problems.append(
            Problem(
                E.TOO_LONG,
                _("%(field)s may have at most %(n)d characters.")
                % {"field": _("Chaired by"), "n": NAME_MAX},
                "chaired_by",
            )
        )
    texts = {
        "commune_attendees": commune_attendees or "",
        "results": results or "",
        "issues_raised": issues_raised or "",
        "decisions": decisions or "",
    }
    for name, text in texts.items():
        if len(text) > TEXT_MAX:
            problems.append(
                Problem(
                    E.TOO_LONG,
                    _("%(field)s may have at most %(n)d characters.")
                    % {"field": BriefingMinutes._meta.get_field(name).verbose_name, "n": TEXT_MAX},
                    name,
                )
            )
    if problems:
        raise DomainError.of(problems)
    with transaction.atomic():
        session = session_lock(session.pk)
        if session.status == SessionStatus.CLOSED:
            raise DomainError(
                E.SESSION_CLOSED,
                _(
                    "The session of %(point)s on %(day)s is closed; its minutes are kept as they are."
                )
                % {"point": session.point.name, "day": session.held_on.strftime("%d/%m/%Y")},
                "session",
            )
        minutes, _created = BriefingMinutes.objects.update_or_create(
            session=session,
            defaults={
                "chaired_by": chaired_by,
                "associations_present": _attendance(associations_present, "association_unit"),
                "leaders_present": _attendance(leaders_present, "group"),
                "recorded_by": actor,
                **{name: text.strip() for name, text in texts.items()},
            },
        )
    return minutes
