from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from frameworks.models import Level, SkillLevelDescriptor
from frameworks.services.editing import skill_level_descriptor_update
from frameworks.services.releases import framework_release_draft_create_from_current, framework_release_publish
from skills.enums import AssessmentSource, ReviewStatus
from skills.models import Assessment, CurrentLevel, Review, SelfAssessmentDraft
from skills.services import (
    release_carry_forward,
    review_request_evidence,
    self_assessment_draft_save,
    self_assessment_submit,
)
from skills.services.reviews import review_decide
from tests.frameworks.factories import (
    FrameworkReleaseFactory,
    RequirementFactory,
    RoleLevelFactory,
    SkillFactory,
    publish_directly,
)
from tests.skills.factories import AssessmentFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def old_release():
    release = FrameworkReleaseFactory()
    SkillFactory(release=release, name="Data modelling", code="data-modelling")
    SkillFactory(release=release, name="Testing", code="testing")
    return publish_directly(release)


def test_publishing_a_release_carries_levels_forward_and_flags_changed_level_texts(
    old_release, django_capture_on_commit_callbacks
):
    person = PersonFactory()
    levels = {level.code: level for level in old_release.levels.all()}
    modelling, testing = old_release.skills.get(code="data-modelling"), old_release.skills.get(code="testing")
    claim = AssessmentFactory(
        person=person, skill=modelling, level=levels["expert"], source=AssessmentSource.SELF, evidence="e"
    )
    AssessmentFactory(
        person=person,
        skill=modelling,
        level=levels["practitioner"],
        source=AssessmentSource.LINE_MANAGER,
        responds_to=claim,
    )
    AssessmentFactory(person=person, skill=testing, level=levels["working"], source=AssessmentSource.ASSESSOR)

    draft = framework_release_draft_create_from_current(framework=old_release.framework, label="2026-04", actor=None)
    changed = SkillLevelDescriptor.objects.get(skill__release=draft, skill__code="testing", level__code="working")
    skill_level_descriptor_update(descriptor=changed, text="You can:\n- test things in a new way", actor=None)
    with django_capture_on_commit_callbacks(execute=True):
        framework_release_publish(release=draft, actor=None)  # queues the carry-forward after commit

    assert release_carry_forward(release=draft) == 0  # already done, and idempotent

    carried = {c.skill_code: c for c in CurrentLevel.objects.filter(person=person, release=draft)}
    assert carried["data-modelling"].claimed_level.code == "expert"
    assert carried["data-modelling"].validated_level.code == "practitioner"
    assert carried["data-modelling"].validated_level.release == draft
    assert not carried["data-modelling"].needs_revalidation
    assert carried["testing"].validated_level.code == "working"
    assert carried["testing"].needs_revalidation
    assert Assessment.objects.filter(release=draft, source=AssessmentSource.CARRIED_FORWARD).count() == 3
    # The old release's rows are untouched: the ledger only grows.
    assert Assessment.objects.filter(release=old_release).count() == 3


def test_people_their_drafts_and_their_open_reviews_move_to_the_new_release_keeping_dates(
    django_capture_on_commit_callbacks,
):

    release = FrameworkReleaseFactory()
    role_level = RoleLevelFactory(role__release=release, release=release, name="Senior", code="senior")
    modelling = SkillFactory(release=release, name="Data modelling", code="data-modelling")
    testing = SkillFactory(release=release, name="Testing", code="testing")
    RequirementFactory(role_level=role_level, role=role_level.role, release=release, skill=modelling)
    publish_directly(release)
    levels = {level.code: level for level in release.levels.all()}
    manager = PersonFactory()
    person = PersonFactory(line_manager=manager, current_role_level=role_level, target_role_level=role_level)
    long_ago = timezone.now() - timedelta(days=500)
    AssessmentFactory(
        person=person, skill=testing, level=levels["working"], source=AssessmentSource.IMPORT, created_at=long_ago
    )
    self_assessment_draft_save(person=person, skill=modelling, level=levels["expert"], evidence="e", actor=person.user)
    (claim,) = self_assessment_submit(person=person, actor=person.user)
    self_assessment_draft_save(
        person=person, skill=testing, level=levels["expert"], evidence="draft", actor=person.user
    )

    draft = framework_release_draft_create_from_current(framework=release.framework, label="2026-04", actor=None)
    with django_capture_on_commit_callbacks(execute=True):
        framework_release_publish(release=draft, actor=None)

    person.refresh_from_db()
    assert person.current_role_level.release == draft
    assert person.target_role_level.code == "senior"
    moved_draft = SelfAssessmentDraft.objects.get(person=person)
    assert moved_draft.skill.release == draft
    assert moved_draft.level.release == draft
    assert Review.objects.get(claim=claim).status == ReviewStatus.SUPERSEDED
    reopened = Review.objects.get(claim__release=draft, status=ReviewStatus.OPEN)
    assert reopened.claim.carried_from == claim
    # The decision lands in the current release, and staleness keeps its clock.
    review_decide(review=reopened, reviewer=manager, level=reopened.claim.level)
    current = {c.skill_code: c for c in CurrentLevel.objects.filter(person=person, release=draft)}
    assert current["data-modelling"].validated_level.code == "expert"
    assert current["testing"].last_assessed_at == long_ago


