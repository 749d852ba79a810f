"""The framework, role, role-level, skills A to Z and skill pages, each built as a `PageContent`.

Each takes the request only to resolve page URLs, and returns a PageContent or raises Http404."""

from collections import defaultdict

from django.http import Http404

from frameworks import selectors
from frameworks.enums import FrameworkKind
from frameworks.forms import SkillFilterForm
from frameworks.models import Role, RoleLevel, Skill
from frameworks.views.content import PageContent, page_content
from frameworks.views.site import FrameworkSite, page_breadcrumbs


def framework_home(request, site: FrameworkSite) -> PageContent:
    release = site.release
    is_ddat_like = site.framework.kind == FrameworkKind.DDAT
    return page_content(
        site,
        "framework",
        title=f"Release {release.label} – {site.framework.title_name}" if site.label else site.framework.name,
        breadcrumbs=page_breadcrumbs(request, site)[:-1],
        levels=selectors.release_levels(release=release),
        role_families=list(selectors.role_families_with_roles(release=release)) if is_ddat_like else [],
        categories=list(selectors.categories_with_skills(release=release)) if not is_ddat_like else [],
    )


def role(request, site: FrameworkSite, role_code: str) -> PageContent:
    try:
        role = selectors.role_with_ladder(release=site.release, role_code=role_code)
    except Role.DoesNotExist:
        raise Http404("No such role in this release.")
    requirements = selectors.role_requirements(role=role)
    levels = list(role.levels.all())
    # The ladder as a table: one row per skill, one column per level, the level required in each cell.
    column = {level.pk: index for index, level in enumerate(levels)}
    rows: dict[int, dict] = {}
    listed_skills = []
    for requirement in requirements:
        if requirement.role_level_id is None:
            listed_skills.append(requirement.skill)
            continue
        row = rows.setdefault(requirement.skill_id, {"skill": requirement.skill, "cells": [None] * len(levels)})
        row["cells"][column[requirement.role_level_id]] = requirement.level
    return page_content(
        site,
        "role",
        title=f"{role.name} – {site.framework.title_name}",
        breadcrumbs=page_breadcrumbs(request, site),
        role=role,
        role_levels=levels,
        skill_rows=list(rows.values()),
        listed_skills=listed_skills,
    )


def role_level(request, site: FrameworkSite, role_code: str, role_level_code: str) -> PageContent:
    try:
        detail = selectors.role_level_with_requirements(
            release=site.release, role_code=role_code, role_level_code=role_level_code
        )
    except RoleLevel.DoesNotExist:
        raise Http404("No such role level in this release.")
    role_level = detail.role_level
    ladder = selectors.role_ladder(role_id=role_level.role_id)
    position = next(index for index, level in enumerate(ladder) if level.pk == role_level.pk)
    return page_content(
        site,
        "role_level",
        title=f"{role_level} – {role_level.role.name} – {site.framework.title_name}",
        breadcrumbs=page_breadcrumbs(
            request, site, (role_level.role.name, site.links.url("role", role_level.role.code))
        ),
        role_level=role_level,
        role=role_level.role,
        required_skills=detail.required_skills,
        ladder=ladder,
        previous_level=ladder[position - 1] if position > 0 else None,
        next_level=ladder[position + 1] if position + 1 < len(ladder) else None,
    )


def skills(request, site: FrameworkSite, query=None) -> PageContent:
    """Skills A to Z, filtered by `query` (the GET parameters; the unfiltered page is the one cached)."""
    families = selectors.role_families(release=site.release)
    form = SkillFilterForm(query or None, role_families=families)
    filters = form.filters()
    skills = list(selectors.skills_a_to_z(release=site.release, **filters))
    letters: dict[str, list[Skill]] = defaultdict(list)
    for skill in skills:
        initial = skill.name.strip()[:1].upper()
        letters[initial if initial.isalpha() else "#"].append(skill)
    family_name = next((family.name for family in families if family.code == filters.get("role_family_code")), "")
    return page_content(
        site,
        "skills",
        title=f"{'Error: ' if form.errors else ''}Skills A to Z – {site.framework.title_name}",
        breadcrumbs=page_breadcrumbs(request, site),
        form=form,
        skill_count=len(skills),
        letters=sorted(letters.items()),
        is_filtered=bool(filters.get("search") or filters.get("role_family_code")),
        search=filters.get("search", ""),
        family_name=family_name,
    )


def skill(request, site: FrameworkSite, skill_code: str) -> PageContent:
    try:
        detail = selectors.skill_detail(release=site.release, skill_code=skill_code)
    except Skill.DoesNotExist:
        raise Http404("No such skill in this release.")
    return page_content(
        site,
        "skill",
        title=f"{detail.skill.name} – {site.framework.title_name}",
        breadcrumbs=page_breadcrumbs(request, site, ("Skills A to Z", site.links.url("skills"))),
        skill=detail.skill,
        descriptors=detail.descriptors,
        requirements_by_level=detail.requirements_by_level(),
        requirement_count=len(detail.requirements),
    )


# --- the other pages -------------------------------------------------------------------------------------------


CONTENT_VIEWS = {
    "framework": framework_home,
    "role": role,
    "role_level": role_level,
    "skills": skills,
    "skill": skill,
}
