"""The periodic tasks: lapsing requests when booking closes, and the two-day reminder, sent once however often
the task runs."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from courses import tasks
from courses.enums import BookingStatus, SessionStatus
from courses.models import Session
from courses.services.bookings import booking_cancel, booking_request
from courses.services.reminders import booking_reminders_send
from skills.models import Notification
from skills.services.notifications import notification_send
from tests.courses.factories import SessionFactory, course_create
from tests.skills.factories import PersonFactory

pytestmark = pytest.mark.django_db


def book(session, person=None):
    person = person or PersonFactory()
    return booking_request(session=session, person=person, actor=person.user)


def soon_session(**fields):
    """A session starting in 36 hours (inside the reminder's two days), booked while booking was open."""
    now = timezone.now().replace(microsecond=0)
    return SessionFactory(
        starts_at=now + timedelta(hours=36),
        booking_opens_at=now - timedelta(days=10),
        booking_closes_at=now + timedelta(hours=12),
        cancellation_cutoff_at=now - timedelta(days=1),
        **fields,
    )


def test_the_reminder_goes_once_to_each_confirmed_attendee_however_often_the_task_runs():
    session = soon_session(capacity=1)
    confirmed = book(session)
    waiting = book(session)
    later = book(SessionFactory())  # ten days ahead: not yet
    assert tasks.booking_reminders_send.delay().get() == 1
    assert tasks.booking_reminders_send.delay().get() == 0
    assert booking_reminders_send(batch=1) == 0
    reminders = Notification.objects.filter(kind="booking_reminder")
    assert list(reminders.values_list("user_id", flat=True)) == [confirmed.person.user_id]
    confirmed.refresh_from_db()
    assert confirmed.reminder_sent_at is not None
    for other in (waiting, later):
        other.refresh_from_db()
        assert other.reminder_sent_at is None


def test_the_reminder_message_gives_the_time_with_its_zone_and_the_place():
    session = soon_session(capacity=1, joining_link="https://meet.example.gov.uk/xyz")
    booking = book(session)
    booking_reminders_send()
    notification = Notification.objects.get(kind="booking_reminder")
    mail.outbox.clear()
    assert notification_send(notification_id=notification.pk)
    (message,) = mail.outbox
    assert message.to == [booking.person.user.email]
    assert "Reminder: " in message.subject
    assert "Quarry House" in message.body
    assert "https://meet.example.gov.uk/xyz" in message.body
    assert "UK time" in message.body
    assert f"/training/bookings/{booking.pk}/" in message.body


def test_a_cancelled_booking_or_session_gets_no_reminder():
    session = soon_session(capacity=2)
    booking = book(session)
    booking_cancel(booking=booking, actor=None, reason="Left")
    cancelled_session = soon_session(capacity=2)
    book(cancelled_session)
    cancelled_session.status = SessionStatus.CANCELLED
    cancelled_session.save()
    assert booking_reminders_send() == 0
    assert not Notification.objects.filter(kind="booking_reminder").exists()


def test_the_lapse_task_lapses_requests_once_booking_has_closed(learner):
    session = SessionFactory(course=course_create(needs_approval=True))
    booking = book(session, learner)
    assert tasks.bookings_lapse.delay().get() == 0
    Session.objects.filter(pk=session.pk).update(
        booking_opens_at=timezone.now() - timedelta(days=2), booking_closes_at=timezone.now() - timedelta(minutes=1)
    )
    assert tasks.bookings_lapse.delay().get() == 1
    assert tasks.bookings_lapse.delay().get() == 0
    booking.refresh_from_db()
    assert booking.status == BookingStatus.LAPSED


def test_both_tasks_are_scheduled():
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"courses.tasks.bookings_lapse", "courses.tasks.booking_reminders_send"} <= scheduled
