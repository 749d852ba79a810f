from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Orderable
from wagtail.search import index

from cms.core.blocks import BaseStreamBlock
from cms.core.models import BasePage
from courses.enums import DeliveryMode
from frameworks.models import Level, Skill


def _framework_name(release) -> str:
    framework = release.framework
    return framework.short_name or framework.name


class CourseOutcomeForm(WagtailAdminModelForm):
    """An outcome as an editor picks it: the skills and levels of each framework's current release only, labelled
    with their framework ("DDaT · Data analysis", "DDaT · Working"). A level of another release than the skill's
    is refused on the level's field (`CourseOutcome.clean`)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = {"release__framework__current_release": F("release")}
        self.fields["skill"].queryset = (
            Skill.objects.filter(**current)
            .select_related("release__framework")
            .order_by("release__framework__name", "name")
        )
        self.fields["skill"].label_from_instance = lambda skill: f"{_framework_name(skill.release)} · {skill.name}"
        levels = (
            Level.objects.filter(**current)
            .select_related("release__framework")
            .order_by("release__framework__name", "rank")
        )
        for name in ("from_level", "to_level"):
            self.fields[name].queryset = levels
            self.fields[name].label_from_instance = lambda level: f"{_framework_name(level.release)} · {level.name}"


class OutcomeInlinePanel(InlinePanel):
    """The outcomes' inline panel, with their form (`CourseOutcomeForm`)."""

    def get_form_options(self):
        options = super().get_form_options()
        options["formsets"][self.relation_name]["form"] = CourseOutcomeForm
        return options


class CourseIndexPage(BasePage):
    """The course catalogue (`/courses/`): lists the live course pages below it, with filters. Holds no personal
    data."""

    introduction = models.TextField(blank=True, help_text="One or two sentences under the page title.")
    body = StreamField(BaseStreamBlock(), blank=True)

    content_panels = BasePage.content_panels + [FieldPanel("introduction"), FieldPanel("body")]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["courses.CoursePage"]
    max_count = 1

    def get_context(self, request, *args, **kwargs):
        from courses.views.catalogue import catalogue_context  # noqa: PLC0415 — it imports these models

        return super().get_context(request, *args, **kwargs) | catalogue_context(request, self)


class CoursePage(BasePage):
    """A course: what it is, who it is for, and the skill level steps it develops (its outcomes).

    Sessions (`courses.Session`) are scheduled against it in the admin by training administrators; a self-paced
    course has none, and a learner records its completion instead. Holds no personal data.
    """

    summary = models.TextField(
        help_text="What the course is about, in two or three sentences (shown in the catalogue)."
    )
    body = StreamField(BaseStreamBlock(), blank=True)
    provider = models.CharField(max_length=255, help_text="Who delivers it, e.g. the department's academy.")
    delivery_mode = models.CharField(max_length=20, choices=DeliveryMode.choices)
    duration_hours = models.DecimalField(
        max_digits=5, decimal_places=1, help_text="How many hours of learning it takes, e.g. 14 for two days."
    )
    cost_pence = models.PositiveIntegerField(
        default=0, verbose_name="cost (pence)", help_text="The cost per learner in pence, 0 for free."
    )
    eligible_grades = ParentalManyToManyField(
        "skills.Grade", blank=True, related_name="+", help_text="Who it is for. None chosen: everyone."
    )
    prerequisites = models.TextField(blank=True, help_text="What a learner should know or have done first.")
    needs_approval = models.BooleanField(
        default=False, verbose_name="needs manager approval", help_text="A booking waits for the line manager."
    )
    leads_to_certificate = models.BooleanField(default=False)
    certificate_validity_months = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="How long its certificate stays valid. Empty: it does not expire."
    )

    search_fields = BasePage.search_fields + [
        index.SearchField("summary"),
        index.SearchField("provider"),
        index.SearchField("body"),
        index.FilterField("delivery_mode"),
    ]

    content_panels = BasePage.content_panels + [
        FieldPanel("summary"),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldPanel("provider"),
                FieldRowPanel([FieldPanel("delivery_mode"), FieldPanel("duration_hours"), FieldPanel("cost_pence")]),
                FieldPanel("eligible_grades"),
                FieldPanel("prerequisites"),
                FieldPanel("needs_approval"),
                FieldRowPanel([FieldPanel("leads_to_certificate"), FieldPanel("certificate_validity_months")]),
            ],
            heading="Delivery and eligibility",
        ),
        OutcomeInlinePanel("outcomes", heading="Skill outcomes", label="Skill outcome", min_num=1),
    ]

    parent_page_types = ["courses.CourseIndexPage"]
    subpage_types: list[str] = []

    def get_context(self, request, *args, **kwargs):
        from courses.views.catalogue import course_context  # noqa: PLC0415 — it imports these models

        return super().get_context(request, *args, **kwargs) | course_context(request, self)

    @property
    def cost_display(self) -> str:
        """The cost in pounds, "Free" when it costs nothing: "£1,250" or "£99.50"."""
        if self.is_free:
            return "Free"
        pounds, pence = divmod(self.cost_pence, 100)
        return f"£{pounds:,}" + (f".{pence:02d}" if pence else "")

    @property
    def duration_display(self) -> str:
        hours = self.duration_hours.normalize() if self.duration_hours is not None else 0
        return f"{hours:f} hour{'' if hours == 1 else 's'}"

    @property
    def award(self) -> str:
        """What completing this course achieves, as skills names it: the same for every completion, so that a
        certificate for it can be renewed."""
        return f"courses.course:{self.pk}"

    @property
    def is_self_paced(self) -> bool:
        return self.delivery_mode == DeliveryMode.SELF_PACED

    @property
    def is_free(self) -> bool:
        return self.cost_pence == 0

    def clean(self):
        super().clean()
        if self.certificate_validity_months and not self.leads_to_certificate:
            raise ValidationError(
                {"certificate_validity_months": "Only a course that leads to a certificate has a validity period."}
            )


