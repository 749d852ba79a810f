from django.db import models
from django.db.models import Q


class ReleaseCarryForward(models.Model):
    """The run that carries people's current levels into a newly published framework release
    (`skills.services.carry_forward`), and how far it got.

    People are carried in chunks of person ids, each committed on its own; `people_done_through` is the last
    person id of the last committed chunk, so a run that stopped (a failure, a lost worker, the task time
    limit) resumes after it. People work in the release's previous release until `status` is finished
    (docs/decisions/0205). One run per release. Holds no personal data.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to start"
        RUNNING = "running", "Carrying levels forward"
        FINISHED = "finished", "Finished"
        FAILED = "failed", "Failed: people still see the previous release"

    release = models.OneToOneField(
        "frameworks.FrameworkRelease", on_delete=models.CASCADE, related_name="carry_forward"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    people_total = models.PositiveIntegerField(default=0, help_text="Everyone, counted when the run starts.")
    people_done = models.PositiveIntegerField(default=0)
    people_done_through = models.PositiveBigIntegerField(
        default=0, help_text="The last person id of the last chunk committed: a resumed run starts after it."
    )
    rows_written = models.PositiveIntegerField(default=0, help_text="Ledger rows carried forward.")
    error = models.TextField(blank=True, help_text="Why the run stopped, when it failed.")
    started_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "carry-forward of levels"
        verbose_name_plural = "carry-forwards of levels"
        constraints = [
            models.CheckConstraint(
                condition=Q(status="finished", finished_at__isnull=False)
                | (~Q(status="finished") & Q(finished_at__isnull=True)),
                name="skills_carry_forward_finished_iff_finished_at",
            ),
        ]

    def __str__(self):
        return f"Carry-forward into {self.release_id} ({self.get_status_display().lower()})"

    @property
    def is_finished(self) -> bool:
        return self.status == self.Status.FINISHED
