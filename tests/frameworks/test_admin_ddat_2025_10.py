"""The framework admin and public pages on the real DDaT 2025-10 release (188 skills, 201 role levels, some
1,800 required skills), not on small factories: each page answers, quickly, in a pinned number of queries.

A page that joins the release's tables together (their rows multiply into billions) would keep a database
busy for minutes; here any one query that runs past QUERY_SECONDS is interrupted, so such a page fails the
test at once instead of hanging it. One import and one draft are shared by the module (conftest.ddat_2025_10).
"""

import time

import pytest
from django.core.cache import caches
from django.db import connection, transaction
from django.urls import reverse

from cms.accounts.enums import Role as AccountRole
from frameworks.models import (
    FrameworkRelease,
    ReleasePublication,
    Requirement,
    Role,
    RoleLevel,
    Skill,
)
from frameworks.services import framework_pages_ensure, framework_release_draft_create_from_current
from tests.cms.factories import UserFactory

pytestmark = pytest.mark.django_db

QUERY_SECONDS = 2


class SlowQuery(Exception):
    pass


@pytest.fixture(autouse=True)
def slow_queries_fail():
    """Interrupt any single query that runs longer than QUERY_SECONDS (PostgreSQL's statement_timeout; on
    SQLite a progress handler that watches the clock of the query under way)."""
    connection.ensure_connection()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SET statement_timeout = '{QUERY_SECONDS}s'")
        yield
        with connection.cursor() as cursor:
            cursor.execute("SET statement_timeout = 0")
        return
    started = []

    def timed(execute, sql, params, many, context):
        started.append(time.monotonic())
        try:
            return execute(sql, params, many, context)
        finally:
            started.pop()

    def past_deadline():
        return 1 if started and time.monotonic() - started[-1] > QUERY_SECONDS else 0

    connection.connection.set_progress_handler(past_deadline, 10_000)
    with connection.execute_wrapper(timed):
        yield
    connection.connection.set_progress_handler(None, 0)


@pytest.fixture(scope="module")
def release(ddat_2025_10, django_db_blocker):
    """The published 2025-10 release, with the framework's public pages."""
    with django_db_blocker.unblock(), transaction.atomic():
        framework_pages_ensure()
        return FrameworkRelease.objects.select_related("framework").get(framework__slug="ddat", label="2025-10")


@pytest.fixture(scope="module")
def draft(release, django_db_blocker):
    """A draft 2026-04 cloned from the real release, as "New draft from the current release" makes it."""
    with django_db_blocker.unblock(), transaction.atomic():
        return framework_release_draft_create_from_current(framework=release.framework, label="2026-04", actor=None)


@pytest.fixture
def editor(client):
    user = UserFactory(roles=[AccountRole.CONTENT_EDITOR])
    client.force_login(user)
    return user


def get_counting_queries(client, django_assert_num_queries, url, queries):
    """GET `url` twice, the second time in exactly `queries` queries (the first warms per-process caches such
    as content types, so that the count does not depend on which test ran before)."""
    client.get(url)
    with django_assert_num_queries(queries):
        response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_the_real_release_page_shows_its_counts(client, editor, release, django_assert_num_queries):
    page = get_counting_queries(
        client, django_assert_num_queries, reverse("frameworks_release:inspect", args=[release.pk]), 16
    )  # 16, and one for the panels other apps add (skills: the carry-forward of levels into the release)

    requirements = Requirement.objects.filter(release=release).count()
    assert requirements > 1_500
    assert "188 skills" in page
    assert "52 roles" in page
    assert "201 role levels" in page
    assert f"{requirements} required skills" in page


def test_a_new_draft_from_the_real_release_lands_on_its_release_page(
    client, editor, release, django_assert_num_queries
):
    response = client.post(reverse("frameworks_release:add"), {"framework": release.framework_id, "label": "2026-05"})

    new_draft = FrameworkRelease.objects.get(framework=release.framework, label="2026-05")
    assert response.status_code == 302
    assert response["Location"] == reverse("frameworks_release:inspect", args=[new_draft.pk])
    page = get_counting_queries(client, django_assert_num_queries, response["Location"], 18)  # with the panels
    assert "188 skills" in page
    assert "Submit for publication" in page


def test_the_submit_for_publication_page_of_a_real_draft_answers_and_submits(
    client, editor, draft, django_assert_num_queries
):
    url = reverse("frameworks_release:request_publication", args=[draft.pk])
    page = get_counting_queries(client, django_assert_num_queries, url, 17)
    assert "188 skills" in page

    response = client.post(url, {"summary": "No changes yet."})

    publication = ReleasePublication.objects.get(release=draft)
    assert response.status_code == 302
    assert publication.current_workflow_state is not None
    client.force_login(UserFactory(roles=[AccountRole.CONTENT_EDITOR, AccountRole.FRAMEWORK_MODERATOR]))
    # The change log with the texts before and after, and the release it publishes, for the moderator (+2).
    get_counting_queries(client, django_assert_num_queries, response["Location"], 64)


