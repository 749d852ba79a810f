from django.db import models
from django.db.models import Q


class Achievement(models.Model):
    """Something a person achieved through training that skills must know about without knowing courses: a
    course completed (an attended session, or a self-paced course their manager confirmed). `courses` fills it
    through `skills.services.achievement_record`; the certificates work issues certificates from it (those with
    `certificate_requested`), and HR figures count it. `reference` names the source row in the app that recorded
    it (e.g. ``courses.booking:12``), so recording the same completion twice changes nothing. A completion found
    to be wrong is withdrawn (`withdrawn_at`), never deleted.

    Personal data: the person and what they achieved when.
    """

    class Kind(models.TextChoices):
        COURSE_COMPLETED = "course_completed", "Course completed"

    person = models.ForeignKey("skills.Person", on_delete=models.CASCADE, related_name="achievements")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    reference = models.CharField(max_length=100, help_text="The source row, e.g. courses.booking:12.")
    award = models.CharField(
        max_length=200,
        blank=True,
        help_text="What was achieved, the same for every completion of it (e.g. courses.course:42): what a "
        "certificate certifies and a renewal renews.",
    )
    title = models.CharField(max_length=255)
    url = models.CharField(max_length=500, blank=True, help_text="The public page of what was achieved.")
    achieved_on = models.DateField()
    certificate_requested = models.BooleanField(default=False)
    certificate_validity_months = models.PositiveSmallIntegerField(null=True, blank=True)
    evidence = models.ManyToManyField("skills.Assessment", blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-achieved_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["reference"], name="skills_achievement_unique_reference"),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | ~Q(withdrawn_reason=""),
                name="skills_achievement_withdrawn_with_reason",
            ),
        ]

    def __str__(self):
        return f"{self.person}: {self.title} ({self.achieved_on})"
