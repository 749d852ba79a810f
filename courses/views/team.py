"""A line manager's view of their reporting line's training."""

from django.shortcuts import render
from django.urls import path

from courses.selectors.approvals import TEAM_VIEWS, team_training
from skills.views.access import person_required


@person_required
def team_training_view(request):
    """The bookings of everyone in the viewer's reporting line, in four views (booked, waiting for approval,
    on a waiting list, completed recently), 50 a page. Only the viewer's own line is ever shown."""
    view = request.GET.get("show")
    if view not in TEAM_VIEWS:
        view = "upcoming"
    person = request.person
    page, counts = team_training(manager=person, view=view, page_number=request.GET.get("page"))
    tabs = [(name, label, counts[name], name == view) for name, label in TEAM_VIEWS.items()]
    return render(
        request,
        "courses/team_training.html",
        {
            "page_obj": page,
            "tabs": tabs,
            "view": view,
            "view_label": TEAM_VIEWS[view],
            "is_manager": person.has_direct_reports,
        },
    )


urlpatterns = [path("team/", team_training_view, name="team-training")]
