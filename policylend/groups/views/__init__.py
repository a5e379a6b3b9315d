"""Pages of savings-and-loan groups.

Views are thin: they read the form, call one selector or service and render. A group outside the
viewer's scope is "not found" (404); a change without the capability is refused (403)."""

from .changes import (
    board_elect,
    board_term_end,
    group_dissolve,
    group_merge,
    group_split,
    meeting_create,
    meeting_detail,
    membership_join,
    membership_leave,
    membership_move,
)
from .groups import group_create, group_detail, group_edit, group_list

__all__ = [
    "board_elect",
    "board_term_end",
    "group_create",
    "group_detail",
    "group_dissolve",
    "group_edit",
    "group_list",
    "group_merge",
    "group_split",
    "meeting_create",
    "meeting_detail",
    "membership_join",
    "membership_leave",
    "membership_move",
]
