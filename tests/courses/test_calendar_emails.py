"""The booking e-mails carry the calendar invite, built when the message is sent from the booking as it is then:
the confirmation (and a promotion from the waiting list) a REQUEST, the cancellation of a confirmed place a
CANCEL with the same UID and a higher SEQUENCE."""

import pytest
from django.core import mail

from courses.services.bookings import booking_cancel, booking_request
from skills import notification_kinds
from skills.models import Notification
from skills.services.notifications import notification_render, notify
from tests.courses.calendar_support import ical_js_parser
from tests.courses.factories import SessionFactory, course_create
from tests.skills.factories import PersonFactory

pytestmark = pytest.mark.django_db

ical_js = pytest.fixture(scope="session")(ical_js_parser)


def invites(message) -> list:
    """The message's calendar attachments as MIME parts."""
    return [part for part in message.attachments if part.get_content_type() == "text/calendar"]


def sent(kind: str):
    (notification,) = Notification.objects.filter(kind=kind)
    (message,) = [message for message in mail.outbox if message.subject == notification.subject]
    return message


def test_the_confirmation_carries_a_request_and_the_cancellation_a_cancel(ical_js, django_capture_on_commit_callbacks):
    person = PersonFactory()
    session = SessionFactory()
    with django_capture_on_commit_callbacks(execute=True):
        booking = booking_request(session=session, person=person, actor=person.user)

    (part,) = invites(sent("booking_confirmed"))
    assert part.get_param("method") == "REQUEST"
    assert part.get_filename() == f"capability-booking-{booking.pk}.ics"
    raw = sent("booking_confirmed").message().as_bytes()
    assert b'Content-Type: text/calendar; charset="utf-8"; method="REQUEST"' in raw
    request = ical_js(part.get_payload(decode=True))
    assert request["method"] == "REQUEST"
    assert request["events"][0]["attendees"][0]["value"] == f"mailto:{person.user.email}"

    with django_capture_on_commit_callbacks(execute=True):
        booking_cancel(booking=booking, actor=person.user, reason="Moved to another team")

    (part,) = invites(sent("booking_cancelled"))
    assert part.get_param("method") == "CANCEL"
    cancel = ical_js(part.get_payload(decode=True))
    assert cancel["method"] == "CANCEL"
    assert cancel["events"][0]["uid"] == request["events"][0]["uid"]
    assert cancel["events"][0]["sequence"] > request["events"][0]["sequence"]


def test_a_place_from_the_waiting_list_gets_its_invite_with_the_promotion(ical_js, django_capture_on_commit_callbacks):
    first, second = PersonFactory(), PersonFactory()
    session = SessionFactory(capacity=1)
    with django_capture_on_commit_callbacks(execute=True):
        taken = booking_request(session=session, person=first, actor=first.user)
        waiting = booking_request(session=session, person=second, actor=second.user)

    assert invites(sent("booking_waitlisted")) == []

    with django_capture_on_commit_callbacks(execute=True):
        booking_cancel(booking=taken, actor=first.user, reason="Clash")

    (part,) = invites(sent("booking_promoted"))
    promoted = ical_js(part.get_payload(decode=True))
    assert promoted["method"] == "REQUEST"
    assert promoted["events"][0]["uid"].startswith(str(waiting.ical_uid))
    assert promoted["events"][0]["attendees"][0]["value"] == f"mailto:{second.user.email}"


def test_cancelling_a_place_on_the_waiting_list_sends_no_invite(django_capture_on_commit_callbacks):
    first, second = PersonFactory(), PersonFactory()
    session = SessionFactory(capacity=1)
    booking_request(session=session, person=first, actor=first.user)
    waiting = booking_request(session=session, person=second, actor=second.user)
    with django_capture_on_commit_callbacks(execute=True):
        booking_cancel(booking=waiting, actor=second.user, reason="No longer needed")

    assert invites(sent("booking_cancelled")) == []


def test_a_confirmation_sent_after_the_place_was_cancelled_carries_no_invite():
    """The outbox renders each message when it sends it: by then the booking may have changed."""
    person = PersonFactory()
    booking = booking_request(session=SessionFactory(), person=person, actor=person.user)
    booking_cancel(booking=booking, actor=person.user, reason="Changed my mind")

    confirmation = notification_render(Notification.objects.get(kind="booking_confirmed"))
    cancellation = notification_render(Notification.objects.get(kind="booking_cancelled"))

    assert invites(confirmation) == []
    assert [part.get_param("method") for part in invites(cancellation)] == ["CANCEL"]


def test_the_outbox_attaches_any_kinds_files_with_their_mimetype_parameters(monkeypatch):
    """The outbox's attachment support in general: text keeps its parameters, other files go as base64, and a
    kind without attachments sends none (as before)."""

    def files(notification, context):
        return [
            ("note.ics", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar; method=PUBLISH; charset=utf-8"),
            ("report.pdf", b"%PDF-1.7 not really", "application/pdf"),
        ]

    monkeypatch.setitem(
        notification_kinds._KINDS,
        "test_with_files",
        notification_kinds.NotificationKind(
            "test_with_files",
            "Files",
            "Files for {{ user.first_name }}",
            "courses/email/_session.txt",
            lambda notification: {},
            files,
        ),
    )
    person = PersonFactory()
    notification = notify("test_with_files", recipient=person)

    message = notification_render(notification)

    calendar_part, pdf_part = message.attachments
    assert calendar_part.get_content_type() == "text/calendar"
    assert calendar_part.get_param("method") == "PUBLISH"
    assert calendar_part.get_payload(decode=True) == b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"
    assert pdf_part.get_content_type() == "application/pdf"
    assert pdf_part.get_filename() == "report.pdf"
    assert pdf_part.get_payload(decode=True) == b"%PDF-1.7 not really"
    assert b"report.pdf" in message.message().as_bytes()


def test_a_kind_without_attachments_sends_none(django_capture_on_commit_callbacks):
    person = PersonFactory()
    session = SessionFactory(course=course_create(needs_approval=True))
    manager = PersonFactory()
    person.line_manager = manager
    person.save()
    with django_capture_on_commit_callbacks(execute=True):
        booking_request(session=session, person=person, actor=person.user)

    assert sent("booking_requested").attachments == []
    assert sent("booking_approval_needed").attachments == []
