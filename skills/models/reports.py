"""The summary HR's capability reports read (docs/decisions/0213): never the ledger, never a Python loop over people.

`skills.services.capability_summary.capability_summary_refresh` rebuilds all of it, set-based, in one transaction,
from people, their current role levels, the role levels' requirements and the per-person current levels; so every
report shows one consistent state ("figures as of" the refresh), which also keeps one report's figures from being
subtracted from another's taken at a different moment.
"""

from django.db import models


class ReportRefresh(models.Model):
    """One rebuild of the report summary: when, how big, how long. The newest finished one is what reports show
    as "figures as of". Holds no personal data."""

    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    people = models.PositiveIntegerField(default=0)
    requirement_pairs = models.PositiveIntegerField(default=0)
    seconds = models.FloatField(default=0)

    class Meta:
        ordering = ["-started_at"]
        get_latest_by = "started_at"
        permissions = [
            ("view_capability_reports", "Can see capability reports for their organisation units"),
            ("view_capability_individuals", "Can see the individuals behind capability reports, in their units"),
        ]

    def __str__(self):
        return f"Report summary of {self.started_at:%Y-%m-%d %H:%M}"


class ReportPerson(models.Model):
    """One person's capability against their current role level, as of the last refresh: what the dashboard's
    headline figures count. Gaps are steps between the required level and the validated (or claimed) level;
    0 when met.

    Personal data: the person's unit, grade, profession, role level and their counts of requirements met, gaps and
    stale assessments (derived from the ledger and the person record; rebuilt by every refresh, so erasing or
    anonymising those erases these at the next refresh).
    """

    person = models.OneToOneField(
        "skills.Person", on_delete=models.CASCADE, primary_key=True, related_name="+", db_constraint=False
    )
    org_unit = models.ForeignKey(
        "skills.OrganisationUnit", on_delete=models.DO_NOTHING, related_name="+", db_constraint=False, db_index=False
    )
    grade = models.ForeignKey(
        "skills.Grade", on_delete=models.DO_NOTHING, related_name="+", db_constraint=False, db_index=False
    )
    profession = models.ForeignKey(
        "skills.Profession",
        null=True,
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    role_family = models.ForeignKey(
        "frameworks.RoleFamily",
        null=True,
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    role = models.ForeignKey(
        "frameworks.Role", null=True, on_delete=models.DO_NOTHING, related_name="+", db_constraint=False, db_index=False
    )
    role_level = models.ForeignKey(
        "frameworks.RoleLevel",
        null=True,
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    release = models.ForeignKey(
        "frameworks.FrameworkRelease",
        null=True,
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    requirements = models.PositiveSmallIntegerField(default=0)
    claimed = models.PositiveSmallIntegerField(default=0, help_text="Required skills with a claimed level.")
    validated = models.PositiveSmallIntegerField(default=0, help_text="Required skills with a validated level.")
    met = models.PositiveSmallIntegerField(default=0, help_text="Requirements met by the validated level.")
    met_claimed = models.PositiveSmallIntegerField(default=0, help_text="Requirements met by the claimed level.")
    max_gap = models.PositiveSmallIntegerField(default=0)
    max_gap_claimed = models.PositiveSmallIntegerField(default=0)
    gap_sum = models.PositiveIntegerField(default=0)
    gap_sum_claimed = models.PositiveIntegerField(default=0)
    stale = models.PositiveSmallIntegerField(default=0, help_text="Required skills last assessed too long ago.")
    last_assessed_at = models.DateTimeField(null=True)

    class Meta:
        # None but the key: every report groups or scans the whole table, and each index slows the refresh.
        indexes: list = []

    def __str__(self):
        return f"Report row for person {self.person_id}"


class ReportRequirement(models.Model):
    """One requirement of a person's current role level against their current levels in that skill, as of the last
    refresh: what heatmaps, drill-downs and single points of failure count. Carries the person's dimensions so
    that a report filters and groups without joining people.

    Personal data: the person's unit, grade, profession, role level, and their claimed and validated rank in the
    skill (derived, rebuilt by every refresh).
    """

    person = models.ForeignKey(
        "skills.Person", on_delete=models.CASCADE, related_name="+", db_constraint=False, db_index=False
    )
    org_unit = models.ForeignKey(
        "skills.OrganisationUnit", on_delete=models.DO_NOTHING, related_name="+", db_constraint=False, db_index=False
    )
    grade = models.ForeignKey(
        "skills.Grade", on_delete=models.DO_NOTHING, related_name="+", db_constraint=False, db_index=False
    )
    profession = models.ForeignKey(
        "skills.Profession",
        null=True,
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    role_family = models.ForeignKey(
        "frameworks.RoleFamily", on_delete=models.DO_NOTHING, related_name="+", db_constraint=False, db_index=False
    )
    role = models.ForeignKey(
        "frameworks.Role", on_delete=models.DO_NOTHING, related_name="+", db_constraint=False, db_index=False
    )
    role_level = models.ForeignKey(
        "frameworks.RoleLevel", on_delete=models.DO_NOTHING, related_name="+", db_constraint=False, db_index=False
    )
    release = models.ForeignKey(
        "frameworks.FrameworkRelease",
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    skill = models.ForeignKey(
        "frameworks.Skill", on_delete=models.DO_NOTHING, related_name="+", db_constraint=False, db_index=False
    )
    skill_code = models.SlugField(max_length=100, db_index=False)
    required_rank = models.PositiveSmallIntegerField()
    claimed_rank = models.PositiveSmallIntegerField(default=0)
    validated_rank = models.PositiveSmallIntegerField(default=0)
    stale = models.BooleanField(default=False)
    last_assessed_at = models.DateTimeField(null=True)

    class Meta:
        # Only those a report narrows by: one skill (the people behind it), and a person's rows (the few people
        # waiting for training, joined to their requirements on the dashboard); every other read groups or scans
        # the whole table, and each index slows the refresh (decision 0213 and its addendum).
        indexes = [
            models.Index(fields=["skill_code"], name="skills_report_req_skill_idx"),
            models.Index(fields=["person", "skill_code"], name="skills_report_req_person_idx"),
        ]

    def __str__(self):
        return f"Report row for person {self.person_id}, {self.skill_code}"


class CapabilitySnapshot(models.Model):
    """One day's figures for an organisation unit (with everything below it) and a skill, for the trend charts:
    taken by every refresh, the day's last one kept (so a nightly run, or a re-run, leaves one per day). The
    `skill_code` "" row is the unit's requirements across all skills. `suppressed` is decided when the snapshot is
    taken, by the same rule as the heatmap of that day, so a trend never shows a figure the heatmap hid.
    Holds no personal data: aggregates only, and small groups are never shown."""

    date = models.DateField()
    org_unit = models.ForeignKey("skills.OrganisationUnit", on_delete=models.CASCADE, related_name="+")
    skill_code = models.SlugField(max_length=100, blank=True)
    skill_name = models.CharField(max_length=255, blank=True)
    population = models.PositiveIntegerField()
    met = models.PositiveIntegerField()
    met_claimed = models.PositiveIntegerField()
    suppressed = models.BooleanField(default=False)
    # The unit's own people only, not those below it: the "directly in this unit" row of a heatmap.
    direct = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["org_unit", "skill_code", "direct", "date"], name="skills_capability_snapshot_one_a_day"
            )
        ]
        indexes = [models.Index(fields=["date", "org_unit"], name="skills_capability_snapshot_idx")]

    def __str__(self):
        return f"{self.org_unit_id} · {self.skill_code or 'all skills'} on {self.date}"
