"""A Hypothesis state machine over the booking engine: random sequences of book, cancel, approve, decline, resize,
promote, lapse, close booking and attend, each checked against a model of what should happen, and every
invariant checked after every step:

- seats_taken equals the confirmed bookings (plus those attended: an attended seat stays taken) and never
  exceeds capacity;
- waitlist positions are unique, and the waitlist in position order is the model's first-come-first-served
  queue (so promotion always takes the front);
- at most one active booking per person;
- nobody is waitlisted while a seat is free and booking is open.

Attendance is set on the booking through the ORM (the attendance service is the training administrators'),
after booking has closed.
"""

from datetime import timedelta

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from cms.accounts.enums import Role
from courses.enums import ACTIVE_BOOKING_STATUSES, BookingStatus
from courses.errors import AlreadyBooked, BookingError
from courses.models import Booking, Session
from courses.services.bookings import (
    booking_approve,
    booking_cancel,
    booking_decline,
    booking_request,
    bookings_lapse,
    session_capacity_set,
    waitlist_promote,
)
from tests.cms.factories import UserFactory
from tests.courses.factories import SessionFactory, course_create
from tests.skills.factories import PersonFactory

PEOPLE = 6
C, W, R = BookingStatus.CONFIRMED, BookingStatus.WAITLISTED, BookingStatus.REQUESTED
person_index = st.integers(min_value=0, max_value=PEOPLE - 1)


class BookingMachine(RuleBasedStateMachine):
    course = None
    administrator = None
    manager = None

    def __init__(self):
        super().__init__()
        # half the people have a line manager (their bookings of this course need approval), half do not
        self.people = [PersonFactory(line_manager=self.manager if n % 2 else None) for n in range(PEOPLE)]
        self.session = SessionFactory(course=self.course, capacity=2)
        self.now = self.session.booking_opens_at + timedelta(hours=1)
        self.capacity = 2
        self.status: dict[int, str] = {}  # booking id -> the status the model expects
        self.queue: list[int] = []  # waitlisted booking ids, first come first served
        self.active: dict[int, int] = {}  # person index -> their active booking id

    # --- the model ---------------------------------------------------------------------------------------

    @property
    def open(self) -> bool:
        return self.now < self.session.booking_closes_at

    @property
    def seats(self) -> int:
        return sum(status in (C, BookingStatus.COMPLETED) for status in self.status.values())

    def place(self, booking_id: int) -> None:
        if self.seats < self.capacity:
            self.status[booking_id] = C
        else:
            self.status[booking_id] = W
            self.queue.append(booking_id)

    def promote(self) -> None:
        while self.open and self.queue and self.seats < self.capacity:
            self.status[self.queue.pop(0)] = C

    def finish(self, index: int, status: str) -> None:
        booking_id = self.active.pop(index)
        if booking_id in self.queue:
            self.queue.remove(booking_id)
        self.status[booking_id] = status

    # --- the rules --------------------------------------------------------------------------------------------

    @rule(index=person_index)
    def book(self, index):
        person = self.people[index]
        try:
            booking = booking_request(session=self.session, person=person, actor=person.user, now=self.now)
        except AlreadyBooked as error:
            held = error.booking.pk
            assert self.active.get(index) == held
            return
        except BookingError:
            assert not self.open
            return
        assert self.open
        assert index not in self.active
        self.active[index] = booking.pk
        if person.line_manager_id:
            self.status[booking.pk] = R
        else:
            self.place(booking.pk)

    @rule(index=person_index)
    def cancel(self, index):
        if index not in self.active:
            return
        booking = Booking.objects.get(pk=self.active[index])
        booking_cancel(booking=booking, actor=self.administrator, reason="Plans changed", now=self.now)
        self.finish(index, BookingStatus.CANCELLED)
        self.promote()

    @rule(index=person_index)
    def approve(self, index):
        booking_id = self.active.get(index)
        if booking_id is None or self.status[booking_id] != R:
            return
        try:
            booking_approve(booking=Booking.objects.get(pk=booking_id), actor=self.manager.user, now=self.now)
        except BookingError:
            assert not self.open
            return
        assert self.open
        self.place(booking_id)

    @rule(index=person_index)
    def decline(self, index):
        booking_id = self.active.get(index)
        if booking_id is None or self.status[booking_id] != R:
            return
        booking_decline(booking=Booking.objects.get(pk=booking_id), actor=self.manager.user, reason="No", now=self.now)
        self.finish(index, BookingStatus.DECLINED)

    @rule(capacity=st.integers(min_value=0, max_value=5))
    def resize(self, capacity):
        try:
            session_capacity_set(session=self.session, capacity=capacity, actor=self.administrator, now=self.now)
        except BookingError:
            assert capacity < self.seats
            return
        assert capacity >= self.seats
        self.capacity = capacity
        self.promote()

    @rule()
    def promote_now(self):
        waitlist_promote(session=self.session, now=self.now)
        self.promote()

    @rule()
    def close_booking(self):
        self.now = self.session.booking_closes_at + timedelta(minutes=1)

    @rule()
    def lapse(self):
        bookings_lapse(now=self.now)
        if not self.open:
            for index, booking_id in list(self.active.items()):
                if self.status[booking_id] == R:
                    self.finish(index, BookingStatus.LAPSED)

    @rule(index=person_index)
    def attend(self, index):
        booking_id = self.active.get(index)
        if self.open or booking_id is None or self.status[booking_id] != C:
            return
        Booking.objects.filter(pk=booking_id).update(status=BookingStatus.COMPLETED)
        self.active.pop(index)
        self.status[booking_id] = BookingStatus.COMPLETED

    # --- the invariants -----------------------------------------------------------------------------------

    @invariant()
    def matches_the_model(self):
        actual = dict(Booking.objects.filter(session=self.session).values_list("id", "status"))
        assert actual == self.status

    @invariant()
    def seats_are_counted_and_within_capacity(self):
        session = Session.objects.get(pk=self.session.pk)
        taken = Booking.objects.filter(session=session, status__in=[C, BookingStatus.COMPLETED]).count()
        assert session.seats_taken == taken == self.seats
        assert session.seats_taken <= session.capacity == self.capacity

    @invariant()
    def the_waitlist_is_first_come_first_served(self):
        waiting = list(
            Booking.objects.filter(session=self.session, status=W)
            .order_by("waitlist_position")
            .values_list("id", "waitlist_position")
        )
        assert [booking_id for booking_id, _ in waiting] == self.queue
        positions = [position for _, position in waiting]
        assert len(set(positions)) == len(positions)

    @invariant()
    def one_active_booking_per_person(self):
        active = list(
            Booking.objects.filter(session=self.session, status__in=ACTIVE_BOOKING_STATUSES).values_list(
                "person_id", flat=True
            )
        )
        assert len(active) == len(set(active))

    @invariant()
    def nobody_waits_for_a_free_seat_while_booking_is_open(self):
        if self.open:
            session = Session.objects.get(pk=self.session.pk)
            waiting = Booking.objects.filter(session=session, status=W).exists()
            assert not (waiting and session.seats_taken < session.capacity)


@pytest.mark.django_db
def test_the_booking_engine_keeps_every_invariant():
    BookingMachine.manager = PersonFactory()
    BookingMachine.administrator = UserFactory(roles=[Role.TRAINING_ADMINISTRATOR])
    BookingMachine.course = course_create(title="Property-tested course", needs_approval=True)
    run_state_machine_as_test(
        BookingMachine,
        settings=settings(
            max_examples=40,
            stateful_step_count=30,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        ),
    )
