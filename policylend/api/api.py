"""The JSON API at /api/v1/ (django-ninja). Each app owns its router in ``<app>/api.py``; this
module assembles them, authenticates (personal token, or the browser session with CSRF) and turns
domain errors into problem+json."""

import contextlib

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError
from ninja.security import APIKeyHeader, HttpBearer, SessionAuth

from policylend.core.errors import DomainError
from policylend.users.services import api_token_authenticate


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        user = api_token_authenticate(token)
        if user is not None:
            request.user = user
            _attribute_audit_to(user)
        return user


def _attribute_audit_to(user) -> None:
    """The audit middleware ran before the token was read; name the token's owner as the actor
    of whatever this request changes."""
    from auditlog.context import auditlog_value

    with contextlib.suppress(LookupError):
        auditlog_value.get()["actor"] = user


class BrowserSession(SessionAuth):
    """The logged-in browser (htmx calls); CSRF is checked for unsafe methods."""


api = NinjaAPI(
    title="policylend API",
    version="1",
    urls_namespace="api",
    auth=[TokenAuth(), BrowserSession()],
    docs_url="/docs",
)

PROBLEM = "application/problem+json"


def problem(request, status: int, title: str, errors: list[dict]):
    return api.create_response(
        request,
        {"type": "about:blank", "title": title, "status": status, "errors": errors},
        status=status,
    )


@api.exception_handler(DomainError)
def domain_error(request, exc: DomainError):
    response = problem(
        request,
        exc.status,
        exc.message,
        [{"field": p.field, "code": p.code, "message": p.message} for p in exc.problems],
    )
    response["Content-Type"] = PROBLEM
    return response


@api.exception_handler(ValidationError)
def validation_error(request, exc: ValidationError):
    errors = []
    for error in exc.errors:
        location = [
            str(part)
            for part in error.get("loc", [])
            if part not in ("body", "query", "path", "payload")
        ]
        errors.append(
            {
                "field": ".".join(location) or None,
                "code": error.get("type", "invalid"),
                "message": error.get("msg", ""),
            }
        )
    response = problem(request, 422, _("The request has invalid fields."), errors)
    response["Content-Type"] = PROBLEM
    return response


@api.exception_handler(Http404)
def not_found(request, exc):
    response = problem(request, 404, _("Not found."), [])
    response["Content-Type"] = PROBLEM
    return response


@api.exception_handler(PermissionDenied)
def forbidden(request, exc):
    response = problem(request, 403, str(exc) or _("Not allowed."), [])
    response["Content-Type"] = PROBLEM
    return response


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc):
    response = problem(request, 401, _("Log in or send a valid API token."), [])
    response["Content-Type"] = PROBLEM
    return response


def _mount() -> None:
    from policylend.approvals.api import router as approvals_router
    from policylend.associations.api import router as associations_router
    from policylend.fees.api import router as fees_router
    from policylend.groups.api import router as groups_router
    from policylend.households.api import router as households_router
    from policylend.imports.api import exports_router
    from policylend.imports.api import router as imports_router
    from policylend.ledger.api import router as ledger_router
    from policylend.loans.api import router as loans_router
    from policylend.noticeboard.api import router as public_router
    from policylend.organisation.api import router as organisation_router
    from policylend.programmes.api import router as programmes_router
    from policylend.savings.api import router as savings_router
    from policylend.transaction_sessions.api import router as sessions_router
    from policylend.users.api import router as users_router

    api.add_router("/users", users_router)
    api.add_router("/organisation", organisation_router)
    api.add_router("/ledger", ledger_router)
    api.add_router("/approvals", approvals_router)
    api.add_router("/groups", groups_router)
    api.add_router("/households", households_router)
    api.add_router("/imports", imports_router)
    api.add_router("/exports", exports_router)
    api.add_router("/associations", associations_router)
    api.add_router("/programmes", programmes_router)
    api.add_router("/loans", loans_router)
    api.add_router("/savings", savings_router)
    api.add_router("/sessions", sessions_router)
    api.add_router("/public", public_router)
    api.add_router("/fees", fees_router)


_mount()
__all__ = ["APIKeyHeader", "api"]
