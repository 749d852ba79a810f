from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from courses.enums import CompletionStatus


class CourseCompletion(models.Model):
    """A learner's record that they completed a self-paced course. A claim, with the course as evidence, until
    their line manager confirms it; only then does it write course evidence to the skills ledger. At most one
    open claim per person and course.

    Personal data: the person, the date, their evidence, and the manager's decision and reason.
    """

    person = models.ForeignKey("skills.Person", on_delete=models.CASCADE, related_name="course_completions")
    course = models.ForeignKey("courses.CoursePage", on_delete=models.PROTECT, related_name="completions")
    completed_on = models.DateField()
    evidence = models.TextField(help_text="What the learner did: a certificate number, a link, what they learned.")
    status = models.CharField(max_length=20, choices=CompletionStatus.choices, default=CompletionStatus.CLAIMED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "course"],
                condition=Q(status=CompletionStatus.CLAIMED),
                name="courses_completion_one_open_claim",
                violation_error_message="You have already recorded this course: your line manager has it to confirm.",
            ),
        ]

    def __str__(self):
        return f"{self.person} completed {self.course.title} ({self.get_status_display().lower()})"


class CourseInterest(models.Model):
    """That a person wants training where none is scheduled: in a course (that has no session they can book), or
    in a skill (that no course develops to the level they need). Training administrators see this demand.
    Personal data: the person and what they want to learn."""

    person = models.ForeignKey("skills.Person", on_delete=models.CASCADE, related_name="course_interests")
    course = models.ForeignKey(
        "courses.CoursePage", null=True, blank=True, on_delete=models.CASCADE, related_name="interests"
    )
    framework = models.ForeignKey(
        "frameworks.Framework", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    skill_code = models.SlugField(max_length=100, blank=True)
    level_rank = models.PositiveSmallIntegerField(null=True, blank=True, help_text="The level the person needs.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(course__isnull=False) & Q(framework__isnull=True) & Q(skill_code=""))
                | (Q(course__isnull=True) & Q(framework__isnull=False) & ~Q(skill_code="")),
                name="courses_interest_course_or_skill",
            ),
            models.UniqueConstraint(
                fields=["person", "course"], condition=Q(course__isnull=False), name="courses_interest_once_per_course"
            ),
            models.UniqueConstraint(
                fields=["person", "framework", "skill_code"],
                condition=Q(course__isnull=True),
                name="courses_interest_once_per_skill",
            ),
        ]

    def __str__(self):
        return f"{self.person}: interest in {self.course or self.skill_code}"


SCORE = [MinValueValidator(1), MaxValueValidator(5)]


class Evaluation(models.Model):
    """A learner's answer, once, to "how did it go?" after a session they attended or a self-paced course they
    completed. Personal data: the person and their comment (the scores are reported only in aggregate)."""

    person = models.ForeignKey("skills.Person", on_delete=models.CASCADE, related_name="course_evaluations")
    booking = models.OneToOneField(
        "courses.Booking", null=True, blank=True, on_delete=models.CASCADE, related_name="evaluation"
    )
    completion = models.OneToOneField(
        CourseCompletion, null=True, blank=True, on_delete=models.CASCADE, related_name="evaluation"
    )
    satisfaction = models.PositiveSmallIntegerField(validators=SCORE, help_text="1 (very poor) to 5 (very good).")
    relevance_to_work = models.PositiveSmallIntegerField(validators=SCORE)
    relevance_to_gap = models.PositiveSmallIntegerField(validators=SCORE)
    comment = models.TextField(blank=True)
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(booking__isnull=False, completion__isnull=True)
                | Q(booking__isnull=True, completion__isnull=False),
                name="courses_evaluation_of_one_thing",
            ),
            models.CheckConstraint(
                condition=Q(satisfaction__range=(1, 5))
                & Q(relevance_to_work__range=(1, 5))
                & Q(relevance_to_gap__range=(1, 5)),
                name="courses_evaluation_scores_in_range",
            ),
        ]

    def __str__(self):
        return f"Evaluation by {self.person}"
