"""A manager's view of whether training closed their team's gaps: the training effectiveness figures for the
people in their reporting line only, small groups suppressed as in the administrators' report."""

from django.core.paginator import Paginator
from django.shortcuts import render

from courses.selectors.effectiveness import effectiveness_report
from courses.selectors.reports import small_group_threshold
from skills.selectors import reporting_line
from skills.views.access import person_required

PAGE_SIZE = 50


@person_required
def team_effectiveness(request):
    """Seven queries in all (sign-in, person, the report's four), whatever the team's size."""
    person = request.person
    rows = effectiveness_report(people=reporting_line(manager_id=person.pk)) if person.has_direct_reports else []
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "courses/team_effectiveness.html",
        {"page": page, "has_team": person.has_direct_reports, "threshold": small_group_threshold()},
    )
