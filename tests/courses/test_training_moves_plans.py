"""Training moves the person's development plan on by itself, the manager's delegate hears of requests while the
manager is away, and a confirmed self-paced completion asks the learner once how it went."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from courses.enums import DeliveryMode
from courses.services.bookings import booking_cancel, booking_request
from courses.services.completions import completion_confirm, completion_record
from skills.models import Notification, PlanAction
from skills.services.delegation import delegation_create
from skills.services.plans import plan_action_add
from tests.courses.factories import SessionFactory, course_create
from tests.skills.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _action_for(person, course):
    return plan_action_add(person=person, actor=None, kind=PlanAction.Kind.COURSE, title=course.title, url=course.url)


def test_booking_then_cancelling_moves_the_plan_action_to_in_progress_and_back(learner):
    session = SessionFactory()
    action = _action_for(learner, session.course)
    booking = booking_request(session=session, person=learner, actor=learner.user)
    action.refresh_from_db()
    assert (action.status, action.reference) == (PlanAction.Status.IN_PROGRESS, f"courses.booking:{booking.pk}")
    booking_cancel(booking=booking, actor=learner.user, reason="Clash with a release")
    action.refresh_from_db()
    assert action.status == PlanAction.Status.PLANNED


def test_a_request_also_goes_to_the_managers_delegate_while_the_manager_is_away(learner, manager):
    delegate = PersonFactory()
    PersonFactory(line_manager=delegate)  # a delegate is a line manager too
    today = timezone.localdate()
    delegation_create(
        delegator=manager, delegate=delegate, starts_on=today, ends_on=today + timedelta(days=5), actor=None
    )
    session = SessionFactory(course=course_create(needs_approval=True))
    booking_request(session=session, person=learner, actor=learner.user)
    told = set(Notification.objects.filter(kind="booking_approval_needed").values_list("user_id", flat=True))
    assert told == {manager.user_id, delegate.user_id}


def test_a_confirmed_self_paced_completion_finishes_the_plan_action_and_asks_once_how_it_went(learner, manager):
    course = course_create(delivery_mode=DeliveryMode.SELF_PACED)
    action = _action_for(learner, course)
    completion = completion_record(
        person=learner, course=course, completed_on=date.today(), evidence="Certificate 123", actor=learner.user
    )
    action.refresh_from_db()
    assert action.status == PlanAction.Status.IN_PROGRESS
    completion_confirm(completion=completion, actor=manager.user, url=course.url)
    action.refresh_from_db()
    assert action.status == PlanAction.Status.DONE
    assert Notification.objects.filter(kind="evaluation_requested", user=learner.user).count() == 1
