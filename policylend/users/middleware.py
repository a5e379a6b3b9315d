"""Session limits and enforced two-factor login."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

SESSION_LOGIN_AT = "policylend_login_at"
SESSION_SEEN_AT = "policylend_seen_at"


class SessionLimitsMiddleware:
    """Log a user out after 30 minutes without a request, and 10 hours after login in any case."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = time.time()
            login_at = request.session.get(SESSION_LOGIN_AT)
            seen_at = request.session.get(SESSION_SEEN_AT, login_at)
            idle = settings.SESSION_IDLE_TIMEOUT.total_seconds()
            absolute = settings.SESSION_ABSOLUTE_TIMEOUT.total_seconds()
            if login_at is None:
                request.session[SESSION_LOGIN_AT] = now
            elif (seen_at is not None and now - seen_at > idle) or now - login_at > absolute:
                logout(request)
                messages.info(request, _("Your session has ended; please log in again."))
                if request.path.startswith("/api/"):
                    return self.get_response(request)
                return redirect(f"{reverse('users:login')}?next={request.path}")
            request.session[SESSION_SEEN_AT] = now
        return self.get_response(request)


class TwoFactorRequiredMiddleware:
    """When a user's role requires two-factor login, every page but the two-factor pages and
    logout waits until this session is verified with a one-time code."""

    EXEMPT_PREFIXES = ("/accounts/", "/static/", "/i18n/", "/api/", "/public/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(self.EXEMPT_PREFIXES)
            and not user.is_verified()
        ):
            from .selectors import two_factor_required_for

            if two_factor_required_for(user):
                return redirect(f"{reverse('users:two_factor')}?next={request.path}")
        return self.get_response(request)
