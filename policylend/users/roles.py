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
    # Entrusted associations (issue 3).
    MANAGE_ASSOCIATIONS = "manage_associations"
    PROPOSE_TERMS_CHANGE = "propose_terms_change"
    APPROVE_TERMS_CHANGE = "approve_terms_change"
    RECORD_INSPECTIONS = "record_inspections"

    # Savings-and-loan groups (issue 3).
    VIEW_GROUPS = "view_groups"
    MANAGE_GROUPS = "manage_groups"
    RECORD_GROUP_MEETINGS = "record_group_meetings"

    # Loading registers from an Excel workbook (issue 3); each row is still written by the
    # register's own service, which checks its own capability.
    IMPORT_REGISTERS = "import_registers"

    # Households (issue 3).
    VIEW_HOUSEHOLDS = "view_households"
    MANAGE_HOUSEHOLDS = "manage_households"

    # Loan programmes and loans (issue 4).
    VIEW_PROGRAMMES = "view_programmes"
    PROPOSE_PROGRAMME_TERMS = "propose_programme_terms"
    APPROVE_PROGRAMME_TERMS = "approve_programme_terms"
    VIEW_LOANS = "view_loans"
    RECORD_LOAN_APPLICATIONS = "record_loan_applications"
    RECORD_LOAN_REVIEWS = "record_loan_reviews"
    PROPOSE_LOAN_DECISIONS = "propose_loan_decisions"
    APPROVE_LOAN_DECISIONS = "approve_loan_decisions"
    DISBURSE_LOANS = "disburse_loans"
    COLLECT_REPAYMENTS = "collect_repayments"
    RUN_LOAN_JOBS = "run_loan_jobs"

    # Member savings (issue 5, app savings).
    VIEW_SAVINGS = "view_savings"
    OPEN_SAVINGS_ACCOUNTS = "open_savings_accounts"
    RECORD_SAVINGS = "record_savings"
    RUN_SAVINGS_JOBS = "run_savings_jobs"

    # Transaction sessions (issue 5, app transaction_sessions).
    VIEW_DUE_LISTS = "view_due_lists"
    MANAGE_SESSION_CALENDAR = "manage_session_calendar"
    MANAGE_PUBLIC_HOLIDAYS = "manage_public_holidays"
    # The session day itself (issue 5): open, sheets, cash book, closing, minutes.
    VIEW_SESSIONS = "view_sessions"
    RUN_SESSIONS = "run_sessions"
    POST_COLLECTION_SHEETS = "post_collection_sheets"
    CHECK_SESSION_CLOSING = "check_session_closing"
    RECORD_BRIEFING_MINUTES = "record_briefing_minutes"

    # Group commissions and entrustment fees (issue 5, app fees).
    VIEW_FEES = "view_fees"
    PAY_FEES = "pay_fees"
    PROPOSE_COMMISSION_TERMS = "propose_commission_terms"
    APPROVE_COMMISSION_TERMS = "approve_commission_terms"


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

# Entrusted associations (issue 3): the system administrator sets up association units and
# contracts; branch staff and credit officers propose a change of a contract's fee terms, which a
# branch manager or controller checks; association officers record their inspections.
_ASSOCIATION_GRANTS: dict[str, set[Capability]] = {
    Role.SYSTEM_ADMIN: {C.MANAGE_ASSOCIATIONS},
    Role.BRANCH_STAFF: {C.PROPOSE_TERMS_CHANGE},
    Role.CREDIT_OFFICER: {C.PROPOSE_TERMS_CHANGE},
    Role.BRANCH_MANAGER: {C.APPROVE_TERMS_CHANGE},
    Role.CONTROLLER: {C.APPROVE_TERMS_CHANGE},
    Role.ASSOCIATION_OFFICER: {C.RECORD_INSPECTIONS},
}
for _role, _granted in _ASSOCIATION_GRANTS.items():
    ROLE_CAPABILITIES[_role] = ROLE_CAPABILITIES[_role] | _granted

