"""Server time of the site's own pages (home, sign-in, search), rendered through the full middleware stack."""

from django.test import Client

from bench.measure import median_ms

TARGET = "home and sign-in: median under 30 ms on SQLite; search is reported (it renders every match on the page)"


def run(report):
    from cms.core.demo import demo_pages_load

    demo_pages_load()
    client = Client()
    for label, url in [
        ("home page", "/"),
        ("sign-in page", "/accounts/sign-in/"),
        ("search results", "/search/?q=skills"),
    ]:
        assert client.get(url).status_code == 200, url
        report(f"{label} median", median_ms(lambda url=url: client.get(url)), "ms")
