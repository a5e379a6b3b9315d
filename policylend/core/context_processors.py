from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from policylend.users import access
from policylend.users.roles import Capability

# (label, url name, capability needed)
MENU = [
    (_("Home"), "core:home", None),
    (_("Organisation"), "organisation:tree", Capability.VIEW_ORGANISATION),
    (_("Transaction points"), "organisation:point_list", Capability.VIEW_ORGANISATION),
    (_("Households"), "households:list", Capability.VIEW_HOUSEHOLDS),
    (_("Groups"), "groups:list", Capability.VIEW_GROUPS),
    (_("Group grades"), "groups:grading_distribution", Capability.VIEW_GROUPS),
    (_("Loans"), "loans:list", Capability.VIEW_LOANS),
    (_("Savings"), "savings:list", Capability.VIEW_SAVINGS),
    (_("Programmes"), "programmes:list", Capability.VIEW_PROGRAMMES),
    (_("Due lists"), "transaction_sessions:due_list_index", Capability.VIEW_DUE_LISTS),
    (_("Sessions"), "transaction_sessions:session_list", Capability.VIEW_SESSIONS),
    (_("Fees and commissions"), "fees:index", Capability.VIEW_FEES),
    (_("Trial balance"), "ledger:trial_balance", Capability.VIEW_LEDGER),
    (_("Journal"), "ledger:entry_list", Capability.VIEW_LEDGER),
    (_("Periods"), "ledger:period_list", Capability.VIEW_LEDGER),
    (_("Chart of accounts"), "ledger:account_list", Capability.VIEW_LEDGER),
    (_("Associations"), "associations:unit_list", Capability.VIEW_ORGANISATION),
    (_("Import"), "imports:list", Capability.IMPORT_REGISTERS),
    (_("Approvals"), "approvals:list", None),
    (_("Users"), "users:list", Capability.MANAGE_USERS),
    (_("Audit"), "users:audit", Capability.VIEW_AUDIT),
]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    items = []
    for label, name, capability in MENU:
        if capability is None or access.can(user, capability):
            url = reverse(name)
            items.append(
                {
                    "label": label,
                    "url": url,
                    "active": request.path.startswith(url) if url != "/" else request.path == "/",
                }
            )
    from policylend.approvals.selectors import approval_requests_to_check

    return {
        "menu": items,
        "approvals_waiting": approval_requests_to_check(user).count(),
        "viewer_scope": user.scope_unit,
    }
