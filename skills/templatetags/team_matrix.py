"""The team page's repeated parts as HTML. A matrix page holds thousands of cells (50 people by a hundred or more
skills), its cards hundreds of gaps and its filters hundreds of options, and Django's template language costs a few
microseconds a variable (format_html a few more an item), which made them most of the page's time. Each cell's
words and colour are worked out once by `skills.selectors.team.team_matrix`; here the rows, the cards and the
options are written in one pass each, every name escaped as the template would (Django's `escape` is the standard
library's `html.escape`, called here without its lazy-string wrapper), and each distinct
cell (a few dozen kinds: a required level, a validated level, met or not) escaped only once. The page's content
around them, the filters and the results' heading, is written here too (`team_html`).
docs/decisions/0203, 0207 and 0225."""

from functools import lru_cache
from html import escape
from itertools import pairwise

from django.template import Library
from django.template.loader import render_to_string
from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe

from frameworks.templatetags.fixed_urls import fixed_reverse
from skills.filters import TeamFilterSet
from skills.selectors.external_certifications import EXPIRING_WITHIN_DAYS
from skills.selectors.team import FrozenChoices, TeamMatrix
from skills.templatetags.next_actions import address, plural

register = Library()

# A matrix cell is styled as a table cell by `.capability-matrix td` (frontend/scss/components/_skills.scss), not by
# a class on each of its thousands of cells. A skill the person's role level does not require is a blank cell, as
# the page's key says (the table's description, so a screen reader's "blank" is explained): most of a page's cells
# are such, and a hidden "Not required" in each was 60% of its HTML (decision 0222).
NOT_REQUIRED = "<td></td>"


@lru_cache(maxsize=1024)
def _cell_html(required: str, validated: str, gap: bool, css_class: str) -> str:
    if not required:
        return NOT_REQUIRED
    needs = f'<br><span class="govuk-body-s">needs {escape(required)}</span>' if gap else ""
    return (
        f'<td class="{escape(css_class.strip())}">{escape(validated or "None")}'
        f'<span class="govuk-visually-hidden"> validated, {escape(required)} required</span>{needs}</td>'
    )


def _row_cells(row, runs: dict) -> str:
    """The `<td>` cells of one row of the team matrix (`skills.selectors.team.TeamRow`): the columns the person's
    role level requires, between runs of columns it does not, each run written once per role level on the page
    (`runs`, shared by the page's rows: {required columns: the runs before, between and after them})."""
    between = runs.get(row.required_at)
    if between is None:
        bounds = (-1, *row.required_at, len(row.cells))
        between = runs[row.required_at] = [NOT_REQUIRED * (end - start - 1) for start, end in pairwise(bounds)]
    parts = [between[0]]
    for index, run in zip(row.required_at, between[1:], strict=True):
        cell = row.cells[index]
        parts.append(_cell_html(cell.required, cell.validated, bool(cell.gap), cell.css_class))
        parts.append(run)
    return "".join(parts)


def _readiness(row) -> str:
    return f"{row.readiness}%" if row.readiness is not None else "–"


@register.simple_tag
def matrix_head(matrix) -> str:
    """The header cells of the matrix's skill columns."""
    return mark_safe(  # noqa: S308 - every name is escaped
        "".join(
            f'<th scope="col" class="govuk-table__header capability-matrix__skill">{escape(name)}</th>'
            for _code, name in matrix.skills
        )
    )


@register.simple_tag
def matrix_rows(matrix, team_url: str) -> str:
    """The matrix's body rows: the person (a link to their page, and their role level), their readiness and a
    cell per skill column. `team_url` is the team page's URL; a member's page is `<team_url><id>/`."""
    base = escape(team_url)
    runs: dict = {}
    return mark_safe(  # noqa: S308 - every name is escaped
        "".join(
            f'<tr class="govuk-table__row"><th scope="row" class="govuk-table__header capability-matrix__person">'
            f'<a class="govuk-link" href="{base}{row.person_id}/">{escape(row.name)}</a><br>'
            f'<span class="govuk-body-s">{escape(row.role_level or "No role level")}</span></th>'
            f"<td>{_readiness(row)}</td>{_row_cells(row, runs)}</tr>"
            for row in matrix.rows
        )
    )


