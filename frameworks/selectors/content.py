"""The whole release as comparable values: what the importers produce, the services compare and the exporters write."""

from collections import defaultdict

from django.db.models import Value
from django.db.models.functions import Coalesce

from frameworks.models import (
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
from frameworks.release_content import (
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
from frameworks.selectors.releases import release_change_log


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
    skills = _described_items_read(
        Skill,
        SkillLevelDescriptor,
        release,
        SkillContent,
        "description_placeholder",
        "listed_roles",
        category_code=Coalesce("category__code", Value("")),
        subcategory_code=Coalesce("subcategory__code", Value("")),
    )
    attributes = _described_items_read(
        GenericAttribute, GenericAttributeLevel, release, AttributeContent, "position", "attribute_type"
    )
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


# What every item described at each level (frameworks.models.base.LevelDescribedItem) holds, as its content has it.
DESCRIBED_ITEM_FIELDS = ("code", "name", "description", "guidance", "url")


def _described_items_read(model, texts_model, release, content_class, *fields, **expressions) -> list:
    """Every item of `release` described at each level (a skill, a generic attribute) as `content_class`, with its
    level texts from `texts_model` (two queries). `fields` and `expressions` are the content's other fields."""
    texts = _level_texts_read(texts_model, release)
    rows = model.objects.filter(release=release).values("id", *DESCRIBED_ITEM_FIELDS, *fields, **expressions)
    items = []
    for row in rows:
        item_id = row.pop("id")
        items.append(content_class(**row, level_texts=tuple(texts[item_id])))
    return items


def _level_texts_read(model, release) -> dict[int, list[LevelTextContent]]:
    """The level texts (a LevelText model) of every item of `release`, by item id (one query)."""
    texts = defaultdict(list)
    for item_id, level_code, text, is_defined in model.objects.filter(release=release).values_list(
        f"{model.item_field}_id", "level__code", "text", "is_defined"
    ):
        texts[item_id].append(LevelTextContent(level_code, text, is_defined))
    return texts
