from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField


class LinkBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=60)
    page = blocks.PageChooserBlock(required=False)
    url = blocks.CharBlock(required=False, max_length=255, help_text="A path or address, used when no page is chosen.")

    class Meta:
        icon = "link"


@register_setting(icon="list-ul")
class NavigationSettings(BaseSiteSetting):
    """Editor-managed links: the footer's support links (accessibility, privacy, cookies, contact). Holds no personal
    data."""

    footer_links = StreamField([("link", LinkBlock())], blank=True)

    panels = [FieldPanel("footer_links")]

    class Meta:
        verbose_name = "navigation"
