"""The whole release as one JSON document, for people and programs that want the framework as data.

Text fields are exactly as published; each level text also comes split into `intro` and `statements`.
"""

import json
from collections import defaultdict

from frameworks.release_content import AttributeContent, ReleaseExport, SkillContent
from frameworks.structured_text import blocks_intro, blocks_statements, text_blocks

JSON_FORMAT_VERSION = 1


def release_json(export: ReleaseExport) -> bytes:
    """The release as UTF-8 JSON (framework, release, levels, skills, roles, attributes, change log)."""
    release, content = export.release, export.content
    framework = release.framework
    rank = {level.code: level.rank for level in content.levels}
    subcategories = defaultdict(list)
    for subcategory in content.subcategories:
        subcategories[subcategory.category_code].append({"code": subcategory.code, "name": subcategory.name})
    requirements = defaultdict(list)
    for requirement in content.requirements:
        key = (requirement.role_code, requirement.role_level_code)
        requirements[key].append({"skill": requirement.skill_code, "level": requirement.level_code or None})
    roles_by_family = defaultdict(list)
    levels_by_role = defaultdict(list)
    for role_level in content.role_levels:
        levels_by_role[role_level.role_code].append(role_level)
    for role in content.roles:
        roles_by_family[role.family_code].append(
            {
                "code": role.code,
                "name": role.name,
                "description": role.description,
                "role_type": role.role_type,
                "levels": [
                    {
                        "code": level.code,
                        "name": level.name,
                        "description": level.description,
                        "seniority": level.seniority,
                        "indicative_grade": level.indicative_grade or None,
                        "requirements": requirements[(role.code, level.code)],
                    }
                    for level in levels_by_role[role.code]
                ],
                "skills_without_level": [item["skill"] for item in requirements[(role.code, "")]],
            }
        )
    document = {
        "format": "capability-framework",
        "format_version": JSON_FORMAT_VERSION,
        "framework": {
            "slug": framework.slug,
            "name": framework.name,
            "publisher": framework.publisher,
            "kind": framework.kind,
            "licence": framework.licence,
            "licence_url": framework.licence_url,
        },
        "release": {
            "label": release.label,
            "status": release.status,
            "published_at": release.published_at.isoformat() if release.published_at else None,
            "previous_release": release.previous_release.label if release.previous_release_id else None,
        },
        "levels": [
            {
                "code": level.code,
                "name": level.name,
                "rank": level.rank,
                "guiding_phrase": level.guiding_phrase,
                "description": level.description,
            }
            for level in sorted(content.levels, key=lambda level: level.rank)
        ],
        "categories": [
            {"code": category.code, "name": category.name, "subcategories": subcategories[category.code]}
            for category in content.categories
        ],
        "skills": [
            {
                "code": skill.code,
                "name": skill.name,
                "description": skill.description,
                "guidance": skill.guidance,
                "url": skill.url,
                "category": skill.category_code or None,
                "subcategory": skill.subcategory_code or None,
                "levels": _level_texts(skill, rank),
            }
            for skill in sorted(content.skills, key=lambda skill: skill.name.casefold())
        ],
        "role_families": [
            {"code": family.code, "name": family.name, "roles": roles_by_family[family.code]}
            for family in content.role_families
        ],
        "generic_attributes": [
            {
                "code": attribute.code,
                "name": attribute.name,
                "type": attribute.attribute_type,
                "description": attribute.description,
                "guidance": attribute.guidance,
                "levels": _level_texts(attribute, rank),
            }
            for attribute in content.attributes
        ],
        "changes": [
            {
                "subject": change.subject,
                "kind": change.kind,
                "code": change.code,
                "name": change.name,
                "previous_name": change.previous_name,
                "level": change.level_code or None,
                "detail": change.detail,
                "note": change.note,
            }
            for change in export.changes
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")


def _level_texts(item: SkillContent | AttributeContent, rank: dict[str, int]) -> list[dict]:
    """An item's level texts, lowest level first, each also split into intro and statements."""
    texts = []
    for text in sorted(item.level_texts, key=lambda text: rank[text.level_code]):
        blocks = text_blocks(text.text)
        texts.append(
            {
                "level": text.level_code,
                "defined": text.is_defined,
                "text": text.text,
                "intro": blocks_intro(blocks),
                "statements": blocks_statements(blocks),
            }
        )
    return texts
