from __future__ import annotations

from django.shortcuts import redirect, render

from policylend.core.pagination import paginate

from .. import selectors
from ..forms import UnitFilterForm
from .common import can_manage, viewer_required

# The tree page loads down to communes (one level below the viewer's own unit at least); the
# villages of a commune load when its node is opened: a province has about 2,000 of them.
TREE_DEPTH_MIN = 2


def _include_closed(request) -> bool:
    return request.GET.get("closed") == "1"


@viewer_required
def tree(request):
    scope_unit = request.user.scope_unit
    depth = max(TREE_DEPTH_MIN, (scope_unit.depth + 1) if scope_unit else 0)
    include_closed = _include_closed(request)
    nodes = selectors.unit_tree(request.user, include_closed=include_closed, max_depth=depth)
    return render(
        request,
        "organisation/tree.html",
        {
            "tree": nodes,
            "include_closed": include_closed,
            "can_manage": can_manage(request),
        },
    )


@viewer_required
def unit_children(request, unit_id: int):
    """The units under one node of the tree, for htmx; without htmx, the unit's own page."""
    unit = selectors.unit_get(request.user, unit_id)
    if not request.htmx:
        return redirect("organisation:unit_detail", unit_id=unit.pk)
    include_closed = _include_closed(request)
    nodes = selectors.unit_tree(
        request.user, include_closed=include_closed, max_depth=unit.depth + 1, root=unit
    )
    return render(
        request,
        "organisation/tree_nodes.html",
        {
            "nodes": nodes,
            "include_closed": include_closed,
        },
    )


@viewer_required
def unit_list(request):
    form = UnitFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    units = selectors.unit_list(
        request.user,
        kind=filters.get("kind") or None,
        status=filters.get("status") or None,
        search=filters.get("q") or "",
    )
    return render(
        request,
        "organisation/unit_list.html",
        {
            "form": form,
            "page": paginate(request, units.order_by("path")),
            "can_manage": can_manage(request),
        },
    )