# Listings without a release filter show the release being worked on: finding it and checking the filter cost 2.
LISTINGS = [
    ("/admin/frameworks/releases/", 13),
    ("/admin/frameworks/skills/", 17),
    ("/admin/frameworks/skills/?release={draft}", 16),
    ("/admin/frameworks/skills/?in_use=true&q=data", 17),
    ("/admin/frameworks/roles/", 17),
    ("/admin/frameworks/role-levels/", 17),
    ("/admin/frameworks/role-levels/?q=senior", 17),
    ("/admin/frameworks/required-skills/", 16),
    ("/admin/frameworks/required-skills/?skill=data-modelling&release={draft}", 15),
    ("/admin/frameworks/changes/?release={draft}", 14),
    ("/admin/frameworks/publications/", 11),
    ("/admin/frameworks/frameworks/", 13),
]


@pytest.mark.parametrize(("path", "queries"), LISTINGS)
def test_each_admin_listing_answers_on_the_real_release(
    client, editor, draft, django_assert_num_queries, path, queries
):
    get_counting_queries(client, django_assert_num_queries, path.format(draft=draft.pk), queries)


def _first(model, release):
    return model.objects.filter(release=release).order_by("pk").first().pk


DRAFT_PAGES = [
    ("frameworks_skill:inspect", Skill, 16),
    ("frameworks_skill:edit", Skill, 17),
    ("frameworks_skill:delete", Skill, 15),
    ("frameworks_role:inspect", Role, 16),
    ("frameworks_role_level:inspect", RoleLevel, 16),
    ("frameworks_role_level:edit", RoleLevel, 16),
    ("frameworks_requirement:edit", Requirement, 20),
    ("frameworks_requirement:delete", Requirement, 18),
]


@pytest.mark.parametrize(("url_name", "model", "queries"), DRAFT_PAGES)
def test_each_admin_page_of_a_real_draft_answers(
    client, editor, draft, django_assert_num_queries, url_name, model, queries
):
    url = reverse(url_name, args=[_first(model, draft)])

    get_counting_queries(client, django_assert_num_queries, url, queries)


@pytest.mark.parametrize(
    ("url", "queries"),
    [
        ("frameworks_requirement:add", 13),
        ("frameworks_skill:add", 11),
        ("frameworks_release:add", 13),
        ("frameworks_import:add", 10),
    ],
)
def test_each_admin_form_for_new_content_answers_beside_a_real_draft(
    client, editor, draft, django_assert_num_queries, url, queries
):
    get_counting_queries(client, django_assert_num_queries, reverse(url), queries)


def test_the_preview_of_a_real_draft_answers(client, editor, draft, django_assert_num_queries):
    get_counting_queries(
        client, django_assert_num_queries, reverse("frameworks_release:preview_home", args=[draft.pk]), 16
    )
    get_counting_queries(
        client,
        django_assert_num_queries,
        reverse("frameworks_release:preview", args=[draft.pk, "skills/"]),
        14,
    )


# (path, queries cold: every cache empty, as for the first visitor after a publication; queries from the caches:
# what a page reads that is not cached — a search, the release list, downloads; the page the frame routes to is
# cached with its route since decision 0021).
PUBLIC_PAGES = [
    ("/frameworks/ddat/", 18, 0),
    ("/frameworks/ddat/skills/", 16, 0),
    ("/frameworks/ddat/skills/?q=data&role_family=data", 16, 5),
    ("/frameworks/ddat/skills/data-modelling/", 18, 0),  # the courses that develop it: from courses' own cache
    ("/frameworks/ddat/roles/data-engineer/", 17, 0),
    ("/frameworks/ddat/roles/data-engineer/senior-data-engineer/", 18, 0),
    ("/frameworks/ddat/releases/", 15, 4),
    ("/frameworks/ddat/releases/2025-10/changes/", 15, 4),
    ("/frameworks/ddat/download/", 14, 3),
    ("/frameworks/ddat/download/json/", 24, 2),
    ("/api/frameworks/ddat/skills/", 4, 4),
    ("/api/frameworks/ddat/roles/", 6, 6),
]


@pytest.mark.parametrize(("path", "cold", "warm"), PUBLIC_PAGES)
def test_each_public_page_answers_on_the_real_release(
    client, release, draft, django_assert_num_queries, path, cold, warm
):
    client.get(path)  # per-process state that is not a cache of the site's (content types, templates)
    for each in caches.all():
        each.clear()
    with django_assert_num_queries(cold):
        assert client.get(path).status_code == 200
    with django_assert_num_queries(warm):
        assert client.get(path).status_code == 200
