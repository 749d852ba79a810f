"""Two reviewers deciding the same claim at the same moment, with real threads on PostgreSQL."""

import pytest

from skills.enums import AssessmentSource, ReviewStatus
from skills.models import Assessment, Review
from skills.services import InvalidAssessment, review_decide, review_request_assessor
from skills.services.reviews import self_assessment_draft_save, self_assessment_submit
from tests.concurrency import run_together
from tests.frameworks.factories import FrameworkReleaseFactory, SkillFactory, publish_directly
from tests.skills.factories import PersonFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_same_review_decided_twice_at_once_records_exactly_one_validation():
    release = FrameworkReleaseFactory()
    SkillFactory(release=release, code="data-modelling")
    publish_directly(release)
    skill = release.skills.get()
    manager = PersonFactory()
    learner = PersonFactory(line_manager=manager)
    self_assessment_draft_save(person=learner, skill=skill, level=None, evidence="e", actor=learner.user)
    (claim,) = self_assessment_submit(person=learner, actor=learner.user)
    review = Review.objects.get(claim=claim)
    levels = list(release.levels.order_by("rank"))

    outcomes = run_together(
        lambda: review_decide(review=review, reviewer=manager, level=levels[1], reason="Working, from the demo."),
        lambda: review_decide(review=review, reviewer=manager, level=levels[2], reason="Practitioner, from the demo."),
    )

    assert sum(isinstance(outcome, Assessment) for outcome in outcomes) == 1
    assert sum(isinstance(outcome, InvalidAssessment) for outcome in outcomes) == 1
    assert Assessment.objects.filter(source=AssessmentSource.LINE_MANAGER).count() == 1
    assert Review.objects.get(pk=review.pk).status == ReviewStatus.ADJUSTED


def test_asking_an_assessor_twice_at_once_opens_one_assessor_review():
    release = FrameworkReleaseFactory()
    SkillFactory(release=release, code="testing")
    publish_directly(release)
    learner = PersonFactory()
    self_assessment_draft_save(person=learner, skill=release.skills.get(), level=None, evidence="e", actor=learner.user)
    (claim,) = self_assessment_submit(person=learner, actor=learner.user)

    outcomes = run_together(
        lambda: review_request_assessor(claim=claim, actor=learner.user),
        lambda: review_request_assessor(claim=claim, actor=learner.user),
    )

    assert Review.objects.filter(claim=claim, reviewer_kind="assessor", status=ReviewStatus.OPEN).count() == 1
    assert all(isinstance(outcome, Review) for outcome in outcomes), outcomes


def test_sending_the_same_drafts_twice_at_once_makes_one_claim_per_skill():
    release = FrameworkReleaseFactory()
    SkillFactory(release=release, code="testing")
    publish_directly(release)
    learner = PersonFactory(line_manager=PersonFactory())
    self_assessment_draft_save(person=learner, skill=release.skills.get(), level=None, evidence="e", actor=learner.user)

    outcomes = run_together(
        lambda: self_assessment_submit(person=learner, actor=learner.user),
        lambda: self_assessment_submit(person=learner, actor=learner.user),
    )

    assert Assessment.objects.filter(person=learner, source=AssessmentSource.SELF).count() == 1
    assert Review.objects.filter(claim__person=learner, status=ReviewStatus.OPEN).count() == 1
    assert sum(isinstance(outcome, InvalidAssessment) for outcome in outcomes) == 1
