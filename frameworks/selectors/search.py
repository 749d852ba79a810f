"""The site search over the current, published releases (decision 0112)."""

from dataclasses import dataclass

from django.utils.text import Truncator
from wagtail.search.backends import get_search_backend

from frameworks.models import FrameworkPage, Role, RoleLevel, Skill
from frameworks.models.pages import subpage_path


@dataclass(frozen=True)
class FrameworkSearchResult:
    """A skill, role or role level found by `framework_search`, with the URL of its public page."""

    kind: str  # "Skill", "Role" or "Role level"
    title: str
    url: str
    summary: str
    framework_name: str
    score: float


SEARCH_SUMMARY_LENGTH = 240


def framework_search(*, query: str, limit: int = 10) -> list[FrameworkSearchResult]:
    """Skills, roles and role levels of the current releases whose names or descriptions match `query`, best
    first, at most `limit`, each with the URL of its page on the public framework site. Only frameworks with
    a live, public framework page are searched (drafts and earlier releases never are). Uses the Wagtail
    search index, which `release_search_index_update` fills when a release is published. Six queries at most.
    """
    query = query.strip()
    if not query:
        return []
    pages = {
        page.framework_id: page
        for page in FrameworkPage.objects.live().public().select_related("framework")
        if page.framework.current_release_id
    }
    if not pages:
        return []
    release_framework = {page.framework.current_release_id: page for page in pages.values()}
    found: list[FrameworkSearchResult] = []

    def add(kind, obj, title, path, blocks):
        page = release_framework[obj.release_id]
        first = blocks[0] if blocks else None
        summary = "" if first is None else first.get("text") or first.get("intro") or ""
        summary = Truncator(summary).chars(SEARCH_SUMMARY_LENGTH)
        found.append(
            FrameworkSearchResult(
                kind, title, f"{page.url}{path}", summary, page.framework.name, float(getattr(obj, "_score", 0))
            )
        )

    releases = list(release_framework)
    backend = get_search_backend()

    def search(queryset):
        return backend.search(query, queryset).annotate_score("_score")[:limit]

    for skill in search(Skill.objects.filter(release_id__in=releases)):
        add("Skill", skill, skill.name, subpage_path("skill", skill.code), skill.description_blocks)
    for role in search(Role.objects.filter(release_id__in=releases)):
        add("Role", role, role.name, subpage_path("role", role.code), role.description_blocks)
    for role_level in search(RoleLevel.objects.filter(release_id__in=releases).select_related("role")):
        add(
            "Role level",
            role_level,
            f"{role_level.role.name}: {role_level}",
            subpage_path("role-level", role_level.role.code, role_level.code),
            role_level.description_blocks,
        )
    # Scores from different models are not comparable: an exact name first, then names with every word.
    words = query.casefold().split()
    found.sort(
        key=lambda result: (
            result.title.casefold() != query.casefold(),
            not all(word in result.title.casefold() for word in words),
            -result.score,
        )
    )
    return found[:limit]


# --- the JSON API ---------------------------------------------------------------------------------------