@lru_cache(maxsize=4096)
def _gap_item(skill_name: str, validated: str, required: str) -> str:
    return (
        f"<li><strong>{escape(skill_name)}</strong>: {escape(validated or 'not validated')}, "
        f"needs {escape(required)}</li>"
    )


def _gap_items(row) -> str:
    """A card's gaps: each kind (a skill, the level validated and the level needed) written once per process."""
    return "".join(_gap_item(cell.skill_name, cell.validated, cell.required) for cell in row.gaps)


def _card(row, base: str) -> str:
    if row.readiness is not None:
        plural = "" if row.required_count == 1 else "s"
        readiness = f"{row.readiness}% of {row.required_count} skill{plural}"
    else:
        readiness = "No skills required"
    gaps = f'<ul class="govuk-list">{_gap_items(row)}</ul>' if row.gaps else "None"
    return (
        '<div class="govuk-summary-card"><div class="govuk-summary-card__title-wrapper">'
        f'<h3 class="govuk-summary-card__title"><a class="govuk-link" href="{base}{row.person_id}/">'
        f"{escape(row.name)}</a></h3></div>"
        '<div class="govuk-summary-card__content"><dl class="govuk-summary-list">'
        '<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Role level</dt>'
        f'<dd class="govuk-summary-list__value">{escape(row.role_level or "No role level")}</dd></div>'
        '<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Readiness</dt>'
        f'<dd class="govuk-summary-list__value">{readiness}</dd></div>'
        '<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Gaps</dt>'
        f'<dd class="govuk-summary-list__value">{gaps}</dd></div>'
        "</dl></div></div>"
    )


@register.simple_tag
def team_cards(matrix, team_url: str) -> str:
    """A card per person, for a phone: their name (a link to their page), role level, readiness and gaps."""
    base = escape(team_url)
    return mark_safe("".join(_card(row, base) for row in matrix.rows))  # noqa: S308 - every name is escaped


@register.filter
def select_options(bound_field) -> str:
    """The `<option>` elements of a filter's select, the current value selected. The team's filters offer
    hundreds of options (every skill and role level in a reporting line), too many for a template loop."""
    current = str(bound_field.value() or "")
    choices = bound_field.field.choices
    frozen = getattr(choices, "choices", None)  # the choices django-filter's iterator wraps
    if isinstance(frozen, FrozenChoices):
        # The team's choices, their markup written once for the manager (skills.selectors.team).
        field = bound_field.field
        empty = (
            f'<option value=""{" selected" if current == "" else ""}>{escape(str(field.empty_label))}</option>'
            if field.empty_label is not None
            else ""
        )
        return mark_safe(empty + frozen.options_html(current))  # noqa: S308 - every value and label is escaped
    options = []
    for value, label in bound_field.field.choices:
        value = str(value)
        selected = " selected" if value == current else ""
        options.append(f'<option value="{escape(value)}"{selected}>{escape(str(label))}</option>')
    return mark_safe("".join(options))  # noqa: S308 - every value and label is escaped


def _due_tag(item) -> str:
    """The GOV.UK tag saying whether a certification has expired or when it expires (the markup of the `tag`
    component, written here rather than through its Jinja macro once a row)."""
    if item.is_expired:
        text, colour = "Expired", "red"
    elif item.days_left == 1:
        text, colour = "Expires tomorrow", "orange"
    else:
        text, colour = f"Expires in {escape(item.days_left_text)}", "orange"
    return f'<strong class="govuk-tag govuk-tag--{colour}">\n  {text}\n</strong>'


def _due_row(item, team_url: str) -> str:
    person = (
        f'<td class="govuk-table__cell"><a class="govuk-link" href="{escape(team_url)}{int(item.person_id)}/">'
        f"{escape(item.person_name)}</a></td>"
        if team_url
        else ""
    )
    issuer = escape(item.issuer) if item.is_external else "Capability certificate"
    return (
        f'<tr class="govuk-table__row">{person}'
        f'<td class="govuk-table__cell">{escape(item.title)}<br><span class="govuk-body-s">{issuer}</span></td>'
        f'<td class="govuk-table__cell">{date_format(item.expires_on, "j M Y")}</td>'
        f'<td class="govuk-table__cell">{_due_tag(item)}</td></tr>'
    )


