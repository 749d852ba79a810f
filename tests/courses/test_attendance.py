"""Marking attendance: attended completes the booking and writes course evidence to the ledger through skills'
service; a wrong mark is corrected by compensating rows, never by an edit; a session closes only when every
confirmed booking is marked."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone
from wagtail.models import ModelLogEntry

from courses.enums import BookingStatus, SessionStatus
from courses.errors import BookingError, NotAllowed
from courses.services.attendance import attendance_mark, session_close
from courses.services.sessions import session_cancel
from skills.enums import AssessmentSource
from skills.models import Achievement, Assessment, Notification, PlanAction
from skills.services.plans import plan_action_add
from tests.cms.factories import UserFactory
from tests.courses.training_admin import after_start, course_with_outcome, started_session_with, training_administrator

pytestmark = pytest.mark.django_db


def _nine_am(days_ahead: int) -> datetime:
    day = timezone.localdate() + timedelta(days=days_ahead)
    return timezone.make_aware(datetime.combine(day, time(9)))


def _course_rows(person):
    return Assessment.objects.filter(person=person, source=AssessmentSource.COURSE)


def test_attended_completes_the_booking_and_records_evidence_at_the_outcome_level():
    course = course_with_outcome(leads_to_certificate=True, certificate_validity_months=24)
    session, (attended, absent) = started_session_with(2, course=course, starts_at=_nine_am(10))
    actor = training_administrator()

    changed = attendance_mark(
        session=session, marks={attended.pk: True, absent.pk: False}, actor=actor, now=after_start(session)
    )

    assert {booking.pk for booking in changed} == {attended.pk, absent.pk}
    attended.refresh_from_db()
    absent.refresh_from_db()
    assert (attended.status, absent.status) == (BookingStatus.COMPLETED, BookingStatus.NO_SHOW)
    assert attended.attendance_marked_by == actor
    (row,) = _course_rows(attended.person)
    assert (row.skill.code, row.level.code, row.author) == ("data-modelling", "practitioner", actor)
    achievement = Achievement.objects.get(reference=f"courses.booking:{attended.pk}")
    assert achievement.certificate_requested
    assert achievement.certificate_validity_months == 24
    assert achievement.achieved_on == timezone.localdate(session.ends_at)
    assert achievement.award == f"courses.course:{course.pk}"  # what a certificate for it certifies and renews
    assert not _course_rows(absent.person).exists()
    assert Notification.objects.filter(kind="attendance_recorded").count() == 2
    assert ModelLogEntry.objects.filter(action="capability.courses.attendance_mark").count() == 2


def test_a_course_over_several_days_marked_on_its_first_is_completed_that_day_not_on_a_day_to_come():
    # Recorded for the last day, the certificate's validFrom would lie in the future and every verifier would
    # refuse it until then.
    starts_at = _nine_am(10)
    course = course_with_outcome(leads_to_certificate=True, certificate_validity_months=24)
    session, (booking,) = started_session_with(
        1, course=course, starts_at=starts_at, ends_at=starts_at + timedelta(days=2)
    )

    attendance_mark(session=session, marks={booking.pk: True}, actor=training_administrator(), now=after_start(session))

    achievement = Achievement.objects.get(reference=f"courses.booking:{booking.pk}")
    assert achievement.achieved_on == timezone.localdate(starts_at)
    assert achievement.certificates.get().issued_on == timezone.localdate(starts_at)


def test_marking_the_same_again_changes_nothing():
    session, (booking,) = started_session_with(1)
    actor = training_administrator()
    attendance_mark(session=session, marks={booking.pk: True}, actor=actor, now=after_start(session))
    assert attendance_mark(session=session, marks={booking.pk: True}, actor=actor, now=after_start(session)) == []
    assert _course_rows(booking.person).count() == 1


def test_a_wrong_mark_is_corrected_by_compensating_rows_and_recorded_again_under_a_new_reference():
    session, (booking,) = started_session_with(1)
    actor = training_administrator()
    when = after_start(session)
    attendance_mark(session=session, marks={booking.pk: True}, actor=actor, now=when)
    first_row = _course_rows(booking.person).get()

    attendance_mark(session=session, marks={booking.pk: False}, actor=actor, now=when + timedelta(minutes=5))
    booking.refresh_from_db()
    assert booking.status == BookingStatus.NO_SHOW
    first = Achievement.objects.get(reference=f"courses.booking:{booking.pk}")
    assert first.withdrawn_at is not None
    compensating = _course_rows(booking.person).exclude(pk=first_row.pk).get()
    assert compensating.retracts_id == first_row.pk
    assert compensating.level is None
    first_row.refresh_from_db()
    assert first_row.level.code == "practitioner"  # never edited

    attendance_mark(session=session, marks={booking.pk: True}, actor=actor, now=when + timedelta(minutes=10))
    booking.refresh_from_db()
    assert booking.status == BookingStatus.COMPLETED
    again = Achievement.objects.get(reference=f"courses.booking:{booking.pk}:2")
    assert again.withdrawn_at is None
    assert _course_rows(booking.person).count() == 3


def test_attendance_waits_for_the_session_to_start():
    session, (booking,) = started_session_with(1)
    with pytest.raises(BookingError, match="once the session has started"):
        attendance_mark(
            session=session,
            marks={booking.pk: True},
            actor=training_administrator(),
            now=session.starts_at - timedelta(minutes=1),
        )
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED
    assert not Achievement.objects.exists()


def test_only_confirmed_bookings_of_this_session_are_marked_and_nothing_changes_otherwise():
    session, (confirmed, waitlisted) = started_session_with(2, capacity=1)
    other_session, (stranger,) = started_session_with(1)
    actor = training_administrator()
    with pytest.raises(BookingError, match="only confirmed attendees"):
        attendance_mark(
            session=session, marks={confirmed.pk: True, waitlisted.pk: True}, actor=actor, now=after_start(session)
        )
    with pytest.raises(BookingError, match="not on this session"):
        attendance_mark(session=session, marks={stranger.pk: True}, actor=actor, now=after_start(session))
    confirmed.refresh_from_db()
    assert confirmed.status == BookingStatus.CONFIRMED
    assert not Achievement.objects.exists()


@pytest.mark.parametrize("role", ["Learner", "HR analyst", "Content editor", "Line manager"])
def test_only_a_training_administrator_marks_or_closes(role):
    session, (booking,) = started_session_with(1)
    other = UserFactory(roles=[role])
    with pytest.raises(NotAllowed):
        attendance_mark(session=session, marks={booking.pk: True}, actor=other, now=after_start(session))
    with pytest.raises(NotAllowed):
        session_close(session=session, actor=other, now=after_start(session))
    booking.refresh_from_db()
    session.refresh_from_db()
    assert (booking.status, session.status) == (BookingStatus.CONFIRMED, SessionStatus.SCHEDULED)


def test_the_learner_cannot_mark_their_own_attendance():
    session, (booking,) = started_session_with(1)
    with pytest.raises(NotAllowed):
        attendance_mark(session=session, marks={booking.pk: True}, actor=booking.person.user, now=after_start(session))


def test_a_session_closes_only_when_everyone_confirmed_is_marked():
    session, (one, two, waiting) = started_session_with(3, capacity=2)
    actor = training_administrator()
    when = after_start(session)
    attendance_mark(session=session, marks={one.pk: True}, actor=actor, now=when)
    with pytest.raises(BookingError, match="1 confirmed booking has no attendance mark"):
        session_close(session=session, actor=actor, now=when)
    session.refresh_from_db()
    assert session.status == SessionStatus.SCHEDULED

    attendance_mark(session=session, marks={two.pk: False}, actor=actor, now=when)
    session_close(session=session, actor=actor, now=when)
    session.refresh_from_db()
    waiting.refresh_from_db()
    assert session.status == SessionStatus.COMPLETED
    assert waiting.status == BookingStatus.CANCELLED  # the waiting list ends with the session
    assert ModelLogEntry.objects.filter(action="capability.courses.session_close").count() == 1
    with pytest.raises(BookingError, match="completed"):
        session_close(session=session, actor=actor, now=when)
    # A wrong mark can still be corrected after closing.
    attendance_mark(session=session, marks={two.pk: True}, actor=actor, now=when)
    two.refresh_from_db()
    assert two.status == BookingStatus.COMPLETED


def test_a_session_cannot_close_before_it_starts_nor_take_attendance_once_cancelled():
    session, (booking,) = started_session_with(1)
    actor = training_administrator()
    with pytest.raises(BookingError, match="not started"):
        session_close(session=session, actor=actor, now=session.starts_at - timedelta(hours=1))
    session_cancel(session=session, actor=actor, reason="Venue flooded")
    with pytest.raises(BookingError, match="cancelled"):
        attendance_mark(session=session, marks={booking.pk: True}, actor=actor, now=after_start(session))


def test_the_system_marks_attendance_without_an_actor():
    session, (booking,) = started_session_with(1)
    attendance_mark(session=session, marks={booking.pk: True}, actor=None, now=after_start(session))
    booking.refresh_from_db()
    assert booking.status == BookingStatus.COMPLETED
    assert booking.attendance_marked_by is None


def test_attendance_moves_the_persons_plan_action_on_and_asks_once_how_it_went():
    session, (attended, absent) = started_session_with(2)
    for booking in (attended, absent):
        plan_action_add(
            person=booking.person,
            actor=None,
            kind=PlanAction.Kind.COURSE,
            title=session.course.title,
            url=session.course.url,
            reference=f"courses.booking:{booking.pk}",
        )
    actor = training_administrator()
    marks = {attended.pk: True, absent.pk: False}
    attendance_mark(session=session, marks=marks, actor=actor, now=after_start(session))

    done = PlanAction.objects.get(plan__person=attended.person)
    assert done.status == PlanAction.Status.DONE
    assert done.evidence == _course_rows(attended.person).get()
    assert PlanAction.objects.get(plan__person=absent.person).status == PlanAction.Status.PLANNED
    asked = Notification.objects.filter(kind="evaluation_requested")
    assert [n.user_id for n in asked] == [attended.person.user_id]
    attendance_mark(session=session, marks={absent.pk: True}, actor=actor, now=after_start(session))
    assert asked.all().count() == 2  # the absent one, corrected to attended, is asked now; nobody twice
