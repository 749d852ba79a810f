import secrets
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

# The revocation status list's length: Bitstring Status List asks for at least 131,072 entries (16 KiB), so that
# one certificate's place in it says nothing about how many were issued; each certificate takes a random place.
STATUS_LIST_SIZE = 131_072


def verification_token() -> str:
    """The random token a verification URL is built from: 192 bits (a UUID has only 122 random ones)."""
    return secrets.token_urlsafe(24)


class CertificateStatus(models.TextChoices):
    """What a certificate's dates and revocation make it today: derived, never stored."""

    VALID = "valid", "Valid"
    EXPIRED = "expired", "Expired"
    REVOKED = "revoked", "Revoked"


class Certificate(models.Model):
    """A certificate Capability issued: a record, not a file (the PDF and the Open Badges credential are derived
    from it and can be made again at any time).

    `award` names what is certified, the same for every renewal of it: ``courses.course:42`` (a course completed,
    by a session or self-paced) or ``skills.skill:ddat:DATA-ANALYSIS:4`` (a skill validated at a level, by
    framework, stable skill code and level rank). A holder has at most one certificate of an award that is neither
    revoked nor superseded (a constraint): re-completing a course whose certificate has expired issues a renewal
    that `renews` the old one, which is then `superseded_at`. Valid or expired is derived from the dates
    (`status_on`); only revocation is stored, with its reason. Revoked, never deleted.

    Where it came from: `achievement` (a course completion `courses` recorded in skills), `assessment` (the
    validation that earned it), or neither for one a training administrator issued by hand (`issued_by`, with
    `issue_reason`). `number` is for people to read out; `token` is the secret the verification URL is built from.
    `status_list_index` is the certificate's random place in the signed revocation status list.

    Personal data: the holder, what they achieved and when; who issued or revoked it.
    """

    class Kind(models.TextChoices):
        COURSE = "course", "Course completed"
        SKILL = "skill", "Skill validated"

    holder = models.ForeignKey("skills.Person", on_delete=models.PROTECT, related_name="certificates")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    award = models.CharField(
        max_length=200, help_text="What is certified, the same across renewals: courses.course:42 or skills.skill:…"
    )
    title = models.CharField(max_length=255, help_text="What was achieved, as the certificate says it.")
    url = models.CharField(max_length=500, blank=True, help_text="The public page of what was achieved.")
    achievement = models.ForeignKey(
        "skills.Achievement", null=True, blank=True, on_delete=models.PROTECT, related_name="certificates"
    )
    assessment = models.ForeignKey(
        "skills.Assessment", null=True, blank=True, on_delete=models.PROTECT, related_name="certificates"
    )
    number = models.CharField(max_length=30, unique=True, help_text="The human-readable certificate number.")
    token = models.CharField(max_length=64, unique=True, default=verification_token, editable=False)
    issued_on = models.DateField()
    expires_on = models.DateField(null=True, blank=True, help_text="Empty: it does not expire.")
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who issued it by hand; empty when it was issued automatically.",
    )
    issue_reason = models.TextField(blank=True)
    renews = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT, related_name="renewed_by")
    superseded_at = models.DateTimeField(null=True, blank=True, help_text="When a renewal replaced it.")
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.TextField(blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status_list_index = models.PositiveIntegerField(unique=True)
    pdf_rendered_at = models.DateTimeField(null=True, blank=True, help_text="When its PDF was last rendered.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-issued_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["holder", "award"],
                condition=Q(revoked_at__isnull=True, superseded_at__isnull=True),
                name="skills_certificate_one_in_force_per_award",
                violation_error_message="This person already holds a certificate for this: renew or revoke it.",
            ),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | ~Q(revoked_reason=""),
                name="skills_certificate_revoked_with_reason",
            ),
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gt=models.F("issued_on")),
                name="skills_certificate_expires_after_issue",
            ),
            models.CheckConstraint(
                condition=Q(status_list_index__lt=STATUS_LIST_SIZE), name="skills_certificate_status_index_in_list"
            ),
            models.CheckConstraint(
                condition=Q(issued_by__isnull=True) | ~Q(issue_reason=""),
                name="skills_certificate_issued_by_hand_with_reason",
            ),
        ]
        indexes = [models.Index(fields=["expires_on"], name="skills_cert_expires_idx")]

    def __str__(self):
        return f"{self.number}: {self.title} ({self.holder})"

    def status_on(self, day: date | None = None) -> str:
        """Valid, expired or revoked on `day` (today, Europe/London, by default)."""
        if self.revoked_at is not None:
            return CertificateStatus.REVOKED
        day = day or timezone.localdate()
        if self.expires_on is not None and self.expires_on <= day:
            return CertificateStatus.EXPIRED
        return CertificateStatus.VALID

    @property
    def status(self) -> str:
        return self.status_on()

    def get_status_display(self) -> str:
        return CertificateStatus(self.status).label
