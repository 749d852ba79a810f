"""Server time of the site's own pages (home, sign-in, search) beside the trivial view and the bare Wagtail page, and
of the bare page signed in: what the signed-in frame alone costs (decision 0021)."""

from django.test import Client

from bench.measure import median_ms
from bench.reference import bare_page_url, references_ms
from cms.accounts.models import User
from cms.accounts.services import user_create
from cms.demo.site import demo_pages_load

BENCH_USER = "bench-pages@capability.example"

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
    signed_in = Client()
    user = User.objects.filter(email=BENCH_USER).first() or user_create(
        email=BENCH_USER, first_name="Bench", last_name="Reader", actor=None
    )
    signed_in.force_login(user)
    url = bare_page_url()
    assert signed_in.get(url).status_code == 200
    bench.report(
        "bare Wagtail page signed in median",
        median_ms(lambda: signed_in.get(url)),
        "ms",
        key="bare_page_signed_in_ms",
        reference=("bare page", bare),
    )
