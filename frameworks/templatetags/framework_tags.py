from django import template

from frameworks.enums import ChangeKind

register = template.Library()


@register.simple_tag(takes_context=True)
def framework_url(context, name: str, *args) -> str:
    """The URL of a page of the framework being shown, for the release being shown (see FrameworkLinks):
    `{% framework_url "role_level" role.code role_level.code %}`."""
    return context["links"].url(name, *(str(arg) for arg in args))


@register.filter
def change_kind(change) -> str:
    """How a change (a ReleaseChange or a computed ChangeEntry) is described: "Added", "Level text changed"…"""
    return ChangeKind(change.kind).label
