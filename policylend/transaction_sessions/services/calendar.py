"""Writes of the session calendar: a session moved from its fixed day, a public holiday."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from policylend.core.errors import DomainError, Problem
from policylend.core.periods import Month, day_text
from policylend.organisation.models import TransactionPoint
from policylend.users import access
from policylend.users.roles import Capability

from .. import calendar
from ..error_codes import SessionError as E
from ..models import PublicHoliday, SessionMove

# A session is moved by days, not months: further than this from its fixed day is a typo.
MOVE_DAYS_MAX = 14
REASON_LENGTH_MAX = 200
NAME_LENGTH_MAX = 120


def session_move(
    *,
    actor,
    point: TransactionPoint,
    month: Month,
    held_on: date,
    reason: str,
    today: date,
) -> SessionMove:
    """Hold the session of ``month`` at ``point`` on ``held_on`` instead of its fixed day, for
    ``reason`` (domain.md §8: the session day is fixed and announced; a change is recorded and
    shown on the notice board). The new day lies within 14 days of the fixed day, not before
    today, and is neither a Sunday nor a public holiday. Recording the month again replaces the
    earlier move."""
    access.require(actor, Capability.MANAGE_SESSION_CALENDAR)
    access.require_unit(actor, point.commune)
    reason = (reason or "").strip()
    fixed = calendar.fixed_day(point.session_day, month)
    problems = []
    if not reason:
        problems.append(
            Problem(E.REASON_MISSING, _("Give the reason the session is moved."), "reason")
        )
    elif len(reason) > REASON_LENGTH_MAX:
        problems.append(
            Problem(
                E.REASON_MISSING,
                _("The reason has at most %(max)s characters.") % {"max": REASON_LENGTH_MAX},
                "reason",
            )
        )
    if abs((held_on - fixed).days) > MOVE_DAYS_MAX:
        problems.append(
            Problem(
                E.MOVE_TOO_FAR,
                _(
                    "The session day %(held_on)s is more than %(days)s days from the fixed day "
                    "%(fixed)s."
                )
                % {"held_on": day_text(held_on), "days": MOVE_DAYS_MAX, "fixed": day_text(fixed)},
                "held_on",
            )
        )
    if held_on < today:
        problems.append(
            Problem(
                E.MOVE_IN_PAST,
                _("The session day %(held_on)s is before today %(today)s.")
                % {"held_on": day_text(held_on), "today": day_text(today)},
                "held_on",
            )
        )
    if held_on.weekday() == calendar.SUNDAY:
        problems.append(
            Problem(
                E.MOVE_ON_SUNDAY,
                _("%(held_on)s is a Sunday; no session is held on a Sunday.")
                % {"held_on": day_text(held_on)},
                "held_on",
            )
        )
    holiday = PublicHoliday.objects.filter(date=held_on).first()
    if holiday is not None:
        problems.append(
            Problem(
                E.MOVE_ON_HOLIDAY,
                _("%(held_on)s is a public holiday (%(name)s).")
                % {"held_on": day_text(held_on), "name": holiday.name},
                "held_on",
            )
        )
    if problems:
        raise DomainError.of(problems)
    with transaction.atomic():
        move, _created = SessionMove.objects.update_or_create(
            point=point,
            month=month.first_day,
            defaults={"held_on": held_on, "reason": reason, "recorded_by": actor},
        )
    return move


def holiday_add(*, actor, day: date, name: str) -> PublicHoliday:
    """Add a public holiday (Labour Code 2019, art. 112: Tết, 30/4, 1/5, 2/9 …); sessions that
    fall on it move to the next working day."""
    access.require(actor, Capability.MANAGE_PUBLIC_HOLIDAYS)
    name = (name or "").strip()
    if not name or len(name) > NAME_LENGTH_MAX:
        raise DomainError(
            E.HOLIDAY_NAME_MISSING,
            _("Give the holiday's name (at most %(max)s characters).") % {"max": NAME_LENGTH_MAX},
            "name",
        )
    with transaction.atomic():
        if PublicHoliday.objects.filter(date=day).exists():
            raise DomainError(
                E.HOLIDAY_EXISTS,
                _("%(day)s is already a public holiday.") % {"day": day_text(day)},
                "date",
            )
        return PublicHoliday.objects.create(date=day, name=name, created_by=actor)