@register.simple_tag
def certifications_due_table(due, team_url: str = "") -> str:
    """The certifications expired or expiring soon (`skills.selectors.external_certifications.certifications_due`),
    as a table: on the team page with each person's name linking to their page under `team_url`, on a gap page
    without. Nothing when there are none. Written in one pass: through the template, each row's tag was a Jinja
    macro call, a tenth of the team page's own time (decision 0225)."""
    if not due:
        return ""
    person = '<th scope="col" class="govuk-table__header">Person</th>' if team_url else ""
    rows = "".join(_due_row(item, team_url) for item in due)
    return mark_safe(  # noqa: S308 - every text in it is escaped above
        '<h2 class="govuk-heading-m" id="certifications-due">Certifications expiring or expired</h2>'
        '<table class="govuk-table"><caption class="govuk-table__caption govuk-visually-hidden">Certifications that '
        f"have expired or expire within {EXPIRING_WITHIN_DAYS} days</caption>"
        f'<thead class="govuk-table__head"><tr class="govuk-table__row">{person}'
        '<th scope="col" class="govuk-table__header">Certification</th>'
        '<th scope="col" class="govuk-table__header">Expires</th>'
        '<th scope="col" class="govuk-table__header">Status</th></tr></thead>'
        f'<tbody class="govuk-table__body">{rows}</tbody></table>'
    )


_MATRIX_KEY = (
    '<p class="govuk-body" id="matrix-key">Everyone in your reporting line against the skills their current role level '
    "requires. Each cell shows the validated level; a red cell is below the level required, and a blank cell is a "
    "skill their role level does not require.</p>"
)
# The matrix names its skills in view while they scroll sideways: a cue once there are more than fit a screen.
_CUE_AFTER = 4


def team_html(request, *, matrix: TeamMatrix, filters: TeamFilterSet, has_team: bool) -> SafeString:
    """The team page's content, written in one pass (decision 0225): through the template it was a few hundred
    nodes (the filters' fields, the heading's counts), a sixth of the page's time. Everything people typed (the
    name searched for, the filters' errors) and every name is escaped, as the template's autoescaping did."""
    heading = '<h1 class="govuk-heading-xl">Your team\'s skills</h1>'
    if not has_team:
        return mark_safe(f'{heading}<p class="govuk-body">Nobody reports to you in Capability.</p>')  # noqa: S308
    return mark_safe(  # noqa: S308 - every text in it is escaped
        f"{heading}{_MATRIX_KEY}"
        f'<p class="govuk-body"><a class="govuk-link" href="{address("skills:team-plans")}">Your team\'s development '
        "plans</a>: what each person has agreed to do, and what is overdue.</p>"
        '<p class="govuk-body"><a class="govuk-link" href="'
        f'{address("skills:external-certifications-queue")}">Certifications to confirm</a>: those your team earned '
        "elsewhere and asked you to confirm.</p>"
        f"{_filters_html(filters)}{_results_html(request, matrix, filtered=filters.active)}"
    )


def _filters_html(filters: TeamFilterSet) -> str:
    form = filters.form
    errors = render_to_string("includes/error_summary.html", {"form": form}) if form.errors else ""
    name = form["name"].value()
    fields = "".join(_select_html(field) for field in form if field.name not in ("name", "gaps"))
    checked = " checked" if form["gaps"].value() else ""
    clear = f'<a class="govuk-link" href="{address("skills:team")}">Clear filters</a>' if filters.active else ""
    return (
        f'<form method="get" action="" class="capability-filters" novalidate>{errors}'
        '<h2 class="govuk-heading-m">Filter</h2><div class="capability-filters__fields"><div class="govuk-form-group">'
        '<label class="govuk-label govuk-label--s" for="id_name">Name</label>'
        f'<input class="govuk-input" id="id_name" name="name" type="search" value="{escape(str(name or ""))}" '
        'autocomplete="off" spellcheck="false"></div>'
        f"{fields}</div>"
        '<div class="govuk-form-group"><div class="govuk-checkboxes govuk-checkboxes--small" '
        'data-module="govuk-checkboxes"><div class="govuk-checkboxes__item">'
        f'<input class="govuk-checkboxes__input" id="id_gaps" name="gaps" type="checkbox" value="true"{checked}>'
        '<label class="govuk-label govuk-checkboxes__label" for="id_gaps">Only people with gaps</label>'
        "</div></div></div>"
        '<div class="govuk-button-group"><button type="submit" class="govuk-button govuk-button--secondary" '
        f'data-module="govuk-button">Apply filters</button>{clear}</div></form>'
    )


