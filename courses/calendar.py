"""Calendar invites for bookings (RFC 5545 objects, RFC 5546 methods), built with the `icalendar` library.

A booking that holds (or held) a confirmed place has one event in the person's calendar. Its UID is the
booking's `ical_uid` at the service's domain, stable for the life of the booking, and its SEQUENCE is the
booking's `ical_sequence`, which the booking services raise with each change the calendar must take in, so a
later invite replaces an earlier one. A confirmed booking's invite is a METHOD:REQUEST; a booking cancelled
after it was confirmed, or whose session is cancelled, gets a METHOD:CANCEL that removes the event. The private
feed (`calendar_feed`) lists the same events with the same UIDs and SEQUENCEs, without a METHOD.

Times are written in Europe/London with its VTIMEZONE, so a calendar shows 09:30 as 09:30 on either side of a
clock change. The joining link and the venue are in the invite only while the place is confirmed: invites go
to confirmed attendees only.
"""

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

from courses.enums import BookingStatus, SessionStatus
from courses.models import Booking

LONDON = ZoneInfo("Europe/London")
PRODID = "-//Capability//Training bookings//EN"
REQUEST = "REQUEST"
CANCEL = "CANCEL"
# How often a subscribed calendar should fetch the feed again (a hint: Google Calendar decides for itself).
FEED_REFRESH = timedelta(hours=1)
# How far back the feed goes: sessions that ended longer ago drop out of it.
FEED_HISTORY = timedelta(days=90)
# A booking in one of these statuses holds, or held, a confirmed place on the session.
PLACE_STATUSES = (BookingStatus.CONFIRMED, BookingStatus.COMPLETED, BookingStatus.NO_SHOW)
DECLINING_DOES_NOT_CANCEL = (
    "Declining or deleting this event in your calendar does not cancel your booking, and the training team is "
    "not told. To cancel your place, use your booking page"
)


def invite_method(booking: Booking) -> str | None:
    """REQUEST for a booking that holds a confirmed place, CANCEL for one cancelled after it was confirmed or
    whose session is cancelled, None for a booking that never had a place (it has no invite)."""
    if booking.confirmed_at is None:
        return None
    if booking.status == BookingStatus.CANCELLED or booking.session.status == SessionStatus.CANCELLED:
        return CANCEL
    if booking.status in PLACE_STATUSES:
        return REQUEST
    return None


def service_domain() -> str:
    return urlsplit(settings.CAPABILITY_BASE_URL).hostname or "capability.invalid"


def service_host() -> str:
    """Where people reach the service (host and port), as the feed's address names it."""
    return urlsplit(settings.CAPABILITY_BASE_URL).netloc


def booking_event_uid(booking: Booking) -> str:
    return f"{booking.ical_uid}@{service_domain()}"


def booking_url(booking: Booking) -> str:
    return settings.CAPABILITY_BASE_URL + reverse("courses:booking", kwargs={"booking_id": booking.pk})


def _organizer() -> vCalAddress:
    organizer = vCalAddress(f"mailto:{settings.CAPABILITY_TRAINING_MAILBOX}")
    organizer.params["CN"] = vText(f"{settings.WAGTAIL_SITE_NAME} training")
    return organizer


def _attendee(booking: Booking) -> vCalAddress:
    user = booking.person.user
    attendee = vCalAddress(f"mailto:{user.email}")
    attendee.params["CN"] = vText(user.get_full_name() or user.email)
    attendee.params["CUTYPE"] = vText("INDIVIDUAL")
    attendee.params["ROLE"] = vText("REQ-PARTICIPANT")
    attendee.params["PARTSTAT"] = vText("ACCEPTED")
    attendee.params["RSVP"] = vText("FALSE")
    return attendee


def _description(booking: Booking, *, cancelled: bool) -> str:
    session = booking.session
    course = session.course
    if cancelled:
        why = "the session has been cancelled" if session.status == SessionStatus.CANCELLED else "it is cancelled"
        return (
            f"Your booking for {course.title} is no longer going ahead: {why}. "
            f"This update removes the event from your calendar.\n\nYour booking: {booking_url(booking)}"
        )
    lines = [f"Your place on {course.title} is confirmed."]
    if session.joining_link:
        lines.append(f"Join online: {session.joining_link}")
    if session.venue:
        lines.append(f"Venue: {session.venue}")
    cutoff = session.cancellation_cutoff_at.astimezone(LONDON)
    lines.append(f"\n{DECLINING_DOES_NOT_CANCEL}: {booking_url(booking)}")
    lines.append(
        f"You can cancel there until {cutoff:%-d %B %Y at %H:%M} ({cutoff:%Z}, UK time); "
        "after that, contact the training team."
    )
    return "\n".join(lines)


