"""``{{ user|may:"record_loan_reviews" }}``: whether the user's role has a capability, so the
origination actions offer only what the reader may do (the services check again)."""

from django import template

from policylend.users import access
from policylend.users.roles import Capability

register = template.Library()


@register.filter
def may(user, capability: str) -> bool:
    return access.can(user, Capability(capability))
