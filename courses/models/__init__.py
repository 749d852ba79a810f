from courses.models.bookings import Booking, CalendarFeed
from courses.models.learning import CourseCompletion, CourseInterest, Evaluation
from courses.models.pages import CourseIndexPage, CourseOutcome, CoursePage
from courses.models.sessions import Session

__all__ = [
    "Booking",
    "CalendarFeed",
    "CourseCompletion",
    "CourseIndexPage",
    "CourseInterest",
    "CourseOutcome",
    "CoursePage",
    "Evaluation",
    "Session",
]
