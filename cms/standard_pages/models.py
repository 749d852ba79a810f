from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.search import index

from cms.core.blocks import BaseStreamBlock
from cms.core.models import BasePage


class StandardPage(BasePage):
    """A content page (guidance, about, accessibility statement) built from the shared block set. Holds no personal
    data."""

    summary = models.TextField(blank=True, help_text="Shown under the title and in search results.")
    body = StreamField(BaseStreamBlock())

    content_panels = BasePage.content_panels + [FieldPanel("summary"), FieldPanel("body")]
    search_fields = BasePage.search_fields + [index.SearchField("summary"), index.SearchField("body")]

    parent_page_types = ["home.HomePage", "standard_pages.IndexPage", "standard_pages.StandardPage"]
    subpage_types = ["standard_pages.StandardPage"]


class IndexPage(BasePage):
    """A section page that lists its child pages (for example "Guidance"). Holds no personal data."""

    summary = models.TextField(blank=True)
    body = StreamField(BaseStreamBlock(), blank=True)

    content_panels = BasePage.content_panels + [FieldPanel("summary"), FieldPanel("body")]
    search_fields = BasePage.search_fields + [index.SearchField("summary")]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["standard_pages.StandardPage"]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["children"] = self.get_children().live().public().specific().order_by("title")
        return context
