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


@register.simple_tag(takes_context=True)
def change_skill_url(context, change) -> str:
    """The public page of the skill a ChangeDetail is about, in the release that has it (the current release's
    own address when it is the current one)."""
    links, framework = context["links"], context["framework"]
    release = change.skill_release
    base = links.home if release.pk == framework.current_release_id else links.url("release", release.label)
    return f"{base}skills/{change.skill_code}/"
