"""The site's frame — which Wagtail site a request is for, which page a path routes to, the footer's links and each
page's breadcrumbs — kept in the cache, because every page needs it and it changes only when an editor publishes
(decision 0017).

All of it is keyed by one frame version, a token in the cache that `frame_invalidate` replaces whenever what the
frame shows may have changed: a page published, unpublished, moved or deleted, a site saved or deleted, the
navigation settings or a page's view restrictions saved (`cms.navigation.signals`). It is replaced at once and
again when the transaction commits, so that a request that read the old rows while the transaction was open
cannot leave them cached under the current version. Old entries are never read again and expire.

The version is read from the shared cache once per request; the parts keyed by it are read from this process's own
entries first (the objects themselves, not pickled: decision 0021, as the framework pages' are since 0120), then from
the shared one, then built from the database. A routed page is kept with its route and each request gets its own
copy of it, so a page from the cache costs no query. Nothing per request or per user is cached here: the service
navigation (the section marked, the account bar, the CSRF token) is rendered for each request.
"""

import copy
import uuid
from functools import partial

from django.core.cache import cache
from django.db import transaction
from django.http import Http404
from django.http.request import split_domain_port
from django.template.loader import render_to_string
from govuk_frontend_django.components.breadcrumbs import BreadcrumbsItems, GovUKBreadcrumbs
from wagtail.models import Page, PageViewRestriction, Site

from cms.navigation.models import NavigationSettings
from courses import catalogue_cache
from frameworks import page_cache as framework_pages
from frameworks.process_cache import LayeredCache

VERSION_KEY = "navigation:frame-version"
# Long enough that a busy site reads each entry from the cache almost always; short enough that an entry whose
# version was replaced leaves the cache soon (a publication replaces the version, it deletes nothing).
TIMEOUT = 60 * 60 * 24


# This process's own entries, in front of the shared cache: the values as built (sites, routes with their pages,
# HTML), never changed once stored, and never unpickled (frameworks.process_cache).
_entries = LayeredCache(entries=500, timeout=TIMEOUT)
_get, _set = _entries.get, _entries.set


def frame_invalidate() -> None:
    """Make every cached part of the frame stale, on every worker, from the next request on."""
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)
    transaction.on_commit(lambda: cache.set(VERSION_KEY, uuid.uuid4().hex, None))


# What the pages in the frame key their own cached parts by, read in the frame's round trip so that a page from the
# cache makes no second one: the framework pages' version, and the catalogue's two (the catalogue and course pages,
# the gap page's recommendations, the courses listed on a framework skill's page: courses.catalogue_cache).
PAGE_VERSION_KEYS = (framework_pages.VERSION_KEY, catalogue_cache.VERSION_KEY, catalogue_cache.STRUCTURE_KEY)
# Read together whichever is asked for first: a view that reads a page version before its template renders the
# frame makes no second round trip for the frame's.
framework_pages.versions_read_together(VERSION_KEY, *PAGE_VERSION_KEYS)


def frame_version(request) -> str:
    """The current frame version, read from the shared cache once per request, in the same round trip as the
    versions the pages read (`PAGE_VERSION_KEYS`, which those pages then read from the request)."""
    return framework_pages.cache_versions(request, VERSION_KEY, *PAGE_VERSION_KEYS)[VERSION_KEY]


def site_for_request(request) -> Site | None:
    """Wagtail's site for the request (`Site.find_for_request`), looked up in the database once per host and port
    and frame version rather than on every request; stored where Wagtail looks first (`request._wagtail_site`)."""
    if not hasattr(request, "_wagtail_site"):
        hostname = split_domain_port(request._get_raw_host())[0]
        key = f"navigation:site:{frame_version(request)}:{hostname}:{request.get_port()}"
        site = _get(key)
        if site is None:
            site = Site.find_for_request(request)
            if site is not None:
                _set(key, site)
        request._wagtail_site = site
    return request._wagtail_site


def route_for_request(request, path: str):
    """Wagtail's route for the request (`Page.route_for_request`: the page, and a routable page's view), with the
    walk down the page tree (a query or two per level) replaced by the cache, once the path has been routed for
    this site and frame version. Stored where Wagtail looks first (`request._wagtail_route_for_request`).

    What is cached is the page the path reaches (as it was when routed: any change to a page replaces the frame
    version), how many of its components the tree consumed and which view restrictions apply to it (its own and
    its ancestors'). Each request gets its own copy of the page, which is asked to route the rest (a routable
    page's own views) and to say whether it is live. Wagtail's own check of the view restrictions then runs as
    always, on the restrictions named here instead of two queries for them.
    """
    if hasattr(request, "_wagtail_route_for_request"):
        return request._wagtail_route_for_request
    site = site_for_request(request)
    if site is None:
        return Page.route_for_request(request, path)
    components = [component for component in path.split("/") if component]
    key = f"navigation:route:{frame_version(request)}:{site.pk}:{'/'.join(components)}"
    cached = _get(key)
    if cached is None:
        result = Page.route_for_request(request, path)
        if result is None:
            return None
        page = result[0]
        restrictions = list(page.get_view_restrictions().values_list("pk", flat=True))
        _set(key, (copy.copy(page), page.depth - site.root_page.depth, restrictions))
    else:
        cached_page, consumed, restrictions = cached
        try:
            result = copy.copy(cached_page).route(request, components[consumed:])
        except Http404:
            result = None
    if result is not None and type(result[0]).get_view_restrictions is Page.get_view_restrictions:
        result[0].get_view_restrictions = partial(_view_restrictions, restrictions)
    request._wagtail_route_for_request = result
    return result


def _view_restrictions(restriction_ids: list[int]):
    if not restriction_ids:
        return PageViewRestriction.objects.none()
    return PageViewRestriction.objects.filter(pk__in=restriction_ids)


def footer_html(request) -> str:
    """The footer with the site's support links (NavigationSettings), rendered once per site and frame version."""
    site = site_for_request(request)
    key = f"navigation:footer:{frame_version(request)}:{site.pk if site else 0}"
    html = _get(key)
    if html is None:
        links = []
        if site is not None:
            for block in NavigationSettings.for_site(site).footer_links:
                link = block.value
                href = link["page"].get_url(request) if link.get("page") else link.get("url")
                if href:
                    links.append({"text": link["text"], "href": href})
        html = render_to_string("navigation/footer.html", {"links": links})
        _set(key, html)
    return html


def breadcrumbs_html(request, page) -> str:
    """The GOV.UK breadcrumbs for a Wagtail page: its ancestors, with the site's home page called "Home". Rendered
    once per page, site and frame version."""
    site = site_for_request(request)
    key = f"navigation:breadcrumbs:{frame_version(request)}:{site.pk if site else 0}:{page.pk}"
    html = _get(key)
    if html is None:
        home_id = site.root_page_id if site else None
        items = [
            BreadcrumbsItems(
                text="Home" if ancestor.pk == home_id else ancestor.title, href=ancestor.get_url(request)
            ).__dict__
            for ancestor in page.get_ancestors().filter(depth__gt=1)
        ]
        html = str(GovUKBreadcrumbs(items=items, collapseOnMobile=True)) if items else ""
        _set(key, html)
    return html
