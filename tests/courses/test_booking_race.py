"""The booking engine under real concurrency, on PostgreSQL: real threads, each with its own connection, 50 at
once (the server allows 100, and other test runs may share it). The session row lock decides the order; these
tests check that the seats, the waitlist and promotion come out exactly right whatever the interleaving."""

import threading
from collections import deque
from types import SimpleNamespace

import pytest
from django.db import connection
from wagtail.models import ModelLogEntry

from cms.accounts.enums import Role
from courses.enums import BookingStatus
from courses.errors import AlreadyBooked
from courses.models import Booking, Session
from courses.services.bookings import booking_cancel, booking_request
from skills.models import Notification
from skills.services import notifications
from tests.cms.factories import UserFactory
from tests.courses.factories import SessionFactory, course_create
from tests.skills.factories import PersonFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

MAX_CONNECTIONS = 50
ROUNDS = 20


def run_pooled(calls, workers: int = MAX_CONNECTIONS):
    """Run the calls on `workers` threads started together (a barrier), each with its own connection, taking
    calls from one queue until it is empty. Returns (outcomes, errors)."""
    queue, outcomes, errors = deque(calls), [], []
    start = threading.Barrier(min(workers, len(queue)))

    def work():
        try:
            start.wait()
            while True:
                try:
                    call = queue.popleft()
                except IndexError:
                    return
                try:
                    outcomes.append(call())
                except Exception as error:
                    errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(start.parties)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes, errors


@pytest.fixture(autouse=True)
def outbox_kept(monkeypatch):
    """The messages stay in the outbox, pending (the sweep would send them): sending each one on its booking's
    thread after commit would make this test measure e-mail rendering, not the engine."""
    monkeypatch.setattr(notifications, "notification_send_task", SimpleNamespace(delay=lambda **ids: None))


def booking_call(session, person):
    return lambda: booking_request(session=session, person=person, actor=person.user)


def assert_invariants(session):
    session = Session.objects.get(pk=session.pk)
    bookings = list(session.bookings.order_by("id"))
    confirmed = [b for b in bookings if b.status == BookingStatus.CONFIRMED]
    waiting = [b for b in bookings if b.status == BookingStatus.WAITLISTED]
    assert session.seats_taken == len(confirmed) <= session.capacity
    positions = [b.waitlist_position for b in waiting]
    assert positions == sorted(positions)  # arrival (id) order is position order
    assert len(set(positions)) == len(positions)
    return session, confirmed, waiting


def test_a_double_click_times_ten_makes_one_booking():
    person = PersonFactory()
    session = SessionFactory(capacity=5)
    outcomes, errors = run_pooled([booking_call(session, person)] * 10)
    assert len(outcomes) == 1
    assert len(errors) == 9
    assert all(isinstance(error, AlreadyBooked) and error.booking.pk == outcomes[0].pk for error in errors)
    assert Booking.objects.filter(session=session).count() == 1
    assert Notification.objects.filter(user_id=person.user_id).count() == 1


def test_ten_cancellations_racing_fifty_bookings_keep_capacity_and_order_and_promote_each_once():
    session = SessionFactory(capacity=20)
    holders = [booking_request(session=session, person=p, actor=p.user) for p in PersonFactory.create_batch(20)]
    waiting = [booking_request(session=session, person=p, actor=p.user) for p in PersonFactory.create_batch(30)]
    newcomers = PersonFactory.create_batch(50)
    administrator = UserFactory(roles=[Role.TRAINING_ADMINISTRATOR])
    cancels = [
        (lambda booking=booking: booking_cancel(booking=booking, actor=administrator, reason="Rota change"))
        for booking in holders[:10]
    ]
    calls = [
        call for pair in zip(cancels, [booking_call(session, p) for p in newcomers[:10]], strict=True) for call in pair
    ]
    calls += [booking_call(session, p) for p in newcomers[10:]]
    outcomes, errors = run_pooled(calls, workers=60)
    assert errors == []
    assert len(outcomes) == 60

    session, confirmed, still_waiting = assert_invariants(session)
    assert session.seats_taken == session.capacity == 20
    promoted = Booking.objects.filter(pk__in=[b.pk for b in waiting], status=BookingStatus.CONFIRMED)
    # FIFO: the ten promoted are the first ten in the queue, and every newcomer waits behind the rest
    assert sorted(promoted.values_list("pk", flat=True)) == [b.pk for b in waiting[:10]]
    assert [b.pk for b in still_waiting[:20]] == [b.pk for b in waiting[10:]]
    assert {b.person_id for b in still_waiting[20:]} == {p.pk for p in newcomers}
    assert [b.waitlist_position for b in still_waiting] == list(range(11, 81))
    # nobody promoted twice: one audit entry and one message each
    for booking in waiting[:10]:
        assert (
            ModelLogEntry.objects.filter(object_id=str(booking.pk), action="capability.courses.booking_promote").count()
            == 1
        )
        assert Notification.objects.filter(user_id=booking.person.user_id, kind="booking_promoted").count() == 1
    assert Notification.objects.filter(kind="booking_promoted").count() == 10


def test_200_simultaneous_bookings_for_20_seats_repeated():
    people = PersonFactory.create_batch(200)
    course = course_create(title="Agile delivery foundations")
    for round_number in range(ROUNDS):
        session = SessionFactory(course=course, capacity=20)
        outcomes, errors = run_pooled([booking_call(session, person) for person in people])
        assert errors == [], f"round {round_number}: {errors[:3]}"
        assert len(outcomes) == 200
        session, confirmed, waiting = assert_invariants(session)
        assert (len(confirmed), len(waiting)) == (20, 180), f"round {round_number}"
        assert [b.waitlist_position for b in waiting] == list(range(1, 181))
        # the order the lock was granted: every seat went before the first waitlist place, and the waitlist
        # times follow the positions
        assert max(b.pk for b in confirmed) < min(b.pk for b in waiting)
        times = [b.waitlisted_at for b in waiting]
        assert times == sorted(times)
        assert session.waitlist_counter == 180
        assert len({b.person_id for b in confirmed + waiting}) == 200
