"""Development plans' services: who may change what, agreement asked again after a change, and the sync that
training uses to move actions on."""

from datetime import date

import pytest

from skills.enums import AssessmentSource
from skills.models import DevelopmentPlan, PlanAction
from skills.services import assessment_record
from skills.services.errors import NotAllowed
from skills.services.plans import (
    PlanError,
    plan_action_add,
    plan_action_status_set,
    plan_action_update,
    plan_actions_sync,
    plan_agree,
    plan_comment_add,
)
from tests.skills.factories import PersonFactory
from tests.skills.test_views import make_release

pytestmark = pytest.mark.django_db
Status = PlanAction.Status


@pytest.fixture
def people():
    manager = PersonFactory()
    return manager, PersonFactory(line_manager=manager)


def add(person, **fields):
    values = {"kind": PlanAction.Kind.ON_THE_JOB, "title": "Lead the data quality review"} | fields
    return plan_action_add(person=person, actor=person.user, **values)


def test_the_learner_proposes_the_manager_agrees_and_a_change_asks_for_agreement_again(people):
    manager, learner = people
    action = add(learner, target_date=date(2027, 3, 31))
    plan = action.plan
    assert not plan.is_agreed

    plan_agree(plan=plan, actor=manager.user)
    plan.refresh_from_db()
    assert plan.is_agreed
    assert plan.agreed_by == manager.user

    plan_action_update(action=action, actor=learner.user, kind=PlanAction.Kind.MENTOR, title="Pair with Sam")
    plan.refresh_from_db()
    assert not plan.is_agreed
    assert plan.agreed_at is not None


def test_progress_on_an_action_keeps_the_agreement_but_dropping_one_asks_again(people):
    manager, learner = people
    first, second = add(learner), add(learner, title="Read the data ethics framework", kind=PlanAction.Kind.READING)
    plan_agree(plan=first.plan, actor=manager.user)

    plan_action_status_set(action=first, actor=learner.user, status=Status.DONE)
    assert DevelopmentPlan.objects.get().is_agreed
    plan_action_status_set(action=second, actor=learner.user, status=Status.DROPPED)
    assert not DevelopmentPlan.objects.get().is_agreed
    with pytest.raises(PlanError):
        plan_action_status_set(action=first, actor=learner.user, status=Status.IN_PROGRESS)


def test_only_the_person_changes_their_actions_and_only_their_line_manager_agrees(people):
    manager, learner = people
    action = add(learner)
    grand_manager = PersonFactory()
    manager.line_manager = grand_manager
    manager.save()
    for outsider in (manager.user, grand_manager.user, PersonFactory().user):
        with pytest.raises(NotAllowed):
            plan_action_add(person=learner, actor=outsider, kind=PlanAction.Kind.READING, title="x")
        with pytest.raises(NotAllowed):
            plan_action_status_set(action=action, actor=outsider, status=Status.DONE)
    for not_line_manager in (learner.user, grand_manager.user, PersonFactory().user):
        with pytest.raises(NotAllowed):
            plan_agree(plan=action.plan, actor=not_line_manager)
    with pytest.raises(NotAllowed):
        plan_comment_add(plan=action.plan, actor=grand_manager.user, text="Looks good")
    assert PlanAction.objects.get().status == Status.PLANNED
    assert not DevelopmentPlan.objects.get().is_agreed


def test_an_action_needs_a_title_a_level_needs_a_skill_and_links_stay_on_the_service(people):
    manager, learner = people
    with pytest.raises(PlanError, match="what the action is"):
        add(learner, title="  ")
    with pytest.raises(PlanError, match="skill"):
        add(learner, target_rank=3)
    with pytest.raises(PlanError, match="this service"):
        add(learner, url="https://example.com/course")
    assert not PlanAction.objects.exists()


def test_adding_the_same_course_twice_keeps_one_open_action(people):
    manager, learner = people
    first = add(learner, kind=PlanAction.Kind.COURSE, title="Data analysis", url="/courses/data-analysis/")
    again = add(learner, kind=PlanAction.Kind.COURSE, title="Data analysis", url="/courses/data-analysis/")
    assert first.pk == again.pk


def test_sync_matches_an_open_action_by_course_url_then_by_reference_and_links_the_evidence(people):
    manager, learner = people
    release, _ = make_release(2)
    skill = release.skills.get(code="skill-01")
    action = add(
        learner,
        kind=PlanAction.Kind.COURSE,
        title="Data analysis",
        url="/courses/data-analysis/",
        skill_code="skill-01",
    )
    unrelated = add(learner, title="Shadow a practitioner")

    plan_actions_sync(
        person=learner, reference="courses.booking:7", status=Status.IN_PROGRESS, url="/courses/data-analysis/"
    )
    action.refresh_from_db()
    assert (action.status, action.reference) == (Status.IN_PROGRESS, "courses.booking:7")

    evidence = [
        assessment_record(
            person=learner, skill=other, level=release.levels.get(code="working"), source=AssessmentSource.COURSE
        )
        for other in release.skills.order_by("code")
    ]
    plan_actions_sync(person=learner, reference="courses.booking:7", status=Status.DONE, evidence=evidence)

    action.refresh_from_db()
    assert action.status == Status.DONE
    assert action.evidence.skill == skill
    assert action.done_at is not None
    unrelated.refresh_from_db()
    assert unrelated.status == Status.PLANNED


def test_a_cancelled_booking_puts_the_action_back_to_planned_and_a_finished_action_is_never_reopened(people):
    manager, learner = people
    action = add(learner, kind=PlanAction.Kind.COURSE, title="Data analysis", url="/courses/data-analysis/")
    plan_actions_sync(person=learner, reference="courses.booking:1", status=Status.IN_PROGRESS, url=action.url)

    plan_actions_sync(person=learner, reference="courses.booking:1", status=Status.PLANNED, url=action.url)
    action.refresh_from_db()
    assert (action.status, action.reference) == (Status.PLANNED, "")

    plan_actions_sync(person=learner, reference="courses.booking:2", status=Status.IN_PROGRESS, url=action.url)
    plan_action_status_set(action=action, actor=learner.user, status=Status.DROPPED)
    plan_actions_sync(person=learner, reference="courses.booking:2", status=Status.DONE)
    action.refresh_from_db()
    assert action.status == Status.DROPPED


def test_sync_touches_only_the_persons_own_actions(people):
    manager, learner = people
    other = add(PersonFactory(), kind=PlanAction.Kind.COURSE, title="Data analysis", url="/courses/data-analysis/")

    changed = plan_actions_sync(
        person=learner, reference="courses.booking:3", status=Status.IN_PROGRESS, url="/courses/data-analysis/"
    )

    assert changed == []
    other.refresh_from_db()
    assert other.status == Status.PLANNED