def booking_event(booking: Booking, *, cancelled: bool, stamp: datetime) -> Event:
    """The booking's VEVENT. `booking` needs its session, course and person's user loaded."""
    session = booking.session
    event = Event()
    event.add("uid", booking_event_uid(booking))
    event.add("sequence", booking.ical_sequence)
    event.add("dtstamp", stamp)
    event.add("dtstart", session.starts_at.astimezone(LONDON))
    event.add("dtend", session.ends_at.astimezone(LONDON))
    event.add("summary", session.course.title)
    if cancelled:
        event.add("location", session.town or "Online")
    else:
        event.add("location", session.venue or "Online")
        if session.joining_link:
            event.add("url", session.joining_link)
    event.add("description", _description(booking, cancelled=cancelled))
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("transp", "TRANSPARENT" if cancelled else "OPAQUE")
    event.add("organizer", _organizer())
    event.add("attendee", _attendee(booking))
    return event


def _calendar(events: Iterable[tuple[Event, datetime, datetime]], *, method: str | None = None) -> Calendar:
    """A VCALENDAR of `events` ((event, starts, ends) triples) with the Europe/London VTIMEZONE, its
    transitions covering the years the events fall in."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    years = []
    for event, starts, ends in events:
        calendar.add_component(event)
        years += [starts.astimezone(LONDON).year, ends.astimezone(LONDON).year]
    if years:
        calendar.add_missing_timezones(first_date=date(min(years), 1, 1), last_date=date(max(years) + 1, 1, 1))
    return calendar


def booking_invite(booking: Booking, method: str | None = None, *, now: datetime | None = None) -> bytes:
    """The booking's invite: METHOD:REQUEST while it holds a confirmed place, METHOD:CANCEL once it is cancelled
    after being confirmed or its session is cancelled (`method` forces one). Raises ValueError for a booking that
    never had a place. `booking` needs its session, course and person's user loaded (or they are queried)."""
    method = method or invite_method(booking)
    if method not in (REQUEST, CANCEL):
        raise ValueError("This booking has no calendar invite: it never had a confirmed place.")
    session = booking.session
    event = booking_event(booking, cancelled=method == CANCEL, stamp=now or timezone.now())
    return _calendar([(event, session.starts_at, session.ends_at)], method=method).to_ical()


def invite_content_type(method: str) -> str:
    return f"text/calendar; method={method}; charset=utf-8"


def invite_filename(booking: Booking) -> str:
    return f"capability-booking-{booking.pk}.ics"


def feed_bookings(*, person, now: datetime | None = None):
    """The bookings a person's feed lists: confirmed places on sessions that go ahead, from FEED_HISTORY ago on,
    with what the events need (one query)."""
    since = (now or timezone.now()) - FEED_HISTORY
    return (
        Booking.objects.filter(
            person=person, status__in=PLACE_STATUSES, confirmed_at__isnull=False, session__ends_at__gte=since
        )
        .exclude(session__status=SessionStatus.CANCELLED)
        .select_related("session__course", "person__user")
        .order_by("session__starts_at", "pk")
    )


def calendar_feed(bookings: Iterable[Booking], *, now: datetime | None = None) -> bytes:
    """A person's feed: one VEVENT per booking that holds a confirmed place on a session that goes ahead, with
    the invites' UIDs and SEQUENCEs; no METHOD (a published calendar, not a scheduling message)."""
    stamp = now or timezone.now()
    events = [
        (booking_event(booking, cancelled=False, stamp=stamp), booking.session.starts_at, booking.session.ends_at)
        for booking in bookings
        if invite_method(booking) == REQUEST
    ]
    calendar = _calendar(events)
    calendar.add("name", f"{settings.WAGTAIL_SITE_NAME} training")
    calendar.add("x-wr-calname", f"{settings.WAGTAIL_SITE_NAME} training")
    calendar.add("x-wr-timezone", "Europe/London")
    calendar.add("refresh-interval", FEED_REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", FEED_REFRESH)
    return calendar.to_ical()
