"""Scheduling, changing and cancelling sessions: each rule, each refusal with nothing changed, the audit log, the
calendar SEQUENCE and the messages."""

from datetime import timedelta

import pytest
from django.utils import timezone
from wagtail.models import ModelLogEntry

from courses.enums import BookingStatus, DeliveryMode, SessionStatus
from courses.errors import BookingError, NotAllowed
from courses.models import Booking, Session
from courses.services.bookings import booking_request
from courses.services.sessions import SessionInvalid, session_cancel, session_schedule, session_update
from skills.models import Notification
from tests.cms.factories import UserFactory
from tests.courses.factories import SessionFactory, course_create
from tests.courses.training_admin import training_administrator
from tests.skills.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _times(**changes):
    starts = timezone.now().replace(microsecond=0) + timedelta(days=20)
    values = {
        "starts_at": starts,
        "ends_at": starts + timedelta(hours=6),
        "booking_opens_at": starts - timedelta(days=30),
        "booking_closes_at": starts - timedelta(days=2),
        "cancellation_cutoff_at": starts - timedelta(days=3),
        "capacity": 12,
        "town": "Leeds",
        "venue": "Quarry House",
    }
    return values | changes


def _book(session, count):
    people = [PersonFactory() for _ in range(count)]
    return [booking_request(session=session, person=p, actor=p.user) for p in people]


def test_a_training_administrator_schedules_a_session_and_it_is_audited():
    actor = training_administrator()
    course = course_create()
    session = session_schedule(course=course, actor=actor, **_times())
    assert session.status == SessionStatus.SCHEDULED
    assert session.created_by == actor
    logged = ModelLogEntry.objects.filter(action="capability.courses.session_schedule", object_id=str(session.pk))
    assert logged.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"ends_at": "starts"}, "ends_at"),
        ({"booking_closes_at": "opens"}, "booking_closes_at"),
        ({"booking_closes_at": "after-start"}, "booking_closes_at"),
        ({"cancellation_cutoff_at": "after-start"}, "cancellation_cutoff_at"),
        ({"capacity": 0}, "capacity"),
        ({"minimum_attendees": 13}, "minimum_attendees"),
        ({"town": "", "venue": ""}, "venue"),
    ],
)
def test_each_rule_is_refused_on_its_field_and_nothing_is_written(changes, field):
    values = _times()
    resolved = {}
    for key, value in changes.items():
        if value == "starts":
            resolved[key] = values["starts_at"]
        elif value == "opens":
            resolved[key] = values["booking_opens_at"]
        elif value == "after-start":
            resolved[key] = values["starts_at"] + timedelta(minutes=1)
        else:
            resolved[key] = value
    with pytest.raises(SessionInvalid) as refused:
        session_schedule(course=course_create(), actor=training_administrator(), **values | resolved)
    assert refused.value.field == field
    assert Session.objects.count() == 0


def test_a_self_paced_course_has_no_sessions():
    course = course_create(delivery_mode=DeliveryMode.SELF_PACED)
    with pytest.raises(SessionInvalid) as refused:
        session_schedule(course=course, actor=training_administrator(), **_times())
    assert refused.value.field == "course"


@pytest.mark.parametrize("role", ["Learner", "HR analyst", "Content editor"])
def test_only_a_training_administrator_schedules_changes_or_cancels(role):
    other = UserFactory(roles=[role])
    with pytest.raises(NotAllowed):
        session_schedule(course=course_create(), actor=other, **_times())
    session = SessionFactory()
    with pytest.raises(NotAllowed):
        session_update(session=session, actor=other, town="York")
    with pytest.raises(NotAllowed):
        session_cancel(session=session, actor=other, reason="Trainer ill")
    session.refresh_from_db()
    assert (session.town, session.status, Session.objects.count()) == ("Leeds", SessionStatus.SCHEDULED, 1)


