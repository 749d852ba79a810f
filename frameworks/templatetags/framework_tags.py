from django import template

from frameworks.enums import ChangeKind
from frameworks.selectors.pages import framework_index_url, framework_page_for
from frameworks.views.site import FrameworkLinks

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
    if release.pk == framework.current_release_id:
        return FrameworkLinks(home=links.home, base=links.home).url("skill", change.skill_code)
    return FrameworkLinks.for_release(home=links.home, label=release.label).url("skill", change.skill_code)


@register.simple_tag(takes_context=True)
def framework_page_url(context, framework, name: str = "framework", *args) -> str:
    """The URL of the public page `name` of `framework`'s current release, for pages outside the framework's own
    (a learner choosing a role): `{% framework_page_url release.framework "role" role.code as url %}`. Built from
    the live framework page's address and its routes; "" when the framework has no public page. One query."""
    page = framework_page_for(framework=framework)
    if page is None:
        return ""
    home = page.get_url(context.get("request"))
    return FrameworkLinks(home=home, base=home).url(name, *args) if home else ""


@register.simple_tag(takes_context=True)
def frameworks_index_url(context) -> str:
    """The URL of the public list of frameworks, "" when there is none. One query."""
    return framework_index_url(context.get("request"))
