"""Hand-built training histories for the reports, evaluation, effectiveness and history tests: a release with a
skill, a course developing it, past sessions, and bookings put straight into the state a test needs (the booking
engine's own tests cover how they get there)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from courses.enums import BookingStatus, CompletionStatus
from courses.models import Booking, CourseCompletion
from tests.courses.factories import SessionFactory, course_create
from tests.frameworks.factories import FrameworkReleaseFactory, SkillFactory, publish_directly

UTC = ZoneInfo("UTC")


def release_with_skill(code: str = "data-modelling", name: str = "Data modelling"):
    """A published release (DDaT scale) with one skill; returns (release, skill, levels by code)."""
    release = FrameworkReleaseFactory()
    skill = SkillFactory(release=release, name=name, code=code)
    publish_directly(release)
    return release, skill, {level.code: level for level in release.levels.all()}


def at(year: int, month: int, day: int, hour: int = 9) -> datetime:
    return datetime(year, month, day, hour, tzinfo=UTC)


def past_session(*, course=None, starts_at: datetime | None = None, capacity: int = 20, **fields):
    """A session that has happened: booking opened and closed before it."""
    starts_at = starts_at or timezone.now().replace(microsecond=0) - timedelta(days=10)
    return SessionFactory(course=course or course_create(), starts_at=starts_at, capacity=capacity, **fields)


def booking_in(session, person, status: BookingStatus, **fields) -> Booking:
    """A booking already in `status` (seat count and waitlist positions kept consistent for the ones that hold
    them)."""
    if status == BookingStatus.CONFIRMED:
        session.seats_taken += 1
        session.save(update_fields=["seats_taken"])
    if status == BookingStatus.WAITLISTED:
        session.waitlist_counter += 1
        session.save(update_fields=["waitlist_counter"])
        fields.setdefault("waitlist_position", session.waitlist_counter)
    return Booking.objects.create(session=session, person=person, status=status, **fields)


def completion_of(course, person, *, on, status=CompletionStatus.CONFIRMED) -> CourseCompletion:
    return CourseCompletion.objects.create(
        person=person, course=course, completed_on=on, evidence="Finished the modules.", status=status
    )
