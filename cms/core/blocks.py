"""The one StreamField block set shared by the site's content pages."""

from wagtail import blocks
from wagtail.images.blocks import ImageBlock


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=120)
    size = blocks.ChoiceBlock(
        choices=[("l", "Large (h2)"), ("m", "Medium (h3)"), ("s", "Small (h4)")],
        default="l",
    )

    class Meta:
        icon = "title"
        template = "blocks/heading_block.html"


class InsetTextBlock(blocks.StructBlock):
    text = blocks.RichTextBlock(features=["bold", "italic", "link"])

    class Meta:
        icon = "openquote"
        template = "blocks/inset_text_block.html"


class CallToActionBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=80)
    page = blocks.PageChooserBlock(required=False)
    url = blocks.URLBlock(required=False, help_text="Used when no page is chosen.")

    class Meta:
        icon = "link"
        template = "blocks/call_to_action_block.html"


class DetailsBlock(blocks.StructBlock):
    summary = blocks.CharBlock(max_length=120)
    body = blocks.RichTextBlock(features=["bold", "italic", "link", "ol", "ul"])

    class Meta:
        icon = "collapse-down"
        template = "blocks/details_block.html"


class BaseStreamBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(features=["h2", "h3", "bold", "italic", "link", "ol", "ul", "document-link"])
    inset_text = InsetTextBlock()
    details = DetailsBlock()
    call_to_action = CallToActionBlock()
    image = ImageBlock()
