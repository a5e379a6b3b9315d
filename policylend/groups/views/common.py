"""What every group page shares: who may open it, and who may change what."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect

from policylend.users import access
from policylend.users.roles import Capability


def viewer_required(view):
    """Logged in, and the role may read groups."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        access.require(request.user, Capability.VIEW_GROUPS)
        return view(request, *args, **kwargs)

    return wrapped


def require_manager(request) -> None:
    """Refuse (403) a change by a role that may not manage groups."""
    access.require(request.user, Capability.MANAGE_GROUPS)


def can_manage(request) -> bool:
    return access.can(request.user, Capability.MANAGE_GROUPS)


def can_record_meetings(request) -> bool:
    return access.can(request.user, Capability.RECORD_GROUP_MEETINGS)


def to_group(request, message: str, group_id: int, anchor: str = ""):
    messages.success(request, message)
    response = redirect("groups:detail", group_id=group_id)
    if anchor:
        response["Location"] += f"#{anchor}"
    return response
