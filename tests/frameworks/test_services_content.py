"""Tests of frameworks.services.content."""

import pytest
from django.db import IntegrityError, transaction

from frameworks.models import Requirement, Skill, SkillLevelDescriptor
from frameworks.services import (
    ReleaseFrozenError,
    framework_release_changes_compute,
    framework_release_draft_create_from_current,
    requirement_delete,
    requirement_set,
    role_level_update,
    role_levels_reorder,
    skill_create,
    skill_delete,
    skill_level_descriptor_update,
    skill_update,
)
from tests.frameworks.factories import SkillFactory

pytestmark = pytest.mark.django_db

# --- published releases are frozen -------------------------------------------------------------------


def test_every_edit_of_a_published_release_is_refused_with_a_clear_error(published):
    skill = Skill.objects.filter(release=published).first()
    descriptor = SkillLevelDescriptor.objects.filter(release=published).first()
    requirement = Requirement.objects.filter(release=published).select_related("role_level").first()
    role_level = requirement.role_level
    edits = [
        lambda: skill_create(release=published, name="New", actor=None),
        lambda: skill_update(skill=skill, name="Renamed", description="", guidance="", actor=None),
        lambda: skill_level_descriptor_update(descriptor=descriptor, text="New text", actor=None),
        lambda: skill_delete(skill=skill, actor=None),
        lambda: requirement_set(role_level=role_level, skill=skill, level=descriptor.level, actor=None),
        lambda: requirement_delete(requirement=requirement, actor=None),
        lambda: role_level_update(role_level=role_level, name="Renamed", description="", actor=None),
        lambda: role_levels_reorder(role=role_level.role, role_levels=list(role_level.role.levels.all()), actor=None),
        lambda: framework_release_changes_compute(release=published, actor=None),
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
    draft = framework_release_draft_create_from_current(framework=published.framework, label="2026-04", actor=None)
    Skill.objects.filter(release=draft).update(description="Drafts can change.")
