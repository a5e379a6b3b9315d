from enum import StrEnum


class SavingsErrorCode(StrEnum):
    NOT_FOUND = "not_found"
    NOT_GROUP_MEMBER = "savings_not_group_member"
    ALREADY_OPEN = "savings_already_open"
    ACCOUNT_CLOSED = "savings_account_closed"
    PLAN_INVALID = "savings_plan_invalid"
    DEPOSIT_TOO_SMALL = "savings_deposit_too_small"
    AMOUNT_INVALID = "savings_amount_invalid"
    OVER_BALANCE = "savings_over_balance"
    DATE_FUTURE = "savings_date_future"
    DATE_TOO_EARLY = "savings_date_too_early"
    KEY_REUSED = "savings_key_reused"
    NOT_HALF_YEAR_END = "savings_not_half_year_end"
    LOAN_OTHER_HOUSEHOLD = "savings_loan_other_household"
    NOT_REVERSIBLE = "savings_not_reversible"
    ALREADY_REVERSED = "savings_already_reversed"
    LATER_DEPENDS = "savings_later_depends"
    REASON_REQUIRED = "savings_reason_required"
