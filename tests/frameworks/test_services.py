import re
from pathlib import Path

import pytest
from django.db import IntegrityError, transaction
from wagtail.log_actions import registry as log_registry
from wagtail.models import ModelLogEntry

import frameworks.services
from frameworks.enums import ReleaseStatus
from frameworks.models import Framework, FrameworkRelease, ReleaseChange, Requirement, Skill, SkillLevelDescriptor
from frameworks.selectors import release_content
from frameworks.services import (
    FrameworkValidationError,
    ReleaseFrozenError,
    ReleaseStateError,
    SkillInUseError,
    StaleDraftError,
    framework_release_changes_compute,
    framework_release_draft_create_from_current,
    framework_release_publish,
    release_change_note_set,
    requirement_delete,
    requirement_set,
    role_level_update,
    role_levels_reorder,
    skill_create,
    skill_delete,
    skill_level_descriptor_update,
    skill_mapping_set,
    skill_update,
)
from frameworks.wagtail_hooks import FRAMEWORK_LOG_ACTIONS
from tests.cms.factories import UserFactory
from tests.concurrency import run_together

from .factories import (
    FrameworkReleaseFactory,
    RequirementFactory,
    RoleFactory,
    RoleLevelFactory,
    SkillFactory,
    release_with_roles,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    return UserFactory()


@pytest.fixture
def published(editor):
    release = release_with_roles(skills=3, roles=2, levels_per_role=2, requirements_per_level=2, label="2025-10")
    return framework_release_publish(release=release, actor=editor)


# --- publishing ---------------------------------------------------------------------------------------


def test_publishing_a_draft_makes_it_current_and_supersedes_the_previous_release_at_once(published, editor):
    draft = framework_release_draft_create_from_current(framework=published.framework, label="2026-04", actor=editor)

    framework_release_publish(release=draft, actor=editor)

    published.refresh_from_db()
    draft.refresh_from_db()
    framework = Framework.objects.get(pk=published.framework_id)
    assert framework.current_release == draft
    assert draft.status == ReleaseStatus.PUBLISHED
    assert draft.published_at is not None
    assert published.status == ReleaseStatus.SUPERSEDED
    assert published.superseded_at == draft.published_at
    assert FrameworkRelease.objects.filter(framework=framework, status=ReleaseStatus.PUBLISHED).count() == 1
    actions = set(ModelLogEntry.objects.filter(user=editor).values_list("action", flat=True))
    assert {"capability.frameworks.release_publish", "capability.frameworks.release_supersede"} <= actions


def test_publishing_rolls_back_entirely_when_it_fails_half_way(published, editor, monkeypatch):
    draft = framework_release_draft_create_from_current(framework=published.framework, label="2026-04")

    def fail(*args, **kwargs):
        raise RuntimeError("the audit log is down")

    monkeypatch.setattr("frameworks.services.releases.log", fail)
    with pytest.raises(RuntimeError):
        framework_release_publish(release=draft, actor=editor)

    published.refresh_from_db()
    draft.refresh_from_db()
    assert published.status == ReleaseStatus.PUBLISHED
    assert draft.status == ReleaseStatus.DRAFT
    assert Framework.objects.get(pk=published.framework_id).current_release == published


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_publishing_two_drafts_at_the_same_moment_leaves_exactly_one_current_release():
    current = release_with_roles(skills=2, roles=1, levels_per_role=1, requirements_per_level=1, label="2025-10")
    framework_release_publish(release=current)
    drafts = [
        framework_release_draft_create_from_current(framework=current.framework, label=label) for label in ("a", "b")
    ]
    outcomes = run_together(*(lambda draft=draft: framework_release_publish(release=draft) for draft in drafts))

    # Whichever commits first becomes current; the other was drafted from 2025-10, which is no longer
    # current, so publishing it would revert the first (docs/decisions/0117).
    errors = [outcome for outcome in outcomes if isinstance(outcome, Exception)]
    assert len(errors) == 1
    assert isinstance(errors[0], StaleDraftError)
    published = FrameworkRelease.objects.filter(framework=current.framework, status=ReleaseStatus.PUBLISHED)
    assert published.count() == 1
    assert Framework.objects.get(pk=current.framework_id).current_release == published.get()
    statuses = sorted(FrameworkRelease.objects.filter(framework=current.framework).values_list("status", flat=True))
    assert statuses == ["draft", "published", "superseded"]


def test_two_releases_of_a_framework_cannot_both_be_published(published):
    draft = FrameworkReleaseFactory(framework=published.framework)
    draft.status = ReleaseStatus.PUBLISHED
    draft.published_at = published.published_at
    with pytest.raises(IntegrityError), transaction.atomic():
        draft.save()


def test_only_a_draft_with_skills_can_be_published(published):
    with pytest.raises(ReleaseStateError, match="only a draft can be published"):
        framework_release_publish(release=published)
    empty = FrameworkReleaseFactory(framework=published.framework)
    with pytest.raises(ReleaseStateError, match="has no skills"):
        framework_release_publish(release=empty)


def test_a_draft_made_from_a_release_that_is_no_longer_current_is_not_published(published):
    first_draft = framework_release_draft_create_from_current(framework=published.framework, label="2026-01")
    second_draft = framework_release_draft_create_from_current(framework=published.framework, label="2026-02")
    skill_create(release=second_draft, name="Brand new skill")
    framework_release_publish(release=second_draft)

    with pytest.raises(StaleDraftError, match="would undo what 2026-02 changed"):
        framework_release_publish(release=first_draft)

    first_draft.refresh_from_db()
    published.framework.refresh_from_db()
    assert first_draft.status == ReleaseStatus.DRAFT
    assert published.framework.current_release == second_draft


def test_publishing_brings_the_change_log_and_mapping_up_to_date_with_later_edits(published):
    draft = framework_release_draft_create_from_current(framework=published.framework, label="2026-04")
    descriptor = SkillLevelDescriptor.objects.filter(release=draft, level__code="expert").order_by("pk").first()
    skill_level_descriptor_update(descriptor=descriptor, text="You can:\n- do it in a new way")

    framework_release_publish(release=draft)

    assert list(draft.changes.values_list("kind", "code", "level_code")) == [
        ("level_text_changed", descriptor.skill.code, "expert")
    ]
    assert draft.skill_mappings.get(skill=descriptor.skill).changed_level_codes == ["expert"]


def test_a_first_release_has_no_change_log(published):
    assert not published.changes.exists()
    assert not published.skill_mappings.exists()


# --- drafts from the current release -----------------------------------------------------------------


def test_a_new_draft_clones_the_current_release_with_the_same_codes(published, editor):
    draft = framework_release_draft_create_from_current(framework=published.framework, label="2026-04", actor=editor)

    assert draft.status == ReleaseStatus.DRAFT
    assert draft.previous_release == published
    assert release_content(release=draft) == release_content(release=published)
    assert not draft.changes.exists()
    assert draft.skill_mappings.count() == 3
    assert all(mapping.is_unchanged for mapping in draft.skill_mappings.all())
    assert ModelLogEntry.objects.filter(action="capability.frameworks.release_draft_create", user=editor).exists()


def test_a_new_draft_needs_a_published_release_and_a_free_label(published):
    unpublished = FrameworkReleaseFactory()
    with pytest.raises(ReleaseStateError, match="has no published release"):
        framework_release_draft_create_from_current(framework=unpublished.framework, label="2026-04")
    with pytest.raises(ReleaseStateError, match="already has a release labelled 2025-10"):
        framework_release_draft_create_from_current(framework=published.framework, label="2025-10")


# --- published releases are frozen -------------------------------------------------------------------


def test_every_edit_of_a_published_release_is_refused_with_a_clear_error(published):
    skill = Skill.objects.filter(release=published).first()
    descriptor = SkillLevelDescriptor.objects.filter(release=published).first()
    requirement = Requirement.objects.filter(release=published).select_related("role_level").first()
    role_level = requirement.role_level
    edits = [
        lambda: skill_create(release=published, name="New"),
        lambda: skill_update(skill=skill, name="Renamed", description="", guidance=""),
        lambda: skill_level_descriptor_update(descriptor=descriptor, text="New text"),
        lambda: skill_delete(skill=skill),
        lambda: requirement_set(role_level=role_level, skill=skill, level=descriptor.level),
        lambda: requirement_delete(requirement=requirement),
        lambda: role_level_update(role_level=role_level, name="Renamed", description=""),
        lambda: role_levels_reorder(role=role_level.role, role_levels=list(role_level.role.levels.all())),
        lambda: framework_release_changes_compute(release=published),
    ]
    for edit in edits:
        with pytest.raises(ReleaseFrozenError) as error:
            edit()
        assert "published releases are frozen" in str(error.value)
        assert "Start a new draft from the current release" in str(error.value)
    assert Skill.objects.get(pk=skill.pk).name == skill.name


def test_the_database_refuses_writes_to_a_published_release_whatever_code_tries(published):
    with pytest.raises(IntegrityError, match="published and frozen"), transaction.atomic():
        Skill.objects.filter(release=published).update(name="Changed behind the services' back")
    with pytest.raises(IntegrityError, match="published and frozen"), transaction.atomic():
        SkillFactory(release=published)
    draft = framework_release_draft_create_from_current(framework=published.framework, label="2026-04")
    Skill.objects.filter(release=draft).update(description="Drafts can change.")


# --- skills ------------------------------------------------------------------------------------------


def test_deleting_a_skill_that_role_levels_require_is_refused_with_those_role_levels():
    requirement = RequirementFactory(role_level__name="Senior tester", role_level__role__name="Tester")
    RequirementFactory(
        skill=requirement.skill,
        release=requirement.release,
        role_level=RoleLevelFactory(name="Lead tester", role=requirement.role, release=requirement.release),
    )

    with pytest.raises(SkillInUseError) as error:
        skill_delete(skill=requirement.skill)

    assert error.value.role_levels == ["Tester – Senior tester", "Tester – Lead tester"]
    assert str(error.value) == (
        f"Skill '{requirement.skill.name}' cannot be deleted: 2 role level(s) require it: "
        "Tester – Senior tester; Tester – Lead tester. Remove those requirements first."
    )
    assert Skill.objects.filter(pk=requirement.skill.pk).exists()


def test_a_skill_no_role_level_requires_is_deleted_with_its_level_texts(editor):
    skill = SkillFactory()

    skill_delete(skill=skill, actor=editor)

    assert not Skill.objects.filter(pk=skill.pk).exists()
    assert not SkillLevelDescriptor.objects.filter(skill_id=skill.pk).exists()
    entry = ModelLogEntry.objects.get(action="capability.frameworks.skill_delete")
    assert entry.data["code"] == skill.code
    assert entry.deleted


def test_skill_create_adds_a_descriptor_per_level_and_refuses_duplicates():
    release = FrameworkReleaseFactory()

    skill = skill_create(release=release, name="Pairing", level_texts={"working": "You can:\n- pair"})

    assert skill.code == "pairing"
    descriptors = {d.level.code: d for d in skill.descriptors.select_related("level")}
    assert set(descriptors) == {"awareness", "working", "practitioner", "expert"}
    assert descriptors["working"].is_defined
    assert descriptors["working"].statements == ["pair"]
    assert not descriptors["expert"].is_defined
    with pytest.raises(FrameworkValidationError, match="already has a skill with code 'pairing'"):
        skill_create(release=release, name="Pairing")
    with pytest.raises(FrameworkValidationError, match="Unknown level"):
        skill_create(release=release, name="Other", level_texts={"guru": "text"})


def test_a_defined_level_needs_text():
    descriptor = SkillLevelDescriptor.objects.filter(skill=SkillFactory()).first()
    with pytest.raises(FrameworkValidationError, match="needs its text"):
        skill_level_descriptor_update(descriptor=descriptor, text="  ", is_defined=True)
    skill_level_descriptor_update(descriptor=descriptor, text="")
    descriptor.refresh_from_db()
    assert not descriptor.is_defined


def test_requirement_set_adds_or_changes_the_required_level():
    requirement = RequirementFactory()
    expert = requirement.release.levels.get(code="expert")

    requirement_set(role_level=requirement.role_level, skill=requirement.skill, level=expert)

    assert Requirement.objects.get(pk=requirement.pk).level == expert
    other_release_skill = SkillFactory()
    with pytest.raises(FrameworkValidationError, match="same release"):
        requirement_set(role_level=requirement.role_level, skill=other_release_skill, level=expert)


def test_role_levels_can_be_reordered():
    role = RoleFactory()
    first, second, third = (RoleLevelFactory(role=role, release=role.release, seniority=n) for n in (1, 2, 3))

    role_levels_reorder(role=role, role_levels=[third, first, second])

    assert list(role.levels.order_by("seniority")) == [third, first, second]
    with pytest.raises(FrameworkValidationError, match="exactly once"):
        role_levels_reorder(role=role, role_levels=[third, first])


# --- change log and mapping --------------------------------------------------------------------------


def test_the_change_log_shows_edits_and_keeps_editors_notes(published, editor):
    draft = framework_release_draft_create_from_current(framework=published.framework, label="2026-04")
    skill = Skill.objects.filter(release=draft).order_by("code").first()
    skill_update(skill=skill, name="Renamed skill", description=skill.description, guidance="")
    descriptor = skill.descriptors.get(level__code="working")
    skill_level_descriptor_update(descriptor=descriptor, text="You can:\n- something new")

    changes = framework_release_changes_compute(release=draft, actor=editor)

    assert [(c.subject, c.kind, c.code, c.level_code) for c in changes] == [
        ("skill", "renamed", skill.code, ""),
        ("skill", "level_text_changed", skill.code, "working"),
    ]
    release_change_note_set(change=changes[0], note="Clearer name.", actor=editor)
    framework_release_changes_compute(release=draft)
    assert ReleaseChange.objects.get(release=draft, kind="renamed").note == "Clearer name."
    mapping = draft.skill_mappings.get(skill=skill)
    assert mapping.is_renamed
    assert mapping.changed_level_codes == ["working"]


def test_an_editor_can_map_a_ddat_rename_whose_code_changed(published):
    draft = framework_release_draft_create_from_current(framework=published.framework, label="2026-04")
    old = Skill.objects.filter(release=draft).order_by("code").last()
    previous_skill = Skill.objects.get(release=published, code=old.code)
    Requirement.objects.filter(skill=old).delete()
    new = skill_create(release=draft, name="Completely new name")
    skill_delete(skill=old)
    framework_release_changes_compute(release=draft)
    assert draft.changes.filter(kind__in=["added", "removed"], subject="skill").count() == 2

    mapping = skill_mapping_set(release=draft, previous_skill=previous_skill, skill=new)

    assert mapping.skill == new
    assert mapping.is_renamed
    assert mapping.is_set_by_editor
    skill_changes = set(draft.changes.filter(subject="skill").values_list("kind", "code", "previous_name"))
    assert ("renamed", new.code, previous_skill.name) in skill_changes
    assert not draft.changes.filter(subject="skill", kind__in=["added", "removed"]).exists()
    with pytest.raises(FrameworkValidationError):
        skill_mapping_set(release=draft, previous_skill=new, skill=new)


# --- audit ---------------------------------------------------------------------------------------------


def test_every_audit_action_the_services_use_is_registered():
    services = Path(frameworks.services.__file__).parent
    used = {
        action
        for module in services.glob("*.py")
        for action in re.findall(r'"(capability\.frameworks\.[a-z_]+)"', module.read_text())
    }
    assert used == {action for action, _, _ in FRAMEWORK_LOG_ACTIONS}
    for action in used:
        assert log_registry.action_exists(action)
