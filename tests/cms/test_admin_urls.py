"""Finding 14 of issue 7: 24 admin URLs answered 500 to a GET.

The walk requests every URL pattern under /admin/ as a superuser, with ids that do not exist, ids that
are not ids, and the root page's id, and allows no 5xx.
"""

import re

import pytest
from django.urls import URLResolver, get_resolver
from wagtail.models import Page

from tests.cms.factories import SuperuserFactory

pytestmark = pytest.mark.django_db

SAMPLES = [(999999, "no-such-thing"), (1, "1"), (999999, "999999")]


def _admin_routes(patterns=None, prefix=""):
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        route = prefix + str(pattern.pattern).lstrip("^").rstrip("$")
        if isinstance(pattern, URLResolver):
            yield from _admin_routes(pattern.url_patterns, route)
        elif route.startswith("admin/"):
            yield route


def _regex_groups_filled(route: str, value: str) -> str:
    """Replace each parenthesised group of a regular-expression route with a sample value."""
    out, depth, group = [], 0, []
    for char in route:
        if char == "(":
            depth += 1
            if depth == 1:
                group = []
                continue
        elif char == ")":
            depth -= 1
            if depth == 0:
                body = "".join(group)
                out.append("live" if "live" in body else value)
                continue
        if depth:
            group.append(char)
        else:
            out.append(char)
    return "".join(out).replace("\\.", ".")


def _urls():
    urls = set()
    for route in _admin_routes():
        for number, text in SAMPLES:
            url = re.sub(r"<int:[^>]+>", str(number), route)
            url = re.sub(r"<uuid:[^>]+>", "00000000-0000-0000-0000-000000000000", url)
            url = re.sub(r"<[^>]+>", text, url)
            url = _regex_groups_filled(url, str(number))
            urls.add("/" + url)
            if url.endswith("chosen-multiple/"):
                urls.add(f"/{url}?id={text}")
                urls.add(f"/{url}?id=1&id={number}")
    return sorted(urls)


def test_no_admin_url_answers_a_get_from_a_superuser_with_a_server_error(client):
    client.force_login(SuperuserFactory())
    client.raise_request_exception = False
    urls = _urls()

    errors = [(url, status) for url in urls if (status := client.get(url).status_code) >= 500]

    assert len(urls) > 400
    assert errors == []


@pytest.mark.parametrize(
    "url",
    [
        "/admin/documents/chooser/chosen/no-such-thing/",
        "/admin/images/chooser/chosen/no-such-thing/",
        "/admin/skills/choose-person/chosen/no-such-thing/",
        "/admin/skills/choose-organisation-unit/chosen/no-such-thing/",
        "/admin/snippets/choose/frameworks/releasepublication/chosen/no-such-thing/",
        "/admin/skills/choose-person/chosen-multiple/?id=no-such-thing",
        "/admin/choose-page/chosen-multiple/?id=no-such-thing",
        "/admin/choose-page/chosen-multiple/?id=1",
        "/admin/failwhale/",
    ],
)
def test_a_chooser_given_something_that_is_not_an_id_answers_not_found(client, url):
    client.force_login(SuperuserFactory())

    response = client.get(url)

    assert response.status_code == 404


def test_setting_a_page_position_by_get_is_not_allowed_and_the_root_page_has_none(client):
    client.force_login(SuperuserFactory())
    root = Page.get_first_root_node()

    assert client.get(f"/admin/pages/{root.pk}/set_position/").status_code == 405
    assert client.post(f"/admin/pages/{root.pk}/set_position/?position=0").status_code == 404


def test_setting_a_page_position_by_post_still_moves_the_page(client):
    client.force_login(SuperuserFactory())
    home = Page.objects.get(depth=2)
    first = home.add_child(instance=Page(title="First", slug="first"))
    second = home.add_child(instance=Page(title="Second", slug="second"))

    response = client.post(f"/admin/pages/{second.pk}/set_position/?position=0")

    assert response.status_code == 200
    children = list(home.get_children().values_list("pk", flat=True))
    assert children[0] == second.pk  # the home page's other children (accessibility, cookies) come after
    assert children.index(first.pk) > children.index(second.pk)


def test_the_guards_keep_the_admin_sign_in_redirect_for_visitors(client):
    assert client.get("/admin/pages/1/set_position/").status_code == 302
    assert client.get("/admin/skills/choose-person/chosen/no-such-thing/").status_code == 302
