"""The whole release as comparable values: what the importers produce, the services compare and the exporters write."""

from collections import defaultdict

from ..models import (
    Category,
    FrameworkRelease,
    GenericAttribute,
    GenericAttributeLevel,
    Level,
    Requirement,
    Role,
    RoleFamily,
    RoleLevel,
    Skill,
    SkillLevelDescriptor,
    Subcategory,
)
from ..release_content import (
    AttributeContent,
    CategoryContent,
    LevelContent,
    LevelTextContent,
    ReleaseContent,
    ReleaseExport,
    RequirementContent,
    RoleContent,
    RoleFamilyContent,
    RoleLevelContent,
    SkillContent,
    SubcategoryContent,
)
from .releases import release_change_log


def release_export(*, release: FrameworkRelease) -> ReleaseExport:
    """Everything the exporters write `release` from: its content and its change log (13 queries)."""
    release = FrameworkRelease.objects.select_related("framework", "previous_release").get(pk=release.pk)
    return ReleaseExport(
        release=release,
        content=release_content(release=release),
        changes=tuple(release_change_log(release=release)),
    )


def release_content(*, release: FrameworkRelease | None) -> ReleaseContent:
    """Everything `release` holds as comparable values (11 queries); empty content for None."""
    if release is None:
        return ReleaseContent()
    levels = [
        LevelContent(rank, code, name, guiding_phrase, description, url)
        for rank, code, name, guiding_phrase, description, url in Level.objects.filter(release=release).values_list(
            "rank", "code", "name", "guiding_phrase", "description", "url"
        )
    ]
    categories = [
        CategoryContent(*row)
        for row in Category.objects.filter(release=release).values_list("position", "code", "name")
    ]
    subcategories = [
        SubcategoryContent(*row)
        for row in Subcategory.objects.filter(release=release).values_list("position", "code", "category__code", "name")
    ]
    texts = _level_texts_read(SkillLevelDescriptor, "skill_id", release)
    skills = [
        SkillContent(
            code=row["code"],
            name=row["name"],
            description=row["description"],
            guidance=row["guidance"],
            url=row["url"],
            category_code=row["category__code"] or "",
            subcategory_code=row["subcategory__code"] or "",
            description_placeholder=row["description_placeholder"],
            listed_roles=row["listed_roles"],
            level_texts=tuple(texts[row["id"]]),
        )
        for row in Skill.objects.filter(release=release).values(
            "id",
            "code",
            "name",
            "description",
            "guidance",
            "url",
            "category__code",
            "subcategory__code",
            "description_placeholder",
            "listed_roles",
        )
    ]
    attribute_texts = _level_texts_read(GenericAttributeLevel, "attribute_id", release)
    attributes = [
        AttributeContent(
            position=row["position"],
            code=row["code"],
            name=row["name"],
            attribute_type=row["attribute_type"],
            description=row["description"],
            guidance=row["guidance"],
            url=row["url"],
            level_texts=tuple(attribute_texts[row["id"]]),
        )
        for row in GenericAttribute.objects.filter(release=release).values(
            "id", "position", "code", "name", "attribute_type", "description", "guidance", "url"
        )
    ]
    families = [
        RoleFamilyContent(*row)
        for row in RoleFamily.objects.filter(release=release).values_list("code", "name", "description")
    ]
    roles = [
        RoleContent(*row)
        for row in Role.objects.filter(release=release).values_list(
            "code", "name", "family__code", "description", "role_type"
        )
    ]
    role_levels = [
        RoleLevelContent(*row)
        for row in RoleLevel.objects.filter(release=release).values_list(
            "role__code", "seniority", "code", "name", "description", "indicative_grade"
        )
    ]
    requirements = [
        RequirementContent(role_code, role_level_code or "", skill_code, level_code or "")
        for role_code, role_level_code, skill_code, level_code in Requirement.objects.filter(
            release=release
        ).values_list("role__code", "role_level__code", "skill__code", "level__code")
    ]
    return ReleaseContent(
        levels=tuple(levels),
        categories=tuple(categories),
        subcategories=tuple(subcategories),
        skills=tuple(skills),
        attributes=tuple(attributes),
        role_families=tuple(families),
        roles=tuple(roles),
        role_levels=tuple(role_levels),
        requirements=tuple(requirements),
    )


# --- roles ------------------------------------------------------------------------------------------


def _level_texts_read(model, item_field: str, release) -> dict[int, list[LevelTextContent]]:
    """The level texts (a LevelText model) of every item of `release`, by item id (one query)."""
    texts = defaultdict(list)
    for item_id, level_code, text, is_defined in model.objects.filter(release=release).values_list(
        item_field, "level__code", "text", "is_defined"
    ):
        texts[item_id].append(LevelTextContent(level_code, text, is_defined))
    return texts
