"""Courses for tests: a catalogue page under the home page, course pages with outcomes, sessions."""

import itertools
from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone
from django.utils.text import slugify

from cms.home.models import HomePage
from courses.enums import DeliveryMode
from courses.models import CourseIndexPage, CourseOutcome, CoursePage, Session

_numbers = itertools.count(1)


def course_index() -> CourseIndexPage:
    """The catalogue page (`/courses/`), created once under the home page."""
    index = CourseIndexPage.objects.first()
    if index is None:
        index = CourseIndexPage(title="Courses", slug="courses")
        HomePage.objects.get().add_child(instance=index)
    return index


def course_create(*, title: str = "Data analysis essentials", outcomes=(), grades=(), **fields) -> CoursePage:
    """A live course page under the catalogue. `outcomes` are (skill, from level or None, to level) triples."""
    defaults = {
        "summary": f"{title}: what it covers.",
        "provider": "Government Digital Academy",
        "delivery_mode": DeliveryMode.CLASSROOM,
        "duration_hours": Decimal("7"),
    }
    course = CoursePage(title=title, slug=slugify(f"{title}-{next(_numbers)}"), **(defaults | fields))
    for skill, from_level, to_level in outcomes:
        course.outcomes.add(CourseOutcome(skill=skill, from_level=from_level, to_level=to_level))
    course_index().add_child(instance=course)
    if grades:
        course.eligible_grades.set(grades)
        course.save()
    return course


class SessionFactory(factory.django.DjangoModelFactory):
    """A scheduled session ten days ahead, open for booking now, with 20 seats."""

    class Meta:
        model = Session

    course = factory.LazyFunction(course_create)
    starts_at = factory.LazyFunction(lambda: timezone.now().replace(microsecond=0) + timedelta(days=10))
    ends_at = factory.LazyAttribute(lambda session: session.starts_at + timedelta(hours=7))
    town = "Leeds"
    venue = "Quarry House, Quarry Hill, Leeds LS2 7UE"
    capacity = 20
    booking_opens_at = factory.LazyAttribute(lambda session: session.starts_at - timedelta(days=30))
    booking_closes_at = factory.LazyAttribute(lambda session: session.starts_at - timedelta(days=2))
    cancellation_cutoff_at = factory.LazyAttribute(lambda session: session.starts_at - timedelta(days=3))
