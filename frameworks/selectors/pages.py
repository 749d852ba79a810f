"""Reads for the public framework pages: the framework home, roles, role levels, skills and the A to Z."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import F, Prefetch, QuerySet
from django.db.models.functions import Lower

from frameworks.filters import SkillFilter
from frameworks.models import (
    Category,
    FrameworkIndexPage,
    FrameworkPage,
    FrameworkRelease,
    Level,
    Requirement,
    Role,
    RoleFamily,
    RoleLevel,
    Skill,
    SkillLevelDescriptor,
    Subcategory,
)


def role_families_with_roles(*, release: FrameworkRelease) -> QuerySet[RoleFamily]:
    """Role families A to Z, each with `roles` A to Z and each role's `levels` by seniority (3 queries)."""
    return (
        RoleFamily.objects.filter(release=release)
        .order_by(Lower("name"))
        .prefetch_related(
            Prefetch(
                "roles",
                queryset=Role.objects.order_by(Lower("name")).prefetch_related(
                    Prefetch("levels", queryset=RoleLevel.objects.order_by("seniority"))
                ),
            )
        )
    )


def role_with_ladder(*, release: FrameworkRelease, role_code: str) -> Role:
    """A role with its family and its `levels` by seniority, most junior first (2 queries).

    Raises Role.DoesNotExist.
    """
    return (
        Role.objects.select_related("family", "release__framework")
        .prefetch_related(Prefetch("levels", queryset=RoleLevel.objects.order_by("seniority")))
        .get(release=release, code=role_code)
    )


@dataclass(frozen=True)
class RequiredSkill:
    """A skill a role level requires, the level required, and the skill's text at that level."""

    requirement: Requirement
    skill: Skill
    level: Level | None
    descriptor: SkillLevelDescriptor | None


@dataclass(frozen=True)
class RoleLevelRequirements:
    role_level: RoleLevel
    required_skills: list[RequiredSkill] = field(default_factory=list)


def role_level_with_requirements(
    *, release: FrameworkRelease, role_code: str, role_level_code: str
) -> RoleLevelRequirements:
    """A role level (with its role and family) and every skill it requires, A to Z, each at its level with
    that level's descriptor (3 queries). Raises RoleLevel.DoesNotExist."""
    role_level = RoleLevel.objects.select_related("role__family", "release__framework").get(
        release=release, role__code=role_code, code=role_level_code
    )
    requirements = list(
        Requirement.objects.filter(role_level=role_level)
        .select_related("skill", "level")
        .order_by(Lower("skill__name"))
    )
    descriptors = {
        (descriptor.skill_id, descriptor.level_id): descriptor
        for descriptor in SkillLevelDescriptor.objects.filter(
            skill__requirements__role_level=role_level, level=F("skill__requirements__level")
        )
    }
    return RoleLevelRequirements(
        role_level,
        [
            RequiredSkill(
                requirement,
                requirement.skill,
                requirement.level,
                descriptors.get((requirement.skill_id, requirement.level_id)),
            )
            for requirement in requirements
        ],
    )


# --- skills -----------------------------------------------------------------------------------------


def skills_a_to_z(
    *, release: FrameworkRelease, role_family_code: str | None = None, search: str | None = None
) -> QuerySet[Skill]:
    """The release's skills A to Z, optionally only those a role of `role_family_code` requires and those whose
    name or description contains every word of `search` (one query). Applies `SkillFilter`."""
    skills = Skill.objects.filter(release=release).order_by(Lower("name"), "pk")
    data = {"role_family": role_family_code or "", "q": search or ""}
    return SkillFilter(data=data, queryset=skills).qs


