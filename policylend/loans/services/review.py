"""The steps before approval (domain.md §6.2): the group's loan-review meeting, the association's
review, the commune People's Committee's certification — in that order.

Group and association agreed → reviewed; the commune agreed → certified; a refusal at any
step → rejected, with its reason.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from policylend.core.errors import DomainError, Forbidden, NotFound, Problem
from policylend.groups.models import GroupMeeting, MeetingKind
from policylend.users import access
from policylend.users.roles import Capability, Role

from ..error_codes import OriginationErrorCode as E
from ..models import Loan, LoanReview, LoanStatus, ReviewDecision, ReviewStage
from ..selectors.loans import loans_in_scope
from .application import format_day
from .common import loan_lock, status_move

NOTE_LENGTH_MAX = 300
NAME_LENGTH_MAX = 200
NUMBER_LENGTH_MAX = 60

# The stages that must be agreed before a stage is recorded.
BEFORE = {
    ReviewStage.GROUP: (),
    ReviewStage.ASSOCIATION: (ReviewStage.GROUP,),
    ReviewStage.COMMUNE: (ReviewStage.GROUP, ReviewStage.ASSOCIATION),
}
# The loan's status a stage is recorded in.
STATUS_FOR = {
    ReviewStage.GROUP: LoanStatus.APPLIED,
    ReviewStage.ASSOCIATION: LoanStatus.APPLIED,
    ReviewStage.COMMUNE: LoanStatus.REVIEWED,
}
ASSOCIATION_REVIEWERS = {Role.ASSOCIATION_OFFICER, Role.BRANCH_STAFF, Role.CREDIT_OFFICER}


def _require_reviewer(actor, loan: Loan, stage: str) -> None:
    access.require(actor, Capability.RECORD_LOAN_REVIEWS)
    if not loans_in_scope(actor).filter(pk=loan.pk).exists():
        raise NotFound(E.REVIEW_STAGE, _("No such loan in your scope."))
    if stage != ReviewStage.ASSOCIATION or actor.is_superuser:
        return
    if actor.role not in ASSOCIATION_REVIEWERS:
        raise Forbidden("forbidden", _("Your role may not record the association's review."))
    if actor.role == Role.ASSOCIATION_OFFICER and (
        loan.association_unit_id is None
        or actor.scope_association_id != loan.association_unit.association_id
    ):
        raise Forbidden(
            "forbidden",
            _("Only an officer of %(association)s records its review of this loan.")
            % {"association": loan.association_unit.association if loan.association_unit else "—"},
        )


def _meeting_problems(loan: Loan, meeting: GroupMeeting | None) -> list[Problem]:
    if meeting is None:
        return [
            Problem(
                E.REVIEW_MEETING,
                _("Name the group's loan-review meeting that reviewed the application."),
                "meeting",
            )
        ]
    if meeting.group_id != loan.group_id:
        return [
            Problem(
                E.REVIEW_MEETING,
                _("That meeting was held by another group; the loan belongs to %(group)s.")
                % {"group": loan.group},
                "meeting",
            )
        ]
    problems = []
    if meeting.kind != MeetingKind.LOAN_REVIEW:
        problems.append(
            Problem(
                E.REVIEW_MEETING,
                _("The meeting of %(day)s was a %(kind)s, not a loan-review meeting.")
                % {"day": format_day(meeting.held_on), "kind": meeting.get_kind_display().lower()},
                "meeting",
            )
        )
    if meeting.held_on < loan.applied_on:
        problems.append(
            Problem(
                E.REVIEW_MEETING,
                _(
                    "The meeting of %(day)s was held before the application of %(applied)s; "
                    "it cannot have reviewed it."
                )
                % {"day": format_day(meeting.held_on), "applied": format_day(loan.applied_on)},
                "meeting",
            )
        )
    if not meeting.attendees.filter(household_id=loan.household_id).exists():
        problems.append(
            Problem(
                E.REVIEW_ABSENT,
                _(
                    "Nobody of household %(household)s is recorded as present at the meeting of "
                    "%(day)s; the group reviews an application with the applicant present."
                )
                % {"household": loan.household.code, "day": format_day(meeting.held_on)},
                "meeting",
            )
        )
    return problems


def _order_problems(loan: Loan, stage: str, decided_on: date, done: dict) -> list[Problem]:
    if stage in done:
        return [
            Problem(
                E.REVIEW_DONE,
                _("The %(stage)s of this loan was already recorded on %(day)s.")
                % {
                    "stage": ReviewStage(stage).label.lower(),
                    "day": format_day(done[stage].decided_on),
                },
                "stage",
            )
        ]
    for before in BEFORE[stage]:
        earlier = done.get(before)
        if earlier is None or earlier.decision != ReviewDecision.AGREED:
            return [
                Problem(
                    E.REVIEW_ORDER,
                    _("The %(before)s comes before the %(stage)s; it has not agreed yet.")
                    % {
                        "before": ReviewStage(before).label.lower(),
                        "stage": ReviewStage(stage).label.lower(),
                    },
                    "stage",
                )
            ]
        if decided_on < earlier.decided_on:
            return [
                Problem(
                    E.DATE_INVALID,
                    _(
                        "The %(stage)s cannot be dated %(day)s, before the %(before)s of %(earlier)s."
                    )
                    % {
                        "stage": ReviewStage(stage).label.lower(),
                        "day": format_day(decided_on),
                        "before": ReviewStage(before).label.lower(),
                        "earlier": format_day(earlier.decided_on),
                    },
                    "decided_on",
                )
            ]
    if loan.status != STATUS_FOR[stage]:
        return [
            Problem(
                E.REVIEW_STAGE,
                _("Loan %(number)s is %(status)s; the %(stage)s is no longer recorded.")
                % {
                    "number": loan.number,
                    "status": loan.get_status_display().lower(),
                    "stage": ReviewStage(stage).label.lower(),
                },
                "stage",
            )
        ]
    return []


def _text_problems(
    stage: str, decision: str, decided_by_name: str, decision_number: str, note: str
) -> list[Problem]:
    problems = []
    if stage == ReviewStage.COMMUNE:
        if not decided_by_name:
            problems.append(
                Problem(
                    E.REVIEW_WHO,
                    _("Write who certified for the commune People's Committee."),
                    "decided_by_name",
                )
            )
        if not decision_number:
            problems.append(
                Problem(
                    E.REVIEW_WHO,
                    _("Write the number of the commune's certification."),
                    "decision_number",
                )
            )
    if decision == ReviewDecision.REFUSED and not note:
        problems.append(Problem(E.REVIEW_DECISION, _("Write the reason for the refusal."), "note"))
    for name, text, limit in (
        ("decided_by_name", decided_by_name, NAME_LENGTH_MAX),
        ("decision_number", decision_number, NUMBER_LENGTH_MAX),
        ("note", note, NOTE_LENGTH_MAX),
    ):
        if len(text) > limit:
            problems.append(
                Problem(
                    E.TEXT_INVALID,
                    _("This text may have at most %(n)d characters; it has %(length)d.")
                    % {"n": limit, "length": len(text)},
                    name,
                )
            )
    return problems


def loan_review_record(
    *,
    actor,
    loan: Loan,
    stage: str,
    decision: str,
    decided_on: date,
    meeting: GroupMeeting | None = None,
    decided_by_name: str = "",
    decision_number: str = "",
    note: str = "",
) -> LoanReview:
    """Record one step before approval (domain.md §6.2), in order: the group's loan-review
    meeting (with the applicant's household present), the association's review (an officer of
    the loan's association, or the bank's staff), the commune's certification (who and the
    decision's number)."""
    if stage not in ReviewStage.values:
        raise DomainError(E.REVIEW_STAGE, _("Choose a review stage."), "stage")
    if decision not in ReviewDecision.values:
        raise DomainError(E.REVIEW_DECISION, _("Choose agreed or refused."), "decision")
    _require_reviewer(actor, loan, stage)
    decided_by_name, decision_number, note = (
        (decided_by_name or "").strip(),
        (decision_number or "").strip(),
        (note or "").strip(),
    )
    with transaction.atomic():
        loan = loan_lock(loan.pk)
        done = {review.stage: review for review in loan.reviews.all()}
        problems = _order_problems(loan, stage, decided_on, done)
        problems += _text_problems(stage, decision, decided_by_name, decision_number, note)
        if decided_on < loan.applied_on or decided_on > timezone.localdate():
            problems.append(
                Problem(
                    E.DATE_INVALID,
                    _(
                        "The decision date %(day)s must lie between the application (%(applied)s) and today."
                    )
                    % {"day": format_day(decided_on), "applied": format_day(loan.applied_on)},
                    "decided_on",
                )
            )
        if stage == ReviewStage.GROUP:
            problems += _meeting_problems(loan, meeting)
        if problems:
            raise DomainError.of(problems)
        review = LoanReview.objects.create(
            loan=loan,
            stage=stage,
            decision=decision,
            decided_on=decided_on,
            meeting=meeting if stage == ReviewStage.GROUP else None,
            decided_by_name=decided_by_name,
            decision_number=decision_number,
            note=note,
            recorded_by=actor,
        )
        _move(loan, stage, decision, decided_on, note, actor, done)
        loan.save()
    return review


def _move(loan: Loan, stage, decision, decided_on, note, actor, done) -> None:
    if decision == ReviewDecision.REFUSED:
        reason = _("%(stage)s refused: %(note)s") % {
            "stage": ReviewStage(stage).label,
            "note": note,
        }
        status_move(loan=loan, to=LoanStatus.REJECTED, on=decided_on, actor=actor, reason=reason)
        loan.rejected_on = decided_on
        loan.rejection_reason = reason[:300]
    elif stage == ReviewStage.COMMUNE:
        status_move(loan=loan, to=LoanStatus.CERTIFIED, on=decided_on, actor=actor)
    else:
        other = ReviewStage.ASSOCIATION if stage == ReviewStage.GROUP else ReviewStage.GROUP
        if other in done and done[other].decision == ReviewDecision.AGREED:
            status_move(loan=loan, to=LoanStatus.REVIEWED, on=decided_on, actor=actor)
