"""The recommendations on the gap page from the cache (decision 0208, amendment of 7 December): every change to
what they were written from shows on the next view — the catalogue, the person's bookings, someone leaving a
waiting list, what the person asked for, their validated level, their grade, the passing of time — and what is
personal to a request (the CSRF token, who is looking) is never shared."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from courses.enums import DeliveryMode
from courses.services.bookings import booking_cancel, booking_request
from courses.services.interest import interest_register
from courses.views import recommendations
from skills.enums import AssessmentSource
from skills.models import PlanAction
from skills.services import assessment_record
from tests.courses.factories import SessionFactory, course_create
from tests.courses.test_recommendations import learner_setting
from tests.skills.factories import GradeFactory, PersonFactory
from tests.skills.test_views import client_for

pytestmark = pytest.mark.django_db

URL = "/skills/gaps/"


def gaps_page(client) -> str:
    return client.get(URL).content.decode().replace("&#x27;", "'")


@pytest.fixture
def setting():
    return learner_setting()


@pytest.fixture
def course(setting):
    release, levels, skill, manager, learner = setting
    return course_create(title="Working to Practitioner", outcomes=[(skill, levels["working"], levels["practitioner"])])


def test_a_session_scheduled_after_the_page_was_written_shows_on_the_next_view(setting, course):
    *_, learner = setting
    client = client_for(learner)
    assert "has no session open for booking" in gaps_page(client)
    assert "has no session open for booking" in gaps_page(client)  # from the cache

    SessionFactory(course=course, town="York")

    page = gaps_page(client)
    assert "has no session open for booking" not in page
    assert "York" in page


def test_the_learners_own_booking_shows_on_the_next_view(setting, course, django_capture_on_commit_callbacks):
    *_, learner = setting
    session = SessionFactory(course=course, capacity=5)
    client = client_for(learner)
    assert "5 seats left" in gaps_page(client)

    with django_capture_on_commit_callbacks(execute=True):
        booking = booking_request(session=session, person=learner, actor=learner.user)
    assert "You have a booking for this session" in gaps_page(client)

    with django_capture_on_commit_callbacks(execute=True):
        booking_cancel(booking=booking, actor=learner.user, reason="Clashes with leave")
    assert "5 seats left" in gaps_page(client)


def test_a_request_waiting_for_approval_shows_as_booked_though_it_holds_no_seat(
    setting, django_capture_on_commit_callbacks
):
    release, levels, skill, manager, learner = setting
    course = course_create(
        title="Approved first", outcomes=[(skill, levels["working"], levels["practitioner"])], needs_approval=True
    )
    session = SessionFactory(course=course, capacity=5)
    client = client_for(learner)
    assert "5 seats left" in gaps_page(client)

    with django_capture_on_commit_callbacks(execute=True):
        booking_request(session=session, person=learner, actor=learner.user)  # the catalogue has not changed

    assert "You have a booking for this session" in gaps_page(client)


def test_someone_leaving_the_waiting_list_shortens_it_on_the_next_view(
    setting, course, django_capture_on_commit_callbacks
):
    *_, learner = setting
    session = SessionFactory(course=course, capacity=1)
    others = [PersonFactory() for _ in range(3)]
    with django_capture_on_commit_callbacks(execute=True):
        bookings = [booking_request(session=session, person=other, actor=other.user) for other in others]
    client = client_for(learner)
    assert "Full: 2 on the waiting list" in gaps_page(client)

    with django_capture_on_commit_callbacks(execute=True):
        booking_cancel(booking=bookings[2], actor=others[2].user, reason="No longer needed")

    assert "Full: 1 on the waiting list" in gaps_page(client)


def test_registering_interest_shows_on_the_next_view(setting, course):
    *_, learner = setting
    client = client_for(learner)
    assert "Ask for a session" in gaps_page(client)

    interest_register(person=learner, actor=learner.user, course=course)

    page = gaps_page(client)
    assert "you have asked for one." in page
    assert "Ask for a session" not in page


def test_a_newly_validated_level_changes_the_gap_and_its_training(setting, course):
    release, levels, skill, manager, learner = setting
    course_create(
        title="Practitioner to Expert", outcomes=[(skill, levels["practitioner"], levels["expert"])]
    )  # for a gap nobody has here
    client = client_for(learner)
    assert "Working to Practitioner" in gaps_page(client)

    assessment_record(
        person=learner,
        skill=skill,
        level=levels["practitioner"],
        source=AssessmentSource.LINE_MANAGER,
        author=manager.user,
    )

    page = gaps_page(client)
    assert "Training for Skill 00" not in page  # met: nothing recommended for it
    assert "Working to Practitioner" not in page


def test_a_new_grade_changes_which_courses_the_learner_may_take(setting):
    release, levels, skill, manager, learner = setting
    senior = GradeFactory()
    course_create(title="For seniors only", outcomes=[(skill, None, levels["expert"])], grades=[senior])
    client = client_for(learner)
    assert "For seniors only" not in gaps_page(client)

    learner.grade = senior
    learner.save(update_fields=["grade"])

    assert "For seniors only" in gaps_page(client)


def test_a_session_whose_booking_closes_as_time_passes_leaves_the_recommendations_then(setting, course, monkeypatch):
    *_, learner = setting
    session = SessionFactory(course=course, town="Bristol")
    client = client_for(learner)
    assert "Bristol" in gaps_page(client)

    monkeypatch.setattr(timezone, "now", lambda: session.booking_closes_at - timedelta(seconds=1))
    assert "Bristol" in gaps_page(client)
    monkeypatch.setattr(timezone, "now", lambda: session.booking_closes_at)
    assert "Bristol" not in gaps_page(client)


def test_forms_written_from_the_cache_carry_this_requests_token_and_work(setting, course):
    *_, learner = setting
    course_create(
        title="Practitioner online",
        outcomes=[(setting[2], setting[1]["working"], setting[1]["practitioner"])],
        delivery_mode=DeliveryMode.SELF_PACED,
    )
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner.user)
    client.get(URL)
    page = client.get(URL).content.decode()  # from the cache
    assert "capability:csrf" not in page
    tokens = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page))
    assert tokens  # the forms' token is this request's
    form = re.search(r'<form method="post" action="(/skills/plan/[^"]*)"[^>]*>(.*?)</form>', page, re.S)
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form.group(2)))

    response = client.post(form.group(1), fields)

    assert response.status_code == 302
    assert PlanAction.objects.filter(plan__person=learner, title="Practitioner online").exists()


def test_the_learners_forms_are_never_shown_to_their_manager_and_the_other_way_round(setting, course):
    release, levels, skill, manager, learner = setting
    SessionFactory(course=course)
    learner_client, manager_client = client_for(learner), client_for(manager)
    for _ in range(2):
        assert "Add to my plan" in gaps_page(learner_client)
        team_page = manager_client.get(f"/skills/team/{learner.pk}/").content.decode()
        assert "Working to Practitioner" in team_page
        assert "Add to my plan" not in team_page


def test_a_booking_on_a_session_they_did_not_weigh_leaves_them_cached_and_one_they_did_rewrites_them(
    setting, course, monkeypatch, django_capture_on_commit_callbacks
):
    release, levels, skill, manager, learner = setting
    weighed = SessionFactory(course=course, capacity=5)
    elsewhere = SessionFactory(
        course=course_create(
            title="Elsewhere", outcomes=[(release.skills.get(code="skill-01"), None, levels["awareness"])]
        )
    )  # develops a skill to a level the learner's role level does not ask for
    client = client_for(learner)
    assert "5 seats left" in gaps_page(client)
    writes = []
    original = recommendations._written
    monkeypatch.setattr(
        recommendations, "_written", lambda *args, **kwargs: writes.append(1) or original(*args, **kwargs)
    )

    other = PersonFactory()
    with django_capture_on_commit_callbacks(execute=True):
        booking_request(session=elsewhere, person=other, actor=other.user)
    assert "5 seats left" in gaps_page(client)
    assert writes == []  # the catalogue changed, but not the seats they were written from

    with django_capture_on_commit_callbacks(execute=True):
        booking_request(session=weighed, person=other, actor=other.user)
    assert "4 seats left" in gaps_page(client)
    assert writes == [1]
