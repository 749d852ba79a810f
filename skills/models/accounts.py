from django.conf import settings
from django.db import models
from django.db.models import Q

from skills.models.organisation import OrganisationUnit
from skills.models.people import Person

# The issuer of the identities the HR feed writes: its subject is the person's staff number.
HR_FEED_ISSUER = "hr-feed"


class PersonIdentity(models.Model):
    """How a source outside the service names a person: the HR feed (issuer "hr-feed", subject the staff
    number) today, an identity provider (its issuer URL and the subject it signs) when single sign-on comes.
    Whoever matches an outside record to a person matches it here, never by e-mail address.

    Personal data: the identifiers (a staff number, a provider's subject)."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="identities")
    issuer = models.CharField(max_length=255)
    subject = models.CharField(max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "person identities"
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="skills_person_identity_unique_subject"),
            models.UniqueConstraint(fields=["person", "issuer"], name="skills_person_identity_one_per_issuer"),
        ]

    def __str__(self):
        return f"{self.issuer}:{self.subject}"


class AccountEmailChange(models.Model):
    """A change of an account's e-mail address asked for by the HR feed. It is applied at once only for an
    account that has never signed in; otherwise it waits (PENDING) until the holder of the old address
    confirms it through the link e-mailed to them (see docs/decisions/0201-hr-feed-accounts.md).

    Personal data: both addresses. Kept as the record of the change; never deleted."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for confirmation from the old address"
        APPLIED = "applied", "Applied"
        CANCELLED = "cancelled", "Cancelled by the holder of the old address"
        SUPERSEDED = "superseded", "Replaced by a newer change"
        REFUSED = "refused", "Refused: the address was taken or the account became privileged"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    old_email = models.EmailField()
    new_email = models.EmailField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Who uploaded the feed; empty for the system (the import_people command).",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(status="pending"), name="skills_email_change_one_pending_per_user"
            ),
            models.CheckConstraint(
                condition=Q(status="pending", resolved_at__isnull=True)
                | (~Q(status="pending") & Q(resolved_at__isnull=False)),
                name="skills_email_change_resolved_iff_closed",
            ),
        ]

    def __str__(self):
        return f"{self.old_email} → {self.new_email} ({self.get_status_display().lower()})"


class HRResponsibility(models.Model):
    """An organisation unit (and everything below it) an HR analyst looks after: the People admin, its
    choosers and the HR feed show and change only the people and units in an analyst's units. Superusers
    assign them; superusers themselves see everything. Personal data: who is responsible for which unit."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="hr_responsibilities")
    org_unit = models.ForeignKey(OrganisationUnit, on_delete=models.CASCADE, related_name="hr_responsibilities")

    class Meta:
        verbose_name = "HR responsibility"
        verbose_name_plural = "HR responsibilities"
        constraints = [
            models.UniqueConstraint(fields=["user", "org_unit"], name="skills_hr_responsibility_unique"),
        ]

    def __str__(self):
        return f"{self.user} · {self.org_unit}"
