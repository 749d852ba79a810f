"""The booking engine through its services: every transition of the lifecycle, each refusal with its message,
the wrong actor refused with nothing changed, the booking window and cut-off, lapsing, one outbox message per
event and none on rollback, and the audit trail. Runs on SQLite and on PostgreSQL."""

from datetime import timedelta
from functools import partial
from unittest import mock

import pytest
from django.utils import timezone
from wagtail.models import ModelLogEntry

from cms.accounts.enums import Role
from courses.enums import BookingStatus, DeliveryMode, SessionStatus
from courses.errors import AlreadyBooked, BookingError, NotAllowed
from courses.models import Booking, Session
from courses.services import bookings as engine
from courses.services.bookings import (
    booking_approve,
    booking_cancel,
    booking_clashes,
    booking_decline,
    booking_request,
    bookings_lapse,
    session_capacity_set,
    waitlist_promote,
)
from skills.models import Notification
from tests.cms.factories import UserFactory
from tests.courses.factories import SessionFactory, course_create
from tests.skills.factories import GradeFactory, PersonFactory

pytestmark = pytest.mark.django_db


def kinds(person) -> list[str]:
    return list(Notification.objects.filter(user_id=person.user_id).order_by("id").values_list("kind", flat=True))


def actions(booking) -> list[str]:
    return [
        action.removeprefix("capability.courses.")
        for action in ModelLogEntry.objects.filter(object_id=str(booking.pk), action__startswith="capability.courses.")
        .order_by("id")
        .values_list("action", flat=True)
    ]


def snapshot(session):
    """Everything the engine may change about a session and its bookings, to show nothing changed."""
    session = Session.objects.get(pk=session.pk)
    return (
        session.capacity,
        session.seats_taken,
        session.waitlist_counter,
        list(session.bookings.order_by("id").values_list("id", "status", "waitlist_position", "cancel_reason")),
        Notification.objects.count(),
        ModelLogEntry.objects.count(),
    )


def book(session, person=None, **kwargs):
    person = person or PersonFactory()
    return booking_request(session=session, person=person, actor=person.user, **kwargs)


@pytest.fixture
def approval_session():
    return SessionFactory(capacity=1, course=course_create(title="Leading agile teams", needs_approval=True))


# --- Booking, the waitlist and promotion --------------------------------------------------------------------


def test_a_free_seat_is_confirmed_with_a_message_and_an_audit_entry():
    session = SessionFactory(capacity=2)
    booking = book(session, adjustments="  A hearing loop  ", reason=" My gap in data analysis ")
    assert booking.status == BookingStatus.CONFIRMED
    assert booking.confirmed_at is not None
    assert booking.waitlist_position is None
    assert (booking.adjustments, booking.reason) == ("A hearing loop", "My gap in data analysis")
    session.refresh_from_db()
    assert session.seats_taken == 1
    assert kinds(booking.person) == ["booking_confirmed"]
    assert actions(booking) == ["booking_request"]


def test_a_full_session_waitlists_in_arrival_order_and_promotion_takes_the_first_once():
    session = SessionFactory(capacity=1)
    first = book(session)
    waiting = [book(session) for _ in range(3)]
    assert [b.status for b in waiting] == [BookingStatus.WAITLISTED] * 3
    assert [b.waitlist_position for b in waiting] == [1, 2, 3]
    assert kinds(waiting[0].person) == ["booking_waitlisted"]

    booking_cancel(booking=first, actor=first.person.user, reason="A clash with a hearing")
    for booking in waiting:
        booking.refresh_from_db()
    assert [b.status for b in waiting] == [BookingStatus.CONFIRMED, BookingStatus.WAITLISTED, BookingStatus.WAITLISTED]
    assert waiting[0].promoted_at is not None
    assert waiting[0].waitlist_position is None
    assert kinds(waiting[0].person) == ["booking_waitlisted", "booking_promoted"]
    assert actions(waiting[0]) == ["booking_request", "booking_promote"]
    first.refresh_from_db()
    assert first.status == BookingStatus.CANCELLED
    assert first.cancel_reason == "A clash with a hearing"
    assert first.ical_sequence == 1  # the calendar must take the cancellation in
    assert kinds(first.person) == ["booking_confirmed", "booking_cancelled"]

    assert waitlist_promote(session=session) == []  # no seat free: nobody promoted twice
    session.refresh_from_db()
    assert session.seats_taken == 1


