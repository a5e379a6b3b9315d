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
