"""The team page's repeated parts as HTML. A matrix page holds thousands of cells (50 people by a hundred or more
skills), its cards hundreds of gaps and its filters hundreds of options, and Django's template language costs a few
microseconds an item, which made them most of the page's time. Each cell's words and colour are worked out once by
`skills.selectors.team_matrix`; here a row's cells are joined, and each distinct cell (a few dozen kinds: a
required level, a validated level, met or not) is escaped only once."""

from functools import lru_cache

from django.template import Library
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

register = Library()

NOT_REQUIRED = '<td class="govuk-table__cell"><span class="govuk-visually-hidden">Not required</span></td>'


@lru_cache(maxsize=1024)
def _cell_html(required: str, validated: str, gap: bool, css_class: str) -> str:
    if not required:
        return NOT_REQUIRED
    needs = format_html('<br><span class="govuk-body-s">needs {}</span>', required) if gap else ""
    return format_html(
        '<td class="govuk-table__cell{}">{}<span class="govuk-visually-hidden"> validated, {} required</span>{}</td>',
        css_class,
        validated or "None",
        required,
        needs,
    )


@register.filter
def matrix_cells(row) -> str:
    """The `<td>` cells of one row of the team matrix (`skills.selectors.TeamRow`)."""
    return mark_safe(  # noqa: S308 - every part is escaped by format_html in _cell_html
        "".join(_cell_html(cell.required, cell.validated, bool(cell.gap), cell.css_class) for cell in row.cells)
    )


@register.filter
def select_options(bound_field) -> str:
    """The `<option>` elements of a filter's select, the current value selected. The team's filters offer
    hundreds of options (every skill and role level in a reporting line), too many for a template loop."""
    current = str(bound_field.value() or "")
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((value, " selected" if str(value) == current else "", label) for value, label in bound_field.field.choices),
    )


@register.filter
def gap_items(row) -> str:
    """The `<li>` items of one person's gaps, for the card that stands for their row on a phone."""
    return format_html_join(
        "",
        "<li><strong>{}</strong>: {}, needs {}</li>",
        ((cell.skill_name, cell.validated or "not validated", cell.required) for cell in row.gaps),
    )