def test_cancelling_a_waitlisted_place_keeps_the_others_in_order_and_promotes_nobody():
    session = SessionFactory(capacity=1)
    book(session)
    waiting = [book(session) for _ in range(3)]
    booking_cancel(booking=waiting[1], actor=waiting[1].person.user, reason="No longer needed")
    session.refresh_from_db()
    assert session.seats_taken == 1
    assert list(
        session.bookings.filter(status=BookingStatus.WAITLISTED).values_list("waitlist_position", flat=True)
    ) == [
        1,
        3,
    ]
    latecomer = book(session)
    assert latecomer.waitlist_position == 4  # never reuses a freed position: nobody jumps the queue


def test_raising_the_capacity_promotes_in_order_and_lowering_it_below_the_seats_taken_is_refused():
    session = SessionFactory(capacity=1)
    book(session)
    waiting = [book(session) for _ in range(3)]
    administrator = UserFactory(roles=[Role.TRAINING_ADMINISTRATOR])
    session_capacity_set(session=session, capacity=3, actor=administrator)
    statuses = [Booking.objects.get(pk=b.pk).status for b in waiting]
    assert statuses == [BookingStatus.CONFIRMED, BookingStatus.CONFIRMED, BookingStatus.WAITLISTED]
    before = snapshot(session)
    with pytest.raises(BookingError, match="3 seats are already confirmed: the capacity cannot be less than that"):
        session_capacity_set(session=session, capacity=2, actor=administrator)
    with pytest.raises(BookingError, match="The capacity must be 0 or more"):
        session_capacity_set(session=session, capacity=-1, actor=administrator)
    assert snapshot(session) == before


def test_only_a_training_administrator_changes_the_capacity():
    session = SessionFactory(capacity=1)
    book(session)
    book(session)
    before = snapshot(session)
    with pytest.raises(NotAllowed, match="Only a training administrator"):
        session_capacity_set(session=session, capacity=5, actor=PersonFactory().user)
    assert snapshot(session) == before


def test_booking_twice_returns_the_booking_already_held_and_changes_nothing():
    session = SessionFactory(capacity=1)
    person = PersonFactory()
    booking = book(session, person)
    before = snapshot(session)
    with pytest.raises(AlreadyBooked) as raised:
        book(session, person)
    assert raised.value.booking == booking
    assert str(raised.value) == "You already have a booking for this session."
    assert snapshot(session) == before


def test_a_second_booking_is_refused_by_the_database_and_answered_with_the_first():
    # A double-click: nothing asks "booked already?" before the lock; the one-active-booking index refuses the
    # second insert, everything the second request wrote is rolled back, and it gets the booking the first made.
    session = SessionFactory(capacity=1)
    person = PersonFactory()
    booking = book(session, person)
    before = snapshot(session)
    asked = mock.patch.object(engine, "_active_booking", wraps=engine._active_booking)
    with asked as answer, pytest.raises(AlreadyBooked) as raised:
        book(session, person)
    assert raised.value.booking == booking
    assert answer.call_count == 1  # once, after the refusal, to answer with the booking held
    assert snapshot(session) == before  # no seat, no waitlist place, no message and no audit entry kept


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"status": SessionStatus.CANCELLED}, "This session has been cancelled: choose another date."),
        ({"booking_closes_at": timezone.now() - timedelta(minutes=1)}, "Booking for this session has closed"),
    ],
)
def test_a_session_cancelled_or_closed_after_the_page_read_it_is_refused_from_its_locked_row(change, message):
    # The page (and the checks before the lock) read the session while it was open; by the time the booking
    # holds the session's lock it no longer is. The locked row decides, and says why.
    session = SessionFactory(capacity=1)
    Session.objects.filter(pk=session.pk).update(**change)
    before = snapshot(session)
    with pytest.raises(BookingError, match=message):
        book(session)  # the session object still says it is open
    assert snapshot(session) == before


