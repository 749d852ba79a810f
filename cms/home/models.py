from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField

from cms.core.blocks import BaseStreamBlock
from cms.core.models import BasePage


class HomePage(BasePage):
    """The site's front page: what Capability is, and where each kind of user starts. Holds no personal
    data."""

    introduction = models.TextField(
        blank=True, help_text="One or two sentences under the page title saying what the service is for."
    )
    body = StreamField(BaseStreamBlock(), blank=True)

    content_panels = BasePage.content_panels + [FieldPanel("introduction"), FieldPanel("body")]

    parent_page_types = ["wagtailcore.Page"]
    max_count = 1
