"""A manager's view of their reporting line's training."""

from datetime import timedelta

import pytest
from django.utils import timezone

from courses.enums import BookingStatus
from courses.models import Booking
from courses.services.bookings import booking_request
from tests.courses.factories import SessionFactory, course_create
from tests.skills.factories import PersonFactory

pytestmark = pytest.mark.django_db


def book(person, course, *, days=10, **session_fields):
    session = SessionFactory(
        course=course, starts_at=timezone.now().replace(microsecond=0) + timedelta(days=days), **session_fields
    )
    return booking_request(session=session, person=person, actor=person.user)


def completed(person, course, *, days_ago):
    """A booking attended `days_ago` days ago (set directly: attendance is the roster's)."""
    now = timezone.now().replace(microsecond=0)
    session = SessionFactory(
        course=course,
        starts_at=now - timedelta(days=days_ago),
        booking_opens_at=now - timedelta(days=days_ago + 30),
        booking_closes_at=now - timedelta(days=days_ago + 2),
        cancellation_cutoff_at=now - timedelta(days=days_ago + 3),
    )
    return Booking.objects.create(session=session, person=person, status=BookingStatus.COMPLETED)


@pytest.fixture
def courses(db):
    return course_create(title="Open course"), course_create(title="Approval course", needs_approval=True)


@pytest.fixture
def team(manager, learner):
    """The manager's line: the learner directly, and someone two levels down through a team leader."""
    leader = PersonFactory(line_manager=manager, user__first_name="Lena", user__last_name="Leader")
    deep = PersonFactory(line_manager=leader, user__first_name="Dev", user__last_name="Deep")
    return learner, leader, deep


def test_each_view_shows_the_lines_bookings_in_it(client, manager, team, courses):
    learner, leader, deep = team
    open_course, approval_course = courses
    upcoming = book(deep, open_course)
    requested = book(learner, approval_course)
    full = SessionFactory(course=open_course, capacity=1)
    booking_request(session=full, person=leader, actor=leader.user)
    waitlisted = booking_request(session=full, person=learner, actor=learner.user)
    done = completed(learner, open_course, days_ago=20)
    old = completed(deep, open_course, days_ago=120)
    book(PersonFactory(line_manager=PersonFactory()), open_course)  # outside the line
    client.force_login(manager.user)

    booked = client.get("/training/team/").content.decode()
    assert "Dev Deep" in booked
    assert "Reports to Lena Leader" in booked
    assert "Booked (2)" in booked  # Dev's place and Lena's
    assert "Waiting for approval (1)" in booked
    assert "On a waiting list (1)" in booked
    assert "Completed recently (1)" in booked

    waiting = client.get("/training/team/?show=requested").content.decode()
    assert f"/training/approvals/{requested.pk}/" in waiting
    closes = timezone.localtime(requested.session.booking_closes_at)
    assert f"{closes:%-d %b %Y, %H:%M} {closes:%Z}" in waiting

    listed = client.get("/training/team/?show=waitlisted").content.decode()
    assert learner.user.get_full_name() in listed
    assert waitlisted.waitlist_position == 1

    recent = client.get("/training/team/?show=completed").content.decode()
    assert timezone.localtime(done.session.starts_at).strftime("%-d %b %Y") in recent
    assert timezone.localtime(old.session.starts_at).strftime("%-d %b %Y") not in recent
    assert upcoming.status == BookingStatus.CONFIRMED


def test_a_request_from_deeper_in_the_line_is_shown_without_a_link_to_decide_it(client, manager, team, courses):
    _, leader, deep = team
    requested = book(deep, courses[1])
    client.force_login(manager.user)

    html = client.get("/training/team/?show=requested").content.decode()

    assert "Dev Deep" in html
    assert f"/training/approvals/{requested.pk}/" not in html  # Lena decides it, not her manager
    client.force_login(leader.user)
    assert f"/training/approvals/{requested.pk}/" in client.get("/training/team/?show=requested").content.decode()


def test_someone_outside_the_line_sees_nothing_of_it(client, manager, team, courses):
    learner, _, _ = team
    book(learner, courses[0])
    for outsider in (PersonFactory(), learner):
        client.force_login(outsider.user)
        html = client.get("/training/team/").content.decode()
        assert "Open course" not in html


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get("/training/team/")

    assert response.status_code == 302
    assert response.url.startswith("/accounts/sign-in/")


def test_the_page_keeps_its_query_count_for_2_bookings_and_for_14(
    client, manager, team, courses, django_assert_num_queries
):
    learner, leader, deep = team
    for person in (learner, deep):
        book(person, courses[0])
    client.force_login(manager.user)
    client.get("/training/team/")
    with django_assert_num_queries(TEAM_QUERIES):
        assert client.get("/training/team/").status_code == 200
    for _ in range(12):
        book(PersonFactory(line_manager=leader), courses[0])
    with django_assert_num_queries(TEAM_QUERIES):
        response = client.get("/training/team/")
    assert "Booked (14)" in response.content.decode()


# The session and its account (2), the person (1), the counts (1), the page's count and the page (2).
TEAM_QUERIES = 5


def test_the_page_paginates_at_50(client, manager, courses):
    for _ in range(51):
        book(PersonFactory(line_manager=manager), courses[0])
    client.force_login(manager.user)

    second = client.get("/training/team/?page=2").content.decode()

    assert second.count("Open course") == 1


def test_an_unknown_view_shows_the_booked_one(client, manager, learner):
    client.force_login(manager.user)

    html = client.get("/training/team/?show=nonsense").content.decode()

    assert "Nobody in your team has a confirmed place" in html
