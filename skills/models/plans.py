from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class DevelopmentPlan(models.Model):
    """A person's development plan: the actions they and their line manager agree against the person's gaps.

    The learner proposes actions; the line manager agrees the plan (`agreed_by`, `agreed_at`). A change to what
    is planned (an action added, edited or dropped) sets `changed_at`, so the plan asks for agreement again
    (`is_agreed` is false until the manager agrees once more); progress on an action (started, done) does not.

    Personal data: the person, who agreed their plan and when.
    """

    person = models.OneToOneField("skills.Person", on_delete=models.CASCADE, related_name="development_plan")
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    agreed_at = models.DateTimeField(null=True, blank=True)
    changed_at = models.DateTimeField(default=timezone.now)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"Development plan of {self.person}"

    @property
    def is_agreed(self) -> bool:
        return self.agreed_at is not None and self.agreed_at >= self.changed_at


class PlanAction(models.Model):
    """One thing a person plans to do to close a gap: take a course or a session, an on-the-job activity, work
    with a mentor, read. Optionally against a skill (its stable code) and the level it aims at (rank).

    Training the person books or completes updates the action by itself (`skills.services.plan_actions_sync`):
    skills knows the training only by its `url` (the course page) and `reference` (the source row in the app
    that recorded it, e.g. ``courses.booking:12``), never by a foreign key. A done action links to the ledger
    row it produced (`evidence`). Actions are dropped, never deleted.

    Personal data: what the person plans to learn and when.
    """

    class Kind(models.TextChoices):
        COURSE = "course", "Take a course"
        SESSION = "session", "Attend a session"
        ON_THE_JOB = "on_the_job", "On-the-job activity"
        MENTOR = "mentor", "Work with a mentor"
        READING = "reading", "Reading"

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"
        DROPPED = "dropped", "Dropped"

    plan = models.ForeignKey(DevelopmentPlan, on_delete=models.CASCADE, related_name="actions")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=255)
    skill_code = models.SlugField(max_length=100, blank=True)
    target_rank = models.PositiveSmallIntegerField(null=True, blank=True, help_text="The level it aims at.")
    url = models.CharField(max_length=500, blank=True, help_text="A course page or a booking, on this service.")
    reference = models.CharField(max_length=100, blank=True, help_text="The source row, e.g. courses.booking:12.")
    target_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PLANNED)
    evidence = models.ForeignKey(
        "skills.Assessment", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    done_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["target_date", "id"]
        indexes = [
            models.Index(fields=["plan", "status"], name="skills_planaction_status_idx"),
            models.Index(fields=["reference"], name="skills_planaction_ref_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(evidence__isnull=True) | Q(status="done"), name="skills_planaction_evidence_when_done"
            ),
            models.CheckConstraint(
                condition=Q(target_rank__isnull=True) | ~Q(skill_code=""), name="skills_planaction_level_of_a_skill"
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.get_status_display().lower()})"

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.PLANNED, self.Status.IN_PROGRESS)


class PlanComment(models.Model):
    """A comment on a development plan by the person or their line manager. Personal data: who said what."""

    plan = models.ForeignKey(DevelopmentPlan, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"Comment on {self.plan}"
