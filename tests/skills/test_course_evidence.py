"""A completed course writes course evidence to the ledger; a completion recorded by mistake is withdrawn by
compensating rows, and the person's validated level goes back to what it was."""

from datetime import date

import pytest

from skills.enums import AssessmentSource
from skills.models import Assessment, CurrentLevel
from skills.services import (
    InvalidAssessment,
    Outcome,
    assessment_record,
    course_evidence_record,
    course_evidence_retract,
)

pytestmark = pytest.mark.django_db


def test_completion_evidences_each_outcome_once_and_a_retraction_restores_the_level(learner, manager, skill, levels):
    assessment_record(person=learner, skill=skill, level=levels["working"], source=AssessmentSource.LINE_MANAGER)
    outcome = Outcome(framework_id=skill.release.framework_id, skill_code=skill.code, rank=levels["practitioner"].rank)
    fields = {
        "person": learner,
        "outcomes": [outcome],
        "reference": "courses.booking:1",
        "title": "Data modelling",
        "achieved_on": date(2026, 11, 2),
        "author": None,
    }

    achievement = course_evidence_record(**fields)
    assert course_evidence_record(**fields) == achievement  # the same completion twice writes nothing more
    assert Assessment.objects.filter(person=learner, source=AssessmentSource.COURSE).count() == 1
    # The default policy ranks the line manager above a course: the validated level stays the manager's.
    assert CurrentLevel.objects.get(person=learner).validated_level == levels["working"]

    other = course_evidence_record(**fields | {"reference": "courses.booking:2", "person": manager})
    assert CurrentLevel.objects.get(person=manager).validated_level == levels["practitioner"]
    course_evidence_retract(reference="courses.booking:2", author=None, reason="Marked attended by mistake")
    other.refresh_from_db()
    assert other.withdrawn_at is not None
    current = CurrentLevel.objects.get(person=manager)
    assert current.validated_level is None
    assert Assessment.objects.filter(person=manager).count() == 2  # nothing was deleted or edited
    with pytest.raises(InvalidAssessment):
        course_evidence_record(**fields | {"reference": "courses.booking:2", "person": manager})


def test_a_retraction_needs_a_reason(learner):
    with pytest.raises(InvalidAssessment):
        course_evidence_retract(reference="courses.booking:9", author=None, reason=" ")
