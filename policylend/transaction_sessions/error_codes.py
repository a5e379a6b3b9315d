from enum import StrEnum


class SessionError(StrEnum):
    REASON_MISSING = "session_move_reason_missing"
    MOVE_TOO_FAR = "session_move_too_far"
    MOVE_IN_PAST = "session_move_in_past"
    MOVE_ON_SUNDAY = "session_move_on_sunday"
    MOVE_ON_HOLIDAY = "session_move_on_holiday"
    HOLIDAY_EXISTS = "public_holiday_exists"
    HOLIDAY_NAME_MISSING = "public_holiday_name_missing"
    SESSION_DATE_INVALID = "session_date_invalid"


class SessionDayError(StrEnum):
    """Opening, running and closing a session (services/sessions.py, closing, minutes)."""

    NOT_TODAY = "session_not_today"
    ALREADY_OPEN = "session_already_open"
    NOT_OPEN = "session_not_open"
    TEAM_OUT_OF_SCOPE = "session_team_out_of_scope"
    OTHER_COMMUNE = "session_other_commune"
    CASH_DIFFERS = "session_cash_differs"
    KEY_MISSING = "session_idempotency_key_missing"


class SheetError(StrEnum):
    """Posting and reversing collection sheets (services/sheets.py)."""

    KEY_MISSING = "sheet_key_missing"
    KEY_REUSED = "sheet_key_reused"
    GROUP_NOT_OF_SESSION = "sheet_group_not_of_session"
    ALREADY_POSTED = "sheet_already_posted"
    EMPTY = "sheet_empty"
    AMOUNT_NEGATIVE = "sheet_amount_negative"
    AMOUNT_TOO_LARGE = "sheet_amount_too_large"
    NOT_MEMBER = "sheet_not_member"
    LOAN_NOT_OF_MEMBER = "sheet_loan_not_of_member"
    LOAN_TWICE = "sheet_loan_twice"
    NOT_REPAYABLE = "sheet_loan_not_repayable"
    DATE_TOO_EARLY = "sheet_date_too_early"
    INTEREST_OVER = "sheet_interest_over"
    PRINCIPAL_OVER = "sheet_principal_over"
    DEPOSIT_TOO_SMALL = "sheet_deposit_too_small"
    NO_SAVINGS_ACCOUNT = "sheet_no_savings_account"
    REASON_REQUIRED = "sheet_reversal_reason_required"
    ALREADY_REVERSED = "sheet_already_reversed"
    SAVINGS_SPENT = "sheet_savings_spent"


class MinutesError(StrEnum):
    """The briefing minutes (services/minutes.py)."""

    CHAIR_MISSING = "minutes_chair_missing"
    SESSION_CLOSED = "minutes_session_closed"
    TOO_LONG = "minutes_too_long"
