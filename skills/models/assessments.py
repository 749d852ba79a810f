from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from skills.enums import AssessmentSource, ReviewerKind, ReviewStatus
from skills.models.people import Person


class Assessment(models.Model):
    """One judgement of one person's level in one skill of one framework release: the ledger.

    Rows are immutable: they are only ever inserted, by `skills.services.assessment_record` and the services
    built on it (a database trigger refuses updates and deletes). Nothing overwrites anything; the person's
    current levels are derived from the ledger by the framework's policy into `CurrentLevel`.

    `level` empty means "no level yet" (below the lowest level of the scale). Personal data: the person,
    their evidence, and the author's reason.
    """

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="assessments")
    skill = models.ForeignKey("frameworks.Skill", on_delete=models.PROTECT, related_name="+")
    release = models.ForeignKey("frameworks.FrameworkRelease", on_delete=models.PROTECT, related_name="+")
    level = models.ForeignKey("frameworks.Level", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    source = models.CharField(max_length=20, choices=AssessmentSource.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Who made the judgement; empty for the system (imports, carry-forward).",
    )
    evidence = models.TextField(blank=True, help_text="What the person did, the result, links.")
    reason = models.TextField(blank=True, help_text="Why a reviewer's level differs from the claim.")
    responds_to = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="responses",
        help_text="For a validation: the claim it judged.",
    )
    carried_from = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="carried_to",
        help_text="For a carried-forward row: the row of the previous release it carries.",
    )
    retracts = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="retracted_by",
        help_text="For a correction: the row this one withdraws (attendance marked wrongly). Neither counts.",
    )
    is_claim = models.BooleanField(
        default=False, help_text="True for self-assessments and the claims carried forward from them."
    )
    needs_revalidation = models.BooleanField(
        default=False, help_text="Carried forward to a release whose level texts changed: to be validated again."
    )
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["person", "skill", "created_at"], name="skills_assessment_ledger_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(source=AssessmentSource.SELF, is_claim=True) | ~Q(source=AssessmentSource.SELF),
                name="skills_assessment_self_is_a_claim",
            ),
            models.CheckConstraint(
                condition=Q(is_claim=False) | Q(source__in=[AssessmentSource.SELF, AssessmentSource.CARRIED_FORWARD]),
                name="skills_assessment_only_self_or_carried_claims",
            ),
            models.CheckConstraint(
                condition=Q(retracts__isnull=True) | Q(level__isnull=True, is_claim=False),
                name="skills_assessment_retraction_has_no_level",
            ),
            models.CheckConstraint(
                condition=Q(carried_from__isnull=True) | Q(source=AssessmentSource.CARRIED_FORWARD),
                name="skills_assessment_carried_from_only_when_carried",
            ),
        ]

    def __str__(self):
        return f"{self.person} · {self.skill} · {self.level or 'no level'} ({self.get_source_display()})"


class CurrentLevel(models.Model):
    """A person's current claimed and validated level in a skill, derived from the ledger by the policy.

    Kept in step by the services in the same transaction as each ledger insert, so that pages and reports
    never replay the ledger. Never edit it directly: `skills.services.current_level_refresh` recomputes it.

    Personal data: the person's claimed and validated levels and when they were last assessed (derived from the
    ledger, so erasing the ledger rows and rebuilding erases these too).
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="current_levels")
    skill = models.ForeignKey("frameworks.Skill", on_delete=models.CASCADE, related_name="+")
    release = models.ForeignKey("frameworks.FrameworkRelease", on_delete=models.CASCADE, related_name="+")
    skill_code = models.SlugField(max_length=100)
    claimed_level = models.ForeignKey(
        "frameworks.Level", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    claimed_rank = models.PositiveSmallIntegerField(default=0, help_text="0 when no level is claimed.")
    claim = models.ForeignKey(Assessment, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    validated_level = models.ForeignKey(
        "frameworks.Level", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    validated_rank = models.PositiveSmallIntegerField(default=0, help_text="0 when nothing is validated.")
    validation = models.ForeignKey(Assessment, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    validated_source = models.CharField(max_length=20, choices=AssessmentSource.choices, blank=True)
    needs_revalidation = models.BooleanField(default=False)
    last_assessed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "skill"], name="skills_current_level_unique_person_skill"),
        ]
        indexes = [models.Index(fields=["skill", "validated_rank"], name="skills_current_level_skill_idx")]

    def __str__(self):
        return f"{self.person} · {self.skill_code}: claimed {self.claimed_level}, validated {self.validated_level}"

    @property
    def sources_disagree(self) -> bool:
        return self.claim_id is not None and self.validation_id is not None and self.claimed_rank != self.validated_rank


class Review(models.Model):
    """A claim sent to a reviewer (the line manager, or any assessor accredited for the framework).

    Closed by a validation row in the ledger (confirmed/adjusted), by asking for more evidence, or by a newer
    claim for the same skill (superseded). At most one open review per claim and kind of reviewer.

    Personal data: the reviewer, who resolved it, and the reviewer's message to the person.
    """

    claim = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="reviews")
    # The claim's person and release, kept on the review (set from the claim by `save`; a bulk write gives them):
    # the reviewers' queues group and filter open reviews by them, and reading them from the claim made every queue
    # join the whole ledger (decision 0222). A claim's person and release never change.
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", editable=False)
    release = models.ForeignKey(
        "frameworks.FrameworkRelease", on_delete=models.PROTECT, related_name="+", editable=False
    )
    reviewer_kind = models.CharField(max_length=20, choices=ReviewerKind.choices)
    reviewer = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reviews_to_do",
        help_text="The line manager asked; empty for an assessor review, which any accredited assessor may take.",
    )
    status = models.CharField(max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.OPEN)
    message = models.TextField(blank=True, help_text="The reviewer's request for more evidence.")
    outcome = models.ForeignKey(Assessment, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            # The reviewers' queues read the open reviews of one kind, oldest first: without it, an assessor's
            # queue reads every ledger row of the release to find the few claims still open.
            models.Index(
                fields=["reviewer_kind", "created_at"],
                condition=Q(status=ReviewStatus.OPEN),
                name="skills_review_open_queue_idx",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["claim", "reviewer_kind"],
                condition=Q(status=ReviewStatus.OPEN),
                name="skills_review_one_open_per_claim_and_kind",
            ),
            models.CheckConstraint(
                condition=Q(status=ReviewStatus.OPEN, resolved_at__isnull=True)
                | (~Q(status=ReviewStatus.OPEN) & Q(resolved_at__isnull=False)),
                name="skills_review_resolved_iff_closed",
            ),
            models.CheckConstraint(
                condition=Q(status__in=[ReviewStatus.CONFIRMED, ReviewStatus.ADJUSTED], outcome__isnull=False)
                | (~Q(status__in=[ReviewStatus.CONFIRMED, ReviewStatus.ADJUSTED]) & Q(outcome__isnull=True)),
                name="skills_review_outcome_iff_validated",
            ),
        ]

    def __str__(self):
        return f"{self.get_reviewer_kind_display()} review of {self.claim} ({self.get_status_display().lower()})"

    def save(self, *args, **kwargs):
        if self._state.adding or self.person_id is None or self.release_id is None:
            self.person_id, self.release_id = self.claim.person_id, self.claim.release_id
        super().save(*args, **kwargs)


class ClaimWithdrawal(models.Model):
    """That a person withdrew a claim while it was waiting for review. The ledger row stays (it is append-only);
    the policy ignores a withdrawn claim when it derives the current level, and its open reviews close as
    withdrawn. Personal data: who withdrew it and when."""

    claim = models.OneToOneField(Assessment, on_delete=models.PROTECT, related_name="withdrawal")
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    withdrawn_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"Withdrawal of {self.claim}"


class SelfAssessmentDraft(models.Model):
    """A learner's unsent answer for one skill: editable until submitted, then turned into a ledger claim
    and deleted. Personal data: the person's draft level and evidence."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="self_assessment_drafts")
    skill = models.ForeignKey("frameworks.Skill", on_delete=models.CASCADE, related_name="+")
    level = models.ForeignKey("frameworks.Level", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    evidence = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "skill"], name="skills_self_assessment_draft_unique"),
        ]

    def __str__(self):
        return f"Draft: {self.person} · {self.skill}"


