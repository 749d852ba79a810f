"""How many queries each framework page takes (frameworks.views.serve): the same whatever the size of the release,
and a pinned number, cold and from the cache."""

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from frameworks.models import Framework, FrameworkIndexPage, FrameworkPage, FrameworkRelease
from frameworks.services import framework_pages_ensure
from tests.conftest import page_queries
from tests.frameworks.factories import publish_directly, release_with_roles
from tests.frameworks.pages.conftest import BASE

pytestmark = pytest.mark.django_db


SMALL = {"skills": 1, "roles": 1, "levels_per_role": 1, "requirements_per_level": 1}


LARGE = {"skills": 30, "roles": 4, "levels_per_role": 6, "requirements_per_level": 30}


def _published_with_page(size) -> FrameworkRelease:
    release = publish_directly(release_with_roles(**size))
    Framework.objects.filter(pk=release.framework_id).update(slug="ddat")
    framework_pages_ensure()
    return release


def _query_count(client, django_assert_max_num_queries, path) -> int:

    for each in caches.all():  # cold: the page built from the release, not served from the cache
        each.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(page_queries(queries.captured_queries))


@pytest.mark.parametrize("route", ["role_level", "skill", "role", "skills", "framework"])
def test_each_page_takes_the_same_number_of_queries_whatever_the_size_of_the_release(
    client, route, django_assert_max_num_queries
):
    counts = []
    for size in (SMALL, LARGE):
        FrameworkPage.objects.all().delete()
        FrameworkIndexPage.objects.all().delete()
        Framework.objects.filter(slug="ddat").update(slug="ddat-old")
        release = _published_with_page(size)
        role_level = release.role_levels.select_related("role").order_by("pk").first()
        skill = release.skills.order_by("pk").first()
        path = {
            "role_level": f"{BASE}roles/{role_level.role.code}/{role_level.code}/",
            "skill": f"{BASE}skills/{skill.code}/",
            "role": f"{BASE}roles/{role_level.role.code}/",
            "skills": f"{BASE}skills/",
            "framework": BASE,
        }[route]
        counts.append(_query_count(client, django_assert_max_num_queries, path))
    assert counts[0] == counts[1], counts
    assert counts[0] <= 18, counts


@pytest.mark.parametrize(
    ("route", "cold", "warm"),
    # A skill's page cold: one query more for what other apps relate to the skill (the frameworks_skill_related
    # hook: the courses that develop it), which courses then keeps in its own cache (courses.views.skill_courses).
    [("role_level", 18, 0), ("skill", 18, 0), ("role", 17, 0), ("skills", 16, 0), ("framework", 18, 0)],
)
def test_the_framework_pages_take_a_pinned_number_of_queries_cold_and_from_the_cache(
    client, django_assert_num_queries, route, cold, warm
):
    release = _published_with_page(LARGE)
    role_level = release.role_levels.select_related("role").order_by("pk").first()
    skill = release.skills.order_by("pk").first()
    path = {
        "role_level": f"{BASE}roles/{role_level.role.code}/{role_level.code}/",
        "skill": f"{BASE}skills/{skill.code}/",
        "role": f"{BASE}roles/{role_level.role.code}/",
        "skills": f"{BASE}skills/",
        "framework": BASE,
    }[route]

    # Cold: Wagtail finds the site, routes through the home, index and framework pages and checks their view
    # restrictions; the view reads the framework, the release and the selector's queries (the ladder too on a role
    # level's page); the frame reads the breadcrumbs' ancestors, the footer's navigation settings and its pages.
    with django_assert_num_queries(cold):
        assert client.get(path).status_code == 200
    # From the cache: nothing (the routed page is cached with its route since decision 0021), nothing of the release,
    # nothing of the courses a skill's page lists.
    with django_assert_num_queries(warm):
        assert client.get(path).status_code == 200
