"""The courses app's errors. A refusal is a Django `PermissionDenied`, so views and the admin answer 403 (or
choose 404) without a special case (docs/decisions/0015); everything else the services refuse is a
`BookingError` whose message says what to do instead."""

from django.core.exceptions import PermissionDenied


class NotAllowed(PermissionDenied):
    """The acting user may not do this to this booking, session or course."""


class CoursesError(Exception):
    """A request the courses services refuse; the message says what to do instead."""


class BookingError(CoursesError):
    """This booking cannot be made or changed now: the session is full, closed, cancelled, or the booking has
    moved on."""


class AlreadyBooked(BookingError):
    """The person already holds an active booking for this session (a double click, or a second tab)."""

    def __init__(self, booking):
        self.booking = booking
        super().__init__("You already have a booking for this session.")
