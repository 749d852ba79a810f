"""The manager's team matrix."""

from django.shortcuts import render

from frameworks import page_cache
from skills.filters import TeamFilterSet
from skills.selectors.people import team_people
from skills.selectors.team import person_for_team_pages, team_filter_choices, team_matrix
from skills.templatetags.team_matrix import team_html
from skills.views.access import person_required


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
