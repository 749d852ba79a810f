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


class PrivacyNoticePage(BasePage):
    """The service's privacy notice (UK GDPR articles 13 and 14): what personal data it holds, why, who sees it, how
    long it is kept, and people's rights, which content editors keep in step with the register of personal data
    (skills.personal_data). One per site, at /privacy/, linked from the footer. Holds no personal data."""

    summary = models.TextField(blank=True, help_text="Shown under the title and in search results.")
    controller = models.TextField(
        help_text="Who is responsible for the data (the data controller), as the notice should name them."
    )
    contact_email = models.EmailField(help_text="Where people write about their data: the data protection officer.")
    body = StreamField(BaseStreamBlock())
    last_updated = models.DateField(help_text="When the notice last changed: shown at its foot.")

    content_panels = BasePage.content_panels + [
        FieldPanel("summary"),
        FieldPanel("controller"),
        FieldPanel("contact_email"),
        FieldPanel("body"),
        FieldPanel("last_updated"),
    ]
    search_fields = BasePage.search_fields + [index.SearchField("summary"), index.SearchField("body")]

    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count = 1
