"""The public framework site, as a visitor gets it: routable pages under /frameworks/<framework>/."""

import csv
import io
import json

import pytest
from django.core.cache import cache, caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from frameworks.enums import ReleaseStatus
from frameworks.exporters import ddat_csv_files
from frameworks.models import Framework, FrameworkIndexPage, FrameworkPage, FrameworkRelease, SkillLevelDescriptor
from frameworks.selectors import release_content
from frameworks.services import (
    framework_import_ddat,
    framework_import_sfia,
    framework_pages_ensure,
    framework_release_draft_create_from_current,
    framework_release_publish,
    release_search_index_update,
    skill_create,
    skill_level_descriptor_update,
    skill_update,
)
from tests.conftest import page_queries

from .conftest import small_ddat_files
from .factories import publish_directly, release_with_roles
from .sfia_files import workbook_bytes

pytestmark = pytest.mark.django_db

BASE = "/frameworks/ddat/"


@pytest.fixture
def published():
    """The small test release (Quality: Checker with three levels, Chief checker without levels), published as
    DDaT 2025-10, with the framework pages."""
    report = framework_import_ddat(**small_ddat_files(), release_label="2025-10", publish=True, actor=None)
    assert report.ok, report.summary()
    framework_pages_ensure()
    return FrameworkRelease.objects.get(label="2025-10")


def html(response) -> str:
    return response.content.decode()


# --- the pages exist -----------------------------------------------------------------------------------


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


# --- each page ------------------------------------------------------------------------------------------


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


# --- releases -------------------------------------------------------------------------------------------


@pytest.fixture
def draft(published):
    draft = framework_release_draft_create_from_current(framework=published.framework, label="2026-04", actor=None)
    skill_create(release=draft, name="Drafting secrets", description="Not published yet.", actor=None)
    return draft


def test_a_draft_release_is_never_shown_to_anyone(client, admin_client, draft):
    for visitor in (client, admin_client):
        assert visitor.get(f"{BASE}releases/2026-04/").status_code == 404
        assert visitor.get(f"{BASE}releases/2026-04/skills/drafting-secrets/").status_code == 404
        assert visitor.get(f"{BASE}skills/drafting-secrets/").status_code == 404
        assert "Drafting secrets" not in html(visitor.get(f"{BASE}skills/"))
        assert "2026-04" not in html(visitor.get(f"{BASE}releases/"))


def test_publishing_a_new_release_keeps_the_earlier_one_readable_at_its_own_address(client, draft):
    skill_update(
        skill=draft.skills.get(code="checking-work"),
        name="Checking work",
        description="Checking work, renewed.",
        guidance="",
        actor=None,
    )
    framework_release_publish(release=draft, actor=None)

    current = client.get(f"{BASE}skills/checking-work/")
    earlier = client.get(f"{BASE}releases/2025-10/skills/checking-work/")

    assert "Checking work, renewed." in html(current)
    assert earlier.status_code == 200
    assert "making sure that what the team makes does what it should" in html(earlier)
    assert "Earlier release" in html(earlier)
    assert f'href="{BASE}releases/2025-10/roles/checker/checker/"' in html(earlier)
    assert client.get(f"{BASE}releases/2025-10/roles/checker/senior-checker/").status_code == 200
    assert client.get(f"{BASE}releases/2026-04/skills/drafting-secrets/").status_code == 200


def test_the_releases_page_lists_releases_and_compares_any_two(client, draft):
    framework_release_publish(release=draft, actor=None)

    listing = client.get(f"{BASE}releases/")
    compared = client.get(f"{BASE}releases/", {"from_release": "2025-10", "to_release": "2026-04"})
    same = client.get(f"{BASE}releases/", {"from_release": "2025-10", "to_release": "2025-10"})

    assert f'href="{BASE}releases/2025-10/"' in html(listing)
    assert f'href="{BASE}releases/2026-04/changes/"' in html(listing)
    assert "From 2025-10 to 2026-04: 1 change" in html(compared)
    assert "Drafting secrets" in html(compared)
    assert same.status_code == 200
    assert "Choose a different release to compare with" in html(same)


def test_a_release_change_log_page_lists_its_changes(client, draft):
    framework_release_publish(release=draft, actor=None)

    response = client.get(f"{BASE}releases/2026-04/changes/")

    assert response.status_code == 200
    assert "1 change since release 2025-10" in html(response)
    assert "Drafting secrets" in html(response)


# --- downloads ------------------------------------------------------------------------------------------


def test_the_downloads_are_the_exports_with_content_types_and_file_names(client, published):
    files = ddat_csv_files(release_content(release=published))

    roles = client.get(f"{BASE}download/roles-csv/")
    skills = client.get(f"{BASE}download/skills-csv/")
    document = client.get(f"{BASE}download/json/")
    case = client.get(f"{BASE}download/case-json/")

    assert roles["Content-Type"] == "text/csv; charset=utf-8"
    assert roles["Content-Disposition"] == 'attachment; filename="ddat-2025-10-roles.csv"'
    assert roles.content == files["roles.csv"]
    assert skills.content == files["skills.csv"]
    assert next(csv.reader(io.StringIO(skills.content.decode())))[0] == "Skill Name"
    assert document["Content-Type"] == "application/json"
    assert document["Content-Disposition"] == 'attachment; filename="ddat-2025-10.json"'
    assert json.loads(document.content)["release"]["label"] == "2025-10"
    assert case["Content-Disposition"] == 'attachment; filename="ddat-2025-10-case.json"'
    assert json.loads(case.content)["CFDocument"]["version"] == "2025-10"
    assert client.get(f"{BASE}download/").status_code == 200


