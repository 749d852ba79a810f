"""A leaver's open bookings are cancelled through the booking engine when skills says they have left, so their
seats go to the waitlist (courses listens to `skills.signals.person_left`), whether the HR feed's `left_on` column
or a full file that leaves them out says so."""

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from courses.enums import BookingStatus
from courses.services.bookings import LEAVER_REASON, booking_request
from skills.models import Person
from skills.services.leavers import person_leave
from skills.services.people_import import FullFile, people_import
from tests.courses.factories import SessionFactory
from tests.skills.factories import PersonFactory
from tests.skills.hr_feed import ddat_framework, person_row, write_csv

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


def test_a_person_missing_from_a_confirmed_full_hr_file_loses_their_bookings_to_the_waitlist(
    tmp_path, django_capture_on_commit_callbacks
):
    ddat_framework()
    people_import(actor=None, file=write_csv(tmp_path, [person_row("S1"), person_row("S2")], name="team.csv"))
    leaver, staying = Person.objects.get(staff_number="S1"), Person.objects.get(staff_number="S2")
    session = SessionFactory(capacity=1)
    confirmed, waiting = book(session, leaver), book(session, staying)
    everyone_but_s1 = write_csv(tmp_path, [person_row("S2")], name="everyone.csv")
    full_file = FullFile(left_on=timezone.localdate(), confirmed=frozenset({leaver.pk}))

    with (
        django_capture_on_commit_callbacks(execute=True),
        override_settings(CAPABILITY_FULL_FILE_MAX_LEAVERS_SHARE=0.5),
    ):
        report = people_import(actor=None, file=everyone_but_s1, full_file=full_file)

    assert report.leavers_by_absence == 1, report.errors
    confirmed.refresh_from_db()
    waiting.refresh_from_db()
    assert (confirmed.status, confirmed.cancel_reason) == (BookingStatus.CANCELLED, LEAVER_REASON)
    assert waiting.status == BookingStatus.CONFIRMED
