"""The booking messages the outbox sends (registered from `CoursesConfig.ready`). Each is rendered when it is
sent, from the booking as it is then."""

from django.urls import reverse

from courses.models import Booking, CourseCompletion
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
        "approvals_path": reverse("courses:approvals"),
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
]


def register() -> None:
    for name, label, subject in KINDS:
        notification_kind_register(
            name=name, label=label, subject=subject, template=f"courses/email/{name}.txt", build_context=booking_context
        )
    register_completions()


# Self-paced completions (courses.services.completions): the manager is asked to confirm, the learner is told.


def completion_context(notification: Notification) -> dict:
    completion = CourseCompletion.objects.select_related("course", "person__user", "decided_by").get(
        pk=notification.context["completion_id"]
    )
    return {
        "recipient": Person.objects.select_related("user").get(user_id=notification.user_id),
        "completion": completion,
        "course": completion.course,
        "person": completion.person,
        "completion_path": reverse("courses:completion", kwargs={"completion_id": completion.pk}),
    }


COMPLETION_KINDS = [
    (
        "completion_to_confirm",
        "Course completion to confirm",
        "{{ person.user.get_full_name }} completed {{ course.title }}: please confirm it",
    ),
    (
        "completion_decided",
        "Course completion decided",
        "Your completion of {{ course.title }} was {% if completion.status == 'confirmed' %}confirmed"
        "{% else %}not confirmed{% endif %}",
    ),
]


def register_completions() -> None:
    for name, label, subject in COMPLETION_KINDS:
        notification_kind_register(
            name=name,
            label=label,
            subject=subject,
            template=f"courses/email/{name}.txt",
            build_context=completion_context,
        )
