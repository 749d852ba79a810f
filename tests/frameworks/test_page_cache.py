"""The public framework pages served from the cache (frameworks.page_cache, decision 0119): what a visitor reads is
never older than the last publication, and nothing one person sees is shown to another."""

import pytest
from django.core.cache import cache
from django.test import Client

from frameworks import page_cache
from frameworks.models import FrameworkRelease, RoleLevel
from frameworks.page_cache import release_pages_invalidate
from frameworks.process_cache import LayeredCache
from frameworks.services import (
    framework_import_ddat,
    framework_pages_ensure,
    framework_release_draft_create_from_current,
    framework_release_publish,
    framework_update,
    skill_create,
    skill_update,
)
from tests.cms.factories import UserFactory
from tests.frameworks.conftest import small_ddat_files
from tests.skills.factories import PersonFactory

pytestmark = pytest.mark.django_db

BASE = "/frameworks/ddat/"
SKILL = f"{BASE}skills/checking-work/"
ROLE_LEVEL = f"{BASE}roles/checker/senior-checker/"
TARGET_LINK = "Set as the role level you are working towards"


@pytest.fixture
def published():
    assert framework_import_ddat(**small_ddat_files(), release_label="2025-10", publish=True, actor=None).ok
    framework_pages_ensure()
    return FrameworkRelease.objects.get(label="2025-10")


def html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_a_new_release_shows_on_every_cached_page_as_soon_as_it_is_published(client, published):
    pages = [BASE, f"{BASE}skills/", SKILL, f"{BASE}roles/checker/", ROLE_LEVEL]
    for page in pages:
        html(client.get(page))  # cached now
    draft = framework_release_draft_create_from_current(framework=published.framework, label="2026-04", actor=None)
    skill_update(
        skill=draft.skills.get(code="checking-work"),
        name="Checking work",
        description="Renewed text.",
        guidance="",
        actor=None,
    )
    skill_create(release=draft, name="Drafting secrets", description="Published at last.", actor=None)
    assert "Renewed text." not in html(client.get(SKILL))  # a draft changes nothing

    framework_release_publish(release=draft, actor=None)

    assert "Renewed text." in html(client.get(SKILL))
    assert "Drafting secrets" in html(client.get(f"{BASE}skills/"))
    assert "2026-04 (current)" in html(client.get(BASE))
    for page in pages[2:]:
        assert "Earlier release" not in html(client.get(page))
    earlier = html(client.get(f"{BASE}releases/2025-10/skills/checking-work/"))
    assert "Earlier release" in earlier
    assert "Renewed text." not in earlier


def test_a_change_to_the_framework_shows_at_once(client, published):
    html(client.get(BASE))

    framework_update(
        framework=published.framework,
        name="Digital, data and technology",
        short_name="DDaT",
        description="A renamed framework.",
        licence=published.framework.licence,
        licence_url=published.framework.licence_url,
        reassessment_period_months=published.framework.reassessment_period_months,
        actor=None,
    )

    assert "A renamed framework." in html(client.get(BASE))


def test_a_renamed_framework_page_shows_in_the_breadcrumbs_of_cached_pages(client, published):
    assert "Frameworks" in html(client.get(SKILL))
    index = published.framework.page.get_parent().specific
    index.title = "Skills frameworks"
    index.save_revision().publish()

    assert ">Skills frameworks<" in html(client.get(SKILL))


def test_another_app_makes_a_releases_cached_pages_stale_through_release_pages_invalidate(
    client, published, django_assert_num_queries
):
    html(client.get(SKILL))
    # From the cache: nothing, the routed page included (decision 0021), and the courses that develop the skill (the
    # `frameworks_skill_related` hook runs on every request; courses keeps its listing until the catalogue changes).
    with django_assert_num_queries(0):
        html(client.get(SKILL))

    release_pages_invalidate(release=published)

    # Read again: the framework, the release, the skill's three queries and the breadcrumbs' ancestors (the page routed
    # to comes with its route from the frame's cache, decision 0021); not the courses, which no release changes.
    with django_assert_num_queries(6):
        html(client.get(SKILL))


def test_a_filtered_skills_list_is_never_served_from_the_cache_of_the_full_list(client, published):
    html(client.get(f"{BASE}skills/"))

    filtered = html(client.get(f"{BASE}skills/", {"q": "checking"}))

    assert "matching ‘checking’" in filtered
    assert "matching" not in html(client.get(f"{BASE}skills/"))


def test_one_persons_header_and_actions_are_never_shown_to_another_or_to_a_visitor(published):
    role_level = RoleLevel.objects.get(release=published, code="senior-checker")
    aiming_there = PersonFactory(user=UserFactory(first_name="Ada", last_name="Aimer"), target_role_level=role_level)
    elsewhere = PersonFactory(user=UserFactory(first_name="Bea", last_name="Elsewhere"))
    first, second, visitor = Client(), Client(), Client()
    first.force_login(elsewhere.user)
    second.force_login(aiming_there.user)

    for page in (ROLE_LEVEL, SKILL, BASE):
        as_first = html(first.get(page))
        as_second = html(second.get(page))
        as_visitor = html(visitor.get(page))

        assert "Bea Elsewhere" in as_first
        assert "Ada Aimer" not in as_first
        assert "Ada Aimer" in as_second
        assert "Bea Elsewhere" not in as_second
        assert "Sign out" not in as_visitor
        assert "Sign in" in as_visitor
        assert "Bea Elsewhere" not in as_visitor
        assert "Ada Aimer" not in as_visitor
    assert TARGET_LINK in html(first.get(ROLE_LEVEL))
    assert TARGET_LINK not in html(second.get(ROLE_LEVEL))
    assert TARGET_LINK not in html(visitor.get(ROLE_LEVEL))


def test_each_response_has_its_own_script_nonce(client, published):
    first, second = html(client.get(SKILL)), html(client.get(SKILL))

    def nonce(page):
        return page.split('<script nonce="', 1)[1].split('"', 1)[0]

    assert nonce(first) != nonce(second)


def test_this_process_keeps_the_pages_it_read_last_and_never_changes_what_it_keeps(client, published, monkeypatch):
    monkeypatch.setattr(page_cache, "_entries", LayeredCache(entries=2, timeout=page_cache.TIMEOUT))
    for page in (SKILL, ROLE_LEVEL, BASE):
        html(client.get(page))

    kept = page_cache._entries.kept()
    assert len(kept) == 2  # the skill's page, read first, made room for the others
    assert [content.site.page for content in kept] == [None, None]  # the routed page is put on a copy
    assert "Senior checker" in html(client.get(ROLE_LEVEL))


@pytest.mark.django_db(databases=[])
def test_a_value_kept_in_this_process_only_is_never_written_to_the_shared_cache():
    entries = LayeredCache(entries=4, timeout=60)
    entries.set("shared-key", "everyone")
    entries.set("local-key", "this process", shared=False)

    assert cache.get("shared-key") == "everyone"
    assert cache.get("local-key") is None
    assert entries.get("local-key") == "this process"
    # Another process (a fresh layer in front of the same shared cache) finds the shared value only.
    other = LayeredCache(entries=4, timeout=60)
    assert other.get("shared-key") == "everyone"
    assert other.get("local-key") is None
