from .calendar import holiday_add, session_move

__all__ = ["holiday_add", "session_move"]
