"""The catalogue from the cache (decision 0301): every change to what it shows is shown on the next view — a
booking, a session scheduled or cancelled, a course withdrawn or restricted, an outcome changed — and so is the
passing of time (a session starting, booking opening or closing). What is personal to a request is never cached."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone
from wagtail.models import PageViewRestriction

from courses import catalogue_cache
from courses.models import Session
from courses.services.bookings import booking_cancel, booking_request
from courses.services.sessions import session_cancel
from tests.courses.catalogue_helpers import level, published_release, session_in
from tests.courses.factories import course_create, course_index
from tests.courses.training_admin import training_administrator
from tests.skills.factories import PersonFactory

pytestmark = pytest.mark.django_db

URL = "/courses/"


def titles(client, **params) -> list[str]:
    return [course.title for course in client.get(URL, params).context["courses"]]


def page(client, **params) -> str:
    return client.get(URL, params).content.decode()


@pytest.fixture
def release():
    release = published_release(skills=3)
    course_index()
    return release


@pytest.fixture
def course(release):
    return course_create(title="Data analysis essentials", outcomes=[(release.skills.first(), None, level(release, 2))])


def test_a_booking_that_takes_the_last_seat_shows_full_on_the_next_view(
    client, course, django_capture_on_commit_callbacks
):
    session = session_in(course, capacity=1)
    assert "1 seat left" in page(client)
    assert titles(client, has_seats="true") == ["Data analysis essentials"]

    person = PersonFactory()
    with django_capture_on_commit_callbacks(execute=True):
        booking = booking_request(session=session, person=person, actor=person.user)

    assert "full – join the waiting list" in page(client)
    assert titles(client, has_seats="true") == []

    with django_capture_on_commit_callbacks(execute=True):
        booking_cancel(booking=booking, actor=person.user, reason="Clashes with a meeting")

    assert "1 seat left" in page(client)
    assert titles(client, has_seats="true") == ["Data analysis essentials"]


def test_the_booking_engine_replaces_the_version_only_when_its_change_commits(
    course, django_capture_on_commit_callbacks
):
    session = session_in(course, capacity=2)
    before = cache.get(catalogue_cache.VERSION_KEY)

    person = PersonFactory()
    with django_capture_on_commit_callbacks() as callbacks:
        booking_request(session=session, person=person, actor=person.user)
        assert cache.get(catalogue_cache.VERSION_KEY) == before  # no other request can see the seat yet

    ours = [callback for callback in callbacks if callback.__module__ == catalogue_cache.__name__]
    assert len(ours) == 1  # one cache write for the catalogue on the booking path, after it commits
    ours[0]()
    assert cache.get(catalogue_cache.VERSION_KEY) != before


def test_a_new_session_and_a_cancelled_one_show_at_once(client, course):
    assert "No dates scheduled" in page(client)

    session = session_in(course, town="Newport")
    assert "Newport: 20 seats left" in page(client)
    assert titles(client, location="Newport") == ["Data analysis essentials"]

    session_cancel(session=session, actor=training_administrator(), reason="The trainer is ill")
    assert "No dates scheduled" in page(client)
    # The town went with it: the filter no longer offers it.
    assert 'value="Newport"' not in page(client)


def test_a_session_deleted_or_moved_shows_at_once(client, course):
    session = session_in(course, days=5)
    session_in(course, days=9, town="Glasgow")
    assert "Leeds: 20 seats left (and 1 more date)" in page(client)

    Session.objects.get(pk=session.pk).delete()
    assert "Glasgow: 20 seats left" in page(client)
    assert "1 more date" not in page(client)


def test_an_unpublished_course_leaves_the_catalogue_at_once_and_returns_when_published(client, course):
    other = course_create(title="Agile leadership")
    assert titles(client) == ["Agile leadership", "Data analysis essentials"]

    course.unpublish()
    assert titles(client) == ["Agile leadership"]

    course.save_revision().publish()
    assert titles(client) == ["Agile leadership", "Data analysis essentials"]

    other.delete()
    assert titles(client) == ["Data analysis essentials"]


def test_a_view_restriction_added_or_removed_shows_at_once(client, course):
    assert titles(client) == ["Data analysis essentials"]

    restriction = PageViewRestriction.objects.create(page=course, restriction_type=PageViewRestriction.LOGIN)
    assert titles(client) == []

    restriction.delete()
    assert titles(client) == ["Data analysis essentials"]


def test_a_changed_outcome_shows_at_once(client, release, course):
    skills = list(release.skills.order_by("pk"))
    outcome = course.outcomes.get()
    outcome.skill = skills[2]
    assert titles(client, skill=f"ddat:{skills[2].code}") == []

    outcome.save()

    assert titles(client, skill=f"ddat:{skills[2].code}") == ["Data analysis essentials"]
    assert f"{skills[2].name}: no level to" in page(client)
    outcome.delete()
    assert titles(client, skill=f"ddat:{skills[2].code}") == []


def later(monkeypatch, moment):
    monkeypatch.setattr(timezone, "now", lambda: moment)


def test_a_session_whose_booking_closes_as_time_passes_stops_having_seats_then(client, course, monkeypatch):
    session = session_in(course, days=10)
    assert titles(client, has_seats="true") == ["Data analysis essentials"]
    assert titles(client, has_seats="true") == ["Data analysis essentials"]  # from the cache

    later(monkeypatch, session.booking_closes_at - timedelta(seconds=1))
    assert titles(client, has_seats="true") == ["Data analysis essentials"]
    later(monkeypatch, session.booking_closes_at)
    assert titles(client, has_seats="true") == []


def test_a_session_whose_booking_opens_as_time_passes_has_seats_from_then(client, course, monkeypatch):
    session = session_in(course, days=60, booking_opens_at=timezone.now() + timedelta(days=3))
    assert titles(client, has_seats="true") == []

    later(monkeypatch, session.booking_opens_at)
    assert titles(client, has_seats="true") == ["Data analysis essentials"]


def test_a_session_that_starts_gives_way_to_the_next_one(client, course, monkeypatch):
    first = session_in(course, days=3, town="Leeds")
    session_in(course, days=8, town="Bristol")
    assert "Leeds: 20 seats left (and 1 more date)" in page(client)

    later(monkeypatch, first.starts_at)
    text = page(client)
    assert "Bristol: 20 seats left" in text
    assert "more date" not in text
    assert 'value="Leeds"' not in text  # nor is its town a choice any more


def test_filtered_pages_stay_in_this_process_and_the_plain_catalogue_is_shared(client, course):
    session_in(course)
    client.get(URL)
    shared = set(cache._cache)  # the keys the shared (LocMem) cache holds

    client.get(URL, {"search": "analysis", "has_seats": "true"})
    client.get(URL, {"search": "something else entirely"})

    assert {key for key in set(cache._cache) - shared if "courses:catalogue" in key} == set()
    assert any("courses:catalogue:results" in key for key in shared)


def test_what_a_visitor_typed_is_shown_back_to_them_not_from_the_cache(client, course):
    course_create(title="Agile leadership")

    first = page(client, search="analysis")
    # The same filter once cleaned, so the same cached results; the form shows what this visitor typed.
    second = page(client, search="analysis  ")

    assert 'value="analysis"' in first
    assert 'value="analysis  "' in second
    assert "Data analysis essentials" in second
    assert "Agile leadership" not in second
