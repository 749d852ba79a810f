"""The invite download and the private calendar feed, from the outside: each person gets their own and nobody
else's, a reset feed address stops working at once, and every page takes a pinned number of queries."""

from datetime import timedelta

import pytest
from django.utils import timezone
from wagtail.models import ModelLogEntry

from cms.accounts.enums import Role
from courses.enums import BookingStatus, SessionStatus
from courses.models import CalendarFeed
from tests.cms.factories import UserFactory
from tests.courses.calendar_support import booking_make, ical_js_parser
from tests.courses.factories import SessionFactory
from tests.skills.factories import PersonFactory

pytestmark = pytest.mark.django_db

ical_js = pytest.fixture(scope="session")(ical_js_parser)


def invite_path(booking) -> str:
    return f"/training/bookings/{booking.pk}/invite.ics"


def feed_path(token: str) -> str:
    return f"/training/calendar/{token}.ics"


# --- The invite from the booking page ------------------------------------------------------------------------


def test_a_person_downloads_the_invite_for_their_confirmed_booking(client, learner, ical_js, django_assert_num_queries):
    booking = booking_make(SessionFactory(), learner)
    client.force_login(learner.user)

    with django_assert_num_queries(3):  # the session and account, the person, the booking with its session
        response = client.get(invite_path(booking))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; method=REQUEST; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="capability-booking-{booking.pk}.ics"'
    assert ical_js(response.content)["events"][0]["uid"].startswith(str(booking.ical_uid))


def test_a_place_cancelled_after_it_was_confirmed_downloads_as_a_cancel(client, learner):
    booking = booking_make(SessionFactory(), learner)
    booking.status = BookingStatus.CANCELLED
    booking.ical_sequence = 1
    booking.save()
    client.force_login(learner.user)

    response = client.get(invite_path(booking))

    assert response["Content-Type"] == "text/calendar; method=CANCEL; charset=utf-8"
    assert b"SEQUENCE:1" in response.content


@pytest.mark.parametrize("status", [BookingStatus.WAITLISTED, BookingStatus.REQUESTED, BookingStatus.DECLINED])
def test_a_booking_that_never_had_a_place_has_no_invite_to_download(client, learner, status):
    booking = booking_make(SessionFactory(), learner, status=status)
    client.force_login(learner.user)
    assert client.get(invite_path(booking)).status_code == 404


@pytest.mark.parametrize("who", ["another learner", "their line manager", "training administrator", "superuser"])
def test_nobody_else_gets_a_persons_invite(client, learner, manager, who):
    booking = booking_make(SessionFactory(), learner)
    user = {
        "another learner": lambda: PersonFactory().user,
        "their line manager": lambda: manager.user,
        "training administrator": lambda: (
            PersonFactory(user=UserFactory(roles=[Role.LEARNER, Role.TRAINING_ADMINISTRATOR])).user
        ),
        "superuser": lambda: PersonFactory(user=UserFactory(is_superuser=True, is_staff=True)).user,
    }[who]()
    client.force_login(user)

    assert client.get(invite_path(booking)).status_code == 404


def test_signing_in_is_needed_for_an_invite(client, learner):
    booking = booking_make(SessionFactory(), learner)
    response = client.get(invite_path(booking))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/sign-in/")


# --- The calendar page and its reset ---------------------------------------------------------------------------


def test_the_calendar_page_gives_the_persons_own_feed_address_and_how_to_subscribe(
    client, learner, django_assert_num_queries
):
    client.force_login(learner.user)
    client.get("/training/calendar/")  # makes the feed
    feed = CalendarFeed.objects.get(person=learner)

    with django_assert_num_queries(3):  # the session and account, the person, the feed
        response = client.get("/training/calendar/")

    content = response.content.decode()
    assert response.status_code == 200
    assert f"http://127.0.0.1:8000/training/calendar/{feed.token}.ics" in content
    assert f"webcal://127.0.0.1:8000/training/calendar/{feed.token}.ics" in content
    assert "Google Calendar" in content
    assert "Outlook" in content
    assert "can only subscribe to a feed they can reach over the internet" in content
    assert CalendarFeed.objects.count() == 1


