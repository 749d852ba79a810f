import importlib

import pytest
from django.apps import apps
from django.core import mail
from django.db import DatabaseError, transaction
from wagtail.models import ModelLogEntry

from skills.enums import AssessmentSource, ReviewStatus
from skills.models import Assessment, CurrentLevel, Review, SelfAssessmentDraft
from skills.services import (
    InvalidAssessment,
    NotAllowed,
    review_decide,
    review_request_assessor,
    review_request_evidence,
    self_assessment_draft_save,
    self_assessment_submit,
)
from tests.skills.factories import PersonFactory, ReviewFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim(learner, skill, levels, django_capture_on_commit_callbacks):
    self_assessment_draft_save(
        person=learner, skill=skill, level=levels["expert"], evidence="Led the data model redesign.", actor=learner.user
    )
    with django_capture_on_commit_callbacks(execute=True):
        (claim,) = self_assessment_submit(person=learner, actor=learner.user)
    return claim


def test_submitting_turns_drafts_into_claims_and_tells_the_line_manager(claim, learner, manager, levels):
    assert claim.source == AssessmentSource.SELF
    assert claim.is_claim
    assert not SelfAssessmentDraft.objects.exists()
    review = Review.objects.get(claim=claim)
    assert review.reviewer == manager
    assert review.status == ReviewStatus.OPEN
    # The review keeps its claim's person and release, which the queues read (decision 0222).
    assert (review.person, review.release) == (learner, claim.release)
    current = CurrentLevel.objects.get(person=learner)
    assert current.claimed_level == levels["expert"]
    assert current.validated_level is None
    assert [message.to for message in mail.outbox] == [[manager.user.email]]
    assert "Claims to review" in mail.outbox[0].subject


def test_submitting_without_evidence_is_refused_naming_the_skill(learner, skill, levels):
    self_assessment_draft_save(person=learner, skill=skill, level=levels["working"], evidence="", actor=learner.user)

    with pytest.raises(InvalidAssessment, match="Give evidence for: Data modelling"):
        self_assessment_submit(person=learner, actor=learner.user)
    assert not Assessment.objects.exists()


def test_nobody_can_write_or_submit_someone_elses_self_assessment(learner, manager, skill, levels):
    with pytest.raises(NotAllowed):
        self_assessment_draft_save(person=learner, skill=skill, level=None, evidence="x", actor=manager.user)
    with pytest.raises(NotAllowed):
        self_assessment_submit(person=learner, actor=manager.user)


def test_the_line_manager_confirms_a_claim_and_it_becomes_the_validated_level(claim, manager, levels, learner):
    review = Review.objects.get(claim=claim)

    validation = review_decide(review=review, reviewer=manager, level=levels["expert"])

    review.refresh_from_db()
    assert review.status == ReviewStatus.CONFIRMED
    assert review.outcome == validation
    assert validation.source == AssessmentSource.LINE_MANAGER
    assert validation.responds_to == claim
    assert CurrentLevel.objects.get(person=learner).validated_level == levels["expert"]


def test_adjusting_a_claim_needs_a_reason_and_keeps_both_levels_visible(
    claim, manager, levels, learner, django_capture_on_commit_callbacks
):
    review = Review.objects.get(claim=claim)
    with pytest.raises(InvalidAssessment, match="Say why"):
        review_decide(review=review, reviewer=manager, level=levels["practitioner"], reason=" ")

    with django_capture_on_commit_callbacks(execute=True):
        review_decide(review=review, reviewer=manager, level=levels["practitioner"], reason="Not yet led a team.")

    current = CurrentLevel.objects.get(person=learner)
    assert (current.claimed_level, current.validated_level) == (levels["expert"], levels["practitioner"])
    assert current.sources_disagree
    assert Review.objects.get().status == ReviewStatus.ADJUSTED
    assert mail.outbox[-1].to == [learner.user.email]
    assert "Not yet led a team." in mail.outbox[-1].body


def test_nobody_validates_their_own_claim_even_as_an_accredited_assessor(claim, learner, release):
    learner.accredited_frameworks.add(release.framework)
    review = review_request_assessor(claim=claim, actor=learner.user)

    with pytest.raises(NotAllowed, match="own claim"):
        review_decide(review=review, reviewer=learner, level=claim.level)


def test_a_manager_of_another_team_cannot_review_the_claim(skill, levels):
    review = ReviewFactory(claim__skill=skill, claim__level=levels["expert"])
    stranger = PersonFactory()

    with pytest.raises(NotAllowed):
        review_decide(review=review, reviewer=stranger, level=levels["expert"])


