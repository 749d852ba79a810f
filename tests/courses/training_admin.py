"""What the training administrator's tests share: the administrator, a course whose outcome is a real skill level
of a published release, and a session that has started (so attendance can be marked)."""

from datetime import timedelta

from django.utils import timezone

from cms.accounts.enums import Role
from courses.services.bookings import booking_request
from tests.cms.factories import UserFactory
from tests.courses.factories import SessionFactory, course_create
from tests.frameworks.factories import FrameworkReleaseFactory, SkillFactory, publish_directly
from tests.skills.factories import PersonFactory


def training_administrator():
    return UserFactory(roles=[Role.TRAINING_ADMINISTRATOR])


def course_with_outcome(**fields):
    """A course developing "Data modelling" from Working to Practitioner in a published release."""
    release = FrameworkReleaseFactory()
    skill = SkillFactory(release=release, name="Data modelling", code="data-modelling")
    publish_directly(release)
    levels = {level.code: level for level in release.levels.all()}
    return course_create(
        title="Data modelling in practice", outcomes=[(skill, levels["working"], levels["practitioner"])], **fields
    )


def started_session_with(people: int, *, capacity: int = 20, course=None, **fields):
    """A session that started an hour ago, with `people` confirmed bookings (booked while it was open)."""
    session = SessionFactory(capacity=capacity, course=course or course_with_outcome(), **fields)
    booked_at = session.booking_opens_at + timedelta(hours=1)
    bookings = []
    for _ in range(people):
        person = PersonFactory()
        bookings.append(booking_request(session=session, person=person, actor=person.user, now=booked_at))
    return session, bookings


def after_start(session):
    return session.starts_at + timedelta(hours=1)


def now():
    return timezone.now()
