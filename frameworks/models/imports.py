import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from frameworks.enums import FrameworkKind, ImportJobStatus, ImportOutcome
from frameworks.models.releases import FrameworkRelease, release_label_validator


def import_upload_path(instance, filename: str) -> str:
    """Each upload in a folder of its own, so that it keeps its name (reports cite "roles.csv, row 3")."""
    return f"frameworks/imports/{uuid.uuid4().hex}/{filename}"


class FrameworkImport(models.Model):
    """Framework files uploaded in the admin and the import that a Celery task runs on them.

    Created by `framework_import_job_create`, run by `framework_import_job_run` (through the task
    `frameworks.tasks.framework_import_job_run`), which records the stage reached (`stage`, `percent`) as it goes
    and, at the end, the import's report (`ImportReport.as_dict()`), its outcome and the release it produced.
    The uploaded files are kept as the record of what was imported; SFIA workbooks are licensed content and
    live only in media storage, never in the repository.

    Personal data: the uploader's account.
    """

    kind = models.CharField(max_length=20, choices=FrameworkKind.choices)
    framework_slug = models.SlugField(max_length=50)
    release_label = models.CharField(max_length=50, validators=[release_label_validator])
    roles_file = models.FileField(upload_to=import_upload_path, blank=True)
    skills_file = models.FileField(upload_to=import_upload_path, blank=True)
    workbook = models.FileField(upload_to=import_upload_path, blank=True)
    status = models.CharField(max_length=20, choices=ImportJobStatus.choices, default=ImportJobStatus.QUEUED)
    stage = models.CharField(max_length=255, blank=True, help_text="What the import is doing now.")
    percent = models.PositiveSmallIntegerField(default=0)
    outcome = models.CharField(max_length=20, choices=ImportOutcome.choices, blank=True)
    report = models.JSONField(default=dict, blank=True)
    summary = models.TextField(blank=True, help_text="The report as text, as the import command prints it.")
    release = models.ForeignKey(
        FrameworkRelease, null=True, blank=True, on_delete=models.SET_NULL, related_name="imports"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "framework import"
        constraints = [
            models.CheckConstraint(condition=Q(percent__lte=100), name="frameworks_import_percent_at_most_100"),
            models.CheckConstraint(
                condition=Q(status__in=[ImportJobStatus.FINISHED, ImportJobStatus.CRASHED], finished_at__isnull=False)
                | (~Q(status__in=[ImportJobStatus.FINISHED, ImportJobStatus.CRASHED]) & Q(finished_at__isnull=True)),
                name="frameworks_import_finished_at_matches_status",
            ),
            models.CheckConstraint(
                condition=Q(outcome="") | Q(status=ImportJobStatus.FINISHED),
                name="frameworks_import_outcome_only_when_finished",
            ),
        ]

    def __str__(self):
        return f"Import of {self.framework_slug} {self.release_label}"

    @property
    def file_names(self) -> list[str]:
        """The uploaded files' own names (each is stored in a folder of its own)."""
        return [file.name.rsplit("/", 1)[-1] for file in (self.roles_file, self.skills_file, self.workbook) if file]

    @property
    def is_running(self) -> bool:
        return self.status in (ImportJobStatus.QUEUED, ImportJobStatus.RUNNING)
