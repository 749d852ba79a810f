"""Tests of frameworks.services.releases."""

import pytest
from django.db import IntegrityError, transaction
from wagtail.models import ModelLogEntry

from frameworks.enums import ReleaseStatus
from frameworks.models import Framework, FrameworkRelease, ReleaseChange, Requirement, Skill, SkillLevelDescriptor
from frameworks.selectors import release_content
from frameworks.services import (
    FrameworkValidationError,
    ReleaseStateError,
    StaleDraftError,
    framework_release_changes_compute,
    framework_release_draft_create_from_current,
    framework_release_publish,
    release_change_note_set,
    skill_create,
    skill_delete,
    skill_level_descriptor_update,
    skill_mapping_set,
    skill_update,
)
from tests.concurrency import run_together
from tests.frameworks.factories import FrameworkReleaseFactory, release_with_roles

pytestmark = pytest.mark.django_db

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
    draft = framework_release_draft_create_from_current(framework=published.framework, label="2026-04", actor=None)

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
    framework_release_publish(release=current, actor=None)
    drafts = [
        framework_release_draft_create_from_current(framework=current.framework, label=label, actor=None)
        for label in ("a", "b")
    ]
    outcomes = run_together(
        *(lambda draft=draft: framework_release_publish(release=draft, actor=None) for draft in drafts)
    )

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
        framework_release_publish(release=published, actor=None)
    empty = FrameworkReleaseFactory(framework=published.framework)
    with pytest.raises(ReleaseStateError, match="has no skills"):
        framework_release_publish(release=empty, actor=None)


def test_a_draft_made_from_a_release_that_is_no_longer_current_is_not_published(published):
    first_draft = framework_release_draft_create_from_current(
        framework=published.framework, label="2026-01", actor=None
    )
    second_draft = framework_release_draft_create_from_current(
        framework=published.framework, label="2026-02", actor=None
    )
    skill_create(release=second_draft, name="Brand new skill", actor=None)
    framework_release_publish(release=second_draft, actor=None)

    with pytest.raises(StaleDraftError, match="would undo what 2026-02 changed"):
        framework_release_publish(release=first_draft, actor=None)

    first_draft.refresh_from_db()
    published.framework.refresh_from_db()
    assert first_draft.status == ReleaseStatus.DRAFT
    assert published.framework.current_release == second_draft


def test_publishing_brings_the_change_log_and_mapping_up_to_date_with_later_edits(published):
    draft = framework_release_draft_create_from_current(framework=published.framework, label="2026-04", actor=None)
    descriptor = SkillLevelDescriptor.objects.filter(release=draft, level__code="expert").order_by("pk").first()
    skill_level_descriptor_update(descriptor=descriptor, text="You can:\n- do it in a new way", actor=None)

    framework_release_publish(release=draft, actor=None)

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
        framework_release_draft_create_from_current(framework=unpublished.framework, label="2026-04", actor=None)
    with pytest.raises(ReleaseStateError, match="already has a release labelled 2025-10"):
        framework_release_draft_create_from_current(framework=published.framework, label="2025-10", actor=None)


# --- change log and mapping --------------------------------------------------------------------------


def test_the_change_log_shows_edits_and_keeps_editors_notes(published, editor):
    draft = framework_release_draft_create_from_current(framework=published.framework, label="2026-04", actor=None)
    skill = Skill.objects.filter(release=draft).order_by("code").first()
    skill_update(skill=skill, name="Renamed skill", description=skill.description, guidance="", actor=None)
    descriptor = skill.descriptors.get(level__code="working")
    skill_level_descriptor_update(descriptor=descriptor, text="You can:\n- something new", actor=None)

    changes = framework_release_changes_compute(release=draft, actor=editor)

    assert [(c.subject, c.kind, c.code, c.level_code) for c in changes] == [
        ("skill", "renamed", skill.code, ""),
        ("skill", "level_text_changed", skill.code, "working"),
    ]
    release_change_note_set(change=changes[0], note="Clearer name.", actor=editor)
    framework_release_changes_compute(release=draft, actor=None)
    assert ReleaseChange.objects.get(release=draft, kind="renamed").note == "Clearer name."
    mapping = draft.skill_mappings.get(skill=skill)
    assert mapping.is_renamed
    assert mapping.changed_level_codes == ["working"]


def test_an_editor_can_map_a_ddat_rename_whose_code_changed(published):
    draft = framework_release_draft_create_from_current(framework=published.framework, label="2026-04", actor=None)
    old = Skill.objects.filter(release=draft).order_by("code").last()
    previous_skill = Skill.objects.get(release=published, code=old.code)
    Requirement.objects.filter(skill=old).delete()
    new = skill_create(release=draft, name="Completely new name", actor=None)
    skill_delete(skill=old, actor=None)
    framework_release_changes_compute(release=draft, actor=None)
    assert draft.changes.filter(kind__in=["added", "removed"], subject="skill").count() == 2

    mapping = skill_mapping_set(release=draft, previous_skill=previous_skill, skill=new, actor=None)

    assert mapping.skill == new
    assert mapping.is_renamed
    assert mapping.is_set_by_editor
    skill_changes = set(draft.changes.filter(subject="skill").values_list("kind", "code", "previous_name"))
    assert ("renamed", new.code, previous_skill.name) in skill_changes
    assert not draft.changes.filter(subject="skill", kind__in=["added", "removed"]).exists()
    with pytest.raises(FrameworkValidationError):
        skill_mapping_set(release=draft, previous_skill=new, skill=new, actor=None)
