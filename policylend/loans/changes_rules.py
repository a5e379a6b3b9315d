"""Rules of rescheduling, extension and risk handling (domain.md §6.8, §6.10), as pure functions:
no Django models, no clock — every date is passed in.

- Rescheduling (điều chỉnh kỳ hạn, Form 08/TD): asked at least 5 working days before the
  instalment's session day; the instalment may not move past the next one; the last instalment
  cannot move (final maturity unchanged); only a pending instalment with unpaid principal moves.
- Extension (gia hạn): asked before maturity; all extensions together at most half of the
  original term.
- Risk handling: the assessed loss decides the treatment — < 40 % extension; 40–80 % freeze up to
  36 months; 80–100 % freeze up to 60 months; write-off when a freeze has ended and the borrower
  still cannot pay, or the borrower died or is missing with nobody able to repay (loss 100 %).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext as _

from policylend.core.errors import Problem
from policylend.core.money import format_amount
from policylend.core.periods import day_text

from .error_codes import ChangeErrorCode as E

# Working days are Monday to Friday. Public holidays (Tết, 30/4, 1/5, 2/9 …) are not known to the
# system yet: when a holiday calendar exists, it must be subtracted here.
RESCHEDULE_NOTICE_WORKING_DAYS = 5
FREEZE_MONTHS_MAX_MIDDLE_BAND = 36
FREEZE_MONTHS_MAX_HIGH_BAND = 60
LOSS_EXTENSION_BELOW = 40
LOSS_HIGH_BAND_FROM = 80
DEATH_CAUSES = frozenset({"death", "missing"})


def working_days_between(start: date, end: date) -> int:
    """Working days (Mon–Fri) after ``start`` up to and including ``end``: asked on a Monday for
    the Friday of the same week gives 4, for the next Monday 5."""
    if end <= start:
        return 0
    days = (end - start).days
    weeks, rest = divmod(days, 7)
    count = weeks * 5
    for offset in range(1, rest + 1):
        if (start + timedelta(days=offset)).weekday() < 5:
            count += 1
    return count


def months_between(start: date, end: date) -> int:
    """Whole calendar months from ``start`` to ``end`` (same day of month; 21/05 → 21/11 = 6)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if end.day < start.day and not _is_clamped(end, start.day):
        months -= 1
    return months


def _is_clamped(day: date, wanted_day: int) -> bool:
    # add_months clamps 31/08 + 6 to 28/02: the last day of a shorter month counts as the same day.
    return (day + timedelta(days=1)).day == 1 and day.day < wanted_day


# --- rescheduling ------------------------------------------------------------------------------


@dataclass(frozen=True)
class InstalmentFacts:
    number: int
    principal: int
    principal_paid: int
    status: str  # pending | paid | overdue
    due: date  # the date it is due by (after extension when extended, else by contract)
    due_session: date


def reschedule_problems(
    *,
    instalment: InstalmentFacts,
    following: InstalmentFacts | None,
    new_due: date,
    new_due_session: date,
    amount: int | None,
    asked_on: date,
) -> list[Problem]:
    """Whether ``amount`` (None: all) of the instalment's unpaid principal may move to
    ``new_due`` (collected at ``new_due_session``). ``following`` is the next instalment; None
    when this is the last one."""
    unpaid = instalment.principal - instalment.principal_paid
    if instalment.status == "paid" or unpaid <= 0:
        return [
            Problem(
                E.INSTALMENT_PAID,
                _("Instalment %(n)d is already paid; there is nothing to reschedule.")
                % {"n": instalment.number},
                "instalment",
            )
        ]
    if instalment.status == "overdue":
        return [
            Problem(
                E.INSTALMENT_OVERDUE,
                _(
                    "Instalment %(n)d has been overdue since its session of %(day)s; an overdue "
                    "instalment cannot be rescheduled."
                )
                % {"n": instalment.number, "day": day_text(instalment.due_session)},
                "instalment",
            )
        ]
    if following is None:
        return [
            Problem(
                E.LAST_INSTALMENT,
                _(
                    "Instalment %(n)d is the last one: rescheduling never moves the final "
                    "maturity (%(day)s); ask for an extension instead."
                )
                % {"n": instalment.number, "day": day_text(instalment.due)},
                "instalment",
            )
        ]
    problems: list[Problem] = []
    notice = working_days_between(asked_on, instalment.due_session)
    if notice < RESCHEDULE_NOTICE_WORKING_DAYS:
        problems.append(
            Problem(
                E.TOO_LATE,
                _(
                    "Rescheduling must be asked at least %(min)d working days before the "
                    "instalment's session (%(session)s); asked on %(asked)s, %(days)d working "
                    "days before."
                )
                % {
                    "min": RESCHEDULE_NOTICE_WORKING_DAYS,
                    "session": day_text(instalment.due_session),
                    "asked": day_text(asked_on),
                    "days": notice,
                },
                "asked_on",
            )
        )
    if new_due <= instalment.due:
        problems.append(
            Problem(
                E.NEW_DUE_NOT_LATER,
                _("The new date %(new)s must be after the instalment's due date %(due)s.")
                % {"new": day_text(new_due), "due": day_text(instalment.due)},
                "new_due",
            )
        )
    elif new_due > following.due:
        problems.append(
            Problem(
                E.PAST_NEXT_INSTALMENT,
                _(
                    "The new date %(new)s is after the next instalment's due date %(next)s; an "
                    "instalment may not move past the next one."
                )
                % {"new": day_text(new_due), "next": day_text(following.due)},
                "new_due",
            )
        )
    elif new_due_session <= instalment.due_session:
        problems.append(
            Problem(
                E.SAME_SESSION,
                _(
                    "The new date %(new)s is still collected at the session of %(session)s; "
                    "choose a date on or after the next session day."
                )
                % {"new": day_text(new_due), "session": day_text(instalment.due_session)},
                "new_due",
            )
        )
    if amount is not None and not 0 < amount <= unpaid:
        problems.append(
            Problem(
                E.AMOUNT,
                _("The amount to move must be between 1 ₫ and the unpaid principal %(unpaid)s.")
                % {"unpaid": format_amount(unpaid)},
                "amount",
            )
        )
    return problems


