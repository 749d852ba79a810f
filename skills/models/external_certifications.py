"""Certifications people earned outside Capability, and the record of each expiry reminder sent (for those and
for Capability's own certificates)."""

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.db.models import F, Q

from skills.enums import ExternalCertificationStatus, ReminderThreshold

# The statuses a decision leaves: only these carry who decided and when.
DECIDED = [ExternalCertificationStatus.CONFIRMED, ExternalCertificationStatus.REJECTED]


def evidence_storage():
    """The private storage for evidence files (STORAGES["evidence"]): outside MEDIA_ROOT, so no URL serves it;
    the evidence view streams a file only to those who may see the certification."""
    return storages["evidence"]


def evidence_path(instance, filename: str) -> str:
    """A random name: the uploaded name (kept in `evidence_name`) may hold anything, and must not be guessable."""
    suffix = PurePosixPath(filename).suffix.lower()
    return f"external-certifications/{uuid.uuid4().hex}{suffix}"


class ExternalCertification(models.Model):
    """A certification a person earned elsewhere (a cloud provider's, PRINCE2, ...), which they record with its
    evidence and their line manager (or the manager's delegate, or a training administrator) confirms or rejects.

    Changed only by `skills.services.external_certifications`: recorded WAITING; WITHDRAWN by the person while it
    waits; CONFIRMED or REJECTED (with a reason) by someone else who may decide; a rejected one is edited and sent
    again (WAITING, the decision cleared; the audit log keeps it). Never deleted. Once confirmed it counts like
    Capability's own certificates in expiry reminders, the gap page and the team view; it has no verification
    page. Expired is derived from `expires_on`, never stored.

    Personal data: the person, the certification's name, issuer, credential number and dates, the evidence file
    (a scan of a certificate: it may show anything its issuer printed), who decided and why.
    """

    person = models.ForeignKey("skills.Person", on_delete=models.PROTECT, related_name="external_certifications")
    name = models.CharField(max_length=200)
    issuer = models.CharField(max_length=200)
    credential_number = models.CharField(max_length=100, blank=True)
    issued_on = models.DateField()
    expires_on = models.DateField(null=True, blank=True, help_text="Empty: it does not expire.")
    evidence = models.FileField(storage=evidence_storage, upload_to=evidence_path, max_length=200)
    evidence_name = models.CharField(max_length=200, help_text="The uploaded file's name, for the download.")
    evidence_type = models.CharField(max_length=50, help_text="The file's type, checked from its content.")
    status = models.CharField(
        max_length=20, choices=ExternalCertificationStatus.choices, default=ExternalCertificationStatus.WAITING
    )
    submitted_at = models.DateTimeField(help_text="When it was last sent for confirmation.")
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision_reason = models.TextField(blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gt=F("issued_on")),
                name="skills_extcert_expires_after_issue",
                violation_error_message="The expiry date must be after the date it was issued.",
            ),
            models.CheckConstraint(
                condition=Q(status__in=ExternalCertificationStatus.values), name="skills_extcert_status_known"
            ),
            models.CheckConstraint(
                condition=Q(status__in=DECIDED, decided_at__isnull=False)
                | (~Q(status__in=DECIDED) & Q(decided_at__isnull=True)),
                name="skills_extcert_decided_iff_decision",
            ),
            models.CheckConstraint(
                condition=~Q(status=ExternalCertificationStatus.REJECTED) | ~Q(decision_reason=""),
                name="skills_extcert_rejected_with_reason",
            ),
            models.CheckConstraint(
                condition=Q(status=ExternalCertificationStatus.WITHDRAWN, withdrawn_at__isnull=False)
                | (~Q(status=ExternalCertificationStatus.WITHDRAWN) & Q(withdrawn_at__isnull=True)),
                name="skills_extcert_withdrawn_iff_withdrawal",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "submitted_at"], name="skills_extcert_queue_idx"),
            models.Index(fields=["person", "status"], name="skills_extcert_person_idx"),
            models.Index(fields=["expires_on"], name="skills_extcert_expires_idx"),
        ]
        permissions = [("decide_externalcertification", "Can confirm or reject anyone's external certification")]

    def __str__(self):
        return f"{self.name} ({self.issuer}), {self.person}"

    def is_expired_on(self, day) -> bool:
        return self.expires_on is not None and self.expires_on <= day


class CertificationReminder(models.Model):
    """One expiry reminder sent (to the holder and their line manager) for a Capability certificate or a confirmed
    external certification, at one threshold: the unique constraints make each threshold go out once per
    certification, however often or concurrently the daily run is repeated.

    Personal data: none of its own beyond which certification it was about (whose, through it) and when.
    """

    certificate = models.ForeignKey(
        "skills.Certificate", null=True, blank=True, on_delete=models.CASCADE, related_name="reminders"
    )
    external_certification = models.ForeignKey(
        ExternalCertification, null=True, blank=True, on_delete=models.CASCADE, related_name="reminders"
    )
    threshold = models.PositiveSmallIntegerField(choices=ReminderThreshold.choices)
    expires_on = models.DateField(help_text="The expiry date the reminder was about.")
    sent_at = models.DateTimeField()

    class Meta:
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(certificate__isnull=False, external_certification__isnull=True)
                | Q(certificate__isnull=True, external_certification__isnull=False),
                name="skills_certreminder_one_subject",
            ),
            models.CheckConstraint(
                condition=Q(threshold__in=ReminderThreshold.values), name="skills_certreminder_threshold_known"
            ),
            models.UniqueConstraint(
                fields=["certificate", "threshold"],
                condition=Q(certificate__isnull=False),
                name="skills_certreminder_once_per_certificate",
            ),
            models.UniqueConstraint(
                fields=["external_certification", "threshold"],
                condition=Q(external_certification__isnull=False),
                name="skills_certreminder_once_per_external",
            ),
        ]

    def __str__(self):
        return f"{self.threshold}-day reminder, {self.certificate or self.external_certification}"

    @property
    def subject(self):
        return self.certificate or self.external_certification
