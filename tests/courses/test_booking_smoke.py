import pytest

from courses.enums import BookingStatus
from courses.errors import AlreadyBooked, BookingError
from courses.services.bookings import booking_approve, booking_cancel, booking_request, session_capacity_set
from tests.courses.factories import SessionFactory, course_create
from tests.skills.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_seats_then_waitlist_then_promotion_in_order():
    session = SessionFactory(capacity=2)
    people = [PersonFactory() for _ in range(4)]
    bookings = [booking_request(session=session, person=person, actor=person.user) for person in people]
    assert [b.status for b in bookings] == [BookingStatus.CONFIRMED] * 2 + [BookingStatus.WAITLISTED] * 2
    assert [b.waitlist_position for b in bookings[2:]] == [1, 2]
    with pytest.raises(AlreadyBooked):
        booking_request(session=session, person=people[0], actor=people[0].user)
    booking_cancel(booking=bookings[0], actor=people[0].user, reason="Clash")
    bookings[2].refresh_from_db()
    assert bookings[2].status == BookingStatus.CONFIRMED
    session.refresh_from_db()
    assert session.seats_taken == 2
    with pytest.raises(BookingError):
        session_capacity_set(session=session, capacity=1, actor=None)
    session_capacity_set(session=session, capacity=3, actor=None)
    bookings[3].refresh_from_db()
    assert bookings[3].status == BookingStatus.CONFIRMED


def test_a_request_needing_approval_holds_no_seat_until_approved(learner, manager):
    session = SessionFactory(capacity=1, course=course_create(needs_approval=True))
    booking = booking_request(session=session, person=learner, actor=learner.user)
    assert booking.status == BookingStatus.REQUESTED
    session.refresh_from_db()
    assert session.seats_taken == 0
    booking = booking_approve(booking=booking, actor=manager.user)
    assert booking.status == BookingStatus.CONFIRMED
