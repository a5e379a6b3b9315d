"""A household's savings account, shown on the household's page (the households app knows
nothing of savings; its page loads this tag)."""

from django import template

from policylend.users import access
from policylend.users.roles import Capability

from ..models import AccountStatus
from ..selectors import account_list

register = template.Library()


@register.inclusion_tag("savings/household_savings.html", takes_context=True)
def household_savings(context, household):
    user = context["request"].user
    if not access.can(user, Capability.VIEW_SAVINGS):
        return {"visible": False}
    return {
        "visible": True,
        "household": household,
        "account": account_list(user, household_id=household.pk, status=AccountStatus.OPEN).first(),
        "may_open": access.can(user, Capability.OPEN_SAVINGS_ACCOUNTS)
        and household.status == "active",
    }
