"""The courses app's own pages, under /training/ (the catalogue itself is Wagtail's, at /courses/). Each area's
routes live beside its views; this file lists the areas."""

from django.urls import path

from courses.views import completions

app_name = "courses"

urlpatterns: list = [
    # Self-paced completions: the learner's record, confirmed by their line manager.
    path("courses/<int:page_id>/completed/", completions.completion_record_view, name="completion-record"),
    path("completions/<int:completion_id>/", completions.completion_view, name="completion"),
]
