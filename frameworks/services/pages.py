"""The Wagtail pages that publish frameworks: `/frameworks/` and one routable page per framework."""

import logging

from django.db import transaction
from wagtail.models import Page, Site

from frameworks.models import Framework, FrameworkIndexPage, FrameworkPage

logger = logging.getLogger(__name__)

INDEX_SLUG = "frameworks"
INDEX_TITLE = "Frameworks"
INDEX_INTRODUCTION = (
    "The skills frameworks that Capability publishes: their roles, the levels of each role and the skills "
    "each level needs."
)


@transaction.atomic
def framework_pages_ensure(*, parent: Page | None = None) -> list[Page]:
    """Create and publish the framework index page (`/frameworks/`, under `parent`) and a framework page for
    every framework that has a published release, where they are missing. Idempotent; returns the pages it
    created (none the second time).

    `parent` defaults to the default site's root page, the home page. Pages that exist are left as editors
    made them, even unpublished. Logs a warning and creates nothing when there is no site, or when the
    `frameworks` slug under `parent` is taken by another kind of page.
    """
    created: list[Page] = []
    index_page = _index_page_ensure(parent, created)
    if index_page is None:
        return created
    existing = set(FrameworkPage.objects.values_list("framework_id", flat=True))
    for framework in Framework.objects.filter(current_release__isnull=False).exclude(pk__in=existing):
        page = _framework_page_create(index_page, framework)
        if page is not None:
            created.append(page)
    return created


@transaction.atomic
def framework_page_ensure(*, framework: Framework) -> FrameworkPage | None:
    """The framework's page, created and published (with the index page if need be) when missing. Called when
    a release is published. Returns None (with a warning logged) when the page cannot be created."""
    page = FrameworkPage.objects.filter(framework=framework).first()
    if page is not None:
        return page
    index_page = _index_page_ensure(None, [])
    return _framework_page_create(index_page, framework) if index_page is not None else None


def _index_page_ensure(parent: Page | None, created: list[Page]) -> FrameworkIndexPage | None:
    index_page = FrameworkIndexPage.objects.first()
    if index_page is not None:
        return index_page
    if parent is None:
        site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
        if site is None:
            logger.warning("No default site: the framework pages were not created.")
            return None
        parent = site.root_page
    parent = parent.specific
    if not FrameworkIndexPage.can_create_at(parent):
        logger.warning("A framework index page cannot be created under %r.", parent)
        return None
    if parent.get_children().filter(slug=INDEX_SLUG).exists():
        logger.warning("The slug %r under %r is taken: the framework pages were not created.", INDEX_SLUG, parent)
        return None
    index_page = FrameworkIndexPage(
        title=INDEX_TITLE, slug=INDEX_SLUG, introduction=INDEX_INTRODUCTION, show_in_menus=True
    )
    parent.add_child(instance=index_page)
    index_page.save_revision().publish()
    created.append(index_page)
    return index_page


def _framework_page_create(index_page: FrameworkIndexPage, framework: Framework) -> FrameworkPage | None:
    if index_page.get_children().filter(slug=framework.slug).exists():
        logger.warning("The slug %r under /frameworks/ is taken: no page for %s.", framework.slug, framework)
        return None
    page = FrameworkPage(title=framework.name, slug=framework.slug, framework=framework)
    index_page.add_child(instance=page)
    page.save_revision().publish()
    return page
