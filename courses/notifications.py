"""The booking messages the outbox sends (registered from `CoursesConfig.ready`). Each is rendered when it is
sent, from the booking as it is then."""

from django.urls import reverse

from courses.models import Booking
from skills.models import Notification, Person
from skills.notification_kinds import notification_kind_register


def booking_context(notification: Notification) -> dict:
    booking = Booking.objects.select_related("session__course", "person__user", "decided_by").get(
        pk=notification.context["booking_id"]
    )
    return {
        "recipient": Person.objects.select_related("user").get(user_id=notification.user_id),
        "booking": booking,
        "session": booking.session,
        "course": booking.session.course,
        "person": booking.person,
        "booking_path": reverse("courses:booking", kwargs={"booking_id": booking.pk}),
        # only the manager's message links to their queue
        "approvals_path": reverse("courses:approvals") if notification.kind == "booking_approval_needed" else "",
    }


KINDS = [
    ("booking_requested", "Training request sent", "Your request for {{ course.title }} is with your line manager"),
    (
        "booking_approval_needed",
        "Training request to decide",
        "{{ person.user.get_full_name }} asks to attend {{ course.title }}",
    ),
    ("booking_confirmed", "Training place confirmed", "Your place on {{ course.title }} is confirmed"),
    ("booking_waitlisted", "On a training waiting list", "You are on the waiting list for {{ course.title }}"),
    ("booking_promoted", "Training place now confirmed", "A place on {{ course.title }} is now yours"),
    ("booking_declined", "Training request declined", "Your request for {{ course.title }} was declined"),
    (
        "booking_lapsed",
        "Training request not decided in time",
        "Your request for {{ course.title }} was not approved in time",
    ),
    ("booking_cancelled", "Training booking cancelled", "Your booking for {{ course.title }} is cancelled"),
    ("booking_reminder", "Training in two days", "Reminder: {{ course.title }} starts soon"),
]


def register() -> None:
    for name, label, subject in KINDS:
        notification_kind_register(
            name=name, label=label, subject=subject, template=f"courses/email/{name}.txt", build_context=booking_context
        )
