"""From a recommendation to the plan, and from booking and attending to the plan action moving on by itself
(the courses → skills adapter, `courses.services.plans`)."""

from datetime import date

import pytest

from courses.enums import BookingStatus, CompletionStatus, DeliveryMode
from courses.models import CourseCompletion
from courses.services.bookings import booking_cancel, booking_request
from courses.services.plans import booking_reference, plan_sync_for_booking, plan_sync_for_completion
from skills.models import PlanAction
from skills.services import Outcome, course_evidence_record
from tests.courses.factories import SessionFactory, course_create
from tests.skills.factories import PersonFactory
from tests.skills.test_views import client_for, make_release

pytestmark = pytest.mark.django_db
Status = PlanAction.Status


@pytest.fixture
def setting():
    release, role_level = make_release(2)
    levels = {level.code: level for level in release.levels.all()}
    skill = release.skills.get(code="skill-00")
    learner = PersonFactory(line_manager=PersonFactory(), target_role_level=role_level)
    course = course_create(title="Data from scratch", outcomes=[(skill, None, levels["practitioner"])])
    return release, skill, learner, course


def add_from_recommendation(learner, course):
    """What the gap page's "Add to my plan" button sends."""
    client = client_for(learner)
    page = client.get("/skills/gaps/").content.decode()
    assert "Add to my plan" in page
    response = client.post(
        "/skills/plan/actions/add/",
        {
            "kind": "course",
            "title": course.title,
            "url": course.get_url(),
            "skill_code": "skill-00",
            "target_rank": "3",
            "next": "/skills/gaps/",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/skills/gaps/"
    return PlanAction.objects.get(plan__person=learner)


def test_booking_a_session_of_a_planned_course_puts_the_action_in_progress_and_attending_makes_it_done(setting):
    release, skill, learner, course = setting
    SessionFactory(course=course)
    action = add_from_recommendation(learner, course)
    booking = booking_request(session=course.sessions.get(), person=learner, actor=learner.user)

    plan_sync_for_booking(booking)
    action.refresh_from_db()
    assert (action.status, action.reference) == (Status.IN_PROGRESS, booking_reference(booking))

    booking.status = BookingStatus.COMPLETED  # as the attendance service leaves it
    booking.save()
    course_evidence_record(
        person=learner,
        outcomes=[Outcome(release.framework_id, "skill-00", 3)],
        reference=booking_reference(booking),
        title=course.title,
        achieved_on=date.today(),
        author=None,
    )
    plan_sync_for_booking(booking)
    plan_sync_for_booking(booking)  # twice: nothing more changes

    action.refresh_from_db()
    assert action.status == Status.DONE
    assert (action.evidence.skill.code, action.evidence.level.rank) == ("skill-00", 3)
    page = client_for(learner).get("/skills/plan/").content.decode()
    assert "Evidence: Skill 00 at Practitioner" in page


def test_cancelling_the_booking_puts_the_action_back_to_planned_for_the_next_session(setting):
    release, skill, learner, course = setting
    first, second = SessionFactory(course=course), SessionFactory(course=course)
    action = add_from_recommendation(learner, course)
    booking = booking_request(session=first, person=learner, actor=learner.user)
    plan_sync_for_booking(booking)

    booking = booking_cancel(booking=booking, actor=learner.user, reason="Clashes with a release")
    plan_sync_for_booking(booking)
    action.refresh_from_db()
    assert (action.status, action.reference) == (Status.PLANNED, "")

    rebooked = booking_request(session=second, person=learner, actor=learner.user)
    plan_sync_for_booking(rebooked)
    action.refresh_from_db()
    assert (action.status, action.reference) == (Status.IN_PROGRESS, booking_reference(rebooked))


def test_a_booking_of_a_course_nobody_planned_changes_no_plan(setting):
    release, skill, learner, course = setting
    booking = booking_request(session=SessionFactory(course=course), person=learner, actor=learner.user)
    assert plan_sync_for_booking(booking) == []
    assert not PlanAction.objects.exists()


def test_a_self_paced_completion_claimed_then_confirmed_moves_the_action_on(setting):
    release, skill, learner, _ = setting
    levels = {level.code: level for level in release.levels.all()}
    online = course_create(
        title="Data online", outcomes=[(skill, None, levels["practitioner"])], delivery_mode=DeliveryMode.SELF_PACED
    )
    action = add_from_recommendation(learner, online)
    completion = CourseCompletion.objects.create(
        person=learner, course=online, completed_on=date.today(), evidence="Finished all modules."
    )

    plan_sync_for_completion(completion)
    action.refresh_from_db()
    assert action.status == Status.IN_PROGRESS

    completion.status = CompletionStatus.CONFIRMED
    completion.save()
    course_evidence_record(
        person=learner,
        outcomes=[Outcome(release.framework_id, "skill-00", 3)],
        reference=f"courses.completion:{completion.pk}",
        title=online.title,
        achieved_on=date.today(),
        author=learner.line_manager.user,
    )
    plan_sync_for_completion(completion)
    action.refresh_from_db()
    assert action.status == Status.DONE
    assert action.evidence.level.rank == 3