def test_after_cancelling_a_person_may_book_again():
    session = SessionFactory(capacity=1)
    person = PersonFactory()
    booking = book(session, person)
    booking_cancel(booking=booking, actor=person.user, reason="Wrong date")
    again = book(session, person)
    assert again.pk != booking.pk
    assert again.status == BookingStatus.CONFIRMED


# --- Approval ---------------------------------------------------------------------------------------------


def test_a_request_holds_no_seat_and_tells_the_learner_and_their_manager(learner, manager, approval_session):
    booking = book(approval_session, learner, reason="My target role needs it")
    assert booking.status == BookingStatus.REQUESTED
    assert booking.waitlist_position is None
    approval_session.refresh_from_db()
    assert approval_session.seats_taken == 0
    assert kinds(learner) == ["booking_requested"]
    assert kinds(manager) == ["booking_approval_needed"]


def test_approval_confirms_or_waitlists_with_the_position_set_then(manager, approval_session):
    team = [PersonFactory(line_manager=manager) for _ in range(3)]
    requests = [book(approval_session, person) for person in team]
    # approved in another order than requested: the waitlist follows approval, as the request held no seat
    third = booking_approve(booking=requests[2], actor=manager.user)
    first = booking_approve(booking=requests[0], actor=manager.user)
    assert third.status == BookingStatus.CONFIRMED
    assert third.decided_by == manager.user
    assert first.status == BookingStatus.WAITLISTED
    assert first.waitlist_position == 1
    assert kinds(team[2]) == ["booking_requested", "booking_confirmed"]
    assert kinds(team[0]) == ["booking_requested", "booking_waitlisted"]
    assert actions(third) == ["booking_request", "booking_approve"]
    before = snapshot(approval_session)
    with pytest.raises(BookingError, match="This request has already been dealt with: it is confirmed"):
        booking_approve(booking=third, actor=manager.user)
    assert snapshot(approval_session) == before


def test_decline_needs_a_reason_and_tells_the_learner(learner, manager, approval_session):
    booking = book(approval_session, learner)
    with pytest.raises(BookingError, match="Say why you are declining"):
        booking_decline(booking=booking, actor=manager.user, reason="  ")
    booking = booking_decline(booking=booking, actor=manager.user, reason="Not this quarter")
    assert booking.status == BookingStatus.DECLINED
    assert booking.decline_reason == "Not this quarter"
    assert kinds(learner) == ["booking_requested", "booking_declined"]
    assert actions(booking) == ["booking_request", "booking_decline"]
    with pytest.raises(BookingError, match="already been dealt with: it is declined"):
        booking_approve(booking=booking, actor=manager.user)


@pytest.mark.parametrize("decide", [booking_approve, partial(booking_decline, reason="No")], ids=["approve", "decline"])
def test_only_the_line_manager_decides_and_a_refusal_changes_nothing(learner, approval_session, decide):
    booking = book(approval_session, learner)
    before = snapshot(approval_session)
    for stranger in [PersonFactory().user, learner.user, UserFactory(roles=[Role.TRAINING_ADMINISTRATOR])]:
        with pytest.raises(NotAllowed, match="Only the person's line manager"):
            decide(booking=booking, actor=stranger)
    assert snapshot(approval_session) == before


def test_a_request_cannot_be_approved_once_booking_has_closed(learner, manager, approval_session):
    booking = book(approval_session, learner)
    before = snapshot(approval_session)
    with pytest.raises(BookingError, match="Booking for this session has closed, so the request can no longer"):
        booking_approve(booking=booking, actor=manager.user, now=approval_session.booking_closes_at)
    assert snapshot(approval_session) == before


def test_without_a_line_manager_a_course_needing_approval_is_booked_directly(approval_session):
    booking = book(approval_session, PersonFactory(line_manager=None))
    assert booking.status == BookingStatus.CONFIRMED


# --- Lapsing ------------------------------------------------------------------------------------------------


