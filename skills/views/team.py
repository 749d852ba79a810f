"""The manager's team matrix."""

from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from frameworks import page_cache
from frameworks.templatetags.fixed_urls import fixed_reverse
from skills.filters import TeamFilterSet
from skills.selectors.people import team_people
from skills.selectors.team import TeamMatrix, person_for_team_pages, team_filter_choices, team_matrix
from skills.templatetags.next_actions import address
from skills.templatetags.team_matrix import (
    certifications_due_table,
    matrix_head,
    matrix_rows,
    select_options,
    team_cards,
)
from skills.views.access import person_required

_KEY = (
    '<p class="govuk-body" id="matrix-key">Everyone in your reporting line against the skills their current role level '
    "requires. Each cell shows the validated level; a red cell is below the level required, and a blank cell is a "
    "skill their role level does not require.</p>"
)
# The matrix names its skills in view while they scroll sideways: a cue once there are more than fit a screen.
_CUE_AFTER = 4


@person_required(find=person_for_team_pages)
def team(request):
    """The reporting line's skills matrix, 50 people a page, narrowed by the filters. Only people in the
    viewer's own line are ever shown: the filters and the page number narrow that line, never widen it."""
    manager = request.person
    everyone = team_people(manager=manager)
    choices = team_filter_choices(request, manager=manager, people=everyone)
    filters = TeamFilterSet(request.GET or None, people=everyone, choices=choices)
    people = filters.qs if filters.is_bound else everyone
    matrix = team_matrix(
        people=people,
        page_number=request.GET.get("page"),
        skill_code=filters.chosen_skill,
        # Unfiltered, the page lists the whole line, whose size (and, for most lines, people) come with the choices.
        count=None if filters.active else choices.line_size,
        line=None if filters.active else choices.line,
        framework_version=page_cache.cache_versions(request, page_cache.VERSION_KEY)[page_cache.VERSION_KEY],
    )
    has_team = matrix.page.paginator.count > 0 or (filters.is_bound and everyone.exists())
    return render(
        request,
        "skills/team.html",
        {
            "page_obj": matrix.page,
            "form_has_errors": bool(filters.form.errors),
            "content": team_html(request, matrix=matrix, filters=filters, has_team=has_team),
        },
    )


def team_html(request, *, matrix: TeamMatrix, filters: TeamFilterSet, has_team: bool) -> SafeString:
    """The team page's content, written in one pass (decision 0225): through the template it was a few hundred
    nodes (the filters' fields, the heading's counts), a sixth of the page's time. Everything people typed (the
    name searched for, the filters' errors) and every name is escaped, as the template's autoescaping did."""
    heading = '<h1 class="govuk-heading-xl">Your team\'s skills</h1>'
    if not has_team:
        return mark_safe(f'{heading}<p class="govuk-body">Nobody reports to you in Capability.</p>')  # noqa: S308
    return mark_safe(  # noqa: S308 - every text in it is escaped
        f"{heading}{_KEY}"
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
        f'<input class="govuk-input" id="id_name" name="name" type="search" value="{escape(name or "")}" '
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
        f"{escape(error)}</p>"
        for error in errors
    )
    return (
        f'<div class="govuk-form-group{error_group}">'
        f'<label class="govuk-label govuk-label--s" for="id_{name}">{escape(field.label)}</label>{messages}'
        f'<select class="govuk-select{error_select}" id="id_{name}" name="{name}"{described}>'
        f"{select_options(field)}</select></div>"
    )


def _results_html(request, matrix: TeamMatrix, *, filtered: bool) -> str:
    page = matrix.page
    count = page.paginator.count
    people = "person" if count == 1 else "people"
    match = (" matches" if count == 1 else " match") if filtered else ""
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