def test_an_accredited_assessor_validates_independently_and_outranks_the_manager(
    claim, manager, levels, release, learner
):
    review_decide(review=Review.objects.get(claim=claim), reviewer=manager, level=levels["expert"])
    assessor = PersonFactory(accredited_frameworks=[release.framework])
    unaccredited = PersonFactory()
    review = review_request_assessor(claim=claim, actor=learner.user)

    with pytest.raises(NotAllowed, match="accredited"):
        review_decide(review=review, reviewer=unaccredited, level=levels["working"])
    review_decide(review=review, reviewer=assessor, level=levels["working"], reason="Evidence shows working level.")

    current = CurrentLevel.objects.get(person=learner)
    assert current.validated_level == levels["working"]
    assert current.validated_source == AssessmentSource.ASSESSOR


def test_asking_for_more_evidence_reopens_the_draft_and_tells_the_learner(
    claim, manager, learner, django_capture_on_commit_callbacks
):
    review = Review.objects.get(claim=claim)

    with django_capture_on_commit_callbacks(execute=True):
        review_request_evidence(review=review, reviewer=manager, message="Add a link to the model.")

    review.refresh_from_db()
    assert review.status == ReviewStatus.MORE_EVIDENCE
    draft = SelfAssessmentDraft.objects.get(person=learner)
    assert draft.evidence == claim.evidence
    assert "Add a link to the model." in mail.outbox[-1].body
    with pytest.raises(InvalidAssessment, match="already been reviewed"):
        review_decide(review=review, reviewer=manager, level=claim.level)


def test_a_newer_claim_supersedes_the_open_review_of_the_older_one(claim, learner, skill, levels):
    self_assessment_draft_save(
        person=learner, skill=skill, level=levels["working"], evidence="Revised.", actor=learner.user
    )
    (newer,) = self_assessment_submit(person=learner, actor=learner.user)

    assert Review.objects.get(claim=claim).status == ReviewStatus.SUPERSEDED
    assert Review.objects.get(claim=newer).status == ReviewStatus.OPEN
    assert Assessment.objects.filter(person=learner).count() == 2


def test_the_ledger_refuses_updates_whatever_code_tries(claim):
    with pytest.raises(DatabaseError), transaction.atomic():
        Assessment.objects.filter(pk=claim.pk).update(evidence="rewritten")

    claim.refresh_from_db()
    assert claim.evidence == "Led the data model redesign."


def test_every_judgement_leaves_an_audit_entry(claim, manager, levels):

    review_decide(review=Review.objects.get(claim=claim), reviewer=manager, level=levels["expert"])

    authors = ModelLogEntry.objects.filter(action="capability.skills.assessment_record").values_list(
        "user_id", flat=True
    )
    assert sorted(authors) == sorted([claim.person.user_id, manager.user_id])


def test_when_hr_moves_a_person_their_open_claims_go_to_the_new_line_manager(claim, manager, learner, levels):
    new_manager = PersonFactory()
    learner.line_manager = new_manager
    learner.save()
    review = Review.objects.get(claim=claim)

    with pytest.raises(NotAllowed, match="current line manager"):
        review_decide(review=review, reviewer=manager, level=levels["expert"])
    review_decide(review=review, reviewer=new_manager, level=levels["expert"])

    assert Review.objects.get(pk=review.pk).status == ReviewStatus.CONFIRMED


def test_an_assessor_in_the_persons_management_chain_is_not_independent(claim, manager, learner, release, levels):
    manager.accredited_frameworks.add(release.framework)
    review = review_request_assessor(claim=claim, actor=learner.user)

    with pytest.raises(NotAllowed, match="independent"):
        review_decide(review=review, reviewer=manager, level=levels["expert"])


def test_a_request_to_an_assessor_keeps_the_claims_person_and_release(claim, learner):
    review = review_request_assessor(claim=claim, actor=learner.user)
    review.refresh_from_db()
    assert (review.reviewer_kind, review.person, review.release) == ("assessor", learner, claim.release)


def test_the_migration_fills_each_reviews_person_and_release_from_its_claim(claim, learner, manager):
    fill = importlib.import_module("skills.migrations.0036_review_person_and_release").fill_from_claims
    other = ReviewFactory()
    Review.objects.update(person=manager, release=other.release)  # as if unknown: anything but the claim's
    fill(apps, None)
    for review in Review.objects.select_related("claim"):
        assert (review.person_id, review.release_id) == (review.claim.person_id, review.claim.release_id)
    assert Review.objects.get(claim=claim).person == learner
