"""A person's levels, their history and their gaps against a role level's requirements."""

from dataclasses import dataclass

from django.core.cache import caches
from django.db.models import QuerySet

from frameworks.models import Requirement, Role, RoleLevel
from frameworks.prepared import PreparedRead
from skills.models import (
    Assessment,
    CurrentLevel,
    Person,
)
from skills.selectors.people import person_release


def skill_history(*, person: Person, skill_code: str) -> QuerySet[Assessment]:
    """Every ledger row of a person for a skill, across releases, newest first, with who made it."""
    return (
        Assessment.objects.filter(person=person, skill__code=skill_code)
        .select_related("author", "level", "release__framework", "skill", "responds_to__level")
        .order_by("-created_at", "-id")
    )


def current_levels_for(*, person: Person) -> dict[int, CurrentLevel]:
    """The person's current levels keyed by skill id."""
    return {
        current.skill_id: current
        for current in CurrentLevel.objects.filter(person=person).select_related("claimed_level", "validated_level")
    }


def current_level_for_code(*, person: Person, skill_code: str) -> CurrentLevel | None:
    """The person's current level for a skill code in the release they work in now (not a superseded one)."""
    release = person_release(person=person)
    if release is None:
        return None
    return (
        CurrentLevel.objects.filter(person=person, skill_code=skill_code, release=release)
        .select_related("claim", "claimed_level", "validated_level")
        .first()
    )


def role_levels_to_choose(*, release) -> QuerySet:
    """Every role level of `release`, by family, role and seniority, for a learner to choose from."""
    return (
        RoleLevel.objects.filter(release=release)
        .select_related("role__family")
        .order_by("role__family__name", "role__name", "seniority")
    )


def roles_with_levels(*, release) -> QuerySet:
    """The roles of `release` that have levels to choose, by family and name, family loaded."""
    return (
        Role.objects.filter(release=release, levels__isnull=False)
        .distinct()
        .select_related("family")
        .order_by("family__name", "name")
    )


def role_level_requirements(*, role_level) -> QuerySet[Requirement]:
    return Requirement.objects.filter(role_level=role_level).select_related("skill", "level").order_by("skill__name")


def published_requirements(*, role_level) -> list[Requirement]:
    """The requirements of `role_level`, skill and level loaded, by skill name: from this process's cache when
    its release is published, since a published release never changes (the database refuses it: decision 0104),
    else read. The values kept are shared by every request in the process and never changed."""
    if role_level.release.is_editable:
        return list(role_level_requirements(role_level=role_level))
    key = f"skills:requirements:{role_level.pk}"
    requirements = caches["local"].get(key)
    if requirements is None:
        requirements = list(role_level_requirements(role_level=role_level))
        caches["local"].set(key, requirements, REQUIREMENTS_TIMEOUT)
    return requirements


# A day: requirements of a published release are the same until the release is deleted, which only a test does.
REQUIREMENTS_TIMEOUT = 60 * 60 * 24


@dataclass(frozen=True)
class GapRow:
    requirement: Requirement
    current: CurrentLevel | None

    @property
    def required_rank(self) -> int:
        return self.requirement.level.rank if self.requirement.level else 0

    @property
    def validated_rank(self) -> int:
        return self.current.validated_rank if self.current else 0

    @property
    def claimed_rank(self) -> int:
        return self.current.claimed_rank if self.current else 0

    @property
    def gap(self) -> int:
        """Steps between the validated level and the required level; 0 when met."""
        return max(0, self.required_rank - self.validated_rank)

    @property
    def claimed_gap(self) -> int:
        return max(0, self.required_rank - self.claimed_rank)

    @property
    def met(self) -> bool:
        return self.gap == 0


@dataclass(frozen=True)
class GapAnalysis:
    role_level: object
    rows: list[GapRow]

    @property
    def met_count(self) -> int:
        return sum(row.met for row in self.rows)

    @property
    def readiness(self) -> int:
        """Share of requirements met by validated levels, as a whole percentage."""
        return round(100 * self.met_count / len(self.rows)) if self.rows else 100

    @property
    def claimed_readiness(self) -> int:
        return round(100 * sum(row.claimed_gap == 0 for row in self.rows) / len(self.rows)) if self.rows else 100


def _framework_levels(*, person_id, framework_id):
    return CurrentLevel.objects.filter(person_id=person_id, release__framework_id=framework_id).select_related(
        "claimed_level", "validated_level"
    )


_FRAMEWORK_LEVELS = PreparedRead(_framework_levels)


def gap_analysis(*, person: Person, role_level) -> GapAnalysis | None:
    """Each requirement of `role_level` against the person's validated and claimed levels. Two queries."""
    if role_level is None:
        return None
    requirements = published_requirements(role_level=role_level)
    codes = {requirement.skill.code for requirement in requirements}
    by_code: dict[str, CurrentLevel] = {}
    # Every level the person holds in the framework (a few dozen at most), narrowed to the requirements here: the
    # read is the same for every role level, so it is compiled once per process (decision 0025).
    for current in _FRAMEWORK_LEVELS.list(person_id=person.pk, framework_id=role_level.release.framework_id):
        if current.skill_code not in codes:
            continue
        # A level in the role level's own release wins over one in another release of the same skill.
        if current.skill_code not in by_code or current.release_id == role_level.release_id:
            by_code[current.skill_code] = current
    return GapAnalysis(
        role_level=role_level,
        rows=[
            GapRow(requirement=requirement, current=by_code.get(requirement.skill.code)) for requirement in requirements
        ],
    )
