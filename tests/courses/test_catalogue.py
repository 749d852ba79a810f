"""The course catalogue at /courses/: the live, public course pages, filtered by a GET form that works without
JavaScript, 20 to a page, in a fixed number of queries whatever the number of courses."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import PageViewRestriction

from courses.catalogue_cache import catalogue_invalidate
from courses.enums import DeliveryMode, SessionStatus
from frameworks.page_cache import framework_pages_invalidate
from tests.conftest import page_queries
from tests.courses.catalogue_helpers import courses_with_sessions, level, published_release, session_in
from tests.courses.factories import course_create, course_index

pytestmark = pytest.mark.django_db

URL = "/courses/"


def text(response) -> str:
    return response.content.decode()


def titles(response) -> list[str]:
    return [course.title for course in response.context["courses"]]


@pytest.fixture
def release():
    release = published_release(skills=3)
    course_index()
    return release


@pytest.fixture
def skills(release):
    return list(release.skills.order_by("pk"))


def test_the_catalogue_lists_live_public_courses_with_what_a_learner_needs_to_choose(client, release, skills):
    course = course_create(
        title="Data analysis essentials",
        summary="Clean, explore and explain data.",
        provider="Government Digital Academy",
        duration_hours=14,
        cost_pence=125050,
        outcomes=[(skills[0], level(release, 1), level(release, 3))],
    )
    session_in(course, days=12, town="Leeds", capacity=8)
    draft = course_create(title="Not yet published")
    draft.unpublish()
    private = course_create(title="Restricted course")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)

    response = client.get(URL)

    assert response.status_code == 200
    assert titles(response) == ["Data analysis essentials"]
    page = text(response)
    for expected in (
        "Clean, explore and explain data.",
        "Government Digital Academy",
        "Classroom, 14 hours",
        "£1,250.50",
        f"{skills[0].name}: Awareness to Practitioner",
        "Leeds: 8 seats left",
    ):
        assert expected in page
    assert course.url in page


def test_a_full_next_session_says_so_and_a_course_without_dates_says_that(client, release, skills):
    full = course_create(title="Full course")
    session = session_in(full, capacity=2)
    type(session).objects.filter(pk=session.pk).update(seats_taken=2)
    course_create(title="Undated course")
    course_create(title="Self-paced course", delivery_mode=DeliveryMode.SELF_PACED)

    page = text(client.get(URL))

    assert "full – join the waiting list" in page
    assert "No dates scheduled" in page
    assert "Self-paced: start when you like" in page


def test_the_skill_filter_finds_the_courses_that_develop_that_skill(client, release, skills):
    course_create(title="Develops the first", outcomes=[(skills[0], None, level(release, 2))])
    course_create(title="Develops the second", outcomes=[(skills[1], None, level(release, 2))])

    response = client.get(URL, {"skill": f"ddat:{skills[1].code}"})

    assert titles(response) == ["Develops the second"]
    assert response.context["filtered"]


def test_the_role_family_filter_finds_courses_for_skills_its_roles_require(client, release, skills):
    family = release.role_families.get()
    course_create(title="Required skill", outcomes=[(skills[1], None, level(release, 2))])
    course_create(title="Skill no role needs", outcomes=[(skills[2], None, level(release, 2))])

    assert titles(client.get(URL, {"role_family": family.pk})) == ["Required skill"]


def test_the_level_filter_matches_the_level_reached_on_the_chosen_skill(client, release, skills):
    course_create(
        title="To Working in the first, Expert in the second",
        outcomes=[(skills[0], None, level(release, 2)), (skills[1], None, level(release, 4))],
    )
    course_create(title="To Expert in the first", outcomes=[(skills[0], level(release, 3), level(release, 4))])

    both = ["To Expert in the first", "To Working in the first, Expert in the second"]
    assert titles(client.get(URL, {"level": 4})) == both
    # Skill and level apply to the same outcome.
    assert titles(client.get(URL, {"skill": f"ddat:{skills[0].code}", "level": 4})) == ["To Expert in the first"]


def test_the_delivery_mode_cost_and_search_filters(client, release):
    course_create(title="Python for analysts", delivery_mode=DeliveryMode.ONLINE_LIVE, cost_pence=0)
    course_create(title="Agile leadership", delivery_mode=DeliveryMode.CLASSROOM, cost_pence=50000, provider="QA Ltd")

    assert titles(client.get(URL, {"delivery_mode": DeliveryMode.ONLINE_LIVE})) == ["Python for analysts"]
    assert titles(client.get(URL, {"cost": "free"})) == ["Python for analysts"]
    assert titles(client.get(URL, {"cost": "paid"})) == ["Agile leadership"]
    assert titles(client.get(URL, {"search": "qa agile"})) == ["Agile leadership"]
    assert titles(client.get(URL, {"search": "analysts"})) == ["Python for analysts"]


def test_location_and_dates_apply_to_the_same_upcoming_session(client, release):
    leeds_soon = course_create(title="Leeds soon")
    session_in(leeds_soon, days=5, town="Leeds")
    online_later = course_create(title="Online later")
    session_in(online_later, days=40, town="")
    past = course_create(title="Leeds in the past")
    session = session_in(past, days=5, town="Leeds")
    type(session).objects.filter(pk=session.pk).update(
        starts_at=timezone.now() - timedelta(days=3),
        ends_at=timezone.now() - timedelta(days=2),
        booking_opens_at=timezone.now() - timedelta(days=30),
        booking_closes_at=timezone.now() - timedelta(days=4),
        cancellation_cutoff_at=timezone.now() - timedelta(days=5),
    )
    cancelled = course_create(title="Cancelled in Leeds")
    session_in(cancelled, days=5, town="Leeds", status=SessionStatus.CANCELLED)

    assert titles(client.get(URL, {"location": "Leeds"})) == ["Leeds soon"]
    assert titles(client.get(URL, {"location": "online"})) == ["Online later"]
    in_twenty_days = timezone.localdate() + timedelta(days=20)
    assert titles(client.get(URL, {"starts_after": in_twenty_days.isoformat()})) == ["Online later"]
    assert titles(client.get(URL, {"starts_before": in_twenty_days.isoformat()})) == ["Leeds soon"]
    assert titles(client.get(URL, {"location": "Leeds", "starts_after": in_twenty_days.isoformat()})) == []


def test_has_seats_keeps_courses_with_a_session_open_for_booking_with_a_seat_left(client, release):
    open_course = course_create(title="Open with seats")
    session_in(open_course)
    full = course_create(title="Full")
    session = session_in(full, capacity=1)
    type(session).objects.filter(pk=session.pk).update(seats_taken=1)
    not_open = course_create(title="Booking not open yet")
    session_in(not_open, days=60, booking_opens_at=timezone.now() + timedelta(days=10))

    assert titles(client.get(URL, {"has_seats": "true"})) == ["Open with seats"]


def test_no_result_says_so_and_how_to_widen_the_search(client, release):
    course_create(title="Python for analysts")

    response = client.get(URL, {"search": "underwater basket weaving"})

    page = text(response)
    assert response.status_code == 200
    assert "No course matches all of these filters." in page
    assert "Try removing a filter" in page
    assert "Clear filters" in page


def test_a_bad_filter_value_is_refused_clearly_and_what_was_typed_is_kept(client, release):
    course_create(title="Python for analysts")

    response = client.get(URL, {"skill": "ddat:no-such-skill", "search": "python", "starts_after": "31-02-2026"})

    page = text(response)
    assert response.status_code == 200
    assert "<title>Error: Courses" in page
    assert "There is a problem" in page
    assert "Choose one of the options listed, or the first one to see every course" in page
    assert "Enter a real date" in page
    assert 'value="python"' in page
    assert titles(response) == []


def test_a_date_range_that_ends_before_it_starts_is_refused(client, release):
    response = client.get(URL, {"starts_after": "2026-05-10", "starts_before": "2026-05-01"})

    assert "The end of the date range must be on or after its start" in text(response)


def test_the_catalogue_shows_twenty_courses_a_page(client, release):
    courses_with_sessions(release, 23)

    first = client.get(URL)
    second = client.get(URL, {"page": 2})

    assert len(first.context["courses"]) == 20
    assert titles(second) == ["Course 0020", "Course 0021", "Course 0022"]
    assert "23 courses" in text(first)


def _page_query_count(client, path, params=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path, params or {}).status_code == 200
    return len(page_queries(queries.captured_queries))


FILTERS = {"skill": "", "level": "2", "has_seats": "true", "location": "Leeds", "search": "Course"}


def test_the_catalogue_takes_the_same_number_of_queries_whatever_the_number_of_courses(client, release):
    courses_with_sessions(release, 2, sessions_each=1)
    client.get(URL)  # Wagtail's site root paths and routes are cached from here on
    catalogue_invalidate()  # counted as read, not from the catalogue's cache (decision 0301)
    small = [_page_query_count(client, URL), _page_query_count(client, URL, FILTERS)]
    courses_with_sessions(release, 30, sessions_each=3)
    client.get(URL)  # publishing pages cleared the cached routes
    catalogue_invalidate()
    large = [_page_query_count(client, URL), _page_query_count(client, URL, FILTERS)]

    assert small == large


def test_the_catalogue_takes_a_pinned_number_of_queries(client, release, django_assert_num_queries):
    courses_with_sessions(release, 25, sessions_each=2)
    client.get(URL)  # Wagtail's site, routes and the frame's navigation are cached from here on

    # Read (decision 0301): the moment the answers stop being true and the towns of upcoming sessions; the count
    # and the page of courses, each with its next session; their outcomes. The framework choices (skills, role
    # families, levels), Wagtail's routing and the frame come from the cache (decision 0021).
    catalogue_invalidate()
    with django_assert_num_queries(5):
        assert client.get(URL).status_code == 200
    # Then the count and the rows from the cache.
    with django_assert_num_queries(0):
        assert client.get(URL).status_code == 200
    # Another page, or a filter: its count (once per filter), its courses and their outcomes.
    with django_assert_num_queries(2):
        assert client.get(URL, {"page": 2}).status_code == 200
    with django_assert_num_queries(3):
        assert client.get(URL, FILTERS).status_code == 200
    with django_assert_num_queries(0):
        assert client.get(URL, FILTERS).status_code == 200
    # A publication replaces the framework pages' version: the framework choices are read afresh, once, and the
    # results, which the skill, role family and level filters read from the current releases.
    framework_pages_invalidate()
    with django_assert_num_queries(6):
        assert client.get(URL).status_code == 200
    with django_assert_num_queries(0):
        assert client.get(URL).status_code == 200