def test_each_person_sees_only_their_own_feed(client, learner, manager):
    client.force_login(manager.user)
    client.get("/training/calendar/")
    client.force_login(learner.user)
    content = client.get("/training/calendar/").content.decode()

    assert CalendarFeed.objects.get(person=learner).token in content
    assert CalendarFeed.objects.get(person=manager).token not in content


def test_resetting_the_feed_stops_the_old_address_at_once(client, learner):
    booking_make(SessionFactory(), learner)
    client.force_login(learner.user)
    client.get("/training/calendar/")
    old = CalendarFeed.objects.get(person=learner).token
    assert client.get(feed_path(old)).status_code == 200

    response = client.post("/training/calendar/reset/", follow=True)

    new = CalendarFeed.objects.get(person=learner).token
    assert new != old
    assert client.get(feed_path(old)).status_code == 404
    assert client.get(feed_path(new)).status_code == 200
    assert "The old address has stopped working" in response.content.decode()
    assert new in response.content.decode()
    entry = ModelLogEntry.objects.get(action="capability.courses.calendar_feed_reset")
    assert entry.user == learner.user


def test_a_reset_needs_a_post_and_resets_only_the_persons_own_feed(client, learner, manager):
    client.force_login(manager.user)
    client.get("/training/calendar/")
    managers = CalendarFeed.objects.get(person=manager).token
    client.force_login(learner.user)

    assert client.get("/training/calendar/reset/").status_code == 405
    client.post("/training/calendar/reset/")

    assert CalendarFeed.objects.get(person=manager).token == managers


# --- The feed ----------------------------------------------------------------------------------------------------


def test_the_feed_lists_the_persons_confirmed_sessions_with_the_invites_uids(client, learner, ical_js):
    now = timezone.now()
    upcoming = booking_make(SessionFactory(), learner, ical_sequence=2)
    recent = booking_make(SessionFactory(starts_at=now - timedelta(days=60)), learner, status=BookingStatus.COMPLETED)
    booking_make(SessionFactory(starts_at=now - timedelta(days=120)), learner, status=BookingStatus.COMPLETED)
    booking_make(SessionFactory(), learner, status=BookingStatus.CANCELLED, confirmed_at=now)
    booking_make(SessionFactory(status=SessionStatus.CANCELLED), learner)
    booking_make(SessionFactory(), learner, status=BookingStatus.WAITLISTED)
    booking_make(SessionFactory(), PersonFactory())  # someone else's
    feed = CalendarFeed.objects.create(person=learner)

    response = client.get(feed_path(feed.token))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Cache-Control"] == "private, max-age=900"
    parsed = ical_js(response.content)
    assert parsed["method"] is None
    assert parsed["timezones"] == ["Europe/London"]
    assert [(event["uid"], event["sequence"]) for event in parsed["events"]] == [
        (f"{recent.ical_uid}@127.0.0.1", 0),
        (f"{upcoming.ical_uid}@127.0.0.1", 2),
    ]
    assert all(event["start"]["tzid"] == "Europe/London" for event in parsed["events"])
    assert all(event["attendees"][0]["params"]["RSVP"] == "FALSE" for event in parsed["events"])


@pytest.mark.parametrize("sessions", [1, 6])
def test_the_feed_takes_the_same_queries_however_many_sessions(client, learner, sessions, django_assert_num_queries):
    for _ in range(sessions):
        booking_make(SessionFactory(), learner)
    feed = CalendarFeed.objects.create(person=learner)

    with django_assert_num_queries(2):  # the feed by its token, the bookings with their sessions and courses
        response = client.get(feed_path(feed.token))

    assert response.content.count(b"BEGIN:VEVENT") == sessions


@pytest.mark.parametrize("token", ["x" * 43, "not-a-token", "a" * 65, "%2E%2E"])
def test_an_unknown_or_malformed_token_is_not_found(client, learner, token):
    CalendarFeed.objects.create(person=learner)
    assert client.get(feed_path(token)).status_code == 404
