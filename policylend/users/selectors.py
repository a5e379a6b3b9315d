from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from policylend.core.errors import NotFound

from . import access
from .models import RolePolicy, User
from .roles import Capability


def two_factor_required_for(user) -> bool:
    return RolePolicy.objects.filter(role=user.role, two_factor_required=True).exists()


def user_list(
    viewer, *, role: str | None = None, search: str = "", active: bool | None = None
) -> QuerySet[User]:
    """Users whose scope lies inside the viewer's scope (an administrator manages their branch)."""
    access.require(viewer, Capability.MANAGE_USERS)
    users = User.objects.filter(access.unit_q(viewer, "scope_unit")).select_related(
        "scope_unit", "scope_association"
    )
    if role:
        users = users.filter(role=role)
    if active is not None:
        users = users.filter(is_active=active)
    if search:
        users = users.filter(Q(username__icontains=search) | Q(full_name__icontains=search))
    return users


def user_get(viewer, user_id: int) -> User:
    user = user_list(viewer).filter(pk=user_id).first()
    if user is None:
        raise NotFound("not_found", _("No such user in your scope."))
    return user


def role_policies() -> dict[str, bool]:
    return dict(RolePolicy.objects.values_list("role", "two_factor_required"))


# The registers whose changes the audit page lists: (content type "app.model", label).
AUDITED_MODELS = [
    ("organisation.organisationunit", _("Organisation units")),
    ("organisation.transactionpoint", _("Transaction points")),
    ("users.user", _("Users")),
    ("users.rolepolicy", _("Role policies")),
    ("ledger.account", _("Chart of accounts")),
    ("associations.associationunit", _("Association units")),
    ("associations.entrustmentcontract", _("Entrustment contracts")),
    ("associations.entrustmentterms", _("Entrustment terms")),
    ("associations.inspection", _("Inspections")),
    ("households.household", _("Households")),
    ("households.person", _("Household members")),
    ("households.classification", _("Certified classifications")),
    ("groups.savingsgroup", _("Savings-and-loan groups")),
    ("groups.groupmembership", _("Group memberships")),
    ("groups.boardterm", _("Group boards")),
]


def audit_entries(viewer, *, model: str | None = None, actor: str = ""):
    """Audit records of changes inside the viewer's scope (each record keeps the unit's path)."""
    from auditlog.models import LogEntry

    access.require(viewer, Capability.VIEW_AUDIT)
    entries = LogEntry.objects.select_related("actor", "content_type").order_by("-timestamp", "-id")
    scope = access.scope_of(viewer)
    if not scope.everything:
        entries = entries.filter(
            Q(additional_data__unit_path__startswith=scope.path) | Q(additional_data__unit_path="")
        )
    if model and "." in model:
        app_label, model_name = model.split(".", 1)
        entries = entries.filter(content_type__app_label=app_label, content_type__model=model_name)
    if actor:
        entries = entries.filter(actor__username__icontains=actor)
    return entries
