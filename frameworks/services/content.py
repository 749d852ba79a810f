"""Writing a whole `ReleaseContent` into a draft release, and clearing one. Used by imports and cloning;
both run inside the caller's transaction and never touch a published release."""

from frameworks.models import (
    Category,
    FrameworkRelease,
    GenericAttribute,
    GenericAttributeLevel,
    Level,
    ReleaseChange,
    Requirement,
    Role,
    RoleFamily,
    RoleLevel,
    Skill,
    SkillLevelDescriptor,
    SkillMapping,
    Subcategory,
)
from frameworks.release_content import ReleaseContent
from frameworks.selectors import release_in_moderation
from frameworks.services.errors import ReleaseFrozenError, ReleaseInModerationError
from frameworks.structured_text import text_blocks


def release_assert_editable(release: FrameworkRelease) -> None:
    """Raise ReleaseFrozenError unless `release` is a draft."""
    if not release.is_editable:
        raise ReleaseFrozenError(release)


def release_assert_content_editable(release: FrameworkRelease) -> FrameworkRelease:
    """Raise ReleaseFrozenError unless `release` is a draft, and ReleaseInModerationError while its publication
    waits for a moderator or for its scheduled time (docs/decisions/0114). Every edit of a draft's content
    calls it inside its transaction: the release row stays locked until that transaction ends, so an edit and
    a request for publication (which locks the same row) cannot interleave. Returns the release as re-read."""
    locked = FrameworkRelease.objects.select_for_update(of=("self",)).select_related("framework").get(pk=release.pk)
    release_assert_editable(locked)
    if release_in_moderation(release=locked):
        raise ReleaseInModerationError(locked)
    return locked


def release_content_write(*, release: FrameworkRelease, content: ReleaseContent) -> None:
    """Create every row of `content` in the empty draft `release`, in bulk (a constant number of queries)."""
    release_assert_editable(release)
    levels = Level.objects.bulk_create(
        Level(
            release=release,
            code=level.code,
            name=level.name,
            rank=level.rank,
            guiding_phrase=level.guiding_phrase,
            description=level.description,
            url=level.url,
        )
        for level in content.levels
    )
    level_by_code = {level.code: level for level in levels}

    categories = Category.objects.bulk_create(
        Category(release=release, code=category.code, name=category.name, position=category.position)
        for category in content.categories
    )
    category_by_code = {category.code: category for category in categories}
    subcategories = Subcategory.objects.bulk_create(
        Subcategory(
            release=release,
            category=category_by_code[subcategory.category_code],
            code=subcategory.code,
            name=subcategory.name,
            position=subcategory.position,
        )
        for subcategory in content.subcategories
    )
    subcategory_by_code = {subcategory.code: subcategory for subcategory in subcategories}

    skills = Skill.objects.bulk_create(
        Skill(
            release=release,
            **_described_item_fields(skill),
            category=category_by_code.get(skill.category_code),
            subcategory=subcategory_by_code.get(skill.subcategory_code),
            description_placeholder=skill.description_placeholder,
            listed_roles=skill.listed_roles,
        )
        for skill in content.skills
    )
    skill_by_code = {skill.code: skill for skill in skills}
    _level_texts_write(SkillLevelDescriptor, release, skill_by_code, content.skills, level_by_code)

    attributes = GenericAttribute.objects.bulk_create(
        GenericAttribute(
            release=release,
            **_described_item_fields(attribute),
            attribute_type=attribute.attribute_type,
            position=attribute.position,
        )
        for attribute in content.attributes
    )
    attribute_by_code = {attribute.code: attribute for attribute in attributes}
    _level_texts_write(GenericAttributeLevel, release, attribute_by_code, content.attributes, level_by_code)

    families = RoleFamily.objects.bulk_create(
        RoleFamily(release=release, code=family.code, name=family.name, description=family.description)
        for family in content.role_families
    )
    family_by_code = {family.code: family for family in families}
    roles = Role.objects.bulk_create(
        Role(
            release=release,
            family=family_by_code[role.family_code],
            code=role.code,
            name=role.name,
            description=role.description,
            description_blocks=text_blocks(role.description),
            role_type=role.role_type,
        )
        for role in content.roles
    )
    role_by_code = {role.code: role for role in roles}
    role_levels = RoleLevel.objects.bulk_create(
        RoleLevel(
            release=release,
            role=role_by_code[level.role_code],
            code=level.code,
            name=level.name,
            description=level.description,
            description_blocks=text_blocks(level.description),
            seniority=level.seniority,
            indicative_grade=level.indicative_grade,
        )
        for level in content.role_levels
    )
    role_level_by_code = {(level.role.code, level.code): level for level in role_levels}
    Requirement.objects.bulk_create(
        Requirement(
            release=release,
            role=role_by_code[requirement.role_code],
            role_level=role_level_by_code.get((requirement.role_code, requirement.role_level_code)),
            skill=skill_by_code[requirement.skill_code],
            level=level_by_code.get(requirement.level_code),
        )
        for requirement in content.requirements
    )


def _described_item_fields(item) -> dict:
    """The fields every item described at each level has (frameworks.models.base.LevelDescribedItem)."""
    return {
        "code": item.code,
        "name": item.name,
        "description": item.description,
        "description_blocks": text_blocks(item.description),
        "guidance": item.guidance,
        "guidance_blocks": text_blocks(item.guidance),
        "url": item.url,
    }


def _level_texts_write(model, release, saved_by_code, items, level_by_code) -> None:
    """One `model` row (a LevelText) per level text of each item, keyed to the saved item of the same code."""
    model.objects.bulk_create(
        model(
            release=release,
            **{model.item_field: saved_by_code[item.code]},
            level=level_by_code[text.level_code],
            text=text.text,
            is_defined=text.is_defined,
            blocks=text_blocks(text.text),
        )
        for item in items
        for text in item.level_texts
    )


def release_content_delete(*, release: FrameworkRelease) -> None:
    """Delete every content row of the draft `release` (not the release itself), dependants first."""
    release_assert_editable(release)
    for model in (
        SkillMapping,
        ReleaseChange,
        Requirement,
        RoleLevel,
        Role,
        RoleFamily,
        GenericAttributeLevel,
        GenericAttribute,
        SkillLevelDescriptor,
        Skill,
        Subcategory,
        Category,
        Level,
    ):
        model.objects.filter(release=release).delete()
