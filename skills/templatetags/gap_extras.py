"""What other apps add under a gap row (see `skills.views.profile.GAP_RECOMMENDATIONS_HOOK`)."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()


@register.filter
def extra_for(extras, skill_code):
    """The html added under the row of `skill_code`, or nothing (also when the page has no extras at all)."""
    return extras.get(skill_code, "") if extras else ""


def _tag(text: str, colour: str) -> SafeString:
    """The GOV.UK tag markup `{% gds_component "tag" %}` writes, character for character, without a Jinja macro
    call per row (a gap table has a row per required skill: docs/decisions/0208, amendment of 6 December)."""
    return format_html('\n<strong class="govuk-tag govuk-tag--{}">\n  {}\n</strong>\n', colour, text)


MET_TAG = _tag("Met", "green")
CHECK_AGAIN_TAG = _tag("Check again", "orange")


@register.filter
def gap_tag(row):
    """The gap cell's tag: "Met" in green, or how many levels below in red."""
    return MET_TAG if row.met else _tag(f"{row.gap:d} below", "red")


@register.simple_tag
def check_again_tag():
    """The tag beside a validated level that must be validated again."""
    return CHECK_AGAIN_TAG
