"""The site search over the framework pages: skills and roles of the current release, never draft content."""

import pytest

from frameworks.services import release_search_index_update
from tests.frameworks.pages.conftest import BASE, html

pytestmark = pytest.mark.django_db


def test_the_site_search_finds_skills_and_roles_of_the_current_release_by_their_descriptions(client, published):

    release_search_index_update(release=published)

    response = client.get("/search/", {"q": "team makes"})
    roles = client.get("/search/", {"q": "checker"})

    page = html(response)
    assert "Skills and roles" in page
    assert f'href="{BASE}skills/checking-work/"' in page
    assert "Skill in the Government Digital and Data Profession Capability Framework" in page
    assert f'href="{BASE}roles/checker/"' in html(roles)
    assert f'href="{BASE}roles/checker/senior-checker/"' in html(roles)


def test_the_site_search_never_finds_draft_content(client, draft):

    release_search_index_update(release=draft)
    release_search_index_update(release=draft.previous_release)

    assert "Drafting secrets" not in html(client.get("/search/", {"q": "secrets"}))
    assert "Check your spelling" in html(client.get("/search/", {"q": "secrets"}))


def test_search_results_with_skills_and_no_pages_do_not_end_with_zero_pages(client, published):

    release_search_index_update(release=published)

    page = html(client.get("/search/", {"q": "team makes"}))

    assert "Skills and roles" in page
    assert "0 pages for" not in page
    assert "0 results for" not in page