def test_requests_lapse_once_when_booking_closes_and_the_learner_is_told(learner, manager, approval_session):
    booking = book(approval_session, learner)
    decided = book(approval_session, PersonFactory(line_manager=manager))
    booking_approve(booking=decided, actor=manager.user)
    assert bookings_lapse(now=approval_session.booking_closes_at - timedelta(seconds=1)) == 0
    assert bookings_lapse(now=approval_session.booking_closes_at, batch=1) == 1
    assert bookings_lapse(now=approval_session.booking_closes_at) == 0  # once
    booking.refresh_from_db()
    assert booking.status == BookingStatus.LAPSED
    assert kinds(learner) == ["booking_requested", "booking_lapsed"]
    assert actions(booking) == ["booking_request", "booking_lapse"]
    assert Booking.objects.get(pk=decided.pk).status == BookingStatus.CONFIRMED


def test_lapse_reads_in_batches(manager):
    sessions = [SessionFactory(capacity=1, course=course_create(needs_approval=True)) for _ in range(2)]
    for session in sessions:
        for _ in range(3):
            book(session, PersonFactory(line_manager=manager))
    closed = max(session.booking_closes_at for session in sessions)
    assert bookings_lapse(now=closed, batch=2) == 6
    assert not Booking.objects.filter(status=BookingStatus.REQUESTED).exists()


# --- Cancelling -------------------------------------------------------------------------------------------


def test_cancel_needs_a_reason_and_only_an_open_booking_is_cancelled():
    session = SessionFactory(capacity=1)
    booking = book(session)
    with pytest.raises(BookingError, match="Say why the booking is cancelled"):
        booking_cancel(booking=booking, actor=booking.person.user, reason="")
    booking_cancel(booking=booking, actor=booking.person.user, reason="Ill")
    before = snapshot(session)
    with pytest.raises(BookingError, match="This booking cannot be cancelled: it is cancelled"):
        booking_cancel(booking=booking, actor=booking.person.user, reason="Again")
    assert snapshot(session) == before


def test_after_the_cut_off_the_learner_is_sent_to_the_training_team_but_an_administrator_may_cancel():
    session = SessionFactory(capacity=1)
    booking = book(session)
    waiting = book(session)
    before = snapshot(session)
    with pytest.raises(BookingError, match="past this session's cancellation cut-off: contact the training team"):
        booking_cancel(booking=booking, actor=booking.person.user, reason="Ill", now=session.cancellation_cutoff_at)
    assert snapshot(session) == before
    # a waiting-list place may still be given up after the cut-off
    booking_cancel(booking=waiting, actor=waiting.person.user, reason="Ill", now=session.cancellation_cutoff_at)
    administrator = UserFactory(roles=[Role.TRAINING_ADMINISTRATOR])
    booking = booking_cancel(booking=booking, actor=administrator, reason="Asked by phone")
    assert booking.status == BookingStatus.CANCELLED
    assert booking.cancelled_by == administrator


def test_nobody_else_cancels_a_learners_booking(learner, manager):
    session = SessionFactory(capacity=1)
    booking = book(session, learner)
    before = snapshot(session)
    for stranger in [PersonFactory().user, manager.user]:
        with pytest.raises(NotAllowed, match="You can only cancel your own bookings"):
            booking_cancel(booking=booking, actor=stranger, reason="Mischief")
    assert snapshot(session) == before


def test_a_request_can_be_withdrawn(learner, approval_session):
    booking = book(approval_session, learner)
    booking = booking_cancel(booking=booking, actor=learner.user, reason="Changed my mind")
    assert booking.status == BookingStatus.CANCELLED
    approval_session.refresh_from_db()
    assert approval_session.seats_taken == 0


# --- Who may book, and when ----------------------------------------------------------------------------------


def test_only_the_person_or_a_training_administrator_books():
    session = SessionFactory(capacity=1)
    person = PersonFactory()
    before = snapshot(session)
    with pytest.raises(NotAllowed, match="You can only book training for yourself"):
        booking_request(session=session, person=person, actor=PersonFactory().user)
    assert snapshot(session) == before
    administrator = UserFactory(roles=[Role.TRAINING_ADMINISTRATOR])
    assert booking_request(session=session, person=person, actor=administrator).status == BookingStatus.CONFIRMED


def test_eligibility_by_grade():
    senior = GradeFactory(code="G7")
    session = SessionFactory(course=course_create(grades=[senior]))
    before = snapshot(session)
    with pytest.raises(BookingError, match="This course is for other grades than yours"):
        book(session, PersonFactory(grade=GradeFactory(code="EO")))
    assert snapshot(session) == before
    assert book(session, PersonFactory(grade=senior)).status == BookingStatus.CONFIRMED


