"""The courses app's own pages, under /training/ (the catalogue itself is Wagtail's, at /courses/). Each area's
routes live beside its views; this file lists the areas."""

from django.urls import path

from courses.views import interest

app_name = "courses"

urlpatterns: list = [
    path("interest/", interest.interest, name="interest"),
    path("interest/<int:interest_id>/withdraw/", interest.interest_withdraw_view, name="interest-withdraw"),
]