def test_a_level_the_new_scale_no_longer_has_is_flagged_for_revalidation(old_release):

    person = PersonFactory()
    levels = {level.code: level for level in old_release.levels.all()}
    AssessmentFactory(
        person=person,
        skill=old_release.skills.get(code="testing"),
        level=levels["expert"],
        source=AssessmentSource.ASSESSOR,
    )
    draft = framework_release_draft_create_from_current(framework=old_release.framework, label="2026-04", actor=None)
    Level.objects.filter(release=draft, code="expert").update(code="master", name="Master")
    framework_release_publish(release=draft, actor=None)
    release_carry_forward(release=draft)

    carried = CurrentLevel.objects.get(person=person, release=draft)
    assert carried.validated_level is None
    assert carried.needs_revalidation


def test_people_whose_levels_need_checking_and_their_managers_get_one_digest_per_release(
    old_release, django_capture_on_commit_callbacks
):

    manager = PersonFactory()
    people = [PersonFactory(line_manager=manager) for _ in range(2)]
    unaffected = PersonFactory(line_manager=manager)
    levels = {level.code: level for level in old_release.levels.all()}
    testing = old_release.skills.get(code="testing")
    modelling = old_release.skills.get(code="data-modelling")
    for person in people:
        AssessmentFactory(person=person, skill=testing, level=levels["working"], source=AssessmentSource.ASSESSOR)
    AssessmentFactory(person=unaffected, skill=modelling, level=levels["working"], source=AssessmentSource.ASSESSOR)

    draft = framework_release_draft_create_from_current(framework=old_release.framework, label="2026-04", actor=None)
    changed = SkillLevelDescriptor.objects.get(skill__release=draft, skill__code="testing", level__code="working")
    skill_level_descriptor_update(descriptor=changed, text="You can:\n- test things in a new way", actor=None)
    with django_capture_on_commit_callbacks(execute=True):
        framework_release_publish(release=draft, actor=None)
    with django_capture_on_commit_callbacks(execute=True):
        release_carry_forward(release=draft)  # run again: nobody is told twice

    by_address = {message.to[0]: message for message in mail.outbox}
    assert len(mail.outbox) == 3
    for person in people:
        message = by_address[person.user.email]
        assert message.subject == f"{old_release.framework.name} 2026-04: check 1 of your skill levels again"
        assert "/skills/self-assessment/" in message.body
    assert "2 of the people who report to you" in by_address[manager.user.email].body
    assert unaffected.user.email not in by_address


def test_a_request_for_more_evidence_still_stands_after_a_new_release_is_published(
    old_release, django_capture_on_commit_callbacks
):

    old_release.framework.slug = "ddat"  # the framework a person without role levels works in
    old_release.framework.save()
    manager = PersonFactory()
    person = PersonFactory(line_manager=manager)
    modelling = old_release.skills.get(code="data-modelling")
    self_assessment_draft_save(
        person=person,
        skill=modelling,
        level=old_release.levels.get(code="expert"),
        evidence="Led it.",
        actor=person.user,
    )
    (claim,) = self_assessment_submit(person=person, actor=person.user)
    review_request_evidence(review=claim.reviews.get(), reviewer=manager, message="Who used the model?")

    draft = framework_release_draft_create_from_current(framework=old_release.framework, label="2026-04", actor=None)
    with django_capture_on_commit_callbacks(execute=True):
        framework_release_publish(release=draft, actor=None)

    client = Client()
    client.force_login(person.user)
    assert "More evidence needed" in client.get("/skills/self-assessment/").content.decode()
    assert "Who used the model?" in client.get("/skills/self-assessment/data-modelling/").content.decode()
    assert "1 claim needs more evidence" in client.get("/dashboard/").content.decode()
