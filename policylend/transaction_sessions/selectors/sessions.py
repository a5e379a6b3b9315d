"""Reads of the session day: the sessions in the viewer's scope, one session with what it shows
(the commune's groups and their sheets, loans waiting to be paid out, the minutes)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from policylend.core.errors import NotFound
from policylend.users import access
from policylend.users.roles import Capability

from ..models import CollectionSheet, SessionStatus, SheetStatus, TransactionSession


def sessions_in_scope(viewer) -> QuerySet[TransactionSession]:
    access.require(viewer, Capability.VIEW_SESSIONS)
    return TransactionSession.objects.filter(access.unit_q(viewer, "commune")).select_related(
        "point", "commune", "office", "opened_by"
    )


def session_list(
    viewer, *, office_id: int | None = None, point_id: int | None = None, status: str = ""
) -> QuerySet[TransactionSession]:
    sessions = sessions_in_scope(viewer)
    if office_id:
        sessions = sessions.filter(office_id=office_id)
    if point_id:
        sessions = sessions.filter(point_id=point_id)
    if status in SessionStatus.values:
        sessions = sessions.filter(status=status)
    return sessions.order_by("-held_on", "point__code")


def session_get(viewer, session_id: int) -> TransactionSession:
    session = sessions_in_scope(viewer).filter(pk=session_id).first()
    if session is None:
        raise NotFound("not_found", _("No such session in your scope."))
    return session


@dataclass
class GroupSheet:
    group: object
    sheet: CollectionSheet | None

    @property
    def status(self) -> str:
        return self.sheet.get_status_display() if self.sheet else _("Not posted")


def session_groups(session: TransactionSession) -> list[GroupSheet]:
    """The active groups of the session's commune, each with its posted sheet (if any)."""
    from policylend.groups.models import GroupStatus, SavingsGroup

    groups = SavingsGroup.objects.filter(
        commune_id=session.commune_id, status=GroupStatus.ACTIVE
    ).order_by("code")
    sheets = {}
    for sheet in CollectionSheet.objects.filter(session=session).order_by("pk"):
        if sheet.status == SheetStatus.POSTED or sheet.group_id not in sheets:
            sheets[sheet.group_id] = sheet
    return [GroupSheet(group, sheets.get(group.pk)) for group in groups]


def loans_waiting(session: TransactionSession):
    """Approved loans of the session's commune not yet paid out."""
    from policylend.loans.models import Loan, LoanStatus

    return (
        Loan.objects.filter(commune_id=session.commune_id, status=LoanStatus.APPROVED)
        .select_related("household", "borrower", "programme", "group")
        .order_by("number")
    )


def loans_repayable(session: TransactionSession):
    from policylend.loans.models import Loan, LoanStatus

    return (
        Loan.objects.filter(
            commune_id=session.commune_id, status__in=[LoanStatus.IN_TERM, LoanStatus.OVERDUE]
        )
        .select_related("borrower")
        .order_by("number")
    )


def savings_accounts_of(session: TransactionSession):
    from policylend.savings.models import SavingsAccount

    return (
        SavingsAccount.objects.filter(commune_id=session.commune_id, balance__gt=0)
        .select_related("household")
        .order_by("number")
    )


def team_choices(office) -> QuerySet:
    """Active logins working for ``office`` (the office's staff and its communes')."""
    return (
        get_user_model()
        .objects.filter(is_active=True, scope_unit__path__startswith=office.path)
        .order_by("username")
    )


def minutes_prefill(session: TransactionSession) -> tuple[list[dict], list[dict]]:
    """The commune's association units and the leaders of its groups, each ``present`` as the
    saved minutes say (all absent before the minutes exist): the attendance checkboxes."""
    from policylend.associations.models import AssociationUnit
    from policylend.groups.models import BoardRole, BoardTerm

    minutes = getattr(session, "minutes", None) if _has_minutes(session) else None
    saved_units = {
        row.get("association_unit"): row.get("present")
        for row in (minutes.associations_present if minutes else [])
    }
    saved_groups = {
        row.get("group"): row.get("present") for row in (minutes.leaders_present if minutes else [])
    }
    associations = [
        {"association_unit": unit.pk, "name": unit.name, "present": bool(saved_units.get(unit.pk))}
        for unit in AssociationUnit.objects.filter(unit_id=session.commune_id).order_by("name")
    ]
    leaders = [
        {
            "group": term.group_id,
            "name": f"{term.group.code} {term.group.name}",
            "leader": term.person.full_name,
            "present": bool(saved_groups.get(term.group_id)),
        }
        for term in BoardTerm.objects.filter(
            group__commune_id=session.commune_id, role=BoardRole.LEADER, ended_on__isnull=True
        )
        .select_related("group", "person")
        .order_by("group__code")
    ]
    return associations, leaders


def _has_minutes(session: TransactionSession) -> bool:
    from ..models import BriefingMinutes

    return BriefingMinutes.objects.filter(session=session).exists()
