"""What a session owes: each group's commission on the interest its leader handed over, and each
association unit's entrustment fee on the outstanding of the loans whose interest was collected."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Q, Sum
from django.utils.translation import gettext as _

from policylend.associations.models import (
    AssociationUnit,
    ContractStatus,
    EntrustmentContract,
    EntrustmentTerms,
)
from policylend.associations.rules import Reduction
from policylend.associations.selectors import contract_terms_on
from policylend.core.periods import day_text
from policylend.groups.models import SavingsGroup
from policylend.transaction_sessions.models import (
    CollectionLine,
    SheetStatus,
    TransactionSession,
)
from policylend.transaction_sessions.selectors.sheets import interest_collected_by_group

from .. import rules
from ..models import CommissionPayment, CommissionTerms, EntrustmentFee, PaymentStatus
from .rates import commission_rates_on


@dataclass
class CommissionDue:
    group: SavingsGroup
    interest_collected: int
    rate: Decimal
    terms: CommissionTerms | None
    amount: int
    paid: CommissionPayment | None = None

    @property
    def rate_percent(self) -> Decimal:
        return (self.rate * 100).normalize()


def commissions_due(session: TransactionSession) -> list[CommissionDue]:
    collected = interest_collected_by_group(session)
    groups = SavingsGroup.objects.filter(pk__in=collected).select_related(
        "association_unit", "association_unit__association"
    )
    paid = {
        payment.group_id: payment
        for payment in CommissionPayment.objects.filter(session=session, status=PaymentStatus.PAID)
    }
    groups = sorted(groups, key=lambda g: g.code)
    rates = commission_rates_on(groups, session.held_on)
    rows = []
    for group in groups:
        rate, terms = rates[group.pk]
        interest = collected[group.pk]
        rows.append(
            CommissionDue(
                group=group,
                interest_collected=interest,
                rate=rate,
                terms=terms,
                amount=rules.commission_amount(interest, rate),
                paid=paid.get(group.pk),
            )
        )
    return rows


@dataclass
class FeeDue:
    association_unit: AssociationUnit
    basis: int
    loans_count: int
    # group id → outstanding of the group's loans in the basis (the 8711 lines carry the group)
    basis_by_group: dict[int, int]
    contract: EntrustmentContract | None = None
    terms: EntrustmentTerms | None = None
    fee: rules.Fee | None = None
    problem: str = ""
    paid: EntrustmentFee | None = None
    overdue_ratio: Decimal | None = None
    interest_collection_rate: Decimal | None = None
    groups: list[int] = field(default_factory=list)


def contract_in_force(unit: AssociationUnit, day: date) -> EntrustmentContract | None:
    return (
        EntrustmentContract.objects.filter(
            association_unit=unit, status=ContractStatus.ACTIVE, valid_from__lte=day
        )
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .order_by("-valid_from", "-pk")
        .first()
    )


def _collected_loans(session: TransactionSession):
    """The loans whose interest was collected on a posted sheet of the session, with their
    group's association unit and their outstanding now."""
    from policylend.loans.models import Loan

    loan_ids = (
        CollectionLine.objects.filter(
            sheet__session=session,
            sheet__status=SheetStatus.POSTED,
            interest__gt=0,
            loan__isnull=False,
        )
        .values("loan_id")
        .distinct()
    )
    return Loan.objects.filter(pk__in=loan_ids).values(
        "pk",
        "group_id",
        "group__association_unit_id",
        "principal_in_term",
        "principal_overdue",
        "principal_frozen",
    )


def _commune_quality(session: TransactionSession) -> tuple[Decimal | None, Decimal | None]:
    """The commune's overdue ratio (overdue principal / outstanding) and its interest-collection
    rate at the session (interest collected / interest due on the posted sheets)."""
    from policylend.loans.models import Loan

    loans = Loan.objects.filter(commune_id=session.commune_id).aggregate(
        overdue=Sum("principal_overdue"),
        in_term=Sum("principal_in_term"),
        frozen=Sum("principal_frozen"),
    )
    outstanding = sum(loans[k] or 0 for k in ("overdue", "in_term", "frozen"))
    lines = CollectionLine.objects.filter(
        sheet__session=session, sheet__status=SheetStatus.POSTED
    ).aggregate(due=Sum("interest_due"), paid=Sum("interest"))
    return (
        rules.ratio(loans["overdue"] or 0, outstanding),
        rules.ratio(lines["paid"] or 0, lines["due"] or 0),
    )


def fees_due(session: TransactionSession) -> list[FeeDue]:
    by_unit: dict[int, FeeDue] = {}
    for loan in _collected_loans(session):
        unit_id = loan["group__association_unit_id"]
        outstanding = (
            loan["principal_in_term"] + loan["principal_overdue"] + loan["principal_frozen"]
        )
        row = by_unit.get(unit_id)
        if row is None:
            row = by_unit[unit_id] = FeeDue(
                association_unit=None, basis=0, loans_count=0, basis_by_group={}
            )  # type: ignore[arg-type]
        row.basis += outstanding
        row.loans_count += 1
        row.basis_by_group[loan["group_id"]] = (
            row.basis_by_group.get(loan["group_id"], 0) + outstanding
        )
    units = AssociationUnit.objects.select_related("association", "unit").in_bulk(list(by_unit))
    paid = {
        fee.association_unit_id: fee
        for fee in EntrustmentFee.objects.filter(session=session, status=PaymentStatus.PAID)
    }
    quality = None
    rows = []
    for unit_id, row in by_unit.items():
        row.association_unit = units[unit_id]
        row.paid = paid.get(unit_id)
        row.contract = contract_in_force(row.association_unit, session.held_on)
        if row.contract is None:
            row.problem = _(
                "%(unit)s has no entrustment contract in force on %(day)s; its fee cannot be paid."
            ) % {"unit": row.association_unit.name, "day": day_text(session.held_on)}
        else:
            row.terms = contract_terms_on(row.contract, session.held_on)
            if row.terms is None:
                row.problem = _(
                    "Contract %(number)s of %(unit)s has no fee terms in force on %(day)s."
                ) % {
                    "number": row.contract.number,
                    "unit": row.association_unit.name,
                    "day": day_text(session.held_on),
                }
        if row.terms is not None:
            reductions = [Reduction.from_dict(r) for r in row.terms.reductions or ()]
            if reductions and quality is None:
                quality = _commune_quality(session)
            if reductions:
                row.overdue_ratio, row.interest_collection_rate = quality
            row.fee = rules.entrustment_fee(
                row.basis,
                row.terms.fee_rate_monthly,
                row.terms.split,
                reductions,
                overdue_ratio=row.overdue_ratio,
                interest_collection_rate=row.interest_collection_rate,
            )
        rows.append(row)
    return sorted(rows, key=lambda r: r.association_unit.name)
