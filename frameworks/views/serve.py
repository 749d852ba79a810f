"""Serving a framework page’s route: which release, which view, and the cache in between (decision 0119)."""

from django.http import Http404
from django.urls import reverse

from frameworks import page_cache, selectors
from frameworks.models import FrameworkPage, FrameworkRelease
from frameworks.views.content import render_content
from frameworks.views.downloads import download, downloads
from frameworks.views.pages import CONTENT_VIEWS
from frameworks.views.releases import release_changes, releases
from frameworks.views.site import FrameworkLinks, FrameworkSite


def serve_framework_view(request, *, page: FrameworkPage, view_name: str, label: str | None = None, **kwargs):
    """Serve the public view `view_name` of `page` for the current release, or for the published or superseded
    release `label`. 404 for a draft or unknown label. The pages built as a PageContent come from the cache when
    it has them (the skills A to Z page only unfiltered: a search is not worth keeping)."""
    build = CONTENT_VIEWS.get(view_name)
    if build is None:
        return VIEWS[view_name](request, _framework_site(request, page, label), **kwargs)
    if view_name == "skills" and request.GET:
        return render_content(request, build(request, _framework_site(request, page, label), query=request.GET))
    key = page_cache.page_key(request, page_id=page.pk, label=label, view_name=view_name, arguments=kwargs)
    content = page_cache.page_get(key)
    if content is None:
        content = build(request, _framework_site(request, page, label), **kwargs)
        page_cache.page_set(key, content.for_page(None))
    return render_content(request, content.for_page(page))


def _framework_site(request, page: FrameworkPage, label: str | None) -> "FrameworkSite":
    framework = page.framework
    try:
        release = selectors.release_get(framework_slug=framework.slug, label=label)
    except FrameworkRelease.DoesNotExist:
        raise Http404("No such published release of this framework.")
    release.framework = framework
    home = page.get_url(request) or "/"
    return FrameworkSite(
        page=page,
        framework=framework,
        release=release,
        links=FrameworkLinks.for_release(home=home, label=label),
        label=label,
    )


# Which view a preview path shows (the release list and earlier releases are not part of a draft's preview).
PREVIEW_ROUTES = {
    "framework": "framework",
    "role": "role",
    "role-level": "role_level",
    "skills": "skills",
    "skill": "skill",
    "downloads": "downloads",
    "download": "download",
}


def serve_release_preview(request, *, release: FrameworkRelease, subpath: str):
    """Serve the public page at `subpath` (e.g. "roles/data-analyst/") for the draft `release`, with links that
    stay in the preview. The caller checks that the user may see drafts."""
    framework = release.framework
    page = FrameworkPage.objects.filter(framework=framework).first() or FrameworkPage(
        title=framework.name, slug=framework.slug, framework=framework
    )
    try:
        match = FrameworkPage.get_resolver().resolve("/" + subpath.lstrip("/"))
    except Exception as exc:  # Resolver404 and friends
        raise Http404("No such page in the preview.") from exc
    view_name = PREVIEW_ROUTES.get(match.url_name)
    if view_name is None:
        raise Http404("Earlier releases are not part of a draft's preview.")
    base = reverse("frameworks_release:preview_home", args=[release.pk])
    site = FrameworkSite(
        page=page,
        framework=framework,
        release=release,
        links=FrameworkLinks(home=page.url or base, base=base),
        is_preview=True,
    )
    if view_name in CONTENT_VIEWS:
        build = CONTENT_VIEWS[view_name]
        extra = {"query": request.GET} if view_name == "skills" else {}
        return render_content(request, build(request, site, **extra, **match.kwargs))
    return VIEWS[view_name](request, site, **match.kwargs)


VIEWS = {
    "downloads": downloads,
    "download": download,
    "releases": releases,
    "release_changes": release_changes,
}
