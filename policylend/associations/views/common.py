"""What every association page shares: who may open it, the bank's date."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.utils import timezone

from policylend.core.errors import Forbidden, NotFound
from policylend.users import access
from policylend.users.roles import Capability

# Errors answered with their HTTP status (404, 403), not shown beside a field.
PASSED_ON = (NotFound, Forbidden)


def viewer_required(view):
    """Logged in, and the role may read the organisation (every role of the bank may)."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        access.require(request.user, Capability.VIEW_ORGANISATION)
        return view(request, *args, **kwargs)

    return wrapped


def today():
    """The bank's date: the local date in the branch's time zone."""
    return timezone.localdate()


def can(request, capability: Capability) -> bool:
    return access.can(request.user, capability)


def int_param(request, name: str) -> int | None:
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() and len(value) < 12 else None
