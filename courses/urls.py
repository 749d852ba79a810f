"""The courses app's own pages, under /training/ (the catalogue itself is Wagtail's, at /courses/). Each area's
routes live beside its views; this file lists the areas."""

from django.urls import path

from courses.views import approvals, bookings, calendar, completions, effectiveness, evaluations, interest, team

app_name = "courses"

urlpatterns: list = [
    *bookings.urlpatterns,
    *calendar.urlpatterns,
    *approvals.urlpatterns,
    *team.urlpatterns,
    # Evaluations and effectiveness (reports helper)
    path("bookings/<int:booking_id>/evaluation/", evaluations.booking_evaluation, name="booking-evaluation"),
    path(
        "completions/<int:completion_id>/evaluation/", evaluations.completion_evaluation, name="completion-evaluation"
    ),
    path("team/effectiveness/", effectiveness.team_effectiveness, name="team-effectiveness"),
    path("interest/", interest.interest, name="interest"),
    path("interest/<int:interest_id>/withdraw/", interest.interest_withdraw_view, name="interest-withdraw"),
    # Self-paced completions: the learner's record, confirmed by their line manager.
    path("courses/<int:page_id>/completed/", completions.completion_record_view, name="completion-record"),
    path("completions/<int:completion_id>/", completions.completion_view, name="completion"),
]
