"""Scheduling sessions: a training administrator creates, changes and cancels a course's sessions.

Every service checks its actor (`courses.add_session` or `courses.change_session`; None is the system), locks the
session row as the booking engine does (session first, then its bookings), notifies through the outbox and writes
the audit log. Capacity changes go through the engine's `session_capacity_set`, which refuses a capacity below the
seats confirmed and promotes from the waitlist.
"""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from courses.enums import BookingStatus, SessionStatus
from courses.errors import BookingError, CoursesError, NotAllowed
from courses.models import Booking, CoursePage, Session
from courses.services.bookings import session_bookings_cancel, session_capacity_set, waitlist_promote
from skills.services.notifications import notify

# What a session is made of, as the form enters it. The course is chosen once: it cannot change afterwards.
SESSION_FIELDS = (
    "starts_at",
    "ends_at",
    "town",
    "venue",
    "joining_link",
    "capacity",
    "minimum_attendees",
    "booking_opens_at",
    "booking_closes_at",
    "cancellation_cutoff_at",
)
# A change to any of these must reach the attendees' calendars: a new invite SEQUENCE and a message.
CALENDAR_FIELDS = ("starts_at", "ends_at", "town", "venue", "joining_link")


class SessionInvalid(CoursesError):
    """The session's dates, place or numbers break one of its rules; `field` is the form field it concerns."""

    def __init__(self, message: str, *, field: str | None = None):
        self.field = field
        super().__init__(message)


def session_problems(*, course: CoursePage | None, values: dict) -> dict[str, str]:
    """Every rule of a session that `values` break, keyed by the field each concerns (one message per field).
    The form shows them beside their fields; the services refuse with the first."""
    problems: dict[str, str] = {}

    def problem(field, message):
        problems.setdefault(field, message)

    if course is not None and course.is_self_paced:
        problem("course", "This course is self-paced e-learning: it has no sessions. Choose a course taught live.")
    starts, ends = values.get("starts_at"), values.get("ends_at")
    opens, closes = values.get("booking_opens_at"), values.get("booking_closes_at")
    cutoff = values.get("cancellation_cutoff_at")
    if starts and ends and ends <= starts:
        problem("ends_at", "The session must end after it starts.")
    if opens and closes and closes <= opens:
        problem("booking_closes_at", "Booking must close after it opens.")
    if closes and starts and closes > starts:
        problem("booking_closes_at", "Booking must close before the session starts, or when it starts.")
    if cutoff and starts and cutoff > starts:
        problem("cancellation_cutoff_at", "The cancellation cut-off must be before the session starts.")
    capacity, minimum = values.get("capacity"), values.get("minimum_attendees")
    if capacity is not None and capacity < 1:
        problem("capacity", "A session needs at least 1 seat.")
    if capacity is not None and minimum is not None and minimum > capacity:
        problem("minimum_attendees", f"The minimum number cannot be more than the capacity ({capacity}).")
    if not values.get("town") and not values.get("venue") and not values.get("joining_link"):
        problem("venue", "Give the venue (and its town) or an online joining link.")
    return problems


def _refuse_problems(course, values) -> None:
    problems = session_problems(course=course, values=values)
    if problems:
        field, message = next(iter(problems.items()))
        raise SessionInvalid(message, field=field)


def _check_actor(actor, permission: str, message: str) -> None:
    if actor is not None and not (actor.is_active and actor.has_perm(permission)):
        raise NotAllowed(message)


@transaction.atomic
def session_schedule(*, course: CoursePage, actor, **values) -> Session:
    """Schedule a session of a (live, not self-paced) course. `values` are the SESSION_FIELDS."""
    _check_actor(actor, "courses.add_session", "Only a training administrator can schedule sessions.")
    unknown = set(values) - set(SESSION_FIELDS)
    if unknown:
        raise TypeError(f"Unknown session fields: {sorted(unknown)}")
    values = {"town": "", "venue": "", "joining_link": "", "minimum_attendees": 0} | values
    _refuse_problems(course, values)
    session = Session.objects.create(course=course, created_by=actor, status=SessionStatus.SCHEDULED, **values)
    log(instance=session, action="capability.courses.session_schedule", user=actor, data={"course": course.pk})
    return session


