"""Roles and what each may do (domain.md §11). Pure data: the access module reads it.

A role names a job; a capability names one thing a job may do. The table is the whole policy: a
test prints it into the docs and walks it.
"""

from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    BRANCH_MANAGER = "branch_manager", _("Branch manager")
    BRANCH_STAFF = "branch_staff", _("Branch staff")
    CREDIT_OFFICER = "credit_officer", _("Credit officer")
    TELLER = "teller", _("Teller")
    CONTROLLER = "controller", _("Controller")
    ASSOCIATION_OFFICER = "association_officer", _("Association officer")
    GROUP_LEADER = "group_leader", _("Group leader")
    BOARD_MEMBER = "board_member", _("Board of Representatives member")
    AUDITOR = "auditor", _("Auditor")
    SYSTEM_ADMIN = "system_admin", _("System administrator")


class Capability(StrEnum):
    VIEW_ORGANISATION = "view_organisation"
    MANAGE_ORGANISATION = "manage_organisation"
    MANAGE_USERS = "manage_users"
    VIEW_LEDGER = "view_ledger"
    PROPOSE_JOURNAL_ENTRY = "propose_journal_entry"
    APPROVE_JOURNAL_ENTRY = "approve_journal_entry"
    REQUEST_PERIOD_CLOSE = "request_period_close"
    APPROVE_PERIOD_CLOSE = "approve_period_close"
    VIEW_AUDIT = "view_audit"
    VIEW_NATIONAL_ID = "view_national_id"


C = Capability
_READ = {C.VIEW_ORGANISATION}

ROLE_CAPABILITIES: dict[str, frozenset[Capability]] = {
    Role.BRANCH_MANAGER: frozenset(
        _READ
        | {
            C.VIEW_LEDGER,
            C.APPROVE_JOURNAL_ENTRY,
            C.APPROVE_PERIOD_CLOSE,
            C.VIEW_AUDIT,
            C.VIEW_NATIONAL_ID,
        }
    ),
    Role.BRANCH_STAFF: frozenset(
        _READ | {C.VIEW_LEDGER, C.PROPOSE_JOURNAL_ENTRY, C.REQUEST_PERIOD_CLOSE, C.VIEW_NATIONAL_ID}
    ),
    Role.CREDIT_OFFICER: frozenset(_READ | {C.VIEW_LEDGER, C.VIEW_NATIONAL_ID}),
    Role.TELLER: frozenset(_READ | {C.VIEW_LEDGER, C.PROPOSE_JOURNAL_ENTRY, C.VIEW_NATIONAL_ID}),
    Role.CONTROLLER: frozenset(
        _READ | {C.VIEW_LEDGER, C.APPROVE_JOURNAL_ENTRY, C.VIEW_AUDIT, C.VIEW_NATIONAL_ID}
    ),
    Role.ASSOCIATION_OFFICER: frozenset(_READ),
    Role.GROUP_LEADER: frozenset(_READ),
    Role.BOARD_MEMBER: frozenset(_READ | {C.VIEW_LEDGER}),
    # Auditors read everything in their scope and change nothing.
    Role.AUDITOR: frozenset(_READ | {C.VIEW_LEDGER, C.VIEW_AUDIT, C.VIEW_NATIONAL_ID}),
    Role.SYSTEM_ADMIN: frozenset(_READ | {C.MANAGE_ORGANISATION, C.MANAGE_USERS, C.VIEW_AUDIT}),
}

# The organisation level a role's scope must be at (domain.md §1, §11).
ROLE_SCOPE_KINDS: dict[str, frozenset[str]] = {
    Role.BRANCH_MANAGER: frozenset({"branch"}),
    Role.BRANCH_STAFF: frozenset({"branch"}),
    Role.CREDIT_OFFICER: frozenset({"office"}),
    Role.TELLER: frozenset({"office"}),
    Role.CONTROLLER: frozenset({"office", "branch"}),
    Role.ASSOCIATION_OFFICER: frozenset({"branch", "office", "commune"}),
    Role.GROUP_LEADER: frozenset({"commune", "village"}),
    Role.BOARD_MEMBER: frozenset({"branch", "commune"}),
    Role.AUDITOR: frozenset({"branch", "office"}),
    Role.SYSTEM_ADMIN: frozenset({"branch"}),
}

# Roles that work for the bank and so may be required to use two-factor login by default.
STAFF_ROLES = frozenset(
    {
        Role.BRANCH_MANAGER,
        Role.BRANCH_STAFF,
        Role.CREDIT_OFFICER,
        Role.TELLER,
        Role.CONTROLLER,
        Role.AUDITOR,
        Role.SYSTEM_ADMIN,
    }
)


def capabilities_of(role: str) -> frozenset[Capability]:
    return ROLE_CAPABILITIES.get(role, frozenset())
