"""The request page against the real DDaT 2025-10 release: a course's outcomes in real skills, set against what
a real role level requires and what the learner has validated."""

import pytest

from courses.services.bookings import booking_request
from frameworks.models import FrameworkRelease, Requirement
from skills.enums import AssessmentSource
from tests.courses.factories import SessionFactory, course_create
from tests.frameworks.conftest import ddat_2025_10  # noqa: F401 — the module-scoped real release
from tests.skills.factories import AssessmentFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.mark.usefixtures("ddat_2025_10")
def test_the_request_page_sets_each_real_outcome_skill_against_the_target_and_the_validated_level(
    client, django_assert_num_queries
):
    release = FrameworkRelease.objects.get(framework__slug="ddat", label="2025-10")
    levels = {level.code: level for level in release.levels.all()}
    # A real role level that requires at least two skills at Practitioner or above.
    needs = (
        Requirement.objects.filter(
            release=release, role_level__isnull=False, level__rank__gte=levels["practitioner"].rank
        )
        .select_related("role_level__role", "skill", "level")
        .order_by("role_level__role__name", "role_level__seniority", "skill__name")
    )
    by_role_level = {}
    for requirement in needs:
        by_role_level.setdefault(requirement.role_level_id, []).append(requirement)
    required = next(found for found in by_role_level.values() if len(found) >= 2)[:2]
    first = required[0]
    gap_skill, met_skill = required[0].skill, required[1].skill
    not_required = release.skills.exclude(requirements__role_level=first.role_level).order_by("name").first()

    manager = PersonFactory()
    learner = PersonFactory(line_manager=manager, target_role_level=first.role_level)
    AssessmentFactory(
        person=learner,
        skill=gap_skill,
        level=levels["working"],
        source=AssessmentSource.LINE_MANAGER,
        author=manager.user,
    )
    AssessmentFactory(
        person=learner,
        skill=met_skill,
        level=required[1].level,
        source=AssessmentSource.LINE_MANAGER,
        author=manager.user,
    )
    course = course_create(
        title="Real skills course",
        needs_approval=True,
        outcomes=[
            (gap_skill, levels["working"], required[0].level),
            (met_skill, levels["working"], required[1].level),
            (not_required, None, levels["awareness"]),
        ],
    )
    booking = booking_request(session=SessionFactory(course=course), person=learner, actor=learner.user, reason="Gap")
    client.force_login(manager.user)
    client.get(f"/training/approvals/{booking.pk}/")

    with django_assert_num_queries(DDAT_DETAIL_QUERIES):
        response = client.get(f"/training/approvals/{booking.pk}/")

    html = response.content.decode()
    assert response.status_code == 200
    assert f"Working towards {first.role_level.name}" in html
    rows = html.split('<th scope="row" class="govuk-table__header">')[1:]
    by_skill = {row.split("<", 1)[0]: row.split("</tr>", 1)[0] for row in rows}
    gap_row, met_row, other_row = by_skill[gap_skill.name], by_skill[met_skill.name], by_skill[not_required.name]
    assert f"Working to {required[0].level.name}" in gap_row
    assert "Closes their gap" in gap_row
    assert ">Working<" in gap_row  # validated now
    assert "Already met" in met_row
    assert "Not needed for their target role level" in other_row
    assert "No level to Awareness" in other_row


# The session and its account (2), the person (1), the booking (1), the rule (1), the delegation shown (0: the
# line manager), the outcomes (1), the target's levels (1: the requirements of a published release come from the
# process's cache once read), the learner's current levels (1).
DDAT_DETAIL_QUERIES = 7
