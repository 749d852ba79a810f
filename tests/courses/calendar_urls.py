"""The project's URLs, with stand-ins for the two courses pages the booking e-mails and invites link to where
this branch has not got them yet (the booking page and the approvals list): the calendar tests need only their
addresses. Where the real pages exist, they are used."""

from django.http import HttpResponse
from django.urls import include, path

from cms import urls as project_urls
from courses import urls as courses_urls


def _stand_in(request, **kwargs):
    return HttpResponse("A page the calendar tests link to.")


_names = {pattern.name for pattern in courses_urls.urlpatterns}
_courses = [
    *courses_urls.urlpatterns,
    *[
        pattern
        for pattern in [
            path("bookings/<int:booking_id>/", _stand_in, name="booking"),
            path("approvals/", _stand_in, name="approvals"),
        ]
        if pattern.name not in _names
    ],
]

urlpatterns = [
    path("training/", include((_courses, "courses"))),
    *[pattern for pattern in project_urls.urlpatterns if str(pattern.pattern) != "training/"],
]
handler404 = project_urls.handler404
