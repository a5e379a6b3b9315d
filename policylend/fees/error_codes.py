from enum import StrEnum


class FeeError(StrEnum):
    """Group commissions and entrustment fees (services.py)."""

    NOTHING_TO_PAY = "fees_nothing_to_pay"
    COMMISSION_PAID = "fees_commission_already_paid"
    FEE_PAID = "fees_entrustment_fee_already_paid"
    NO_CONTRACT = "fees_no_entrustment_contract"
    NO_TERMS = "fees_no_entrustment_terms"
    TRANSFERRED = "fees_already_transferred"
    NOTHING_TO_TRANSFER = "fees_nothing_to_transfer"
    FEE_REVERSED = "fees_fee_reversed"
    REVERSAL_REASON = "fees_reversal_reason_required"
    REVERSAL_TRANSFERRED = "fees_reversal_after_transfer"
    NOT_A_PAYMENT = "fees_not_a_payment"
    RATE_RANGE = "fees_commission_rate_range"
    CONTRACT_NUMBER = "fees_commission_contract_number"
    TERMS_DATE = "fees_commission_terms_date"
    GROUP_BRANCH = "fees_commission_group_branch"
