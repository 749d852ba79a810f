"""The booking messages the outbox sends (registered from `CoursesConfig.ready`). Each is rendered when it is
sent, from the booking as it is then."""

from django.urls import reverse

from courses import calendar
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
    ("booking_changed", "Training session changed", "{{ course.title }} has changed: check the new details"),
    (
        "session_cancelled",
        "Training session cancelled",
        "{{ course.title }} on {{ session.starts_at|date:'j F' }} is cancelled",
    ),
    ("attendance_recorded", "Training attendance recorded", "Your attendance at {{ course.title }} is recorded"),
    ("booking_reminder", "Training in two days", "Reminder: {{ course.title }} starts soon"),
]


# The messages that carry the booking's calendar invite, and the invite's METHOD: REQUEST puts the event in the
# person's calendar (or updates it), CANCEL takes it out. Another kind is one more line here.
INVITE_METHODS = {
    "booking_confirmed": calendar.REQUEST,
    "booking_promoted": calendar.REQUEST,
    "booking_cancelled": calendar.CANCEL,
    "booking_changed": calendar.REQUEST,
    "session_cancelled": calendar.CANCEL,
}


def booking_invite_attachments(notification: Notification, context: dict) -> list[tuple[str, bytes, str]]:
    """The invite, built from the booking as it is when the message is sent. It is attached only while the
    booking still calls for that METHOD: a confirmation sent after the place was cancelled carries no invite
    (the cancellation's message carries the CANCEL), and a cancellation of a place never confirmed carries none.
    """
    booking = context["booking"]
    method = INVITE_METHODS.get(notification.kind)
    if method is None or calendar.invite_method(booking) != method:
        return []
    invite = calendar.booking_invite(booking, method)
    return [(calendar.invite_filename(booking), invite, calendar.invite_content_type(method))]


def evaluation_context(notification: Notification) -> dict:
    """The course a learner is asked about, and the link to the form: of a booking, or of a self-paced
    completion."""
    recipient = Person.objects.select_related("user").get(user_id=notification.user_id)
    if "booking_id" in notification.context:
        booking = Booking.objects.select_related("session__course").get(pk=notification.context["booking_id"])
        course = booking.session.course
        path = reverse("courses:booking-evaluation", kwargs={"booking_id": booking.pk})
    else:
        completion = CourseCompletion.objects.select_related("course").get(pk=notification.context["completion_id"])
        course = completion.course
        path = reverse("courses:completion-evaluation", kwargs={"completion_id": completion.pk})
    return {"recipient": recipient, "course": course, "evaluation_path": path}


def register() -> None:
    for name, label, subject in KINDS:
        notification_kind_register(
            name=name,
            label=label,
            subject=subject,
            template=f"courses/email/{name}.txt",
            build_context=booking_context,
            attachments=booking_invite_attachments if name in INVITE_METHODS else None,
        )
    notification_kind_register(
        name="evaluation_requested",
        label="How did your training go?",
        subject="How did {{ course.title }} go?",
        template="courses/email/evaluation_requested.txt",
        build_context=evaluation_context,
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
