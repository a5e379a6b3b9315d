"""``{{ loan.number|loan_check_code }}``: the code a household types with its contract number on
the public check page."""

from django import template

from ..codes import loan_check_code as code_of

register = template.Library()


@register.filter
def loan_check_code(loan_number) -> str:
    return code_of(str(loan_number)) if loan_number else ""
