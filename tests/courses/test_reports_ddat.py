"""The reports against the real DDaT 2025-10 release: demand by skill names the real skills and levels, and
effectiveness matches a course's outcome to the ledger by the real skill's code."""

from datetime import timedelta

import pytest

from cms.accounts.enums import Role
from courses.enums import BookingStatus
from courses.models import CourseInterest
from frameworks.models import Framework
from skills.enums import AssessmentSource
from skills.services import assessment_record
from tests.cms.factories import UserFactory
from tests.courses.factories import course_create
from tests.courses.reporting import at, booking_in, past_session
from tests.frameworks.conftest import ddat_2025_10  # noqa: F401 — the real release, as a fixture
from tests.skills.factories import PersonFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("ddat_2025_10")]


def test_demand_and_effectiveness_with_the_real_release(client, settings):
    settings.CAPABILITY_SMALL_GROUP_THRESHOLD = 1
    framework = Framework.objects.get(slug="ddat")
    release = framework.current_release
    skill = release.skills.get(name="Data modelling")
    levels = {level.code: level for level in release.levels.all()}
    for _ in range(2):
        CourseInterest.objects.create(
            person=PersonFactory(), framework=framework, skill_code=skill.code, level_rank=levels["expert"].rank
        )
    course = course_create(
        title="Data modelling in practice", outcomes=[(skill, levels["working"], levels["practitioner"])]
    )
    session = past_session(course=course, starts_at=at(2025, 11, 3))
    learner = PersonFactory()
    booking_in(session, learner, BookingStatus.COMPLETED)
    assessment_record(
        person=learner,
        skill=skill,
        level=levels["practitioner"],
        source=AssessmentSource.ASSESSOR,
        created_at=session.ends_at + timedelta(days=20),
    )
    client.force_login(UserFactory(roles=[Role.TRAINING_ADMINISTRATOR]))
    page = client.get("/admin/training-reports/").text
    assert '<th scope="row">Data modelling</th><td>' in page
    assert "<td>Expert</td><td>2</td>" in page
    effectiveness = client.get("/admin/training-reports/effectiveness/")
    [row] = effectiveness.context["page"]
    assert (row.completers.people, row.completers.within_3.rose) == (1, 1)
    assert "100.0% (1)" in effectiveness.text
