from django.db import models
from django.db.models import Q
from wagtail.search import index

from frameworks.models.base import IndexedInCurrentRelease, LevelDescribedItem, LevelText, release_search_fields
from frameworks.models.releases import FrameworkRelease, Level


class Category(models.Model):
    """A SFIA-like category of skills (e.g. "Strategy and architecture"). DDaT releases have none. Holds no personal
    data."""

    release = models.ForeignKey(FrameworkRelease, on_delete=models.CASCADE, related_name="categories")
    code = models.SlugField(max_length=100)
    name = models.CharField(max_length=255)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["release", "position", "name"]
        verbose_name_plural = "categories"
        constraints = [
            models.UniqueConstraint(fields=["release", "code"], name="frameworks_category_unique_code"),
        ]

    def __str__(self):
        return self.name


class Subcategory(models.Model):
    """A SFIA-like subcategory of skills, within a category. Holds no personal data."""

    release = models.ForeignKey(FrameworkRelease, on_delete=models.CASCADE, related_name="subcategories")
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="subcategories")
    code = models.SlugField(max_length=100)
    name = models.CharField(max_length=255)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["release", "position", "name"]
        verbose_name_plural = "subcategories"
        constraints = [
            models.UniqueConstraint(fields=["release", "code"], name="frameworks_subcategory_unique_code"),
        ]

    def __str__(self):
        return self.name


class Skill(IndexedInCurrentRelease, LevelDescribedItem):
    """A skill of one release. `code` is stable across releases: the same skill has the same code in each.

    DDaT files have no codes, so the importer derives one from the name (docs/decisions/0102-skill-codes.md);
    renaming a skill in a draft keeps its code. Holds no personal data.
    """

    release = models.ForeignKey(FrameworkRelease, on_delete=models.CASCADE, related_name="skills")
    category = models.ForeignKey(Category, null=True, blank=True, on_delete=models.RESTRICT, related_name="skills")
    subcategory = models.ForeignKey(
        Subcategory, null=True, blank=True, on_delete=models.RESTRICT, related_name="skills"
    )
    description_placeholder = models.CharField(
        max_length=50,
        blank=True,
        help_text="What the DDaT roles file shows instead of an empty description (MISSING for some skills).",
    )
    listed_roles = models.TextField(
        blank=True,
        help_text="The DDaT skills file's 'Roles that require Skill' text as published. It does not always agree "
        "with the requirements, so it is kept verbatim for the export rather than recomputed.",
    )

    search_fields = release_search_fields(index.SearchField("guidance"))

    class Meta:
        ordering = ["release", "name"]
        constraints = [
            models.UniqueConstraint(fields=["release", "code"], name="frameworks_skill_unique_code"),
            models.UniqueConstraint(fields=["release", "name"], name="frameworks_skill_unique_name"),
            models.CheckConstraint(condition=~Q(code=""), name="frameworks_skill_code_not_empty"),
            models.CheckConstraint(condition=~Q(name=""), name="frameworks_skill_name_not_empty"),
        ]


class SkillLevelDescriptor(LevelText):
    """What a skill looks like at one level of the scale. Every skill has one per level of its release's scale.
    Holds no personal data."""

    item_field = "skill"
    release = models.ForeignKey(FrameworkRelease, on_delete=models.CASCADE, related_name="skill_level_descriptors")
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="descriptors")
    level = models.ForeignKey(Level, on_delete=models.RESTRICT, related_name="skill_descriptors")

    class Meta(LevelText.Meta):
        constraints = LevelText.constraints_one_per_level("skill", name="frameworks_descriptor_unique_skill_level")


class GenericAttribute(LevelDescribedItem):
    """A SFIA-like generic attribute (autonomy, influence, business skills…) with a description per level. Holds no
    personal data."""

    release = models.ForeignKey(FrameworkRelease, on_delete=models.CASCADE, related_name="generic_attributes")
    attribute_type = models.CharField(max_length=255, blank=True, help_text="The workbook's Type column.")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["release", "position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["release", "code"], name="frameworks_attribute_unique_code"),
        ]


class GenericAttributeLevel(LevelText):
    """What a generic attribute looks like at one level of the scale. Holds no personal data."""

    item_field = "attribute"
    release = models.ForeignKey(FrameworkRelease, on_delete=models.CASCADE, related_name="generic_attribute_levels")
    attribute = models.ForeignKey(GenericAttribute, on_delete=models.CASCADE, related_name="levels")
    level = models.ForeignKey(Level, on_delete=models.RESTRICT, related_name="attribute_descriptions")

    class Meta(LevelText.Meta):
        constraints = LevelText.constraints_one_per_level("attribute", name="frameworks_attribute_level_unique")
