"""Writes of member savings; see each module."""

from .closing import savings_account_close, savings_pay_loan_interest
from .interest import InterestRun, interest_due, savings_interest_credit_run
from .movements import savings_account_open, savings_deposit, savings_plan_set, savings_withdraw
from .reversal import savings_transaction_reversal_propose, savings_transaction_reverse

__all__ = [
    "InterestRun",
    "interest_due",
    "savings_account_close",
    "savings_account_open",
    "savings_deposit",
    "savings_interest_credit_run",
    "savings_pay_loan_interest",
    "savings_plan_set",
    "savings_transaction_reversal_propose",
    "savings_transaction_reverse",
    "savings_withdraw",
]
