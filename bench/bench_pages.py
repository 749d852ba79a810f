"""Server time of the site's own pages (home, sign-in, search) beside the trivial view and the bare Wagtail page."""

from django.test import Client

from bench.measure import median_ms
from bench.reference import references_ms
from cms.demo.site import demo_pages_load

TARGET = "the bare Wagtail page within 5× the trivial view; home and sign-in within 2× the bare page"


def run(bench):
    demo_pages_load()
    client = Client()
    refs = references_ms(client)
    trivial, bare = refs["trivial view"], refs["bare Wagtail page"]
    bench.report("trivial Django view median", trivial, "ms", key="trivial_view_ms")
    bench.report("bare Wagtail page median", bare, "ms", key="bare_page_ms", reference=("trivial view", trivial))
    for label, key, url in [
        ("home page", "home_ms", "/"),
        ("sign-in page", "sign_in_ms", "/accounts/sign-in/"),
        ("search results", "search_ms", "/search/?q=skills"),
    ]:
        assert client.get(url).status_code == 200, url
        bench.report(
            f"{label} median",
            median_ms(lambda url=url: client.get(url)),
            "ms",
            key=key,
            reference=("bare page", bare),
        )
