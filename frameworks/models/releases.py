from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q

from frameworks.enums import FrameworkKind, ReleaseStatus

# A label is part of its release's public address (`releases/<label>/`), so it is limited to what that address
# can hold: letters, digits and hyphens, starting with a letter or digit.
RELEASE_LABEL_PATTERN = r"[A-Za-z0-9][A-Za-z0-9-]{0,49}"
RELEASE_LABEL_MESSAGE = (
    "Enter a release label of up to 50 letters, digits and hyphens, with no spaces, for example 2026-04"
)
release_label_validator = RegexValidator(
    rf"\A{RELEASE_LABEL_PATTERN}\Z", message=RELEASE_LABEL_MESSAGE, code="invalid_release_label"
)


class Framework(models.Model):
    """A skills framework (DDaT, SFIA, a department's own) and the pointer to its current published release.

    `current_release` is changed only by `framework_release_publish`, which keeps it pointing at the one
    release of this framework whose status is published. Holds no personal data.
    """

    slug = models.SlugField(max_length=50, help_text="Stable identifier used in URLs and commands, e.g. ddat, sfia.")
    name = models.CharField(max_length=255)
    short_name = models.CharField(
        max_length=30,
        blank=True,
        help_text="What people call it, for page titles and headings that repeat it, for example DDaT or SFIA.",
    )
    publisher = models.CharField(max_length=255, blank=True, help_text="Who publishes the framework's content.")
    kind = models.CharField(max_length=20, choices=FrameworkKind.choices)
    description = models.TextField(blank=True)
    licence = models.TextField(
        blank=True, help_text="Attribution that every page and export showing this framework's content must carry."
    )
    licence_url = models.URLField(blank=True)
    reassessment_period_months = models.PositiveSmallIntegerField(
        default=12, help_text="Assessments older than this are stale and prompt a reminder."
    )
    current_release = models.ForeignKey(
        "frameworks.FrameworkRelease",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The published release that the public site shows. Set by publishing a release.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["slug"], name="frameworks_framework_unique_slug"),
            models.CheckConstraint(
                condition=Q(reassessment_period_months__gte=1),
                name="frameworks_framework_reassessment_period_positive",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def title_name(self) -> str:
        """The name for titles: the short name where there is one ("DDaT"), else the full name."""
        return self.short_name or self.name


class FrameworkRelease(models.Model):
    """One version of a framework's content (`label` such as 2025-10).

    Drafts are editable through the services; a published release is frozen (services refuse to edit it and a
    database trigger refuses writes to its content, see docs/decisions/0104-frozen-releases.md). At most one
    release per framework is published at a time: publishing another supersedes it. Holds no personal data.
    """

    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="releases")
    label = models.CharField(
        max_length=50,
        validators=[release_label_validator],
        help_text="For example 2026-04. Letters, digits and hyphens only: it is part of the release's web address.",
    )
    status = models.CharField(max_length=20, choices=ReleaseStatus.choices, default=ReleaseStatus.DRAFT)
    previous_release = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="next_releases",
        help_text="The release that this one's change log and skill mapping compare against.",
    )
    notes = models.TextField(blank=True)
    source_files = models.JSONField(
        default=list, blank=True, help_text="Names and SHA-256 digests of the files this release was imported from."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)
    superseded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["framework", "-created_at"]
        get_latest_by = "created_at"
        constraints = [
            models.UniqueConstraint(fields=["framework", "label"], name="frameworks_release_unique_label"),
            models.UniqueConstraint(
                fields=["framework"],
                condition=Q(status=ReleaseStatus.PUBLISHED),
                name="frameworks_release_one_published_per_framework",
            ),
            models.CheckConstraint(condition=~Q(label=""), name="frameworks_release_label_not_empty"),
            models.CheckConstraint(
                condition=Q(status=ReleaseStatus.DRAFT, published_at__isnull=True)
                | Q(status__in=[ReleaseStatus.PUBLISHED, ReleaseStatus.SUPERSEDED], published_at__isnull=False),
                name="frameworks_release_published_at_matches_status",
            ),
            models.CheckConstraint(
                condition=Q(status=ReleaseStatus.SUPERSEDED, superseded_at__isnull=False)
                | (~Q(status=ReleaseStatus.SUPERSEDED) & Q(superseded_at__isnull=True)),
                name="frameworks_release_superseded_at_matches_status",
            ),
        ]

    def __str__(self):
        return f"{self.framework.title_name} {self.label} ({self.get_status_display().lower()})"

    @property
    def is_editable(self) -> bool:
        return self.status == ReleaseStatus.DRAFT


class Level(models.Model):
    """One step of a release's level scale: DDaT Awareness…Expert, SFIA 1–7. `rank` 1 is the lowest. Holds no
    personal data."""

    release = models.ForeignKey(FrameworkRelease, on_delete=models.CASCADE, related_name="levels")
    code = models.SlugField(max_length=50)
    name = models.CharField(max_length=100)
    rank = models.PositiveSmallIntegerField()
    guiding_phrase = models.CharField(max_length=255, blank=True)
    description = models.TextField(blank=True)
    url = models.URLField(max_length=500, blank=True)

    class Meta:
        ordering = ["release", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["release", "code"], name="frameworks_level_unique_code"),
            models.UniqueConstraint(fields=["release", "rank"], name="frameworks_level_unique_rank"),
            models.CheckConstraint(condition=Q(rank__gte=1), name="frameworks_level_rank_positive"),
        ]

    def __str__(self):
        return self.name
