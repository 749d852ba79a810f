"""The references every benchmark prints its figures beside, measured in the same run: a trivial Django view (the
floor: the middleware stack and nothing else) and a bare Wagtail page (the site's frame around an empty body)."""

from wagtail.models import Page

from bench.measure import median_ms
from bench.urls import TRIVIAL_URL
from cms.demo.site import demo_pages_load
from cms.home.models import HomePage
from cms.standard_pages.models import StandardPage

BARE_PAGE_SLUG = "bench-bare-page"


def bare_page_url() -> str:
    """A published standard page with an empty body under the home page, inside the full frame (header,
    navigation, footer with the demo pages' links, breadcrumbs); created if missing."""
    demo_pages_load()
    home = HomePage.objects.first()
    page = Page.objects.child_of(home).filter(slug=BARE_PAGE_SLUG).first()
    if page is None:
        page = StandardPage(title="Bare page", slug=BARE_PAGE_SLUG, body=[])
        home.add_child(instance=page)
        page.save_revision().publish()
    return page.url


def references_ms(client, repeat: int = 50) -> dict[str, float]:
    """Median server time (ms, in process through the full middleware stack) of the trivial view and the bare
    page, for `client` (anonymous or signed in)."""
    bare = bare_page_url()
    for url in (TRIVIAL_URL, bare):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    return {
        "trivial view": median_ms(lambda: client.get(TRIVIAL_URL), repeat=repeat),
        "bare Wagtail page": median_ms(lambda: client.get(bare), repeat=repeat),
    }