# Savings-and-loan groups (issue 3): every role but the system administrator reads the groups in
# its scope (association officers only their association's groups; a group's page names its
# members); branch staff and credit officers found groups and change their members and boards;
# association officers, entrusted with having groups hold their meetings, also record meetings.
_GROUP_GRANTS: dict[str, set[Capability]] = {
    role: {C.VIEW_GROUPS} for role in ROLE_CAPABILITIES if role != Role.SYSTEM_ADMIN
}
_GROUP_GRANTS[Role.BRANCH_STAFF] |= {C.MANAGE_GROUPS, C.RECORD_GROUP_MEETINGS}
_GROUP_GRANTS[Role.CREDIT_OFFICER] |= {C.MANAGE_GROUPS, C.RECORD_GROUP_MEETINGS}
_GROUP_GRANTS[Role.ASSOCIATION_OFFICER] |= {C.RECORD_GROUP_MEETINGS}
for _role, _granted in _GROUP_GRANTS.items():
    ROLE_CAPABILITIES[_role] = ROLE_CAPABILITIES[_role] | _granted

# Imports (issue 3): the staff who keep the registers load them from a workbook.
for _role in (Role.BRANCH_STAFF, Role.CREDIT_OFFICER):
    ROLE_CAPABILITIES[_role] = ROLE_CAPABILITIES[_role] | {C.IMPORT_REGISTERS}

# Households (issue 3): the bank's staff, association officers (who list applicants and form
# groups) and auditors read the households in their scope; branch staff and credit officers keep
# the register. Group leaders, Boards of Representatives and the system administrator do not
# read personal records (Law 91/2025 on personal data: only those who need them).
for _role in (
    Role.BRANCH_MANAGER,
    Role.BRANCH_STAFF,
    Role.CREDIT_OFFICER,
    Role.TELLER,
    Role.CONTROLLER,
    Role.ASSOCIATION_OFFICER,
    Role.AUDITOR,
):
    ROLE_CAPABILITIES[_role] = ROLE_CAPABILITIES[_role] | {C.VIEW_HOUSEHOLDS}
for _role in (Role.BRANCH_STAFF, Role.CREDIT_OFFICER):
    ROLE_CAPABILITIES[_role] = ROLE_CAPABILITIES[_role] | {C.MANAGE_HOUSEHOLDS}

# Loans (issue 4). Everybody but the system administrator reads programmes; the bank's staff,
# association officers and auditors read loans in their scope (group leaders see their group's
# loans from issue 5 on). Credit officers and branch staff record applications and propose
# decisions (approval, rescheduling, extension, risk handling, reversals); association officers
# record their association's review; controllers and managers check; tellers disburse and collect.
_LOAN_GRANTS: dict[str, set[Capability]] = {
    role: {C.VIEW_PROGRAMMES} for role in ROLE_CAPABILITIES if role != Role.SYSTEM_ADMIN
}
for _role in (
    Role.BRANCH_MANAGER,
    Role.BRANCH_STAFF,
    Role.CREDIT_OFFICER,
    Role.TELLER,
    Role.CONTROLLER,
    Role.ASSOCIATION_OFFICER,
    Role.AUDITOR,
):
    _LOAN_GRANTS[_role] |= {C.VIEW_LOANS}
for _role in (Role.BRANCH_STAFF, Role.CREDIT_OFFICER):
    _LOAN_GRANTS[_role] |= {
        C.RECORD_LOAN_APPLICATIONS,
        C.RECORD_LOAN_REVIEWS,
        C.PROPOSE_LOAN_DECISIONS,
        C.RUN_LOAN_JOBS,
    }
_LOAN_GRANTS[Role.BRANCH_STAFF] |= {C.PROPOSE_PROGRAMME_TERMS}
_LOAN_GRANTS[Role.ASSOCIATION_OFFICER] |= {C.RECORD_LOAN_REVIEWS}
_LOAN_GRANTS[Role.BRANCH_MANAGER] |= {C.APPROVE_LOAN_DECISIONS, C.APPROVE_PROGRAMME_TERMS}
_LOAN_GRANTS[Role.CONTROLLER] |= {C.APPROVE_LOAN_DECISIONS, C.RUN_LOAN_JOBS}
_LOAN_GRANTS[Role.TELLER] |= {C.DISBURSE_LOANS, C.COLLECT_REPAYMENTS}
for _role, _granted in _LOAN_GRANTS.items():
    ROLE_CAPABILITIES[_role] = ROLE_CAPABILITIES[_role] | _granted