def _confirmed(session: Session):
    return Booking.objects.select_for_update(of=("self",)).filter(session=session, status=BookingStatus.CONFIRMED)


@transaction.atomic
def session_update(*, session: Session, actor, now: datetime | None = None, **values) -> Session:
    """Change a scheduled session. A change of its times, place or joining link raises the calendar SEQUENCE of
    every confirmed booking and tells each attendee (`booking_changed`); a change of capacity goes through
    `session_capacity_set` (never below the seats confirmed; raising it promotes from the waitlist)."""
    _check_actor(actor, "courses.change_session", "Only a training administrator can change sessions.")
    unknown = set(values) - set(SESSION_FIELDS)
    if unknown:
        raise TypeError(f"Unknown session fields: {sorted(unknown)}")
    now = now or timezone.now()
    session = Session.objects.select_for_update(of=("self",)).select_related("course").get(pk=session.pk)
    if session.status != SessionStatus.SCHEDULED:
        raise BookingError(f"This session is {session.get_status_display().lower()}: it can no longer be changed.")
    current = {field: getattr(session, field) for field in SESSION_FIELDS}
    merged = current | values
    _refuse_problems(None, merged)
    changed = [field for field in SESSION_FIELDS if merged[field] != current[field]]
    if not changed:
        return session
    capacity = merged.pop("capacity")
    for field, value in merged.items():
        setattr(session, field, value)
    session.save(update_fields=[*(f for f in SESSION_FIELDS if f != "capacity"), "updated_at"])
    log(
        instance=session,
        action="capability.courses.session_update",
        user=actor,
        data={"changed": changed},
    )
    if any(field in CALENDAR_FIELDS for field in changed):
        for booking in _confirmed(session):
            booking.ical_sequence += 1
            booking.save(update_fields=["ical_sequence", "updated_at"])
            notify(
                "booking_changed",
                recipient=booking.person,
                event=f"booking:{booking.pk}:changed:{booking.ical_sequence}",
                booking_id=booking.pk,
            )
    if capacity != current["capacity"]:
        session = session_capacity_set(session=session, capacity=capacity, actor=actor, now=now)
    else:
        waitlist_promote(session=session, now=now, locked=True)  # a booking window reopened may free seats
    return session


@transaction.atomic
def session_cancel(*, session: Session, actor, reason: str, now: datetime | None = None) -> Session:
    """Cancel a whole scheduled session: every active booking is cancelled with the reason (nobody is promoted),
    the seats are freed, confirmed attendees' invites become cancellations (SEQUENCE raised) and everyone with a
    booking is told (`session_cancelled`)."""
    _check_actor(actor, "courses.change_session", "Only a training administrator can cancel sessions.")
    reason = reason.strip()
    if not reason:
        raise SessionInvalid("Say why the session is cancelled: everyone booked on it will see your reason.")
    now = now or timezone.now()
    session = Session.objects.select_for_update(of=("self",)).select_related("course").get(pk=session.pk)
    if session.status != SessionStatus.SCHEDULED:
        raise BookingError(f"This session is already {session.get_status_display().lower()}.")
    session.status = SessionStatus.CANCELLED
    session.cancelled_reason = reason
    session.seats_taken = 0
    session.save(update_fields=["status", "cancelled_reason", "seats_taken", "updated_at"])
    bookings = session_bookings_cancel(session=session, actor=actor, reason=reason, now=now)
    for booking in bookings:
        notify(
            "session_cancelled",
            recipient=booking.person,
            event=f"booking:{booking.pk}:session_cancelled:{booking.ical_sequence}",
            booking_id=booking.pk,
        )
    log(
        instance=session,
        action="capability.courses.session_cancel",
        user=actor,
        data={"reason": reason, "bookings_cancelled": len(bookings)},
    )
    return session
