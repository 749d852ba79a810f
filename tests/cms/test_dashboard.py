"""After signing in, everyone lands on a dashboard of what they have to do next, for the roles they hold."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.html import escape

from cms.accounts.enums import Role
from courses.enums import DeliveryMode
from courses.services.bookings import booking_request
from courses.services.completions import completion_record
from skills.services import review_request_evidence, self_assessment_draft_save, self_assessment_submit
from tests.cms.factories import PASSWORD, SuperuserFactory, UserFactory
from tests.courses.factories import SessionFactory, course_create
from tests.skills.factories import PersonFactory
from tests.skills.test_views import client_for, make_release

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    release, role_level = make_release(3)
    manager = PersonFactory(user=UserFactory(roles=[Role.LEARNER, Role.LINE_MANAGER]))
    learner = PersonFactory(line_manager=manager, current_role_level=role_level, target_role_level=role_level)
    return release, manager, learner


def draft(person, release, code, evidence="Did it."):
    self_assessment_draft_save(
        person=person,
        skill=release.skills.get(code=code),
        level=release.levels.get(code="expert"),
        evidence=evidence,
        actor=person.user,
    )


def test_signing_in_lands_on_the_dashboard(client, team):
    release, manager, learner = team
    learner.user.set_password(PASSWORD)
    learner.user.save()

    response = client.post("/accounts/sign-in/", {"username": learner.user.email, "password": PASSWORD}, follow=True)

    assert response.redirect_chain[-1][0] == "/dashboard/"
    assert f"Hello, {escape(learner.user.first_name)}" in response.content.decode()


def test_the_dashboard_counts_a_learners_next_actions(team, django_capture_on_commit_callbacks):
    release, manager, learner = team
    draft(learner, release, "skill-00")
    self_assessment_submit(person=learner, actor=learner.user)
    review_request_evidence(review=learner.assessments.get().reviews.get(), reviewer=manager, message="More?")
    draft(learner, release, "skill-01")
    draft(learner, release, "skill-02")

    html = client_for(learner).get("/dashboard/").content.decode()

    assert "1 claim needs more evidence" in html
    assert "Check and send 2 answers in progress" in html
    assert "waiting for you" not in html


def test_a_manager_sees_the_claims_waiting_for_them_and_their_team(team):
    release, manager, learner = team
    draft(learner, release, "skill-00")
    self_assessment_submit(person=learner, actor=learner.user)

    html = client_for(manager).get("/dashboard/").content.decode()

    assert "Review 1 claim waiting for you" in html
    assert "Your team's skills" in html
    assert "Admin work" not in html


def test_admin_roles_see_their_admin_work(client):
    client.force_login(UserFactory(roles=[Role.CONTENT_EDITOR]))
    editor = client.get("/dashboard/").content.decode()
    assert "Edit the framework: start a new draft release" in editor
    assert "Your account has no skills profile" in editor

    client.force_login(UserFactory(roles=[Role.HR_ANALYST]))
    assert "Manage people and upload the HR feed" in client.get("/dashboard/").content.decode()

    client.force_login(UserFactory(roles=[Role.LEARNER, Role.TRAINING_ADMINISTRATOR]))
    training = client.get("/dashboard/").content.decode()
    assert 'href="/admin/training/sessions/">Schedule sessions, see rosters and mark attendance' in training

    client.force_login(SuperuserFactory())
    assert "Manage people" in client.get("/dashboard/").content.decode()


def test_the_dashboard_shows_only_the_signed_in_persons_own_work(team):
    release, manager, learner = team
    draft(learner, release, "skill-00", evidence="Private evidence of the learner.")
    outsider = PersonFactory()

    html = client_for(outsider).get("/dashboard/").content.decode()

    assert "answers in progress" not in html
    assert "Private evidence" not in html


def test_the_dashboard_costs_the_same_queries_for_one_claim_and_for_many(team):
    release, manager, learner = team
    counts = []
    for code in ("skill-00", "skill-01"):
        draft(learner, release, code)
        self_assessment_submit(person=learner, actor=learner.user)
        client = client_for(manager)
        client.get("/dashboard/")
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/dashboard/").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_a_manager_sees_the_training_requests_and_completions_waiting_for_them(team):
    _release, manager, learner = team
    session = SessionFactory(course=course_create(needs_approval=True))
    booking_request(session=session, person=learner, actor=learner.user)
    course = course_create(title="Accessibility essentials", delivery_mode=DeliveryMode.SELF_PACED)
    completion = completion_record(
        person=learner, course=course, completed_on=timezone.localdate(), evidence="Certificate 42", actor=learner.user
    )

    html = client_for(manager).get("/dashboard/").content.decode()

    assert 'href="/training/approvals/">Decide 1 training request</a>' in html
    assert f'href="/training/completions/{completion.pk}/">Confirm {escape(learner.user.get_full_name())}' in html
    assert "Delegate your approvals while you are away" in html
    assert "Decide" not in client_for(learner).get("/dashboard/").content.decode()
