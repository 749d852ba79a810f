"""Registering interest in training where none can be booked, withdrawing it, and the demand administrators see."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from cms.accounts.enums import Role
from courses.models import CourseInterest
from courses.services.interest import InterestError, interest_register, interest_withdraw
from tests.cms.factories import UserFactory
from tests.conftest import page_queries
from tests.courses.factories import course_create
from tests.frameworks.factories import FrameworkFactory
from tests.skills.factories import PersonFactory
from tests.skills.test_views import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(db):
    return course_create(title="Data analysis essentials")


def test_registering_interest_twice_keeps_one_row_and_a_skill_again_records_the_level_now_needed(learner, course):
    framework = FrameworkFactory()

    first, created = interest_register(person=learner, actor=learner.user, course=course)
    again, created_again = interest_register(person=learner, actor=learner.user, course=course)
    skill, _ = interest_register(
        person=learner, actor=learner.user, framework=framework, skill_code="data-analysis", level_rank=2
    )
    interest_register(person=learner, actor=learner.user, framework=framework, skill_code="data-analysis", level_rank=3)

    assert (created, created_again, first.pk) == (True, False, again.pk)
    assert CourseInterest.objects.count() == 2
    skill.refresh_from_db()
    assert skill.level_rank == 3


def test_interest_needs_a_course_or_a_skill_and_only_the_person_registers_or_withdraws_it(learner, manager, course):
    with pytest.raises(InterestError):
        interest_register(person=learner, actor=learner.user)
    with pytest.raises(PermissionDenied):
        interest_register(person=learner, actor=manager.user, course=course)
    interest, _ = interest_register(person=learner, actor=learner.user, course=course)
    with pytest.raises(PermissionDenied):
        interest_withdraw(interest=interest, actor=manager.user)
    assert CourseInterest.objects.filter(pk=interest.pk).exists()

    interest_withdraw(interest=interest, actor=learner.user)

    assert not CourseInterest.objects.exists()


def test_a_learner_registers_interest_from_the_gap_page_sees_it_and_withdraws_it(learner, course):
    client = client_for(learner)

    response = client.post("/training/interest/", {"course": course.pk, "next": "/skills/gaps/"})

    assert response.status_code == 302
    assert response["Location"] == "/skills/gaps/"
    interest = CourseInterest.objects.get(person=learner, course=course)
    page = client.get("/training/interest/").content.decode()
    assert "Data analysis essentials" in page
    assert f"/training/interest/{interest.pk}/withdraw/" in page

    client.post(f"/training/interest/{interest.pk}/withdraw/")

    assert not CourseInterest.objects.exists()


def test_the_interest_form_refuses_a_redirect_to_another_site_and_a_course_that_does_not_exist(learner, course):
    client = client_for(learner)

    response = client.post("/training/interest/", {"course": course.pk, "next": "https://example.com/"})
    assert response["Location"] == "/training/interest/"
    response = client.post("/training/interest/", {"course": 999999}, follow=True)
    assert "could not be found" in response.content.decode()
    assert CourseInterest.objects.count() == 1


def test_another_person_cannot_see_or_withdraw_someone_elses_interest(learner, course):
    interest, _ = interest_register(person=learner, actor=learner.user, course=course)
    outsider = client_for(PersonFactory())

    assert "Data analysis essentials" not in outsider.get("/training/interest/").content.decode()
    assert outsider.post(f"/training/interest/{interest.pk}/withdraw/").status_code == 404
    assert CourseInterest.objects.filter(pk=interest.pk).exists()


def test_training_administrators_see_the_demand_by_course_and_skill_and_who_asked(course, django_assert_num_queries):
    framework = FrameworkFactory()
    people = [PersonFactory() for _ in range(3)]
    for person in people:
        interest_register(person=person, actor=None, course=course)
    interest_register(person=people[0], actor=None, framework=framework, skill_code="data-analysis", level_rank=3)
    admin = UserFactory(roles=[Role.TRAINING_ADMINISTRATOR])
    client = client_for_user(admin)

    page = client.get("/admin/training-demand/").content.decode()

    assert "Data analysis essentials" in page
    assert "data-analysis" in page
    who = client.get(f"/admin/training-demand/course/{course.pk}/").content.decode()
    assert all(person.user.email in who for person in people)
    skill_who = client.get(f"/admin/training-demand/skill/{framework.pk}/data-analysis/").content.decode()
    assert people[0].user.email in skill_who
    assert people[1].user.email not in skill_who


@pytest.mark.parametrize("role", [Role.CONTENT_EDITOR, Role.HR_ANALYST])
def test_other_admin_roles_do_not_see_who_asked_for_training(course, role):
    interest_register(person=PersonFactory(), actor=None, course=course)
    client = client_for_user(UserFactory(roles=[role]))

    assert client.get("/admin/training-demand/").status_code == 302
    assert client.get(f"/admin/training-demand/course/{course.pk}/").status_code == 302


def client_for_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_interest_page_keeps_a_constant_query_count(learner):
    counts = []
    for size in (1, 6):
        for index in range(size):
            interest_register(person=learner, actor=None, course=course_create(title=f"Course {size}-{index}"))
        client = client_for(learner)
        client.get("/training/interest/")
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/training/interest/").status_code == 200
        counts.append(len(page_queries(queries.captured_queries)))
    assert counts == [
        3,
        3,
    ]  # the session, the user with its session record, person, the interests with their courses and skill names
