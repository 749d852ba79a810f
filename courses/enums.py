from django.db import models


class DeliveryMode(models.TextChoices):
    CLASSROOM = "classroom", "Classroom"
    ONLINE_LIVE = "online_live", "Online, live"
    SELF_PACED = "self_paced", "Self-paced e-learning"
    BLENDED = "blended", "Blended"


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    CANCELLED = "cancelled", "Cancelled"
    COMPLETED = "completed", "Completed"


class BookingStatus(models.TextChoices):
    """Where a booking stands. A request awaiting approval holds no seat; approval confirms it or puts it on the
    waitlist. Attendance completes a confirmed booking (or marks a no-show). Declined, lapsed, cancelled,
    completed and no-show are final."""

    REQUESTED = "requested", "Waiting for approval"
    CONFIRMED = "confirmed", "Confirmed"
    WAITLISTED = "waitlisted", "On the waiting list"
    DECLINED = "declined", "Declined"
    LAPSED = "lapsed", "Not approved in time"
    CANCELLED = "cancelled", "Cancelled"
    COMPLETED = "completed", "Attended"
    NO_SHOW = "no_show", "Did not attend"


# The statuses in which a booking still holds (or waits for) a place: at most one per person and session.
ACTIVE_BOOKING_STATUSES = (BookingStatus.REQUESTED, BookingStatus.CONFIRMED, BookingStatus.WAITLISTED)


class CompletionStatus(models.TextChoices):
    """Where a learner's record of a self-paced course stands: a claim until their line manager confirms it."""

    CLAIMED = "claimed", "Waiting for your line manager"
    CONFIRMED = "confirmed", "Confirmed"
    REJECTED = "rejected", "Not confirmed"
    WITHDRAWN = "withdrawn", "Withdrawn"
