"""A leaver's open bookings are cancelled through the booking engine when skills says they have left, so their
seats go to the waitlist (courses listens to `skills.signals.person_left`)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from courses.enums import BookingStatus
from courses.services.bookings import LEAVER_REASON, booking_request
from skills.services.leavers import person_leave
from tests.courses.factories import SessionFactory
from tests.skills.factories import PersonFactory

pytestmark = pytest.mark.django_db


def book(session, person):
    return booking_request(session=session, person=person, actor=person.user)


def test_a_leaver_s_open_bookings_are_cancelled_and_their_seat_goes_to_the_waitlist(
    django_capture_on_commit_callbacks,
):
    leaver, waiting_person = PersonFactory(), PersonFactory()
    session = SessionFactory(capacity=1)
    confirmed = book(session, leaver)
    waiting = book(session, waiting_person)
    other = book(SessionFactory(capacity=1), leaver)
    assert (confirmed.status, waiting.status) == (BookingStatus.CONFIRMED, BookingStatus.WAITLISTED)

    with django_capture_on_commit_callbacks(execute=True):
        person_leave(person=leaver, left_on=timezone.localdate(), actor=None)

    for booking in (confirmed, waiting, other):
        booking.refresh_from_db()
    assert (confirmed.status, confirmed.cancel_reason, confirmed.cancelled_by) == (
        BookingStatus.CANCELLED,
        LEAVER_REASON,
        None,
    )
    assert other.status == BookingStatus.CANCELLED
    assert waiting.status == BookingStatus.CONFIRMED
    session.refresh_from_db()
    assert session.seats_taken == 1


def test_a_leaver_s_past_sessions_are_left_as_they_were(django_capture_on_commit_callbacks):
    leaver = PersonFactory()
    session = SessionFactory(capacity=2)
    booking = book(session, leaver)
    start = timezone.now() - timedelta(days=1)
    type(session).objects.filter(pk=session.pk).update(
        starts_at=start,
        ends_at=start + timedelta(hours=7),
        booking_closes_at=start,
        cancellation_cutoff_at=start,
        booking_opens_at=start - timedelta(days=30),
    )

    with django_capture_on_commit_callbacks(execute=True):
        person_leave(person=leaver, left_on=timezone.localdate(), actor=None)

    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED  # attended or not: the register says