def _select_html(field) -> str:
    """One filter's select, with its label and errors, as the GOV.UK select component marks them up."""
    name = escape(field.name)
    errors = field.errors
    error_group, error_select, described = (
        (" govuk-form-group--error", " govuk-select--error", f' aria-describedby="id_{name}-error"')
        if errors
        else ("", "", "")
    )
    messages = "".join(
        f'<p class="govuk-error-message" id="id_{name}-error"><span class="govuk-visually-hidden">Error:</span> '
        f"{escape(str(error))}</p>"
        for error in errors
    )
    return (
        f'<div class="govuk-form-group{error_group}">'
        f'<label class="govuk-label govuk-label--s" for="id_{name}">{escape(str(field.label))}</label>{messages}'
        f'<select class="govuk-select{error_select}" id="id_{name}" name="{name}"{described}>'
        f"{select_options(field)}</select></div>"
    )


def _results_html(request, matrix: TeamMatrix, *, filtered: bool) -> str:
    page = matrix.page
    count = page.paginator.count
    people = plural(count, "person", "people")
    match = plural(count, " matches", " match") if filtered else ""
    showing = f", showing {page.start_index()} to {page.end_index()}" if page.paginator.num_pages > 1 else ""
    heading = f'<h2 class="govuk-heading-m" id="team-results">{count} {people}{match}{showing}</h2>'
    if not matrix.rows:
        return (
            f'{heading}<p class="govuk-body">Nobody in your team matches these filters. <a class="govuk-link" '
            f'href="{address("skills:team")}">Clear the filters</a> to see everyone.</p>'
        )
    # A member's page is team/<id>/: one address for the page, not two a row.
    team_url = fixed_reverse("skills:team")
    many = len(matrix.skills) > _CUE_AFTER
    cue = (
        f'<p class="govuk-body capability-scroll-cue" id="matrix-cue">{len(matrix.skills)} skills. The names stay in '
        "view: scroll the table sideways to see every skill.</p>"
        if many
        else ""
    )
    return (
        # On a phone: a card per person, leading with what decides, their gaps.
        f'{heading}<div class="capability-team-cards">{team_cards(matrix, team_url)}</div>'
        # From a tablet up: the matrix, its person column kept in view while the skills scroll. Each cell's words and
        # colour come worked out from skills.selectors.team.team_matrix (decision 0207).
        f'<div class="capability-team-matrix">{cue}'
        '<div class="capability-table-scroll capability-table-scroll--cue" role="region" '
        f'aria-label="Team skills matrix" tabindex="0" aria-describedby="matrix-key{" matrix-cue" if many else ""}">'
        '<table class="govuk-table capability-matrix"><thead class="govuk-table__head"><tr class="govuk-table__row">'
        '<th scope="col" class="govuk-table__header capability-matrix__person">Person</th>'
        f'<th scope="col" class="govuk-table__header">Readiness</th>{matrix_head(matrix)}</tr></thead>'
        f'<tbody class="govuk-table__body">{matrix_rows(matrix, team_url)}</tbody></table></div></div>'
        f"{certifications_due_table(matrix.certifications, team_url)}{_pagination_html(request, page)}"
    )


def _pagination_html(request, page) -> str:
    """The pages' links, kept with the rest of the query string (the shared `pagination` tag); none for one page."""
    if not page.has_other_pages():
        return ""
    return render_to_string("includes/pagination.html", {"page_obj": page, "request": request})
