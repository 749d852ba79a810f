"""Tests of frameworks.services.editing."""

import pytest
from wagtail.models import ModelLogEntry

from frameworks.models import Requirement, Skill, SkillLevelDescriptor
from frameworks.services import (
    FrameworkValidationError,
    SkillInUseError,
    requirement_set,
    role_levels_reorder,
    skill_create,
    skill_delete,
    skill_level_descriptor_update,
)
from tests.frameworks.factories import (
    FrameworkReleaseFactory,
    RequirementFactory,
    RoleFactory,
    RoleLevelFactory,
    SkillFactory,
)

pytestmark = pytest.mark.django_db

# --- skills ------------------------------------------------------------------------------------------


def test_deleting_a_skill_that_role_levels_require_is_refused_with_those_role_levels():
    requirement = RequirementFactory(role_level__name="Senior tester", role_level__role__name="Tester")
    RequirementFactory(
        skill=requirement.skill,
        release=requirement.release,
        role_level=RoleLevelFactory(name="Lead tester", role=requirement.role, release=requirement.release),
    )

    with pytest.raises(SkillInUseError) as error:
        skill_delete(skill=requirement.skill, actor=None)

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

    skill = skill_create(release=release, name="Pairing", level_texts={"working": "You can:\n- pair"}, actor=None)

    assert skill.code == "pairing"
    descriptors = {d.level.code: d for d in skill.descriptors.select_related("level")}
    assert set(descriptors) == {"awareness", "working", "practitioner", "expert"}
    assert descriptors["working"].is_defined
    assert descriptors["working"].statements == ["pair"]
    assert not descriptors["expert"].is_defined
    with pytest.raises(FrameworkValidationError, match="already has a skill with code 'pairing'"):
        skill_create(release=release, name="Pairing", actor=None)
    with pytest.raises(FrameworkValidationError, match="Unknown level"):
        skill_create(release=release, name="Other", level_texts={"guru": "text"}, actor=None)


def test_a_defined_level_needs_text():
    descriptor = SkillLevelDescriptor.objects.filter(skill=SkillFactory()).first()
    with pytest.raises(FrameworkValidationError, match="needs its text"):
        skill_level_descriptor_update(descriptor=descriptor, text="  ", is_defined=True, actor=None)
    skill_level_descriptor_update(descriptor=descriptor, text="", actor=None)
    descriptor.refresh_from_db()
    assert not descriptor.is_defined


def test_requirement_set_adds_or_changes_the_required_level():
    requirement = RequirementFactory()
    expert = requirement.release.levels.get(code="expert")

    requirement_set(role_level=requirement.role_level, skill=requirement.skill, level=expert, actor=None)

    assert Requirement.objects.get(pk=requirement.pk).level == expert
    other_release_skill = SkillFactory()
    with pytest.raises(FrameworkValidationError, match="same release"):
        requirement_set(role_level=requirement.role_level, skill=other_release_skill, level=expert, actor=None)


def test_role_levels_can_be_reordered():
    role = RoleFactory()
    first, second, third = (RoleLevelFactory(role=role, release=role.release, seniority=n) for n in (1, 2, 3))

    role_levels_reorder(role=role, role_levels=[third, first, second], actor=None)

    assert list(role.levels.order_by("seniority")) == [third, first, second]
    with pytest.raises(FrameworkValidationError, match="exactly once"):
        role_levels_reorder(role=role, role_levels=[third, first], actor=None)
