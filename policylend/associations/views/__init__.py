"""Pages of the entrusted associations: units and their officers, entrustment contracts and the
change of their terms, the supervision plan and inspections. Thin: each parses the request, calls
one selector or service and renders. Anything outside the viewer's scope is "not found" (404); a
change the role may not make is refused (403)."""

from .contracts import contract_create, contract_detail, contract_list, terms_change
from .supervision import inspection_create, inspection_detail, inspection_list, unit_plan
from .units import unit_create, unit_detail, unit_edit, unit_list

__all__ = [
    "contract_create",
    "contract_detail",
    "contract_list",
    "inspection_create",
    "inspection_detail",
    "inspection_list",
    "terms_change",
    "unit_create",
    "unit_detail",
    "unit_edit",
    "unit_list",
    "unit_plan",
]
