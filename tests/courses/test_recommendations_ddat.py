"""Recommendations on the gap page against the real 2025-10 DDaT release: a learner whose target is a real role
level, courses aligned to its real skills and levels, and the page's query count with real data."""

import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from courses.enums import DeliveryMode
from frameworks.models import Framework, RoleLevel
from skills.enums import AssessmentSource
from skills.services import assessment_record
from tests.conftest import page_queries
from tests.courses.factories import SessionFactory, course_create
from tests.frameworks.conftest import ddat_2025_10  # noqa: F401 — the module-scoped real release
from tests.skills.factories import PersonFactory
from tests.skills.test_views import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def target(ddat_2025_10):  # noqa: F811 — the fixture imported above
    """The real role level with the most levelled requirements in the current DDaT release."""
    release = Framework.objects.get(slug="ddat").current_release
    return (
        RoleLevel.objects.filter(release=release)
        .annotate(required=Count("requirements", distinct=True))
        .select_related("role")
        .order_by("-required", "pk")
        .first()
    )


def test_a_learner_aiming_at_a_real_role_level_gets_real_skills_recommendations_in_constant_queries(target):
    requirements = list(target.requirements.filter(level__isnull=False).select_related("skill", "level"))
    assert len(requirements) >= 3
    manager = PersonFactory()
    learner = PersonFactory(line_manager=manager, target_role_level=target, current_role_level=target)
    first = requirements[0]
    levels = {level.rank: level for level in target.release.levels.all()}
    below = levels.get(first.level.rank - 1)
    if below is not None:
        assessment_record(
            person=learner, skill=first.skill, level=below, source=AssessmentSource.LINE_MANAGER, author=manager.user
        )
    for requirement in requirements[:3]:
        course = course_create(
            title=f"{requirement.skill.name} in practice", outcomes=[(requirement.skill, None, requirement.level)]
        )
        SessionFactory(course=course)
    course_create(
        title=f"{first.skill.name} online",
        outcomes=[(first.skill, below, first.level)],
        delivery_mode=DeliveryMode.SELF_PACED,
    )
    client = client_for(learner)
    client.get("/skills/gaps/")
    client.get("/skills/gaps/")  # the frame keeps the site once a request has not looked it up for course URLs

    with CaptureQueriesContext(connection) as queries:
        page = client.get("/skills/gaps/").content.decode()

    start = below.name if below else "no level"
    assert (
        f"Develops {first.skill.name} from {start} to {first.level.name}; your role level needs {first.level.name}"
        in page.replace("&#x27;", "'")
    )
    for requirement in requirements[:3]:
        assert f"{requirement.skill.name} in practice" in page.replace("&#x27;", "'")
    # As with a one-skill framework (test_recommendations): nothing per gap; the recommendations from the cache,
    # checked against the seats of the sessions they weighed.
    assert len(page_queries(queries.captured_queries)) == 6
