"""Writes to the organisation tree. Each change keeps the history of what belonged where.

Rules (domain.md §1): a branch sits at the top, an office under a branch, a commune under an
office, a village under a commune; a commune's code has 6 digits and a village's 8; a commune has
at most one active transaction point, whose session day is a day of the month from 1 to 28.
Communes merge and villages move from a date: ``UnitParentPeriod`` keeps the tree as it was.
"""

from .checks import ADDRESS_LENGTH_MAX, NAME_LENGTH_MAX, REASON_LENGTH_MAX, day_before
from .points import transaction_point_create, transaction_point_update
from .units import commune_merge, unit_close, unit_create, unit_move, unit_update

__all__ = [
    "ADDRESS_LENGTH_MAX",
    "NAME_LENGTH_MAX",
    "REASON_LENGTH_MAX",
    "commune_merge",
    "day_before",
    "transaction_point_create",
    "transaction_point_update",
    "unit_close",
    "unit_create",
    "unit_move",
    "unit_update",
]
