import pytest

from frameworks.models import SkillLevelDescriptor
from frameworks.services.editing import skill_level_descriptor_update
from frameworks.services.releases import framework_release_draft_create_from_current, framework_release_publish
from skills.enums import AssessmentSource
from skills.models import Assessment, CurrentLevel
from skills.services import assessment_record, release_carry_forward
from tests.frameworks.factories import FrameworkReleaseFactory, SkillFactory, publish_directly
from tests.skills.factories import PersonFactory

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
    claim = assessment_record(
        person=person, skill=modelling, level=levels["expert"], source=AssessmentSource.SELF, evidence="e"
    )
    assessment_record(
        person=person,
        skill=modelling,
        level=levels["practitioner"],
        source=AssessmentSource.LINE_MANAGER,
        responds_to=claim,
    )
    assessment_record(person=person, skill=testing, level=levels["working"], source=AssessmentSource.ASSESSOR)

    draft = framework_release_draft_create_from_current(framework=old_release.framework, label="2026-04")
    changed = SkillLevelDescriptor.objects.get(skill__release=draft, skill__code="testing", level__code="working")
    skill_level_descriptor_update(descriptor=changed, text="You can:\n- test things in a new way")
    with django_capture_on_commit_callbacks(execute=True):
        framework_release_publish(release=draft)  # queues the carry-forward after commit

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
