"""The framework's own pages (frameworks.views.pages): the index and one page per published framework, the
framework, role, role-level, skill and skills A to Z pages, what is not found, and the page titles."""

import pytest

from frameworks.models import FrameworkIndexPage, FrameworkPage
from frameworks.services import framework_import_ddat, framework_pages_ensure
from tests.frameworks.conftest import small_ddat_files
from tests.frameworks.pages.conftest import BASE, html

pytestmark = pytest.mark.django_db


def test_framework_pages_ensure_creates_the_index_and_one_page_per_published_framework_once(published):
    assert FrameworkIndexPage.objects.get().url == "/frameworks/"
    page = FrameworkPage.objects.get()
    assert (page.slug, page.framework.slug, page.live) == ("ddat", "ddat", True)

    assert framework_pages_ensure() == []
    assert FrameworkPage.objects.count() == 1


def test_a_framework_without_a_published_release_gets_no_page():
    framework_import_ddat(**small_ddat_files(), release_label="2025-10", actor=None)

    framework_pages_ensure()

    assert not FrameworkPage.objects.exists()


def test_the_framework_index_lists_published_frameworks(client, published):
    response = client.get("/frameworks/")

    assert response.status_code == 200
    assert 'href="/frameworks/ddat/"' in html(response)
    assert "Release 2025-10" in html(response)


def test_the_framework_page_shows_role_families_roles_release_and_licence(client, published):
    response = client.get(BASE)

    assert response.status_code == 200
    page = html(response)
    assert "Government Digital and Data Profession Capability Framework" in page
    assert "Quality" in page
    assert f'href="{BASE}roles/checker/"' in page
    assert f'href="{BASE}roles/chief-checker/"' in page
    assert "2025-10" in page
    assert "Open Government Licence v3.0" in page
    assert f'href="{BASE}skills/"' in page


def test_the_role_page_shows_its_ladder_most_junior_first_and_the_skills_at_each_level(client, published):
    response = client.get(f"{BASE}roles/checker/")

    assert response.status_code == 200
    page = html(response)
    ladder = [page.index(f'{BASE}roles/checker/{code}/"') for code in ("checker", "senior-checker", "lead-checker")]
    assert ladder == sorted(ladder)
    assert f'href="{BASE}skills/checking-work/"' in page
    assert "Practitioner" in page
    assert "Open Government Licence" in page


def test_a_role_without_levels_lists_its_skills(client, published):
    response = client.get(f"{BASE}roles/chief-checker/")

    assert response.status_code == 200
    assert "Senior Civil Service role" in html(response)
    assert f'href="{BASE}skills/writing-notes/"' in html(response)


def test_the_role_level_page_shows_each_required_skill_at_its_level_with_that_levels_text(client, published):
    response = client.get(f"{BASE}roles/checker/senior-checker/")

    assert response.status_code == 200
    page = html(response)
    assert "A senior checker works at this level." in page
    assert page.count('class="capability-required-skill"') == 2
    # Checking work at Practitioner: that level's statements, as a list
    assert "<li>plan checks</li>" in page
    assert "<li>choose tools</li>" in page
    assert "run checks others planned" not in page  # the Working text is not this level's
    assert "<li>write guides for others</li>" in page
    assert "Open Government Licence" in page


def test_the_skill_page_shows_every_level_and_which_role_levels_need_it_at_which_level(client, published):
    response = client.get(f"{BASE}skills/writing-notes/")

    assert response.status_code == 200
    page = html(response)
    awareness = page[page.index('id="level-awareness"') : page.index('id="level-working"')]
    assert "does not define this skill at this level" in awareness
    assert "<li>write clear notes</li>" in page
    assert "At Working level" in page
    assert f'href="{BASE}roles/checker/checker/"' in page
    assert "At Practitioner level" in page
    assert f'href="{BASE}roles/checker/senior-checker/"' in page
    assert "Roles without levels" in page
    assert f'href="{BASE}roles/chief-checker/"' in page


def test_skills_a_to_z_lists_every_skill_under_its_letter(client, published):
    response = client.get(f"{BASE}skills/")

    assert response.status_code == 200
    page = html(response)
    assert "2 skills" in page
    assert 'id="letter-C"' in page
    assert 'id="letter-W"' in page


def test_skills_a_to_z_searches_descriptions_and_filters_by_role_family_without_javascript(client, published):
    searched = client.get(f"{BASE}skills/", {"q": "team makes"})
    filtered = client.get(f"{BASE}skills/", {"role_family": "quality"})

    assert "1 skill matching ‘team makes’" in html(searched)
    assert f'href="{BASE}skills/checking-work/"' in html(searched)
    assert f'href="{BASE}skills/writing-notes/"' not in html(searched)
    assert "2 skills" in html(filtered)
    assert "needed in Quality roles" in html(filtered)


def test_skills_a_to_z_with_an_unknown_role_family_says_so_rather_than_failing(client, published):
    response = client.get(f"{BASE}skills/", {"role_family": "no-such-family"})

    assert response.status_code == 200
    assert "govuk-error-summary" in html(response)


@pytest.mark.parametrize(
    "path",
    [
        "roles/no-such-role/",
        "roles/checker/no-such-level/",
        "roles/no-such-role/checker/",
        "skills/no-such-skill/",
        "releases/1999-01/",
        "releases/1999-01/skills/checking-work/",
        "releases/1999-01/changes/",
        "download/no-such-format/",
        "no-such-route/",
    ],
)
def test_unknown_codes_are_not_found(client, published, path):
    assert client.get(BASE + path).status_code == 404


def test_an_unknown_framework_is_not_found(client, published):
    assert client.get("/frameworks/no-such-framework/").status_code == 404


def test_importing_with_publish_creates_the_frameworks_public_page(client):
    report = framework_import_ddat(**small_ddat_files(), release_label="2025-10", publish=True, actor=None)

    assert report.published
    assert client.get(BASE).status_code == 200


def test_page_titles_name_the_framework_by_its_short_name(client, published):
    skill = html(client.get(f"{BASE}skills/checking-work/"))
    earlier = html(client.get(f"{BASE}releases/2025-10/"))

    title = skill.split("<title>")[1].split("</title>")[0]
    assert "DDaT" in title
    assert "Government Digital and Data Profession Capability Framework" not in title
    assert "Release 2025-10 – DDaT" in earlier.split("<title>")[1].split("</title>")[0]
