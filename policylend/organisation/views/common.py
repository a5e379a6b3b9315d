"""What every organisation page shares: who may open it."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required

from policylend.users import access
from policylend.users.roles import Capability


def viewer_required(view):
    """Logged in, and the role may read the organisation."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        access.require(request.user, Capability.VIEW_ORGANISATION)
        return view(request, *args, **kwargs)

    return wrapped


def require_manager(request) -> None:
    """Refuse (403) a change by a role that may not manage the organisation."""
    access.require(request.user, Capability.MANAGE_ORGANISATION)


def can_manage(request) -> bool:
    return access.can(request.user, Capability.MANAGE_ORGANISATION)
