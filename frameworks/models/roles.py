from django.db import models
from django.db.models import Q

from frameworks.enums import RoleType
from frameworks.models.base import IndexedInCurrentRelease, release_search_fields
from frameworks.models.releases import FrameworkRelease, Level
from frameworks.models.skills import Skill


class RoleFamily(models.Model):
    """A DDaT-like job family (e.g. Architecture) grouping roles. Holds no personal data."""

    release = models.ForeignKey(FrameworkRelease, on_delete=models.CASCADE, related_name="role_families")
    code = models.SlugField(max_length=100)
    name = models.CharField(max_length=255)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["release", "name"]
        verbose_name_plural = "role families"
        constraints = [
            models.UniqueConstraint(fields=["release", "code"], name="frameworks_role_family_unique_code"),
            models.UniqueConstraint(fields=["release", "name"], name="frameworks_role_family_unique_name"),
        ]

    def __str__(self):
        return self.name


class Role(IndexedInCurrentRelease, models.Model):
    """A role (e.g. Business architect) with a ladder of role levels. `code` is stable across releases.

    Senior Civil Service roles have no levels: their required skills are `Requirement` rows without a role
    level or a skill level. Holds no personal data.
    """

    release = models.ForeignKey(FrameworkRelease, on_delete=models.CASCADE, related_name="roles")
    family = models.ForeignKey(RoleFamily, on_delete=models.RESTRICT, related_name="roles")
    code = models.SlugField(max_length=100)
    name = models.CharField(max_length=255)
    description = models.TextField(blank=True)
    description_blocks = models.JSONField(default=list, blank=True)
    role_type = models.CharField(max_length=30, choices=RoleType.choices, default=RoleType.PROFESSION)

    # Indexed for the site search when its release is published (see Skill).
    search_fields = release_search_fields()

    class Meta:
        ordering = ["release", "name"]
        constraints = [
            models.UniqueConstraint(fields=["release", "code"], name="frameworks_role_unique_code"),
            models.UniqueConstraint(fields=["release", "name"], name="frameworks_role_unique_name"),
            models.CheckConstraint(condition=~Q(code=""), name="frameworks_role_code_not_empty"),
        ]

    def __str__(self):
        return self.name


class RoleLevel(IndexedInCurrentRelease, models.Model):
    """One rung of a role's ladder. `seniority` orders the ladder (1 is the most junior).

    The DDaT files list levels alphabetically; the importer derives seniority from the names and descriptions
    (docs/decisions/0101-role-level-seniority.md). `indicative_grade` is blank where the source gives none. Holds
    no personal data.
    """

    release = models.ForeignKey(FrameworkRelease, on_delete=models.CASCADE, related_name="role_levels")
    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="levels")
    code = models.SlugField(max_length=100)
    name = models.CharField(max_length=255)
    description = models.TextField(blank=True)
    description_blocks = models.JSONField(default=list, blank=True)
    seniority = models.PositiveSmallIntegerField()
    indicative_grade = models.CharField(max_length=100, blank=True)

    search_fields = release_search_fields()

    class Meta:
        ordering = ["role", "seniority"]
        constraints = [
            models.UniqueConstraint(fields=["role", "code"], name="frameworks_role_level_unique_code"),
            models.UniqueConstraint(fields=["role", "seniority"], name="frameworks_role_level_unique_seniority"),
            models.CheckConstraint(condition=Q(seniority__gte=1), name="frameworks_role_level_seniority_positive"),
            models.CheckConstraint(condition=~Q(code=""), name="frameworks_role_level_code_not_empty"),
        ]

    def __str__(self):
        return self.name.strip()


class Requirement(models.Model):
    """The skill level a role level requires.

    A requirement without a role level (and then without a level) is a skill listed for a role that has no
    levels, as the DDaT file does for Senior Civil Service roles ("NOT IN USE"); it is kept so that the export
    reproduces the official file. `role` always matches `role_level.role` (kept by the services). Holds no
    personal data.
    """

    release = models.ForeignKey(FrameworkRelease, on_delete=models.CASCADE, related_name="requirements")
    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="requirements")
    role_level = models.ForeignKey(
        RoleLevel, null=True, blank=True, on_delete=models.CASCADE, related_name="requirements"
    )
    skill = models.ForeignKey(Skill, on_delete=models.RESTRICT, related_name="requirements")
    level = models.ForeignKey(Level, null=True, blank=True, on_delete=models.RESTRICT, related_name="requirements")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["role_level", "skill"],
                condition=Q(role_level__isnull=False),
                name="frameworks_requirement_unique_role_level_skill",
            ),
            models.UniqueConstraint(
                fields=["role", "skill"],
                condition=Q(role_level__isnull=True),
                name="frameworks_requirement_unique_role_skill_without_level",
            ),
            models.CheckConstraint(
                condition=Q(role_level__isnull=True, level__isnull=True)
                | Q(role_level__isnull=False, level__isnull=False),
                name="frameworks_requirement_level_iff_role_level",
            ),
        ]

    def __str__(self):
        return f"{self.role_level or self.role}: {self.skill} at {self.level or 'no level'}"
