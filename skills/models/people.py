import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from skills.models.organisation import Grade, OrganisationUnit, Profession


class Person(models.Model):
    """A member of the profession as HR knows them.

    Personal data: staff number, organisation unit, grade, profession, line manager, current and target role
    level (the name and e-mail address are on the user account); `credential_subject_id`, the random identifier
    the person's Open Badges credentials name them by; `left_on`, the day HR says they left (set by the HR feed
    through `skills.services.leavers.person_leave`), and `erased_at`, when their personal data was anonymised
    (`skills.services.erasure.person_erase`). The management chain never loops: the services refuse a line
    manager who reports, directly or not, to the person.
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="person")
    staff_number = models.CharField(max_length=50)
    org_unit = models.ForeignKey(OrganisationUnit, on_delete=models.PROTECT, related_name="people")
    grade = models.ForeignKey(Grade, on_delete=models.PROTECT, related_name="people")
    profession = models.ForeignKey(Profession, null=True, blank=True, on_delete=models.PROTECT, related_name="people")
    line_manager = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="direct_reports"
    )
    current_role_level = models.ForeignKey(
        "frameworks.RoleLevel", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    target_role_level = models.ForeignKey(
        "frameworks.RoleLevel", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    accredited_frameworks = models.ManyToManyField(
        "frameworks.Framework",
        blank=True,
        related_name="accredited_assessors",
        help_text="Frameworks this person may validate others' claims for, as an assessor.",
    )
    # Who an Open Badges credential is about (`credentialSubject.id`, as urn:uuid:…): random, so it says nothing
    # about the person (never their e-mail, which changes and is personal), and the same in every credential
    # they hold, so that a verifier can tell two of them belong to one holder.
    credential_subject_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    left_on = models.DateField(
        null=True, blank=True, help_text="The day the person left, as the HR feed says: they can no longer sign in."
    )
    erased_at = models.DateTimeField(
        null=True, blank=True, help_text="When the person's personal data was anonymised (erasure)."
    )

    class Meta:
        ordering = ["user__last_name", "user__first_name"]
        verbose_name_plural = "people"
        permissions = [("erase_personal_data", "Can erase the personal data of a person who has left")]
        constraints = [
            models.UniqueConstraint(fields=["staff_number"], name="skills_person_unique_staff_number"),
            models.CheckConstraint(
                condition=~Q(line_manager=models.F("id")),
                name="skills_person_not_own_line_manager",
                violation_error_message="Nobody can be their own line manager: choose someone else.",
            ),
            models.CheckConstraint(
                condition=Q(erased_at__isnull=True) | Q(left_on__isnull=False),
                name="skills_person_erased_only_after_leaving",
                violation_error_message="Only a person who has left can be erased.",
            ),
        ]

    def __str__(self):
        return str(self.user)
