"""The site's frame served from the cache (cms.navigation.frame, decision 0015): the site, the route, the footer and
the breadcrumbs are read once per publication, never show what an editor has since changed, and carry nothing of one
visitor to another."""

import pytest
from django.core.cache import cache
from django.test import Client
from wagtail.models import Page, PageViewRestriction, Site

from cms.demo.site import demo_pages_load
from cms.home.models import HomePage
from cms.navigation.frame import frame_version
from cms.navigation.models import NavigationSettings
from cms.standard_pages.models import StandardPage
from frameworks import page_cache
from tests.cms.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages():
    """The demo's standard pages and footer links, and a bare page under the home page with one below it."""
    demo_pages_load()
    home = HomePage.objects.get()
    bare = home.add_child(instance=StandardPage(title="Bare page", slug="bare", body=[]))
    bare.save_revision().publish()
    child = bare.add_child(instance=StandardPage(title="Child page", slug="child", body=[]))
    child.save_revision().publish()
    return bare, child


def html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_a_bare_page_takes_a_pinned_number_of_queries_cold_and_from_the_cache(client, pages, django_assert_num_queries):
    # Cold: the site, routing through the home and bare pages (3), their view restrictions (2), the breadcrumbs'
    # ancestors, Wagtail's site root paths for their links, the footer's navigation settings and the pages it links
    # to.
    with django_assert_num_queries(10):
        html(client.get("/bare/"))
    # From the cache: none (the routed page is kept with its route since decision 0021; each request copies it).
    with django_assert_num_queries(0):
        html(client.get("/bare/"))


def test_a_renamed_page_shows_at_once_in_the_breadcrumbs_below_it(client, pages):
    bare, _child = pages
    assert ">Bare page<" in html(client.get("/bare/child/"))

    bare.title = "Renamed page"
    bare.save_revision().publish()

    page = html(client.get("/bare/child/"))
    assert ">Renamed page<" in page
    assert ">Bare page<" not in page


def test_changed_footer_links_show_at_once(client, pages):
    assert "Accessibility" in html(client.get("/bare/"))
    settings = NavigationSettings.for_site(Site.objects.get(is_default_site=True))
    settings.footer_links = [("link", {"text": "Contact the team", "page": None, "url": "/contact/"})]
    settings.save()

    page = html(client.get("/bare/"))
    assert 'href="/contact/"' in page
    assert "Accessibility" not in page


def test_an_unpublished_moved_or_deleted_page_is_not_served_from_the_cache(client, pages):
    bare, child = pages
    html(client.get("/bare/child/"))
    html(client.get("/bare/"))

    child.move(HomePage.objects.get(), pos="last-child")
    moved = client.get("/bare/child/")
    assert (moved.status_code, moved["Location"]) == (301, "/child/")  # Wagtail's redirect, not the cached page
    assert ">Child page<" in html(client.get("/child/"))

    Page.objects.get(pk=child.pk).specific.unpublish()
    assert client.get("/child/").status_code == 404

    bare.delete()
    assert client.get("/bare/").status_code == 404


def test_a_view_restriction_added_after_a_page_was_cached_is_enforced(client, pages):
    bare, _child = pages
    html(client.get("/bare/child/"))

    PageViewRestriction.objects.create(page=bare, restriction_type=PageViewRestriction.LOGIN)

    response = client.get("/bare/child/")
    assert response.status_code == 302
    assert "next=/bare/child/" in response["Location"]


def test_a_signed_in_header_is_never_shown_to_another_person_or_a_visitor(pages):
    ada = UserFactory(first_name="Ada", last_name="Lovelace")
    alan = UserFactory(first_name="Alan", last_name="Turing")
    as_ada, as_alan, visitor = Client(), Client(), Client()
    as_ada.force_login(ada)
    as_alan.force_login(alan)

    for path in ("/bare/", "/bare/child/", "/"):
        first, second, anonymous = html(as_ada.get(path)), html(as_alan.get(path)), html(visitor.get(path))
        assert "Ada Lovelace" in first
        assert "Alan Turing" not in first
        assert "Alan Turing" in second
        assert "Ada Lovelace" not in second
        assert "Sign out" not in anonymous
        assert "Lovelace" not in anonymous
        assert "Turing" not in anonymous


def test_a_view_that_reads_a_page_version_first_leaves_the_frame_nothing_to_read(rf, monkeypatch):
    # The first read of a request takes every version the frame needs with it (frameworks.page_cache,
    # `versions_read_together`): a view that reads the framework pages' version before its template renders the
    # footer makes one round trip to the shared cache, not two.
    calls = []
    get_many = cache.get_many
    monkeypatch.setattr(cache, "get_many", lambda keys, *args, **kwargs: calls.append(keys) or get_many(keys))
    request = rf.get("/skills/team/")

    framework_version = page_cache.cache_versions(request, page_cache.VERSION_KEY)[page_cache.VERSION_KEY]
    version = frame_version(request)

    assert len(calls) == 1
    assert framework_version == page_cache.cache_versions(request, page_cache.VERSION_KEY)[page_cache.VERSION_KEY]
    assert version == frame_version(request)
    assert len(calls) == 1