class CourseOutcome(Orderable):
    """A level step the course develops in one skill: from `from_rank` (0: no level yet) to `to_rank`.

    The editor picks the skill and levels of the framework's current release; the skill's stable code and the
    levels' ranks are kept beside them, so that the outcome keeps meaning the same thing after the framework
    publishes a new release (recommendations and the skill pages match on framework, code and rank). Holds no
    personal data.
    """

    course = ParentalKey(CoursePage, on_delete=models.CASCADE, related_name="outcomes")
    skill = models.ForeignKey("frameworks.Skill", on_delete=models.PROTECT, related_name="+")
    from_level = models.ForeignKey(
        "frameworks.Level",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The level a learner starts from. Empty: no level yet.",
    )
    to_level = models.ForeignKey("frameworks.Level", on_delete=models.PROTECT, related_name="+")
    framework = models.ForeignKey("frameworks.Framework", on_delete=models.PROTECT, related_name="+", editable=False)
    skill_code = models.SlugField(max_length=100, editable=False)
    from_rank = models.PositiveSmallIntegerField(default=0, editable=False)
    to_rank = models.PositiveSmallIntegerField(editable=False)

    panels = [FieldPanel("skill"), FieldRowPanel([FieldPanel("from_level"), FieldPanel("to_level")])]

    class Meta(Orderable.Meta):
        indexes = [models.Index(fields=["framework", "skill_code", "to_rank"], name="courses_outcome_skill_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(to_rank__gt=models.F("from_rank")), name="courses_outcome_steps_up"),
        ]

    def __str__(self):
        start = self.from_level.name if self.from_level_id else "no level"
        return f"{self.skill.name}: {start} → {self.to_level.name}"

    def clean(self):
        super().clean()
        if not self.skill_id or not self.to_level_id:
            return
        errors = {}
        release_id = self.skill.release_id
        if self.to_level.release_id != release_id:
            errors["to_level"] = "Choose a level of the skill's own framework release."
        if self.from_level_id and self.from_level.release_id != release_id:
            errors["from_level"] = "Choose a level of the skill's own framework release."
        if not errors and self.from_level_id and self.from_level.rank >= self.to_level.rank:
            errors["to_level"] = (
                f"The course must develop the skill beyond {self.from_level.name}: choose a higher level."
            )
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        self.skill_code = self.skill.code
        self.framework_id = self.skill.release.framework_id
        self.from_rank = self.from_level.rank if self.from_level_id else 0
        self.to_rank = self.to_level.rank
        super().save(*args, **kwargs)