class AssessmentPolicy(models.Model):
    """How a framework turns its ledger into current levels: which sources validate, in which order of
    authority (`PolicySourceRank`, rank 1 outranks the rest), and whether a validation earns a certificate (valid
    for `certificate_validity_months`, or for good). A framework without one uses
    `skills.enums.DEFAULT_VALIDATION_RANKING`. A self-assessment can never be ranked: it never validates. Holds no
    personal data."""

    framework = models.OneToOneField("frameworks.Framework", on_delete=models.CASCADE, related_name="assessment_policy")
    description = models.TextField(blank=True)
    validation_earns_certificate = models.BooleanField(
        default=False,
        help_text="A line manager's or an assessor's validation of a level issues a certificate of the skill at "
        "that level.",
    )
    certificate_validity_months = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="How long such a certificate stays valid. Empty: it does not expire."
    )

    class Meta:
        verbose_name_plural = "assessment policies"
        constraints = [
            models.CheckConstraint(
                condition=Q(certificate_validity_months__isnull=True) | Q(validation_earns_certificate=True),
                name="skills_policy_validity_only_with_certificate",
                violation_error_message="Only a policy whose validations earn a certificate has a validity period.",
            ),
            models.CheckConstraint(
                condition=Q(certificate_validity_months__isnull=True) | Q(certificate_validity_months__gt=0),
                name="skills_policy_validity_positive",
            ),
        ]

    def __str__(self):
        return f"Assessment policy of {self.framework}"


class PolicySourceRank(models.Model):
    """One source's place in a policy's order of authority: rank 1 outranks the rest. Holds no personal data."""

    policy = models.ForeignKey(AssessmentPolicy, on_delete=models.CASCADE, related_name="ranks")
    source = models.CharField(max_length=20, choices=AssessmentSource.choices)
    rank = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["policy", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "source"], name="skills_policy_rank_unique_source"),
            models.UniqueConstraint(fields=["policy", "rank"], name="skills_policy_rank_unique_rank"),
            models.CheckConstraint(
                condition=~Q(source=AssessmentSource.SELF), name="skills_policy_rank_self_never_validates"
            ),
        ]

    def __str__(self):
        return f"{self.rank}. {self.get_source_display()}"


class StaleReminder(models.Model):
    """That a person was reminded, in a given reassessment period, that their assessments in a framework
    are stale. Makes the scheduled reminder send at most once per period. Personal data: the person reminded,
    how many assessments were stale, and when."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="stale_reminders")
    framework = models.ForeignKey("frameworks.Framework", on_delete=models.CASCADE, related_name="+")
    period = models.PositiveIntegerField(help_text="Whole reassessment periods since the epoch.")
    stale_count = models.PositiveIntegerField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "framework", "period"], name="skills_stale_reminder_once"),
        ]

    def __str__(self):
        return f"Reminder to {self.person} (period {self.period})"
