"""What every public framework view is given: the page, the framework, the release shown and its links; the
breadcrumbs and the plain render shared by the views."""

from dataclasses import dataclass

from django.template.response import TemplateResponse

from frameworks.models import Framework, FrameworkPage, FrameworkRelease
from frameworks.models.pages import subpage_path

# FrameworkLinks' names → the framework page's route names (frameworks.models.pages): the first for the pages of
# the release shown (under `base`), the second for the release list and comparison (under `home`).
RELEASE_ROUTES = {
    "framework": "framework",
    "role": "role",
    "role_level": "role-level",
    "skills": "skills",
    "skill": "skill",
    "downloads": "downloads",
    "download": "download",
}
HOME_ROUTES = {"releases": "releases", "release": "release-framework", "release_changes": "release-changes"}


@dataclass(frozen=True)
class FrameworkLinks:
    """URLs of one framework's pages for the release being shown, from the framework page's own routes.

    `base` is where the release's pages live: the framework page for the current release,
    `<page>/releases/<label>/` for one named in the URL, an admin URL for a draft's preview. `home` is the
    framework page itself (the release list and comparison live there).
    """

    home: str
    base: str

    def url(self, name: str, *args: str) -> str:
        if name in RELEASE_ROUTES:
            return self.base + subpage_path(RELEASE_ROUTES[name], *args)
        if name in HOME_ROUTES:
            return self.home + subpage_path(HOME_ROUTES[name], *args)
        raise ValueError(f"No framework page called {name!r}")

    @classmethod
    def for_release(cls, *, home: str, label: str | None) -> "FrameworkLinks":
        """The links of the current release (no `label`) or of the earlier release `label`."""
        return cls(home=home, base=home + subpage_path(HOME_ROUTES["release"], label) if label else home)


@dataclass(frozen=True)
class FrameworkSite:
    """What every framework view needs: the page, the framework, the release shown, and its links. (No page only in
    a PageContent kept in the cache: the page routed to is put back before it is served.)"""

    page: FrameworkPage | None
    framework: Framework
    release: FrameworkRelease
    links: FrameworkLinks
    label: str | None = None  # the release label in the URL, None on the current release's own URLs
    is_preview: bool = False

    @property
    def is_current(self) -> bool:
        return self.framework.current_release_id == self.release.pk

    def context(self, **extra) -> dict:
        return {
            "page": self.page,
            "self": self.page,
            "framework": self.framework,
            "release": self.release,
            "links": self.links,
            "framework_site": self,
            **extra,
        }


def page_breadcrumbs(request, site: FrameworkSite, *trail: tuple[str, str], with_release: bool = True) -> list[dict]:
    """Home › Frameworks › <framework> [› <release>] › trail…, the last item (the page itself) left out."""
    items = [{"text": "Home", "href": "/"}]
    if site.page.pk:
        items = [
            {"text": "Home" if ancestor.depth == 2 else ancestor.title, "href": ancestor.get_url(request)}
            for ancestor in site.page.get_ancestors().filter(depth__gt=1)
        ]
    items.append({"text": site.framework.name, "href": site.links.home if not site.is_preview else site.links.base})
    if site.label and with_release:
        items.append({"text": f"Release {site.release.label}", "href": site.links.base})
    items += [{"text": text, "href": href} for text, href in trail]
    return items


def render_page(request, site: FrameworkSite, template: str, *, status: int = 200, **context) -> TemplateResponse:
    return TemplateResponse(request, f"frameworks/{template}", site.context(**context), status=status)


# --- the pages built as content (cached for a published release) ----------------------------------------------
# Each takes the request only to resolve page URLs, and returns a PageContent or raises Http404.