# Member savings (issue 5): the bank's staff, association officers and auditors read the savings
# accounts in their scope; credit officers, branch staff and tellers open accounts; tellers take
# deposits, pay withdrawals and close accounts; credit officers, branch staff and controllers run
# the half-year interest crediting. Reversals go through maker–checker like a loan's.
_SAVINGS_GRANTS: dict[str, set[Capability]] = {
    Role.BRANCH_MANAGER: {C.VIEW_SAVINGS},
    Role.BRANCH_STAFF: {C.VIEW_SAVINGS, C.OPEN_SAVINGS_ACCOUNTS, C.RUN_SAVINGS_JOBS},
    Role.CREDIT_OFFICER: {C.VIEW_SAVINGS, C.OPEN_SAVINGS_ACCOUNTS, C.RUN_SAVINGS_JOBS},
    Role.TELLER: {C.VIEW_SAVINGS, C.OPEN_SAVINGS_ACCOUNTS, C.RECORD_SAVINGS},
    Role.CONTROLLER: {C.VIEW_SAVINGS, C.RUN_SAVINGS_JOBS},
    Role.ASSOCIATION_OFFICER: {C.VIEW_SAVINGS},
    Role.AUDITOR: {C.VIEW_SAVINGS},
}
for _role, _granted in _SAVINGS_GRANTS.items():
    ROLE_CAPABILITIES[_role] = ROLE_CAPABILITIES[_role] | _granted

# Transaction sessions (issue 5): whoever works at the session or checks it reads the due lists
# in their scope, and a group leader those of the group they lead (access.led_group_ids); branch
# staff and credit officers move a session from its fixed day (with a reason); branch staff and
# the system administrator keep the list of public holidays.
_SESSION_GRANTS: dict[str, set[Capability]] = {
    role: {C.VIEW_DUE_LISTS}
    for role in (
        Role.BRANCH_MANAGER,
        Role.BRANCH_STAFF,
        Role.CREDIT_OFFICER,
        Role.TELLER,
        Role.CONTROLLER,
        Role.ASSOCIATION_OFFICER,
        Role.GROUP_LEADER,
        Role.AUDITOR,
    )
}
_SESSION_GRANTS[Role.BRANCH_STAFF] |= {C.MANAGE_SESSION_CALENDAR, C.MANAGE_PUBLIC_HOLIDAYS}
_SESSION_GRANTS[Role.CREDIT_OFFICER] |= {C.MANAGE_SESSION_CALENDAR}
_SESSION_GRANTS[Role.SYSTEM_ADMIN] = {C.MANAGE_PUBLIC_HOLIDAYS}
# The session day: everyone who reads due lists (but group leaders) sees the sessions; the
# teller and the credit officer open one, post the sheets and pay out; the controller checks the
# closing (never the one who asked for it: maker–checker); the credit officer keeps the minutes.
for _role in (
    Role.BRANCH_MANAGER,
    Role.BRANCH_STAFF,
    Role.CREDIT_OFFICER,
    Role.TELLER,
    Role.CONTROLLER,
    Role.ASSOCIATION_OFFICER,
    Role.AUDITOR,
):
    _SESSION_GRANTS[_role] |= {C.VIEW_SESSIONS, C.VIEW_FEES}
_SESSION_GRANTS[Role.TELLER] |= {C.RUN_SESSIONS, C.POST_COLLECTION_SHEETS, C.PAY_FEES}
_SESSION_GRANTS[Role.CREDIT_OFFICER] |= {
    C.RUN_SESSIONS,
    C.POST_COLLECTION_SHEETS,
    C.RECORD_BRIEFING_MINUTES,
    C.PROPOSE_COMMISSION_TERMS,
}
_SESSION_GRANTS[Role.CONTROLLER] |= {C.CHECK_SESSION_CLOSING}
_SESSION_GRANTS[Role.BRANCH_STAFF] |= {C.PROPOSE_COMMISSION_TERMS}
_SESSION_GRANTS[Role.BRANCH_MANAGER] |= {C.APPROVE_COMMISSION_TERMS, C.CHECK_SESSION_CLOSING}
for _role, _granted in _SESSION_GRANTS.items():
    ROLE_CAPABILITIES[_role] = ROLE_CAPABILITIES[_role] | _granted

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
