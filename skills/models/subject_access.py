"""A subject-access export: everything the service holds about one account and its person, as a zip kept for a
limited time (docs/decisions/0218)."""

import uuid

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.db.models import Q

from skills.enums import SubjectAccessExportStatus

UNFINISHED = [SubjectAccessExportStatus.QUEUED, SubjectAccessExportStatus.RUNNING]


def export_storage():
    """The private storage (STORAGES["evidence"], outside MEDIA_ROOT): no URL serves an export; the download view
    streams it only to those who may have it."""
    return storages["evidence"]


def export_path(instance, filename: str) -> str:
    """A random name, so that a storage listing gives away neither whose export it is nor where to find another."""
    return f"subject-access-exports/{uuid.uuid4().hex}.zip"


class SubjectAccessExport(models.Model):
    """One request for a copy of everything the service holds about an account (`subject`) and the person it
    belongs to, made by that account's holder or by someone with the Data protection role (UK GDPR article 15).

    Changed only by `skills.services.subject_access`: requested QUEUED, put together by a Celery task (RUNNING,
    then READY with its zip, or FAILED), and deleted with its file once `expires_at` has passed
    (CAPABILITY_SUBJECT_ACCESS_EXPORT_DAYS after it was ready). The audit log keeps each request and download.

    Personal data: whose export it is and who asked for it; the zip holds everything the register leads to about
    the subject (their records, the certificate PDFs and their evidence files).
    """

    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="subject_access_exports"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        max_length=20, choices=SubjectAccessExportStatus.choices, default=SubjectAccessExportStatus.QUEUED
    )
    file = models.FileField(storage=export_storage, upload_to=export_path, max_length=200, blank=True)
    file_size = models.PositiveBigIntegerField(null=True, blank=True)
    requested_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True, help_text="When the file and this record are deleted.")
    error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=SubjectAccessExportStatus.values), name="skills_sar_export_status_known"
            ),
            models.CheckConstraint(
                condition=Q(status__in=UNFINISHED, finished_at__isnull=True)
                | (~Q(status__in=UNFINISHED) & Q(finished_at__isnull=False)),
                name="skills_sar_export_finished_iff_done",
            ),
            models.CheckConstraint(
                condition=(Q(status=SubjectAccessExportStatus.READY) & ~Q(file="") & Q(expires_at__isnull=False))
                | (~Q(status=SubjectAccessExportStatus.READY) & Q(file="")),
                name="skills_sar_export_file_iff_ready",
            ),
        ]
        indexes = [
            models.Index(fields=["subject", "requested_at"], name="skills_sar_export_subject_idx"),
            models.Index(fields=["expires_at"], name="skills_sar_export_expires_idx"),
        ]
        permissions = [("export_personal_data", "Can export anyone's personal data (subject access)")]

    def __str__(self):
        return f"Personal data of {self.subject} ({self.requested_at:%d %b %Y %H:%M})" if self.requested_at else ""

    @property
    def is_finished(self) -> bool:
        return self.status not in UNFINISHED
