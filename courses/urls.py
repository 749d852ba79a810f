"""The courses app's own pages, under /training/ (the catalogue itself is Wagtail's, at /courses/). Each area's
routes live beside its views; this file lists the areas."""

from courses.views import approvals, team

app_name = "courses"

urlpatterns: list = [*approvals.urlpatterns, *team.urlpatterns]
