"""Writes to users, roles and their security settings. Every change is audited (django-auditlog)."""

from __future__ import annotations

import hashlib
import re
import secrets

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from policylend.core.errors import DomainError, NotFound, Problem
from policylend.organisation.models import OrganisationUnit, UnitKind

from . import access
from .models import ApiToken, RolePolicy, User
from .roles import ROLE_SCOPE_KINDS, Capability, Role

USERNAME_PATTERN = r"[a-z0-9_.-]{3,40}"


def _scope_problems(
    role: str, scope_unit: OrganisationUnit | None, association_id: int | None
) -> list[Problem]:
    problems = []
    if role not in Role.values:
        return [Problem("users_role_unknown", _("Choose a role."), "role")]
    if scope_unit is None:
        problems.append(
            Problem("users_scope_required", _("Choose the unit the user works in."), "scope_unit")
        )
    elif scope_unit.kind not in ROLE_SCOPE_KINDS[role]:
        allowed = ", ".join(
            sorted(str(UnitKind(kind).label).lower() for kind in ROLE_SCOPE_KINDS[role])
        )
        problems.append(
            Problem(
                "users_scope_level",
                _("A %(role)s works at the level of: %(levels)s; %(unit)s is not.")
                % {"role": Role(role).label.lower(), "levels": allowed, "unit": scope_unit},
                "scope_unit",
            )
        )
    elif not scope_unit.is_active:
        problems.append(
            Problem(
                "users_scope_inactive",
                _("%(unit)s is no longer active.") % {"unit": scope_unit},
                "scope_unit",
            )
        )
    if role == Role.ASSOCIATION_OFFICER and association_id is None:
        problems.append(
            Problem(
                "users_association_required",
                _("An association officer needs an association."),
                "scope_association",
            )
        )
    if role != Role.ASSOCIATION_OFFICER and association_id is not None:
        problems.append(
            Problem(
                "users_association_only_for_officers",
                _("Only association officers have an association."),
                "scope_association",
            )
        )
    return problems


def _password_problems(password: str, user: User) -> list[Problem]:
    try:
        password_validation.validate_password(password, user)
    except ValidationError as error:
        return [Problem("users_password_rule", message, "password") for message in error.messages]
    return []


def user_create(
    *,
    actor,
    username: str,
    full_name: str,
    role: str,
    scope_unit: OrganisationUnit | None,
    password: str,
    scope_association_id: int | None = None,
    email: str = "",
    phone: str = "",
    language: str = "",
) -> User:
    if actor is not None:
        access.require(actor, Capability.MANAGE_USERS)
        if scope_unit is not None:
            access.require_unit(actor, scope_unit)
    username = (username or "").strip().lower()
    problems = []
    if not re.fullmatch(USERNAME_PATTERN, username):
        problems.append(
            Problem(
                "users_username_format",
                _(
                    "A username has 3 to 40 lower-case letters, digits, dots, dashes or underscores."
                ),
                "username",
            )
        )
    elif User.objects.filter(username=username).exists():
        problems.append(
            Problem(
                "users_username_taken",
                _("The username %(u)s is taken.") % {"u": username},
                "username",
            )
        )
    problems += _scope_problems(role, scope_unit, scope_association_id)
    user = User(
        username=username,
        full_name=(full_name or "").strip()[:120],
        role=role,
        scope_unit=scope_unit,
        scope_association_id=scope_association_id,
        email=email,
        phone=phone,
        language=language,
    )
    problems += _password_problems(password, user)
    if problems:
        raise DomainError.of(problems)
    with transaction.atomic():
        user.set_password(password)
        user.save()
    return user


def user_update(
    *,
    actor,
    user: User,
    full_name: str,
    role: str,
    scope_unit: OrganisationUnit | None,
    scope_association_id: int | None,
    is_active: bool,
    email: str = "",
    phone: str = "",
) -> User:
    access.require(actor, Capability.MANAGE_USERS)
    if user.scope_unit_id:
        access.require_unit(actor, user.scope_unit)
    if scope_unit is not None:
        access.require_unit(actor, scope_unit)
    problems = _scope_problems(role, scope_unit, scope_association_id)
    if user.pk == actor.pk and not is_active:
        problems.append(
            Problem(
                "users_cannot_deactivate_self", _("You cannot deactivate yourself."), "is_active"
            )
        )
    if problems:
        raise DomainError.of(problems)
    with transaction.atomic():
        user.full_name, user.role, user.scope_unit = (
            (full_name or "").strip()[:120],
            role,
            scope_unit,
        )
        user.scope_association_id, user.is_active = scope_association_id, is_active
        user.email, user.phone = email, phone
        user.save()
    return user


def user_set_password(*, actor, user: User, password: str) -> User:
    if actor.pk != user.pk:
        access.require(actor, Capability.MANAGE_USERS)
        access.require_unit(actor, user.scope_unit)
    problems = _password_problems(password, user)
    if problems:
        raise DomainError.of(problems)
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
    return user


def user_set_language(*, user: User, language: str) -> None:
    if language in ("vi", "en", "hi") and user.language != language:
        User.objects.filter(pk=user.pk).update(language=language)


def role_policy_set(*, actor, role: str, two_factor_required: bool) -> RolePolicy:
    access.require(actor, Capability.MANAGE_USERS)
    if role not in Role.values:
        raise DomainError("users_role_unknown", _("Choose a role."), "role")
    with transaction.atomic():
        policy, _created = RolePolicy.objects.get_or_create(role=role)
        policy.two_factor_required = two_factor_required
        policy.save()
    return policy


def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Make a personal API token; the clear token is returned once and never stored."""
    name = (name or "").strip()
    if not name or len(name) > 60:
        raise DomainError(
            "users_token_name", _("Give the token a name of at most 60 characters."), "name"
        )
    token = "pl_" + secrets.token_urlsafe(32)
    with transaction.atomic():
        record = ApiToken.objects.create(
            user=user,
            name=name,
            prefix=token[:8],
            token_hash=hashlib.sha256(token.encode()).hexdigest(),
        )
    return record, token


def api_token_revoke(*, user: User, token_id: int) -> None:
    """Revoke one of the user's own tokens; another person's token is "not found"."""
    revoked = ApiToken.objects.filter(pk=token_id, user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if revoked != 1:
        raise NotFound("not_found", _("No such token."))


def api_token_authenticate(token: str) -> User | None:
    digest = hashlib.sha256((token or "").encode()).hexdigest()
    record = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=digest, revoked_at__isnull=True)
        .first()
    )
    if record is None or not record.user.is_active:
        return None
    ApiToken.objects.filter(pk=record.pk).update(last_used_at=timezone.now())
    return record.user
