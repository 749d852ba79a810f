import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from courses.enums import ACTIVE_BOOKING_STATUSES, BookingStatus


class Booking(models.Model):
    """A person's place (or request for one) on a session. Changed only by `courses.services.bookings`.

    At most one active booking per person and session; waitlist positions are unique per session and handed out
    in arrival order; a waitlisted booking has a position and no other does (database constraints). The
    calendar invite's UID is `ical_uid`, stable for the life of the booking; `ical_sequence` rises with each
    change the person's calendar must take in.

    Personal data: the person, their reasonable-adjustment needs (training administrators only), why they want
    the course (their manager), the reasons for a decline or cancellation, and who decided.
    """

    session = models.ForeignKey("courses.Session", on_delete=models.PROTECT, related_name="bookings")
    person = models.ForeignKey("skills.Person", on_delete=models.CASCADE, related_name="bookings")
    status = models.CharField(max_length=20, choices=BookingStatus.choices)
    waitlist_position = models.PositiveIntegerField(null=True, blank=True)
    adjustments = models.TextField(blank=True, help_text="Reasonable-adjustment needs: training administrators only.")
    reason = models.TextField(blank=True, help_text="Why the person wants the course: shown to their manager.")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.TextField(blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.TextField(blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    waitlisted_at = models.DateTimeField(null=True, blank=True)
    promoted_at = models.DateTimeField(null=True, blank=True)
    attendance_marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    attendance_marked_at = models.DateTimeField(null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    ical_uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    ical_sequence = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["person", "status"], name="courses_booking_person_idx"),
            models.Index(fields=["session", "status"], name="courses_booking_session_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "person"],
                condition=Q(status__in=ACTIVE_BOOKING_STATUSES),
                name="courses_booking_one_active_per_person",
                violation_error_message="This person already has a booking for this session.",
            ),
            models.UniqueConstraint(
                fields=["session", "waitlist_position"],
                condition=Q(status=BookingStatus.WAITLISTED),
                name="courses_booking_unique_waitlist_position",
            ),
            models.CheckConstraint(
                condition=Q(status=BookingStatus.WAITLISTED, waitlist_position__isnull=False)
                | (~Q(status=BookingStatus.WAITLISTED) & Q(waitlist_position__isnull=True)),
                name="courses_booking_position_iff_waitlisted",
            ),
        ]

    def __str__(self):
        return f"{self.person} on {self.session} ({self.get_status_display().lower()})"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_BOOKING_STATUSES


def calendar_feed_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A person's private calendar feed: an unguessable token in a URL that lists their confirmed sessions, for
    Outlook or Google Calendar to subscribe to. Resetting it makes a new token (the old URL stops working).
    Personal data: the person, and the token that reveals their sessions."""

    person = models.OneToOneField("skills.Person", on_delete=models.CASCADE, related_name="calendar_feed")
    token = models.CharField(max_length=64, unique=True, default=calendar_feed_token)
    created_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Calendar feed of {self.person}"
