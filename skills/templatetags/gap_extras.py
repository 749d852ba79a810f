"""What other apps add under a gap row (see `skills.views.profile.GAP_RECOMMENDATIONS_HOOK`)."""

from html import escape

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


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


@register.simple_tag
def gap_rows(analysis, extras, history_base):
    """The rows of a gap table, written in one pass rather than a template loop (a row per required skill, each
    with what other apps add under it): the markup the loop wrote, every value from the database escaped as the
    template would (Django's `escape` is the standard library's `html.escape`), decision 0208, amendment of 7
    December."""
    rows = []
    for row in analysis.rows:
        requirement, current = row.requirement, row.current
        skill = requirement.skill
        name = escape(skill.name)
        if history_base and current:
            name = f'<a class="govuk-link" href="{escape(history_base)}{escape(skill.code)}/">{name}</a>'
        validated = escape(current.validated_level.name) if current and current.validated_level else "Not validated"
        if current and current.needs_revalidation:
            validated += " " + CHECK_AGAIN_TAG
        claimed = escape(current.claimed_level.name) if current and current.claimed_level else "Not claimed"
        rows.append(
            '<tr class="govuk-table__row">\n'
            f'<th scope="row" class="govuk-table__header">{name}</th>\n'
            f'<td class="govuk-table__cell">{gap_tag(row)}</td>\n'
            f'<td class="govuk-table__cell">{escape(requirement.level.name) if requirement.level else "–"}</td>\n'
            f'<td class="govuk-table__cell">{validated}</td>\n'
            f'<td class="govuk-table__cell">{claimed}</td>\n'
            "</tr>"
        )
        extra = extras.get(skill.code) if extras else None
        if extra:
            rows.append(
                '<tr class="govuk-table__row capability-gap-extra">\n'
                f'<td class="govuk-table__cell" colspan="5">{extra}</td>\n'
                "</tr>"
            )
    return mark_safe("\n".join(rows))  # noqa: S308 — every value from the database is escaped; extras are safe
