"""Pages of the organisation: the tree, units and their history, transaction points.

Views are thin: they read the form, call one selector or service and render. A unit outside the
viewer's scope is "not found" (404); a change without the capability is refused (403)."""

from .points import point_create, point_detail, point_edit, point_list
from .tree import tree, unit_children, unit_list
from .units import commune_merge, unit_close, unit_create, unit_detail, unit_edit, unit_move

__all__ = [
    "commune_merge",
    "point_create",
    "point_detail",
    "point_edit",
    "point_list",
    "tree",
    "unit_children",
    "unit_close",
    "unit_create",
    "unit_detail",
    "unit_edit",
    "unit_list",
    "unit_move",
]