@pytest.mark.parametrize(
    ("change", "when", "message"),
    [
        ({}, lambda s: s.booking_opens_at - timedelta(seconds=1), "Booking for this session opens on "),
        ({}, lambda s: s.booking_closes_at, "Booking for this session has closed: choose another date."),
        ({"status": SessionStatus.CANCELLED}, None, "This session has been cancelled: choose another date."),
        ({"status": SessionStatus.COMPLETED}, None, "This session has already taken place"),
    ],
)
def test_booking_is_refused_outside_the_window_and_on_a_session_that_is_not_scheduled(change, when, message):
    session = SessionFactory(capacity=1, **change)
    before = snapshot(session)
    with pytest.raises(BookingError, match=message):
        book(session, now=when(session) if when else None)
    assert snapshot(session) == before


def test_the_opening_time_is_said_in_uk_time_with_its_zone():
    session = SessionFactory()
    with pytest.raises(BookingError) as raised:
        book(session, now=session.booking_opens_at - timedelta(days=1))
    assert str(raised.value).endswith(f"{timezone.localtime(session.booking_opens_at):%H:%M %Z}.")
    assert timezone.localtime(session.booking_opens_at).strftime("%Z") in {"GMT", "BST"}


def test_a_self_paced_course_has_no_sessions_to_book():
    session = SessionFactory(course=course_create(delivery_mode=DeliveryMode.SELF_PACED))
    with pytest.raises(BookingError, match="This course is self-paced"):
        book(session)


# --- Promotion stops when booking closes ---------------------------------------------------------------------


def test_promotion_stops_when_booking_closes():
    session = SessionFactory(capacity=1)
    first = book(session)
    waiting = book(session)
    administrator = UserFactory(roles=[Role.TRAINING_ADMINISTRATOR])
    booking_cancel(booking=first, actor=administrator, reason="Left the department", now=session.booking_closes_at)
    waiting.refresh_from_db()
    assert waiting.status == BookingStatus.WAITLISTED
    assert waitlist_promote(session=session, now=session.booking_closes_at + timedelta(hours=1)) == []
    session_capacity_set(session=session, capacity=3, actor=administrator, now=session.booking_closes_at)
    waiting.refresh_from_db()
    assert waiting.status == BookingStatus.WAITLISTED
    assert [b.pk for b in waitlist_promote(session=session, now=session.booking_closes_at - timedelta(hours=1))] == [
        waiting.pk
    ]


# --- Clashes ------------------------------------------------------------------------------------------------


def test_a_clash_is_another_confirmed_booking_overlapping_in_time():
    person = PersonFactory()
    session = SessionFactory()
    overlapping = SessionFactory(starts_at=session.starts_at + timedelta(hours=2))
    apart = SessionFactory(starts_at=session.starts_at + timedelta(days=1))
    clash = book(overlapping, person)
    book(apart, person)
    assert booking_clashes(person=person, session=session) == [clash]
    booking_cancel(booking=clash, actor=person.user, reason="Clash")
    assert booking_clashes(person=person, session=session) == []


# --- The outbox: one message per event, none on rollback --------------------------------------------------


def test_a_failure_after_the_message_was_queued_rolls_the_message_back_with_the_booking():
    session = SessionFactory(capacity=1)
    person = PersonFactory()
    with (
        mock.patch.object(engine, "_audit", side_effect=RuntimeError("audit store down")),
        pytest.raises(RuntimeError),
    ):
        book(session, person)
    assert not Notification.objects.exists()
    assert not Booking.objects.exists()
    session.refresh_from_db()
    assert (session.seats_taken, session.waitlist_counter) == (0, 0)


def test_each_event_is_one_message_per_recipient():
    session = SessionFactory(capacity=1)
    first = book(session)
    second = book(session)
    booking_cancel(booking=first, actor=first.person.user, reason="Ill")
    keys = list(Notification.objects.values_list("key", flat=True))
    assert len(keys) == len(set(keys)) == 4
    assert kinds(second.person) == ["booking_waitlisted", "booking_promoted"]