def test_a_published_releases_download_is_built_once(client, published, django_assert_max_num_queries):
    cache.clear()
    client.get(f"{BASE}download/json/")
    with django_assert_max_num_queries(20):
        assert client.get(f"{BASE}download/json/").status_code == 200


# --- speed ----------------------------------------------------------------------------------------------

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
    [("role_level", 18, 0), ("skill", 17, 0), ("role", 17, 0), ("skills", 16, 0), ("framework", 18, 0)],
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
    # From the cache: nothing (the routed page is cached with its route since decision 0021), nothing of the release.
    with django_assert_num_queries(warm):
        assert client.get(path).status_code == 200


# --- state shown ----------------------------------------------------------------------------------------


def test_superseded_release_urls_keep_working_and_the_current_label_url_too(client, draft):
    framework_release_publish(release=draft, actor=None)

    assert FrameworkRelease.objects.get(label="2025-10").status == ReleaseStatus.SUPERSEDED
    assert client.get(f"{BASE}releases/2026-04/").status_code == 200
    assert "Earlier release" not in html(client.get(f"{BASE}releases/2026-04/"))
    assert "Earlier release" in html(client.get(f"{BASE}releases/2025-10/"))


# --- site search ----------------------------------------------------------------------------------------


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


# --- SFIA-like frameworks -------------------------------------------------------------------------------


def test_a_sfia_framework_shows_its_categories_seven_levels_and_the_sfia_notice(client):

    report = framework_import_sfia(workbook=workbook_bytes(), release_label="9", publish=True, actor=None)
    assert report.ok, report.summary()
    framework_pages_ensure()

    home = html(client.get("/frameworks/sfia/"))
    skill = client.get("/frameworks/sfia/skills/TSTA/")

    assert "Making things" in home
    assert 'href="/frameworks/sfia/skills/TSTA/"' in home
    assert "SFIA Foundation" in home
    assert skill.status_code == 200
    assert html(skill).count('class="capability-skill-level"') == 7
    assert "SFIA Foundation" in html(skill)
    assert "Role levels that need this skill" not in html(skill)
    assert client.get("/frameworks/sfia/download/roles-csv/").status_code == 404
    assert client.get("/frameworks/sfia/download/json/").status_code == 200


def test_importing_with_publish_creates_the_frameworks_public_page(client):
    report = framework_import_ddat(**small_ddat_files(), release_label="2025-10", publish=True, actor=None)

    assert report.published
    assert client.get(BASE).status_code == 200


@pytest.fixture
def level_text_edited(published):
    """2026-04 published with the Practitioner text of "Checking work" rewritten."""
    draft = framework_release_draft_create_from_current(framework=published.framework, label="2026-04", actor=None)
    descriptor = SkillLevelDescriptor.objects.get(
        release=draft, skill__code="checking-work", level__code="practitioner"
    )
    old_text = descriptor.text
    skill_level_descriptor_update(
        descriptor=descriptor, text="You can:\n- set the team's checking standards", actor=None
    )
    framework_release_publish(release=draft, actor=None)
    return old_text


def test_the_change_log_shows_the_old_and_new_level_text_beside_each_other_with_the_skill_linked(
    client, level_text_edited
):
    page = html(client.get(f"{BASE}releases/2026-04/changes/"))

    assert "Text for the Practitioner level changed" in page
    assert "Level text changed" not in page
    assert "Before (2025-10)" in page
    assert "After (2026-04)" in page
    assert escape(level_text_edited).replace("\n", "<br>") in page
    assert "set the team&#x27;s checking standards" in page
    assert f'href="{BASE}skills/checking-work/"' in page


def test_the_comparison_shows_the_old_and_new_level_text_and_links_the_skill(client, level_text_edited):
    page = html(client.get(f"{BASE}releases/", {"from_release": "2025-10", "to_release": "2026-04"}))

    assert "Text for the Practitioner level changed" in page
    assert "Before (2025-10)" in page
    assert "set the team&#x27;s checking standards" in page
    assert f'href="{BASE}skills/checking-work/"' in page


def test_the_comparison_form_first_offers_the_previous_release_against_the_current_one(client, level_text_edited):
    page = html(client.get(f"{BASE}releases/"))

    assert '<option value="2025-10" selected>' in page.split('name="to_release"')[0].split('name="from_release"')[1]
    assert '<option value="2026-04" selected>' in page.split('name="to_release"')[1]


def test_search_results_with_skills_and_no_pages_do_not_end_with_zero_pages(client, published):

    release_search_index_update(release=published)

    page = html(client.get("/search/", {"q": "team makes"}))

    assert "Skills and roles" in page
    assert "0 pages for" not in page
    assert "0 results for" not in page


def test_page_titles_name_the_framework_by_its_short_name(client, published):
    skill = html(client.get(f"{BASE}skills/checking-work/"))
    earlier = html(client.get(f"{BASE}releases/2025-10/"))

    title = skill.split("<title>")[1].split("</title>")[0]
    assert "DDaT" in title
    assert "Government Digital and Data Profession Capability Framework" not in title
    assert "Release 2025-10 – DDaT" in earlier.split("<title>")[1].split("</title>")[0]
