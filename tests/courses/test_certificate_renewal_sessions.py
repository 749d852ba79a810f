"""Courses answers skills' renewal hook: a certificate's expiry reminder lists the upcoming sessions of the course
that renews it, open for booking with a seat left, and nothing for an award that is not a course's."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from courses.enums import SessionStatus
from courses.selectors.catalogue import renewal_sessions
from skills.models import Certificate
from skills.services.certificate_reminders import certificate_reminders_send
from skills.services.certificate_reminders import renewal_sessions as skills_renewal_sessions
from tests.courses.factories import SessionFactory, course_create
from tests.skills.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_only_bookable_sessions_with_a_seat_of_that_course_renew_it(django_assert_num_queries):
    course = course_create(title="Agile foundations")
    soon = SessionFactory(course=course, town="York")
    later = SessionFactory(course=course, town="", starts_at=soon.starts_at + timedelta(days=20))
    SessionFactory(course=course, capacity=1, seats_taken=1)  # full
    SessionFactory(course=course, status=SessionStatus.CANCELLED)
    SessionFactory(course=course, booking_opens_at=timezone.now() + timedelta(days=1))  # not open yet
    SessionFactory(course=course_create(title="Another course"))

    with django_assert_num_queries(1):
        found = renewal_sessions(award=course.award)

    assert found == [soon, later]
    assert found[0].seats_left == 20
    assert renewal_sessions(award="skills.skill:ddat:DATA:3") == []
    assert renewal_sessions(award="courses.course:not-a-number") == []
    assert renewal_sessions(award=f"courses.course:{course.pk + 1000}") == []


def test_an_unpublished_course_offers_no_sessions():
    course = course_create(title="Withdrawn course")
    SessionFactory(course=course)
    course.unpublish()
    assert renewal_sessions(award=course.award) == []


def test_the_hook_gives_skills_the_sessions_to_book():
    course = course_create(title="Agile foundations")
    session = SessionFactory(course=course, town="")
    found = skills_renewal_sessions(award=course.award)
    assert [(item.place, item.seats_left, item.path) for item in found] == [
        ("Online", 20, f"/training/sessions/{session.pk}/book/")
    ]
    assert skills_renewal_sessions(award="skills.skill:ddat:DATA:3") == []


def test_the_reminder_lists_the_sessions_that_renew_the_certificate(django_capture_on_commit_callbacks):
    course = course_create(title="Agile foundations")
    session = SessionFactory(course=course, town="Leeds")
    holder = PersonFactory(line_manager=PersonFactory())
    today = timezone.localdate()
    Certificate.objects.create(
        holder=holder,
        kind=Certificate.Kind.COURSE,
        award=course.award,
        title="Agile foundations",
        number="CAP-R-1",
        issued_on=today - timedelta(days=700),
        expires_on=today + timedelta(days=30),
        status_list_index=4242,
    )

    with django_capture_on_commit_callbacks(execute=True):
        assert certificate_reminders_send() == 1

    for message in mail.outbox:  # the holder's and the manager's
        assert "These sessions of the course renew it" in message.body
        assert f"/training/sessions/{session.pk}/book/" in message.body
        assert "Leeds (20 seats left)" in message.body