@dataclass(frozen=True)
class SkillDetail:
    skill: Skill
    descriptors: list[SkillLevelDescriptor]  # one per level of the scale, lowest first, `level` loaded
    requirements: list[Requirement]  # role levels (and roles without levels) that require it, `role`,
    # `role.family`, `role_level` and `level` loaded, by role name then seniority

    def requirements_by_level(self) -> list[tuple[Level | None, list[Requirement]]]:
        """Requirements grouped by the level required, lowest first; roles without levels last (level None)."""
        groups: dict = defaultdict(list)
        for requirement in self.requirements:
            groups[requirement.level].append(requirement)
        levels = [descriptor.level for descriptor in self.descriptors]
        ordered = [(level, groups[level]) for level in levels if groups.get(level)]
        if groups.get(None):
            ordered.append((None, groups[None]))
        return ordered


def skill_detail(*, release: FrameworkRelease, skill_code: str) -> SkillDetail:
    """A skill, its text at every level, and which role levels require it at which level (3 queries).

    Raises Skill.DoesNotExist.
    """
    skill = Skill.objects.select_related("category", "subcategory", "release__framework").get(
        release=release, code=skill_code
    )
    descriptors = list(skill.descriptors.select_related("level").order_by("level__rank"))
    requirements = list(
        skill.requirements.select_related("role__family", "role_level", "level").order_by(
            Lower("role__name"), "role_level__seniority"
        )
    )
    return SkillDetail(skill, descriptors, requirements)


def skill_requirements(*, skill: Skill) -> QuerySet[Requirement]:
    """Every requirement of `skill`, with role and role level loaded (one query)."""
    return skill.requirements.select_related("role", "role_level").order_by(
        Lower("role__name"), "role_level__seniority"
    )


def role_requirements(*, role: Role) -> list[Requirement]:
    """Every requirement of `role` (its levels' and, for a role without levels, its listed skills), with the
    skill, level and role level loaded, skills A to Z (one query)."""
    return list(
        Requirement.objects.filter(role=role)
        .select_related("skill", "level", "role_level")
        .order_by(Lower("skill__name"), "role_level__seniority")
    )


def role_ladder(*, role_id: int) -> list[RoleLevel]:
    """The levels of a role, most junior first, without their descriptions (one query)."""
    return list(RoleLevel.objects.filter(role_id=role_id).order_by("seniority").only("id", "code", "name", "seniority"))


def categories_with_skills(*, release: FrameworkRelease) -> QuerySet[Category]:
    """SFIA-like categories in order, each with `subcategories` in order and each subcategory's `skills` A to Z
    (three queries)."""
    return (
        Category.objects.filter(release=release)
        .order_by("position", "name")
        .prefetch_related(
            Prefetch(
                "subcategories",
                queryset=Subcategory.objects.order_by("position", "name").prefetch_related(
                    Prefetch(
                        "skills",
                        queryset=Skill.objects.order_by(Lower("name")).only("id", "code", "name", "subcategory_id"),
                    )
                ),
            )
        )
    )


def release_levels(*, release: FrameworkRelease) -> list[Level]:
    """The release's level scale, lowest first (one query)."""
    return list(Level.objects.filter(release=release).order_by("rank"))


def role_families(*, release: FrameworkRelease) -> list[RoleFamily]:
    """The release's role families A to Z, codes and names only (one query)."""
    return list(RoleFamily.objects.filter(release=release).order_by(Lower("name")).only("id", "code", "name"))


# --- the public pages and the site search -------------------------------------------------------------


def framework_pages_published(*, index_page) -> list:
    """The live, public framework pages under `index_page` whose framework has a published release, A to Z,
    each with `framework.current_release` loaded (one query)."""
    return list(
        FrameworkPage.objects.child_of(index_page)
        .live()
        .public()
        .filter(framework__current_release__isnull=False)
        .select_related("framework__current_release")
        .order_by("title")
    )


def framework_page_for(*, framework) -> FrameworkPage | None:
    """The live, public page of `framework`, or None when it has none (one query)."""
    return FrameworkPage.objects.live().public().filter(framework=framework).first()


def framework_index_page():
    """The live, public list of frameworks, or None when there is none (one query)."""
    return FrameworkIndexPage.objects.live().public().first()


def framework_index_url(request=None) -> str:
    """The URL of the live, public list of frameworks, "" when there is none (one query)."""
    page = framework_index_page()
    return (page.get_url(request) or "") if page else ""
