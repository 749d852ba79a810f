"""The framework pages built as a `PageContent`: the title, the breadcrumbs and the rendered fragments, cached for
a published release (decision 0119), and rendered around on every request with what is per person."""

import dataclasses
from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from govuk_frontend_django.components.breadcrumbs import GovUKBreadcrumbs
from wagtail import hooks

from frameworks.models import FrameworkPage, RoleLevel, Skill
from frameworks.views.site import FrameworkSite


@dataclass
class PageContent:
    """One framework page as data and rendered fragments: everything in it that depends only on the published
    release and the page tree, so that it can be cached (see the module docstring). `site` is the FrameworkSite
    it was built for, without its page (the routed page is put back by `for_page`); `role_level` is what the
    role-level actions hook is given."""

    site: FrameworkSite
    template: str
    title: str
    breadcrumbs_html: str
    html: str
    sidebar: str = ""
    banner_html: str = ""  # which release this is (a draft's preview, an earlier release): nothing for the current one
    licence_html: str = ""
    role_level: RoleLevel | None = field(default=None)
    skill: Skill | None = field(default=None)

    def for_page(self, page: FrameworkPage | None) -> "PageContent":
        """A copy of this content on `page`: the page as routed for this request when served, none when cached. A copy,
        because the cached content is shared by every request the process serves."""
        return dataclasses.replace(self, site=dataclasses.replace(self.site, page=page))


def page_content(site: FrameworkSite, fragment: str, *, title: str, breadcrumbs: list[dict], **context) -> PageContent:
    """Render the fragment `fragments/<fragment>.html` (and the role level's ladder beside it) with `context`.
    Fragments have no request: nothing in them may depend on who reads them."""
    context = site.context(**context)
    return PageContent(
        site=site,
        template="frameworks/role_level.html" if fragment == "role_level" else "frameworks/framework_page.html",
        title=title,
        breadcrumbs_html=str(GovUKBreadcrumbs(items=breadcrumbs, collapseOnMobile=True)) if breadcrumbs else "",
        html=render_to_string(f"frameworks/fragments/{fragment}.html", context),
        sidebar=render_to_string("frameworks/fragments/role_level_ladder.html", context)
        if fragment == "role_level"
        else "",
        role_level=context.get("role_level"),
        skill=context.get("skill") if fragment == "skill" else None,
        banner_html=render_to_string("frameworks/_release_banner.html", context),
        licence_html=render_to_string("frameworks/_licence.html", context),
    )


# Apps above frameworks add their own actions to a role level's page through this Wagtail hook (skills: "set as
# the role level you are working towards"), so this app names none of them. Each hook takes (request, role_level)
# and returns (text, url) or None. They run on every request, never from the cache: they depend on the reader.
ROLE_LEVEL_ACTIONS_HOOK = "frameworks_role_level_actions"


# Apps above frameworks add what they relate to a skill to the skill's page through this Wagtail hook (courses: the
# courses that develop it). Each hook takes (request, skill) and returns HTML or "". They run on every request,
# never from this app's page cache: what they list changes without a framework release. A hook keeps its own cache
# under versions its app replaces (courses.views.skill_courses). The skill's release is loaded.
SKILL_RELATED_HOOK = "frameworks_skill_related"


def render_content(request, content: PageContent) -> TemplateResponse:
    site = content.site
    actions = []
    if content.role_level is not None:
        role_level = content.role_level
        role_level.release = site.release  # the release as loaded now: which is current is the hook's concern
        actions = [action for hook in hooks.get_hooks(ROLE_LEVEL_ACTIONS_HOOK) if (action := hook(request, role_level))]
    related = []
    if content.skill is not None:
        skill = content.skill
        skill.release = site.release
        related = [html for hook in hooks.get_hooks(SKILL_RELATED_HOOK) if (html := hook(request, skill))]
    return TemplateResponse(
        request,
        content.template,
        site.context(content=content, actions=actions, related=related),
    )
