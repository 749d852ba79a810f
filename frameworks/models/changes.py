from django.db import models
from django.db.models import Q

from frameworks.enums import ChangeKind, ChangeSubject
from frameworks.models.releases import FrameworkRelease
from frameworks.models.skills import Skill


class ReleaseChange(models.Model):
    """One line of a release's change log against its previous release.

    Computed by `framework_release_changes_compute` (added, removed, renamed, description or level text
    changed, required level changed); editors add a `note`, which survives recomputation. Holds no personal data.
    """

    release = models.ForeignKey(FrameworkRelease, on_delete=models.CASCADE, related_name="changes")
    subject = models.CharField(max_length=20, choices=ChangeSubject.choices)
    kind = models.CharField(max_length=30, choices=ChangeKind.choices)
    code = models.CharField(
        max_length=320, help_text="Code of the skill, role or role level ('role/level' for role levels)."
    )
    name = models.CharField(max_length=255, blank=True)
    previous_name = models.CharField(max_length=255, blank=True)
    level_code = models.CharField(max_length=50, blank=True, help_text="The level whose text or requirement changed.")
    detail = models.CharField(max_length=255, blank=True)
    note = models.TextField(blank=True, help_text="Editor's explanation of the change, shown in the change log.")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["release", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["release", "subject", "kind", "code", "level_code"], name="frameworks_change_unique"
            ),
        ]

    def __str__(self):
        return f"{self.get_subject_display()} {self.code}: {self.get_kind_display().lower()}"


class SkillMapping(models.Model):
    """How a skill of the previous release continues in this release, for carrying assessments forward.

    `skill` is null when the skill was removed; `changed_level_codes` lists the levels whose text changed, so
    assessments at those levels need re-validation rather than silent carry-over. Computed by code when the
    release is created or its change log recomputed; `is_set_by_editor` mappings (a DDaT rename, which changes
    the derived code) survive recomputation. Holds no personal data.
    """

    release = models.ForeignKey(FrameworkRelease, on_delete=models.CASCADE, related_name="skill_mappings")
    previous_skill = models.ForeignKey(Skill, on_delete=models.PROTECT, related_name="forward_mappings")
    skill = models.ForeignKey(Skill, null=True, blank=True, on_delete=models.SET_NULL, related_name="back_mappings")
    is_renamed = models.BooleanField(default=False)
    changed_level_codes = models.JSONField(default=list, blank=True)
    is_set_by_editor = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["release", "previous_skill"], name="frameworks_skill_mapping_unique"),
            models.CheckConstraint(
                condition=Q(skill__isnull=False) | Q(is_renamed=False),
                name="frameworks_skill_mapping_removed_not_renamed",
            ),
        ]

    def __str__(self):
        return f"{self.previous_skill_id} → {self.skill_id or 'removed'}"

    @property
    def is_removed(self) -> bool:
        return self.skill_id is None

    @property
    def is_unchanged(self) -> bool:
        return self.skill_id is not None and not self.is_renamed and not self.changed_level_codes
