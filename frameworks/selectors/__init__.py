"""Reads of the framework for the public site, the admin, the API and other apps.

Every selector runs a constant number of queries whatever the size of the release (tests pin the counts).
Selectors that take `published_only=True` (the default) never return draft content: the public site must
pass it; the admin may pass False.

Frameworks and releases (`releases`), the change log in words (`changes`), the whole release as values
(`content`), the public pages (`pages`), the site search (`search`) and the JSON API (`api`).
"""

from frameworks.selectors.api import roles_with_levels, skills_with_levels
from frameworks.selectors.changes import ChangeDetail, ReleaseComparison, release_change_details, release_comparison
from frameworks.selectors.content import release_content, release_export
from frameworks.selectors.pages import (
    RequiredSkill,
    RoleLevelRequirements,
    SkillDetail,
    categories_with_skills,
    framework_pages_published,
    release_levels,
    role_families,
    role_families_with_roles,
    role_ladder,
    role_level_with_requirements,
    role_requirements,
    role_with_ladder,
    skill_detail,
    skill_requirements,
    skills_a_to_z,
)
from frameworks.selectors.releases import (
    VISIBLE_STATUSES,
    framework_get,
    framework_releases,
    frameworks_published,
    release_change_log,
    release_content_counts,
    release_default_for_editing,
    release_get,
    release_in_moderation,
    release_publication_requester_ids,
    releases_in_moderation,
)
from frameworks.selectors.search import SEARCH_SUMMARY_LENGTH, FrameworkSearchResult, framework_search

__all__ = [
    "ChangeDetail",
    "FrameworkSearchResult",
    "ReleaseComparison",
    "RequiredSkill",
    "RoleLevelRequirements",
    "SEARCH_SUMMARY_LENGTH",
    "SkillDetail",
    "VISIBLE_STATUSES",
    "categories_with_skills",
    "framework_get",
    "framework_pages_published",
    "framework_releases",
    "framework_search",
    "frameworks_published",
    "release_change_details",
    "release_change_log",
    "release_comparison",
    "release_content",
    "release_content_counts",
    "release_default_for_editing",
    "release_export",
    "release_get",
    "release_in_moderation",
    "release_levels",
    "release_publication_requester_ids",
    "releases_in_moderation",
    "role_families",
    "role_families_with_roles",
    "role_ladder",
    "role_level_with_requirements",
    "role_requirements",
    "role_with_ladder",
    "roles_with_levels",
    "skill_detail",
    "skill_requirements",
    "skills_a_to_z",
    "skills_with_levels",
]
