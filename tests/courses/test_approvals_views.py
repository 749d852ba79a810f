"""The line manager's approvals pages: the queue, one request, and delegation's part in both."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.html import escape

from courses.enums import BookingStatus
from courses.services.bookings import booking_approve, booking_decline, booking_request
from skills.models import Delegation
from tests.courses.factories import SessionFactory, course_create
from tests.skills.factories import PersonFactory

pytestmark = pytest.mark.django_db

ADJUSTMENTS = "A hearing loop in the room, please"


@pytest.fixture
def course(db):
    return course_create(title="Agile for managers", needs_approval=True, cost_pence=45000)


def request_for(person, course, *, reason="It closes my gap in agile working.", days=10, **session_fields):
    session = SessionFactory(
        course=course, starts_at=timezone.now().replace(microsecond=0) + timedelta(days=days), **session_fields
    )
    return booking_request(session=session, person=person, actor=person.user, reason=reason, adjustments=ADJUSTMENTS)


def covering(delegator, delegate, *, starts=0, ends=0):
    """A delegation in force from `starts` to `ends` days from today (London), made directly: the service's
    refusal of past days is tested in tests/skills/test_delegation_services.py."""
    today = timezone.localdate()
    return Delegation.objects.create(
        delegator=delegator,
        delegate=delegate,
        starts_on=today + timedelta(days=starts),
        ends_on=today + timedelta(days=ends),
    )


@pytest.fixture
def cover(db):
    manager = PersonFactory(user__first_name="Cal", user__last_name="Cover")
    PersonFactory(line_manager=manager)
    return manager


# --- The queue --------------------------------------------------------------------------------------------


def test_the_queue_lists_the_teams_requests_oldest_first_with_the_deadline(client, manager, learner, course):
    first = request_for(learner, course, reason="first")
    other = PersonFactory(line_manager=manager, user__first_name="Zed")
    second = request_for(other, course, days=20)
    request_for(PersonFactory(line_manager=PersonFactory()), course)  # another manager's team
    client.force_login(manager.user)

    response = client.get("/training/approvals/")

    html = response.content.decode()
    assert response.status_code == 200
    assert html.index(f"/training/approvals/{first.pk}/") < html.index(f"/training/approvals/{second.pk}/")
    assert html.count('href="/training/approvals/') == 2
    closes = timezone.localtime(first.session.booking_closes_at)
    assert f"{closes:%-d %b %Y, %H:%M} {closes:%Z}" in html
    assert ADJUSTMENTS not in html


def test_a_request_whose_booking_has_closed_is_not_in_the_queue(client, manager, learner, course):
    booking = request_for(learner, course)
    booking.session.booking_closes_at = timezone.now() - timedelta(minutes=1)
    booking.session.booking_opens_at = timezone.now() - timedelta(days=5)
    booking.session.save()
    client.force_login(manager.user)

    assert f"/training/approvals/{booking.pk}/" not in client.get("/training/approvals/").content.decode()


def test_the_empty_queue_says_what_the_page_is_for(client, manager):
    client.force_login(manager.user)

    html = client.get("/training/approvals/").content.decode()

    assert "No training requests are waiting for you." in html
    assert "needs their line manager" in html


def test_the_queue_keeps_its_query_count_for_2_requests_and_for_12(
    client, manager, cover, course, django_assert_num_queries
):
    away = PersonFactory(user__first_name="Ada", user__last_name="Away")
    covering(away, manager, ends=3)
    for person in (PersonFactory(line_manager=manager), PersonFactory(line_manager=away)):
        request_for(person, course)
    client.force_login(manager.user)
    client.get("/training/approvals/")
    with django_assert_num_queries(QUEUE_QUERIES):
        assert client.get("/training/approvals/").status_code == 200
    for index in range(10):
        request_for(PersonFactory(line_manager=manager if index % 2 else away), course)
    with django_assert_num_queries(QUEUE_QUERIES):
        response = client.get("/training/approvals/")
    assert response.content.decode().count('href="/training/approvals/') == 12


# The session and its account (2), the person (1), the delegations to and from them (1), the count and the page.
QUEUE_QUERIES = 5


def test_the_queue_paginates_at_50(client, manager, course):
    for _ in range(51):
        request_for(PersonFactory(line_manager=manager), course)
    client.force_login(manager.user)

    first = client.get("/training/approvals/").content.decode()
    second = client.get("/training/approvals/?page=2").content.decode()

    assert first.count('href="/training/approvals/') == 50
    assert second.count('href="/training/approvals/') == 1
    assert "51 requests waiting" in first


# --- Delegation in the queue --------------------------------------------------------------------------------


def test_the_delegate_sees_the_delegators_team_marked_and_the_delegator_sees_it_is_delegated(
    client, manager, learner, cover, course
):
    booking = request_for(learner, course)
    delegation = covering(manager, cover, ends=4)
    until = f"{delegation.ends_on:%-d %b %Y}"

    client.force_login(cover.user)
    html = client.get("/training/approvals/").content.decode()
    assert f"/training/approvals/{booking.pk}/" in html
    assert f"Delegated by {escape(manager.user.get_full_name())} until {until}" in html

    client.force_login(manager.user)
    html = client.get("/training/approvals/").content.decode()
    assert f"/training/approvals/{booking.pk}/" in html  # they may still decide it themselves
    assert f"Your approvals and reviews are delegated to Cal Cover until {delegation.ends_on:%-d %B %Y}" in html


def test_the_delegate_never_sees_their_own_request_in_the_queue(client, manager, cover, course):
    covering(manager, cover)
    cover.line_manager = manager  # HR moved the delegate into the team after the delegation was made
    cover.save()
    own = request_for(cover, course)
    client.force_login(cover.user)

    assert f"/training/approvals/{own.pk}/" not in client.get("/training/approvals/").content.decode()
    assert client.get(f"/training/approvals/{own.pk}/").status_code == 404


# --- One request --------------------------------------------------------------------------------------------


def test_the_request_page_shows_the_learner_the_session_the_cost_and_why_but_never_the_adjustments(
    client, manager, learner, course, django_assert_num_queries
):
    booking = request_for(learner, course, reason="Our team is moving to Scrum.")
    client.force_login(manager.user)
    client.get(f"/training/approvals/{booking.pk}/")

    with django_assert_num_queries(DETAIL_QUERIES):
        response = client.get(f"/training/approvals/{booking.pk}/")

    html = response.content.decode()
    assert response.status_code == 200
    assert learner.user.get_full_name() in html
    assert "Agile for managers" in html
    assert "£450.00 per learner" in html
    assert "Government Digital Academy" in html
    assert "Our team is moving to Scrum." in html
    starts = timezone.localtime(booking.session.starts_at)
    assert f"{starts:%H:%M}" in html
    assert f"{starts:%Z}" in html
    assert ADJUSTMENTS not in html


# The session and its account (2), the person (1), the booking (1), the rule (1), the outcomes (1).
DETAIL_QUERIES = 5


def test_approving_confirms_the_place_and_returns_to_the_queue(client, manager, learner, course):
    booking = request_for(learner, course)
    client.force_login(manager.user)

    response = client.post(f"/training/approvals/{booking.pk}/", {"decision": "approve"})

    assert response.status_code == 302
    assert response.url == "/training/approvals/"
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED
    assert booking.decided_by == manager.user


def test_declining_needs_a_reason_and_the_form_keeps_what_was_chosen(client, manager, learner, course):
    booking = request_for(learner, course)
    client.force_login(manager.user)

    response = client.post(f"/training/approvals/{booking.pk}/", {"decision": "decline", "reason": "  "})

    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "Say why you are declining the request" in html
    assert re.search(r'value="decline"\s+checked', html)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.REQUESTED

    response = client.post(
        f"/training/approvals/{booking.pk}/", {"decision": "decline", "reason": "Not this quarter: budget."}
    )
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == BookingStatus.DECLINED
    assert booking.decline_reason == "Not this quarter: budget."


def test_choosing_nothing_says_what_to_do(client, manager, learner, course):
    booking = request_for(learner, course)
    client.force_login(manager.user)

    html = client.post(f"/training/approvals/{booking.pk}/", {}).content.decode()

    assert "Choose whether to approve or decline the request" in html


def test_a_request_already_decided_says_who_decided(client, manager, learner, course):
    booking = request_for(learner, course)
    booking_decline(booking=booking, actor=manager.user, reason="Try the spring session.")
    client.force_login(manager.user)

    html = client.get(f"/training/approvals/{booking.pk}/").content.decode()

    assert f"Declined by {escape(manager.user.get_full_name())}" in html
    assert "Try the spring session." in html
    assert "Save decision" not in html
    # Posting a decision again changes nothing.
    client.post(f"/training/approvals/{booking.pk}/", {"decision": "approve"})
    booking.refresh_from_db()
    assert booking.status == BookingStatus.DECLINED


def test_an_approved_request_names_the_delegate_who_approved_it(client, manager, learner, cover, course):
    booking = request_for(learner, course)
    covering(manager, cover)
    booking_approve(booking=booking, actor=cover.user)
    client.force_login(manager.user)

    html = client.get(f"/training/approvals/{booking.pk}/").content.decode()

    assert "Approved by Cal Cover" in html


def test_a_booking_that_never_needed_approval_has_no_approval_page(client, manager, learner):
    free = course_create(title="Open course", needs_approval=False)
    booking = request_for(learner, free)
    assert booking.status == BookingStatus.CONFIRMED
    client.force_login(manager.user)

    assert client.get(f"/training/approvals/{booking.pk}/").status_code == 404


# --- The wrong people -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["another manager", "the learner", "the learner's peer"])
def test_nobody_but_the_manager_or_their_delegate_sees_or_decides_a_request(client, manager, learner, course, who):
    booking = request_for(learner, course)
    intruder = {
        "another manager": lambda: PersonFactory(),
        "the learner": lambda: learner,
        "the learner's peer": lambda: PersonFactory(line_manager=manager),
    }[who]()
    client.force_login(intruder.user)

    assert client.get(f"/training/approvals/{booking.pk}/").status_code == 404
    for data in ({"decision": "approve"}, {"decision": "decline", "reason": "No."}):
        assert client.post(f"/training/approvals/{booking.pk}/", data).status_code == 404
    booking.refresh_from_db()
    assert booking.status == BookingStatus.REQUESTED
    assert booking.decided_by is None
    assert f"/training/approvals/{booking.pk}/" not in client.get("/training/approvals/").content.decode()


def test_anonymous_visitors_are_sent_to_sign_in_and_nothing_changes(client, learner, course):
    booking = request_for(learner, course)

    for response in (
        client.get("/training/approvals/"),
        client.get(f"/training/approvals/{booking.pk}/"),
        client.post(f"/training/approvals/{booking.pk}/", {"decision": "approve"}),
    ):
        assert response.status_code == 302
        assert response.url.startswith("/accounts/sign-in/")
    booking.refresh_from_db()
    assert booking.status == BookingStatus.REQUESTED


def test_a_request_that_does_not_exist_is_404(client, manager):
    client.force_login(manager.user)

    assert client.get("/training/approvals/999999/").status_code == 404


def test_the_delegate_decides_on_the_last_day_and_gets_404_the_day_after(client, manager, learner, cover, course):
    booking = request_for(learner, course)
    delegation = covering(manager, cover, starts=-3, ends=0)  # today is the last day
    client.force_login(cover.user)
    assert client.get(f"/training/approvals/{booking.pk}/").status_code == 200

    delegation.ends_on = timezone.localdate() - timedelta(days=1)  # today is the day after the last day
    delegation.save()
    assert client.get(f"/training/approvals/{booking.pk}/").status_code == 404
    assert client.post(f"/training/approvals/{booking.pk}/", {"decision": "approve"}).status_code == 404
    booking.refresh_from_db()
    assert booking.status == BookingStatus.REQUESTED
    assert f"/training/approvals/{booking.pk}/" not in client.get("/training/approvals/").content.decode()


def test_a_delegation_that_has_not_started_or_was_ended_early_gives_the_delegate_nothing(
    client, manager, learner, cover, course
):
    booking = request_for(learner, course)
    delegation = covering(manager, cover, starts=1, ends=5)
    client.force_login(cover.user)
    assert client.get(f"/training/approvals/{booking.pk}/").status_code == 404

    delegation.starts_on = timezone.localdate()
    delegation.ended_at = timezone.now()
    delegation.save()
    assert client.get(f"/training/approvals/{booking.pk}/").status_code == 404


def test_the_delegate_approves_with_the_delegation_shown(client, manager, learner, cover, course):
    booking = request_for(learner, course)
    covering(manager, cover, ends=2)
    client.force_login(cover.user)

    html = client.get(f"/training/approvals/{booking.pk}/").content.decode()
    # The name as the page escapes it (a made-up name may be O'Brien).
    assert f"You decide this as {escape(manager.user.get_full_name())}'s delegate" in html

    assert client.post(f"/training/approvals/{booking.pk}/", {"decision": "approve"}).status_code == 302
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED
    assert booking.decided_by == cover.user
