"""A household's loans, shown on the household's page (the households app knows nothing of
loans; its page loads this tag)."""

from django import template

from policylend.users import access
from policylend.users.roles import Capability

from ..selectors.loans import loan_list

register = template.Library()


@register.inclusion_tag("loans/household_loans.html", takes_context=True)
def household_loans(context, household):
    user = context["request"].user
    if not access.can(user, Capability.VIEW_LOANS):
        return {"visible": False}
    return {
        "visible": True,
        "household": household,
        "loans": list(loan_list(user, household_id=household.pk)[:50]),
        "may_apply": access.can(user, Capability.RECORD_LOAN_APPLICATIONS)
        and household.status == "active",
    }
