"""Effectiveness as a manager sees it (their reporting line only) and as training administrators see it."""

import csv
import io
from datetime import timedelta

import pytest

from cms.accounts.enums import Role
from courses.enums import BookingStatus
from skills.enums import AssessmentSource
from skills.services import assessment_record
from tests.cms.factories import UserFactory
from tests.courses.factories import course_create
from tests.courses.reporting import at, booking_in, past_session, release_with_skill
from tests.skills.factories import PersonFactory

pytestmark = pytest.mark.django_db
TEAM_URL = "/training/team/effectiveness/"


@pytest.fixture
def line(settings):
    """A manager with two reports who attended (one rose), and someone outside their line who attended."""
    settings.CAPABILITY_SMALL_GROUP_THRESHOLD = 2
    _, skill, levels = release_with_skill()
    course = course_create(
        title="Data modelling in practice", outcomes=[(skill, levels["working"], levels["practitioner"])]
    )
    session = past_session(course=course, starts_at=at(2025, 3, 1))
    manager = PersonFactory()
    team = [PersonFactory(line_manager=manager), PersonFactory(line_manager=manager)]
    outsider = PersonFactory()
    for person in [*team, outsider]:
        booking_in(session, person, BookingStatus.COMPLETED)
    assessment_record(
        person=team[0],
        skill=skill,
        level=levels["practitioner"],
        source=AssessmentSource.LINE_MANAGER,
        created_at=session.ends_at + timedelta(days=30),
    )
    return manager, team, outsider


def test_a_manager_sees_their_line_only(client, line, django_assert_num_queries):
    manager, _, _ = line
    client.force_login(manager.user)
    client.get(TEAM_URL)
    with django_assert_num_queries(6):
        response = client.get(TEAM_URL)
    assert response.status_code == 200
    row = response.context["page"][0]
    assert row.completers.people == 2  # the outsider is not theirs
    assert row.completers.within_3.rose == 1
    assert "50.0%" in response.text


def test_a_small_team_is_suppressed(client, line, settings):
    settings.CAPABILITY_SMALL_GROUP_THRESHOLD = 5
    manager, _, _ = line
    client.force_login(manager.user)
    response = client.get(TEAM_URL)
    assert "[c]" in response.text
    assert "50.0%" not in response.text


def test_someone_without_a_team_sees_nothing(client, line):
    _, team, outsider = line
    for person in (team[0], outsider):
        client.force_login(person.user)
        response = client.get(TEAM_URL)
        assert response.status_code == 200
        assert "No one reports to you" in response.text
        assert not response.context["page"].object_list


def test_administrators_see_every_course_and_export_it(client, line, settings):
    settings.CAPABILITY_SMALL_GROUP_THRESHOLD = 1
    client.force_login(UserFactory(roles=[Role.TRAINING_ADMINISTRATOR]))
    response = client.get("/admin/training-reports/effectiveness/")
    assert response.status_code == 200
    assert response.context["page"][0].completers.people == 3
    export = client.get("/admin/training-reports/effectiveness/", {"export": "csv"})
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8"))))
    assert rows[0][:3] == ["Course", "Provider", "Completers"]
    assert rows[1][2:6] == ["3", "3", "1", "33.3"]


def test_the_administrators_page_query_count_is_constant(client, line, django_assert_num_queries):
    client.force_login(UserFactory(roles=[Role.TRAINING_ADMINISTRATOR]))
    url = "/admin/training-reports/effectiveness/"
    client.get(url)
    with django_assert_num_queries(ADMIN_QUERIES):
        client.get(url)
    course = course_create(title="Another course")
    for _ in range(3):
        booking_in(past_session(course=course, starts_at=at(2025, 6, 1)), PersonFactory(), BookingStatus.NO_SHOW)
    with django_assert_num_queries(ADMIN_QUERIES):
        assert len(client.get(url).context["page"]) == 2


ADMIN_QUERIES = 13
