"""Reads of commissions and fees, always scoped by the viewer: a session by its commune, an
association unit by its place (and, for an association officer, their own association)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from policylend.associations.models import AssociationUnit
from policylend.associations.selectors import association_filter_q, association_unit_q
from policylend.core.errors import NotFound
from policylend.core.periods import Month
from policylend.groups.models import SavingsGroup
from policylend.transaction_sessions.models import TransactionSession
from policylend.users import access
from policylend.users.roles import Capability

from .models import CommissionPayment, CommissionTerms, EntrustmentFee
from .services import CommissionDue, FeeDue, commissions_due, fees_due


def sessions_in_scope(viewer) -> QuerySet[TransactionSession]:
    return TransactionSession.objects.filter(access.unit_q(viewer, "commune"))


def session_get(viewer, session_id: int) -> TransactionSession:
    access.require(viewer, Capability.VIEW_FEES)
    session = (
        sessions_in_scope(viewer)
        .select_related("point", "commune", "office")
        .filter(pk=session_id)
        .first()
    )
    if session is None:
        raise NotFound("not_found", _("No such session in your scope."))
    return session


@dataclass
class SessionPreview:
    session: TransactionSession
    commissions: list[CommissionDue]
    fees: list[FeeDue]

    @property
    def commissions_total(self) -> int:
        return sum(row.amount for row in self.commissions)

    @property
    def fees_total(self) -> int:
        return sum(row.fee.amount for row in self.fees if row.fee is not None)

    @property
    def fees_at_session(self) -> int:
        return sum(row.fee.commune_share for row in self.fees if row.fee is not None)

    @property
    def commissions_paid(self) -> bool:
        return any(row.paid is not None for row in self.commissions)

    @property
    def fees_paid(self) -> bool:
        return any(row.paid is not None for row in self.fees)


def session_preview(viewer, session: TransactionSession) -> SessionPreview:
    """What paying the session's commissions and fees would pay (and what was paid)."""
    access.require(viewer, Capability.VIEW_FEES)
    fees = [
        row
        for row in fees_due(session)
        if access.scope_of(viewer).association_id in (None, row.association_unit.association_id)
    ]
    return SessionPreview(session=session, commissions=commissions_due(session), fees=fees)


def units_in_scope(viewer) -> QuerySet[AssociationUnit]:
    return AssociationUnit.objects.filter(association_unit_q(viewer)).select_related(
        "association", "unit"
    )


def unit_get(viewer, unit_id: int) -> AssociationUnit:
    access.require(viewer, Capability.VIEW_FEES)
    unit = units_in_scope(viewer).filter(pk=unit_id).first()
    if unit is None:
        raise NotFound("not_found", _("No such association unit in your scope."))
    return unit


def fees_in_scope(viewer) -> QuerySet[EntrustmentFee]:
    return EntrustmentFee.objects.filter(
        access.unit_q(viewer, "session__commune") & association_filter_q(viewer, "association_unit")
    )


def fee_statement(
    viewer, association_unit: AssociationUnit, month: Month | None = None
) -> QuerySet[EntrustmentFee]:
    """The unit's fees month by month (newest first): basis, rate, amount, shares, the session
    that paid them and whether the other levels' shares were transferred."""
    access.require(viewer, Capability.VIEW_FEES)
    fees = fees_in_scope(viewer).filter(association_unit=association_unit)
    if month is not None:
        fees = fees.filter(month=month.first_day)
    return fees.select_related("session", "session__point", "contract", "entry").order_by(
        "-month", "-pk"
    )


def fee_get(viewer, fee_id: int) -> EntrustmentFee:
    access.require(viewer, Capability.VIEW_FEES)
    fee = fees_in_scope(viewer).select_related("association_unit").filter(pk=fee_id).first()
    if fee is None:
        raise NotFound("not_found", _("No such entrustment fee in your scope."))
    return fee


def recent_fees(viewer, limit: int = 50) -> QuerySet[EntrustmentFee]:
    access.require(viewer, Capability.VIEW_FEES)
    return (
        fees_in_scope(viewer)
        .select_related("association_unit", "session__point")
        .order_by("-month", "association_unit__name")[:limit]
    )


def commission_list(
    viewer, *, session: TransactionSession | None = None, group: SavingsGroup | None = None
) -> QuerySet[CommissionPayment]:
    access.require(viewer, Capability.VIEW_FEES)
    payments = CommissionPayment.objects.filter(
        access.unit_q(viewer, "session__commune")
        & association_filter_q(viewer, "group__association_unit")
    )
    if session is not None:
        payments = payments.filter(session=session)
    if group is not None:
        payments = payments.filter(group=group)
    return payments.select_related("group", "session", "session__point").order_by(
        "-month", "group__code"
    )


def payment_session(
    viewer, entry_id: int, session: TransactionSession | None = None
) -> TransactionSession:
    """The session whose commissions or entrustment fees entry ``entry_id`` paid, when the viewer
    sees that payment (and, given ``session``, the entry is one of its payments); else 404."""
    access.require(viewer, Capability.VIEW_FEES)
    commissions = commission_list(viewer).filter(entry_id=entry_id)
    fees = fees_in_scope(viewer).filter(entry_id=entry_id).select_related("session")
    if session is not None:
        commissions = commissions.filter(session=session)
        fees = fees.filter(session=session)
    payment = commissions.first() or fees.first()
    if payment is None:
        raise NotFound("not_found", _("No such commission or fee payment in your scope."))
    return payment.session


def paid_entries(preview: SessionPreview) -> list[tuple[str, int]]:
    """The entries that paid the session's commissions and fees (still in force), each with
    what it paid: the rows a reversal may be asked for."""
    entries: dict[int, str] = {}
    for row in preview.commissions:
        if row.paid is not None:
            entries.setdefault(row.paid.entry_id, _("Group commissions"))
    for row in preview.fees:
        if row.paid is not None:
            entries.setdefault(row.paid.entry_id, _("Entrustment fees"))
    return [(label, entry_id) for entry_id, label in entries.items()]


def commission_terms_list(viewer) -> QuerySet[CommissionTerms]:
    access.require(viewer, Capability.VIEW_FEES)
    branches = access.branch_ids_visible_to(viewer)
    terms = CommissionTerms.objects.select_related("group", "approval")
    if branches is not None:
        terms = terms.filter(branch_id__in=branches)
    scope = access.scope_of(viewer)
    if not scope.is_branch_wide:
        terms = terms.filter(Q(group__isnull=True) | Q(access.unit_q(viewer, "group__commune")))
    return terms.order_by("group__code", "-effective_from")


def group_get(viewer, group_id: int) -> SavingsGroup:
    group = (
        SavingsGroup.objects.filter(
            access.placed_q(viewer) & association_filter_q(viewer, "association_unit")
        )
        .filter(pk=group_id)
        .first()
    )
    if group is None:
        raise NotFound("not_found", _("No such group in your scope."))
    return group
