"""What other apps add under a gap row (see `skills.views.profile.GAP_RECOMMENDATIONS_HOOK`)."""

from django import template

register = template.Library()


@register.filter
def extra_for(extras, skill_code):
    """The html added under the row of `skill_code`, or nothing (also when the page has no extras at all)."""
    return extras.get(skill_code, "") if extras else ""
