"""Every write to savings-and-loan groups (domain.md §3). Each service checks its rules inside one
database transaction, after locking the groups it changes, and raises a DomainError naming the
field, the rule and the numbers before it writes anything.

- founding: ``group_create``, ``groups_create_bulk`` (the demo, imports), ``group_update``
- membership: ``membership_join``, ``membership_leave``, ``membership_move``
- board: ``board_elect``, ``board_term_end``
- meetings: ``meeting_record``
- lifecycle: ``group_dissolve``, ``group_merge``, ``group_split``
"""

from .board import board_elect, board_term_end
from .founding import BULK_GROUPS_MAX, GroupSpec, group_create, group_update, groups_create_bulk
from .lifecycle import group_dissolve, group_merge, group_split
from .meetings import meeting_record
from .membership import membership_join, membership_leave, membership_move

__all__ = [
    "BULK_GROUPS_MAX",
    "GroupSpec",
    "board_elect",
    "board_term_end",
    "group_create",
    "group_dissolve",
    "group_merge",
    "group_split",
    "group_update",
    "groups_create_bulk",
    "meeting_record",
    "membership_join",
    "membership_leave",
    "membership_move",
]
