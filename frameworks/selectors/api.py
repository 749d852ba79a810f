"""Reads for the public JSON API (frameworks.api_views)."""

from django.db.models import Prefetch, QuerySet
from django.db.models.functions import Lower

from frameworks.models import FrameworkRelease, Requirement, Role, RoleLevel, Skill, SkillLevelDescriptor
from frameworks.selectors.pages import skills_a_to_z


def skills_with_levels(*, release: FrameworkRelease, role_family_code: str = "", search: str = "") -> QuerySet[Skill]:
    """`skills_a_to_z` with each skill's category, subcategory and `descriptors` (with their level, lowest
    first) loaded: two queries per page of results."""
    return (
        skills_a_to_z(release=release, role_family_code=role_family_code or None, search=search or None)
        .select_related("category", "subcategory")
        .prefetch_related(
            Prefetch(
                "descriptors", queryset=SkillLevelDescriptor.objects.select_related("level").order_by("level__rank")
            )
        )
    )


def roles_with_levels(*, release: FrameworkRelease, role_family_code: str = "") -> QuerySet[Role]:
    """The release's roles A to Z (only `role_family_code`'s if given), each with its family, its `levels` by
    seniority with their `requirements` (skill and level loaded, skills A to Z), and `listed_requirements`: the
    skills of a role without levels. Four queries per page of results."""
    roles = Role.objects.filter(release=release)
    if role_family_code:
        roles = roles.filter(family__code=role_family_code)
    return (
        roles.select_related("family")
        .order_by(Lower("name"), "pk")
        .prefetch_related(
            Prefetch(
                "levels",
                queryset=RoleLevel.objects.order_by("seniority").prefetch_related(
                    Prefetch(
                        "requirements",
                        queryset=Requirement.objects.select_related("skill", "level").order_by(Lower("skill__name")),
                    )
                ),
            ),
            Prefetch(
                "requirements",
                queryset=Requirement.objects.filter(role_level__isnull=True)
                .select_related("skill")
                .order_by(Lower("skill__name")),
                to_attr="listed_requirements",
            ),
        )
    )
