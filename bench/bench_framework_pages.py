"""Server time of the public framework pages on the real DDaT 2025-10 release, through the full middleware stack.

Imports and publishes the official files (frameworks/data/ddat/2025-10, or CAPABILITY_DDAT_DATA,
or the copy in frameworks/data/ddat/2025-10), creates the framework pages, and times the heaviest example of
each page: the role with the longest ladder, the role level and the skill with the most requirements. Each page is
timed from the cache (as visitors get it between publications; decision 0119) and cold (every cache emptied before
each request, as the first visitor after a publication gets it), beside the bare Wagtail page of the same run.
"""

from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bench.ddat import BASE, ddat_release_ensure, heaviest_public_pages
from bench.measure import median_ms
from bench.reference import references_ms
from frameworks.services import framework_pages_ensure

TARGET = (
    "from the cache, every page at least as fast as the bare Wagtail page (ratio ≤ 1); cold, the role-level and "
    "skill pages under 30 ms on SQLite; the same number of queries for any page"
)


def run(bench):
    release = ddat_release_ensure()
    framework_pages_ensure()
    pages = [(page.label, page.key, page.path) for page in heaviest_public_pages(release)]
    base = BASE
    filtered = f"{base}skills/?role_family=data&q=data"
    client = Client()
    bare = references_ms(client)["bare Wagtail page"]
    bench.report("bare Wagtail page median", bare, "ms", key="bare_page_ms")

    def cold(url):
        for each in caches.all():
            each.clear()
        client.get(url)

    for label, key, url in pages:
        assert client.get(url).status_code == 200, url
        counts = {}
        for state in ("cached", "cold"):
            if state == "cold":
                for each in caches.all():
                    each.clear()
            with CaptureQueriesContext(connection) as queries:
                client.get(url)
            counts[state] = len(queries)  # read now: each request empties the connection's query log
        bench.report(
            f"{label}, from the cache ({counts['cached']} queries)",
            median_ms(lambda url=url: client.get(url)),
            "ms",
            key=f"{key}_ms",
            reference=("bare page", bare),
        )
        bench.report(
            f"{label}, cold ({counts['cold']} queries)",
            median_ms(lambda url=url: cold(url), repeat=15, warmup=2),
            "ms",
            key=f"{key}_cold_ms",
            reference=("bare page", bare),
        )
    # A search is never cached: its figure is the view's own work on every request (the frame from the cache).
    assert client.get(filtered).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        client.get(filtered)
    bench.report(
        f"skills A to Z, filtered and searched ({len(queries)} queries)",
        median_ms(lambda: client.get(filtered)),
        "ms",
        key="skills_filtered_ms",
        reference=("bare page", bare),
    )
