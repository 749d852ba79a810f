"""Calendar invites (RFC 5545 / 5546): each is read back with ical.js, an independent parser, and checked for
what a calendar needs to put the event in the right place and replace or remove it later."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from courses import calendar
from courses.enums import BookingStatus, SessionStatus
from courses.services.bookings import booking_cancel, booking_request
from tests.courses.calendar_support import booking_make, ical_js_parser
from tests.courses.factories import SessionFactory, course_create
from tests.skills.factories import PersonFactory

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
ical_js = pytest.fixture(scope="session")(ical_js_parser)


def london(*args) -> datetime:
    return datetime(*args, tzinfo=LONDON)


def at(starts: datetime, hours: int = 7, **fields):
    """A session `hours` long in real time (Python's aware arithmetic would add wall-clock hours)."""
    starts = starts.astimezone(UTC)
    return SessionFactory(starts_at=starts, ends_at=starts + timedelta(hours=hours), **fields)


def test_a_confirmed_booking_invite_is_a_request_for_the_learner_that_says_how_to_cancel(ical_js, learner):
    session = SessionFactory(
        course=course_create(title="Data analysis essentials"), joining_link="https://meet.example.gov.uk/abc-123"
    )
    booking = booking_make(session, learner)

    parsed = ical_js(calendar.booking_invite(booking))

    assert parsed["method"] == "REQUEST"
    assert parsed["version"] == "2.0"
    assert parsed["prodid"] == calendar.PRODID
    assert parsed["timezones"] == ["Europe/London"]
    (event,) = parsed["events"]
    assert event["uid"] == f"{booking.ical_uid}@127.0.0.1"
    assert event["sequence"] == 0
    assert event["status"] == "CONFIRMED"
    assert event["summary"] == "Data analysis essentials"
    assert event["location"] == session.venue
    assert event["url"] == "https://meet.example.gov.uk/abc-123"
    assert event["dtstamp"].endswith("Z")
    assert event["start"]["tzid"] == "Europe/London"
    assert event["start"]["utc"] == session.starts_at.timestamp()
    assert event["end"]["utc"] == session.ends_at.timestamp()
    assert event["organizer"]["value"] == "mailto:training@capability.invalid"
    (attendee,) = event["attendees"]
    assert attendee["value"] == f"mailto:{learner.user.email}"
    assert attendee["params"]["RSVP"] == "FALSE"
    assert attendee["params"]["PARTSTAT"] == "ACCEPTED"
    assert attendee["params"]["CN"] == learner.user.get_full_name()
    description = event["description"]
    assert "does not cancel your booking" in description
    assert f"http://127.0.0.1:8000/training/bookings/{booking.pk}/" in description
    assert "https://meet.example.gov.uk/abc-123" in description
    cutoff = session.cancellation_cutoff_at.astimezone(LONDON)
    assert f"You can cancel there until {cutoff:%-d %B %Y at %H:%M} ({cutoff:%Z}, UK time)" in description


@pytest.mark.parametrize(
    ("starts", "utc_hour"),
    [
        (london(2030, 10, 25, 9, 30), 8),  # the Friday before the clocks go back: BST, UTC+1
        (london(2030, 10, 28, 9, 30), 9),  # the Monday after: GMT
        (london(2031, 3, 28, 9, 30), 9),  # the Friday before the clocks go forward: GMT
        (london(2031, 3, 31, 9, 30), 8),  # the Monday after: BST
    ],
)
def test_times_are_london_times_on_both_sides_of_a_clock_change(ical_js, learner, starts, utc_hour):
    session = at(starts)
    parsed = ical_js(calendar.booking_invite(booking_make(session, learner)))

    (event,) = parsed["events"]
    assert event["start"]["tzid"] == "Europe/London"
    assert event["start"]["local"] == starts.strftime("%Y-%m-%dT09:30:00")
    start_utc = datetime.fromtimestamp(event["start"]["utc"], tz=UTC)
    assert (start_utc.hour, start_utc.minute) == (utc_hour, 30)
    assert event["end"]["local"] == starts.strftime("%Y-%m-%dT16:30:00")


def test_a_session_across_the_clock_change_keeps_its_length(ical_js, learner):
    starts = london(2030, 10, 26, 22, 0)  # BST; ends after 02:00 BST became 01:00 GMT
    session = at(starts, hours=5)
    (event,) = ical_js(calendar.booking_invite(booking_make(session, learner)))["events"]
    assert event["end"]["utc"] - event["start"]["utc"] == 5 * 3600
    assert event["end"]["local"] == "2030-10-27T02:00:00"


def test_the_uid_stays_and_the_sequence_rises_when_the_booking_is_cancelled(ical_js):
    person = PersonFactory()
    session = SessionFactory(joining_link="https://meet.example.gov.uk/abc-123")
    booking = booking_request(session=session, person=person, actor=person.user)
    request = ical_js(calendar.booking_invite(booking))["events"][0]

    booking = booking_cancel(booking=booking, actor=person.user, reason="A clash with a project deadline")
    cancel = ical_js(calendar.booking_invite(booking))

    assert cancel["method"] == "CANCEL"
    (event,) = cancel["events"]
    assert event["uid"] == request["uid"]
    assert event["sequence"] > request["sequence"]
    assert event["status"] == "CANCELLED"
    assert event["start"]["utc"] == request["start"]["utc"]
    assert event["attendees"][0]["value"] == f"mailto:{person.user.email}"
    # the venue and joining link are for confirmed attendees only
    assert event["url"] is None
    assert "meet.example" not in event["description"]
    assert event["location"] == session.town


def test_a_cancelled_session_gives_a_cancel(ical_js, learner):
    session = SessionFactory(status=SessionStatus.CANCELLED)
    booking = booking_make(session, learner)
    assert calendar.invite_method(booking) == calendar.CANCEL
    assert ical_js(calendar.booking_invite(booking))["events"][0]["status"] == "CANCELLED"


@pytest.mark.parametrize(
    "status",
    [BookingStatus.REQUESTED, BookingStatus.WAITLISTED, BookingStatus.DECLINED, BookingStatus.LAPSED],
)
def test_a_booking_that_never_had_a_place_has_no_invite(learner, status):
    booking = booking_make(SessionFactory(), learner, status=status)
    assert calendar.invite_method(booking) is None
    with pytest.raises(ValueError, match="no calendar invite"):
        calendar.booking_invite(booking)


def test_a_waitlisted_booking_cancelled_has_no_invite(learner):
    booking = booking_make(SessionFactory(), learner, status=BookingStatus.CANCELLED)
    assert calendar.invite_method(booking) is None


def test_text_is_escaped_and_lines_folded(ical_js, learner):
    title = "Agile delivery; teams, roles\\and a very long title that goes on past the seventy-five octet line limit"
    session = SessionFactory(course=course_create(title=title), venue="Room 1, 2 Marsham St;\nLondon SW1P 4DF")
    content = calendar.booking_invite(booking_make(session, learner))

    assert all(len(line) <= 75 for line in content.split(b"\r\n"))
    (event,) = ical_js(content)["events"]
    assert event["summary"] == title
    assert event["location"] == "Room 1, 2 Marsham St;\nLondon SW1P 4DF"
