"""A published framework release with its public pages, and courses developing its skills, for the catalogue,
course page and skill page tests."""

from datetime import timedelta

from django.utils import timezone

from frameworks.models import Framework
from frameworks.services import framework_pages_ensure
from tests.courses.factories import SessionFactory, course_create
from tests.frameworks.factories import publish_directly, release_with_roles


def published_release(*, skills: int = 3):
    """A published release of a framework with the slug "ddat" (public pages at /frameworks/ddat/), one role family
    whose roles require its first two skills."""
    Framework.objects.filter(slug="ddat").update(slug="ddat-old")
    release = publish_directly(release_with_roles(skills=skills, roles=1, levels_per_role=1, requirements_per_level=2))
    Framework.objects.filter(pk=release.framework_id).update(slug="ddat")
    release.framework.refresh_from_db()
    framework_pages_ensure()
    return release


def level(release, rank):
    return release.levels.get(rank=rank)


def session_in(course, *, days: int = 10, **fields):
    starts = timezone.now().replace(microsecond=0) + timedelta(days=days)
    return SessionFactory(course=course, starts_at=starts, **fields)


def courses_with_sessions(release, count: int, *, sessions_each: int = 0):
    """`count` courses developing the release's first skill from its level 1 to 2, each with `sessions_each`
    upcoming sessions."""
    skill = release.skills.order_by("pk").first()
    courses = []
    for number in range(count):
        course = course_create(title=f"Course {number:04d}", outcomes=[(skill, level(release, 1), level(release, 2))])
        for day in range(sessions_each):
            session_in(course, days=5 + day)
        courses.append(course)
    return courses