def test_changing_the_time_raises_each_confirmed_invite_and_tells_only_the_confirmed():
    session = SessionFactory(capacity=2)
    confirmed_one, confirmed_two, waitlisted = _book(session, 3)
    session_update(session=session, actor=training_administrator(), starts_at=session.starts_at + timedelta(hours=1))
    sequences = dict(Booking.objects.values_list("pk", "ical_sequence"))
    assert sequences == {confirmed_one.pk: 1, confirmed_two.pk: 1, waitlisted.pk: 0}
    told = set(Notification.objects.filter(kind="booking_changed").values_list("user_id", flat=True))
    assert told == {confirmed_one.person.user_id, confirmed_two.person.user_id}
    assert ModelLogEntry.objects.filter(action="capability.courses.session_update").count() == 1


def test_a_change_that_does_not_reach_calendars_tells_nobody():
    session = SessionFactory()
    (booking,) = _book(session, 1)
    session_update(session=session, actor=training_administrator(), minimum_attendees=4)
    booking.refresh_from_db()
    assert booking.ical_sequence == 0
    assert not Notification.objects.filter(kind="booking_changed").exists()


def test_raising_capacity_promotes_from_the_waitlist_in_order():
    session = SessionFactory(capacity=1)
    _first, second, third = _book(session, 3)
    session_update(session=session, actor=training_administrator(), capacity=2)
    statuses = dict(Booking.objects.values_list("pk", "status"))
    assert statuses[second.pk] == BookingStatus.CONFIRMED
    assert statuses[third.pk] == BookingStatus.WAITLISTED
    session.refresh_from_db()
    assert (session.capacity, session.seats_taken) == (2, 2)


def test_capacity_below_the_seats_confirmed_is_refused_with_the_number_and_nothing_changes():
    session = SessionFactory(capacity=5)
    _book(session, 3)
    with pytest.raises(BookingError, match="3 seats are already confirmed"):
        session_update(session=session, actor=training_administrator(), capacity=2, town="York")
    session.refresh_from_db()
    assert (session.capacity, session.town) == (5, "Leeds")


def test_a_rule_broken_by_an_update_is_refused_on_its_field():
    session = SessionFactory()
    with pytest.raises(SessionInvalid) as refused:
        session_update(session=session, actor=training_administrator(), ends_at=session.starts_at)
    assert refused.value.field == "ends_at"


def test_cancelling_a_session_cancels_every_booking_without_promotion_and_tells_everyone():
    session = SessionFactory(capacity=1)
    confirmed, waitlisted = _book(session, 2)
    actor = training_administrator()
    session_cancel(session=session, actor=actor, reason="The trainer is ill")
    session.refresh_from_db()
    assert (session.status, session.seats_taken, session.cancelled_reason) == (
        SessionStatus.CANCELLED,
        0,
        "The trainer is ill",
    )
    confirmed.refresh_from_db()
    waitlisted.refresh_from_db()
    assert confirmed.status == waitlisted.status == BookingStatus.CANCELLED
    assert confirmed.cancel_reason == "The trainer is ill"
    assert (confirmed.ical_sequence, waitlisted.ical_sequence) == (1, 0)  # the invite becomes a cancellation
    assert waitlisted.waitlist_position is None
    assert waitlisted.promoted_at is None
    assert Notification.objects.filter(kind="session_cancelled").count() == 2
    assert not Notification.objects.filter(kind="booking_promoted").exists()
    assert ModelLogEntry.objects.filter(action="capability.courses.session_cancel").count() == 1
    with pytest.raises(BookingError, match="already cancelled"):
        session_cancel(session=session, actor=actor, reason="Again")
    with pytest.raises(BookingError, match="no longer be changed"):
        session_update(session=session, actor=actor, town="York")


def test_cancelling_needs_a_reason():
    session = SessionFactory()
    _book(session, 1)
    with pytest.raises(SessionInvalid):
        session_cancel(session=session, actor=training_administrator(), reason="  ")
    session.refresh_from_db()
    assert session.status == SessionStatus.SCHEDULED
    assert Booking.objects.get().status == BookingStatus.CONFIRMED
