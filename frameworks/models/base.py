"""What framework content models share: the mixin for the site search, and the "item described at each level of
a scale" that skills and generic attributes both are."""

from django.db import models
from django.db.models import F, Q
from wagtail.search import index

from frameworks.structured_text import blocks_intro, blocks_statements


def release_search_fields(*also: index.BaseField) -> list[index.BaseField]:
    """What the site search reads of a release's skill, role or role level: its name (boosted, and as typed), its
    description and `also`; searches are filtered by release."""
    return [
        index.SearchField("name", boost=3),
        index.SearchField("description"),
        *also,
        index.AutocompleteField("name"),
        index.FilterField("release"),
    ]


class IndexedInCurrentRelease(index.Indexed):
    """Indexed for the site search only while its release is its framework's current one. The index is updated
    when a release is published (`frameworks.services.release_search_index_update`), not on each save: drafts
    change often and are never searched."""

    search_auto_update = False

    @classmethod
    def get_indexed_objects(cls):
        return super().get_indexed_objects().filter(release__framework__current_release=F("release"))


class LevelDescribedItem(models.Model):
    """An item of a release with a text per level of the release's scale (a skill, a SFIA generic attribute).

    `code` is stable across releases. Text fields hold the published text exactly, `*_blocks` its display
    structure (see frameworks.structured_text). Concrete models add the `release` key and their own fields.
    """

    code = models.SlugField(max_length=100)
    name = models.CharField(max_length=255)
    description = models.TextField(blank=True)
    description_blocks = models.JSONField(default=list, blank=True)
    guidance = models.TextField(blank=True)
    guidance_blocks = models.JSONField(default=list, blank=True)
    url = models.URLField(max_length=500, blank=True)

    class Meta:
        abstract = True

    def __str__(self):
        return self.name


class LevelText(models.Model):
    """What an item looks like at one level of the scale; one per item and level.

    `text` is exactly as published (it may be empty or say "This skill level is currently not defined.");
    `is_defined` says whether the level applies to the item at all; `blocks` is the display structure.
    Concrete models add the `release`, item and `level` keys.
    """

    item_field = ""  # the name of the concrete model's key to its item ("skill", "attribute")

    text = models.TextField(blank=True)
    is_defined = models.BooleanField(default=True)
    blocks = models.JSONField(default=list, blank=True)

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(is_defined=False) | ~Q(text=""), name="%(app_label)s_%(class)s_defined_has_text"
            ),
        ]

    def __str__(self):
        return f"{getattr(self, f'{self.item_field}_id')} at {self.level_id}"

    @staticmethod
    def constraints_one_per_level(item_field: str, *, name: str) -> list[models.BaseConstraint]:
        """A concrete model's constraints: these and one text per item and level."""
        return [*LevelText.Meta.constraints, models.UniqueConstraint(fields=[item_field, "level"], name=name)]

    @property
    def intro(self) -> str:
        """The sentence before the statements, typically "You can:"."""
        return blocks_intro(self.blocks)

    @property
    def statements(self) -> list[str]:
        return blocks_statements(self.blocks)
