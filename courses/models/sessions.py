from django.conf import settings
from django.db import models
from django.db.models import F, Q

from courses.enums import SessionStatus


class Session(models.Model):
    """One run of a course on dates, scheduled by a training administrator. Personal data: who created it.

    Times are stored in UTC and shown in Europe/London. `seats_taken` counts the confirmed bookings: the
    booking services change it under the session's row lock, and a check constraint keeps it within
    `capacity`, so no concurrency can oversell a seat and capacity can never be set below the seats taken.
    `waitlist_counter` hands out waitlist positions in arrival order (first come, first served).
    """

    course = models.ForeignKey("courses.CoursePage", on_delete=models.PROTECT, related_name="sessions")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    town = models.CharField(
        max_length=100, blank=True, help_text="Where it happens, for the catalogue's filter, e.g. Leeds. Empty: online."
    )
    venue = models.TextField(blank=True, help_text="The address and room. Shown to confirmed attendees only.")
    joining_link = models.URLField(
        max_length=500, blank=True, help_text="The online joining link. Shown to confirmed attendees only."
    )
    capacity = models.PositiveIntegerField()
    minimum_attendees = models.PositiveIntegerField(default=0, help_text="Fewer confirmed than this: review it.")
    booking_opens_at = models.DateTimeField()
    booking_closes_at = models.DateTimeField()
    cancellation_cutoff_at = models.DateTimeField(
        help_text="After this, a learner cannot cancel in the service and must ask the training team."
    )
    status = models.CharField(max_length=20, choices=SessionStatus.choices, default=SessionStatus.SCHEDULED)
    cancelled_reason = models.TextField(blank=True)
    seats_taken = models.PositiveIntegerField(default=0, editable=False)
    waitlist_counter = models.PositiveIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["course", "starts_at"], name="courses_session_course_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(seats_taken__lte=F("capacity")),
                name="courses_session_seats_within_capacity",
                violation_error_message="Capacity cannot be below the seats already confirmed.",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="courses_session_ends_after_start",
                violation_error_message="The session must end after it starts.",
            ),
            models.CheckConstraint(
                condition=Q(booking_closes_at__gt=F("booking_opens_at")),
                name="courses_session_booking_window",
                violation_error_message="Booking must close after it opens.",
            ),
            models.CheckConstraint(
                condition=Q(booking_closes_at__lte=F("starts_at")),
                name="courses_session_booking_closes_before_start",
                violation_error_message="Booking must close before the session starts.",
            ),
            models.CheckConstraint(
                condition=Q(cancellation_cutoff_at__lte=F("starts_at")),
                name="courses_session_cutoff_before_start",
                violation_error_message="The cancellation cut-off must be before the session starts.",
            ),
        ]

    def __str__(self):
        return f"{self.course.title}, {self.starts_at:%d %b %Y}"

    @property
    def seats_left(self) -> int:
        return max(self.capacity - self.seats_taken, 0)
