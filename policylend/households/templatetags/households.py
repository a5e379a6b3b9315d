"""Template filters of the household pages: a national ID is only ever shown masked."""

from django import template

from ..rules import ethnicity_label, mask_national_id

register = template.Library()


@register.filter
def masked_id(national_id):
    """``{{ person.national_id|masked_id }}`` → ``•••••••• 1234``; blank when there is none."""
    return mask_national_id(national_id)


@register.filter
def ethnicity(code):
    """The name of an ethnic group from its code."""
    return ethnicity_label(code)
