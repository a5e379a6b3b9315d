"""Paying group commissions and entrustment fees at a session, transferring the other levels'
shares of a fee, and changing the commission terms (maker–checker).

- ``rates``: the commission rate in force on a day;
- ``dues``: what a session owes (commissions, entrustment fees);
- ``payments``: paying them at the session, and transferring a fee's other levels' shares;
- ``reversal``: reversing a payment (maker–checker);
- ``terms``: changing the commission terms (maker–checker)."""

from policylend.ledger.models import JournalEntry

from .common import CASH_AT_OFFICE, CASH_AT_POINT, COMMISSION_EXPENSE, FEE_EXPENSE, FEES_PAYABLE
from .dues import (
    CommissionDue,
    FeeDue,
    commissions_due,
    contract_in_force,
    fees_due,
)
from .payments import commission_pay, entrustment_fee_pay, fee_transfer
from .rates import commission_rate_on, commission_terms_on, default_commission_rate
from .reversal import payment_reversal_apply, payment_reversal_check, payment_reversal_propose
from .terms import (
    commission_terms_apply,
    commission_terms_payload,
    commission_terms_problems,
    commission_terms_propose,
)

__all__ = [
    "CASH_AT_OFFICE",
    "CASH_AT_POINT",
    "COMMISSION_EXPENSE",
    "FEES_PAYABLE",
    "FEE_EXPENSE",
    "CommissionDue",
    "FeeDue",
    "JournalEntry",
    "commission_pay",
    "commission_rate_on",
    "commission_terms_apply",
    "commission_terms_on",
    "commission_terms_payload",
    "commission_terms_problems",
    "commission_terms_propose",
    "commissions_due",
    "contract_in_force",
    "default_commission_rate",
    "entrustment_fee_pay",
    "fee_transfer",
    "fees_due",
    "payment_reversal_apply",
    "payment_reversal_check",
    "payment_reversal_propose",
]
