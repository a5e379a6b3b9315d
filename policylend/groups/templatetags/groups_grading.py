"""``{% group_grades group %}``: the latest monthly grades on a group's page."""

from django import template

from ..selectors_grading import grades_of_group

register = template.Library()


@register.inclusion_tag("groups/grading_recent.html")
def group_grades(group):
    """The group's last twelve grades; the group was read through a scoped selector."""
    return {"group": group, "grades": grades_of_group(group)}