# --- extension ---------------------------------------------------------------------------------


def extension_months_max(term_months: int) -> int:
    """All extensions together: at most half of the original term (rounded down)."""
    return term_months // 2


def extension_problems(
    *,
    status: str,
    asked_on: date,
    maturity: date,
    term_months: int,
    extended_months: int,
    months: int,
) -> list[Problem]:
    """Whether a loan in ``status`` maturing on ``maturity`` (after earlier extensions totalling
    ``extended_months``) may be extended by ``months`` more."""
    problems: list[Problem] = []
    if status not in ("in_term", "overdue"):
        problems.append(
            Problem(
                E.NOT_EXTENDABLE,
                _("Only a loan in term or overdue can be extended."),
                "status",
            )
        )
    if asked_on >= maturity:
        problems.append(
            Problem(
                E.AFTER_MATURITY,
                _("An extension must be asked before maturity (%(day)s); asked on %(asked)s.")
                % {"day": day_text(maturity), "asked": day_text(asked_on)},
                "asked_on",
            )
        )
    limit = extension_months_max(term_months)
    if months <= 0:
        problems.append(
            Problem(E.EXTENSION_MONTHS, _("The extension must be at least one month."), "months")
        )
    elif extended_months + months > limit:
        problems.append(
            Problem(
                E.EXTENSION_TOO_LONG,
                _(
                    "Extensions may total at most half of the original term of %(term)d months "
                    "(%(limit)d months); already extended %(done)d, asked %(months)d."
                )
                % {"term": term_months, "limit": limit, "done": extended_months, "months": months},
                "months",
            )
        )
    return problems


# --- risk handling -----------------------------------------------------------------------------


def freeze_months_max(loss_percent: int) -> int | None:
    """The longest freeze the loss band allows; None below 40 % (extension only)."""
    if loss_percent < LOSS_EXTENSION_BELOW:
        return None
    if loss_percent < LOSS_HIGH_BAND_FROM:
        return FREEZE_MONTHS_MAX_MIDDLE_BAND
    return FREEZE_MONTHS_MAX_HIGH_BAND


def treatments_allowed(*, loss_percent: int, cause: str, freeze_ended: bool) -> list[str]:
    """Treatments the loss band (and, for a write-off, the loan's history) allows."""
    allowed = ["extension"] if loss_percent < LOSS_EXTENSION_BELOW else ["freeze"]
    if freeze_ended or (cause in DEATH_CAUSES and loss_percent == 100):
        allowed.append("write_off")
    return allowed


def dossier_problems(
    *,
    loss_percent: int,
    cause: str,
    treatment: str,
    freeze_months: int | None,
    extension_months: int | None,
    freeze_ended: bool,
    occurred_on: date,
    today: date,
) -> list[Problem]:
    """Whether the treatment fits the assessed loss (domain.md §6.10)."""
    problems: list[Problem] = []
    if not 0 <= loss_percent <= 100:
        return [Problem(E.LOSS_PERCENT, _("The loss must be between 0 and 100 %."), "loss_percent")]
    if occurred_on > today:
        problems.append(
            Problem(
                E.OCCURRED_IN_FUTURE,
                _("The event date %(day)s is in the future.") % {"day": day_text(occurred_on)},
                "occurred_on",
            )
        )
    allowed = treatments_allowed(loss_percent=loss_percent, cause=cause, freeze_ended=freeze_ended)
    if treatment not in allowed:
        if treatment == "write_off":
            message = _(
                "A write-off needs a freeze that has ended with the borrower still unable to "
                "pay, or the borrower's death or disappearance with nobody able to repay "
                "(loss 100 %%); the loss is %(loss)d %%."
            ) % {"loss": loss_percent}
        elif treatment == "freeze":
            message = _("A loss of %(loss)d %% is below 40 %%: only an extension is allowed.") % {
                "loss": loss_percent
            }
        else:
            message = _(
                "A loss of %(loss)d %% is 40 %% or more: the debt is frozen, not extended."
            ) % {"loss": loss_percent}
        problems.append(Problem(E.TREATMENT_NOT_ALLOWED, message, "treatment"))
        return problems
    if treatment == "freeze":
        limit = freeze_months_max(loss_percent) or 0
        if not freeze_months or freeze_months <= 0:
            problems.append(
                Problem(
                    E.FREEZE_MONTHS, _("Give the length of the freeze in months."), "freeze_months"
                )
            )
        elif freeze_months > limit:
            problems.append(
                Problem(
                    E.FREEZE_TOO_LONG,
                    _(
                        "A loss of %(loss)d %% allows a freeze of at most %(limit)d months; "
                        "%(months)d were asked."
                    )
                    % {"loss": loss_percent, "limit": limit, "months": freeze_months},
                    "freeze_months",
                )
            )
    if treatment == "extension" and (not extension_months or extension_months <= 0):
        problems.append(
            Problem(
                E.EXTENSION_MONTHS,
                _("Give the length of the extension in months."),
                "extension_months",
            )
        )
    return problems
