"""A crawl of the public site of the real DDaT 2025-10 release: every role, role level and skill page answers,
with the licence notice, and links only to pages that exist. One import is shared by the module."""

import re

import pytest
from django.db import transaction

from frameworks.models import FrameworkRelease, Requirement, Role, RoleLevel, Skill
from frameworks.selectors import framework_search
from frameworks.services import framework_pages_ensure, release_search_index_update

pytestmark = pytest.mark.django_db

BASE = "/frameworks/ddat/"
OGL = "Open Government Licence v3.0"
LINK = re.compile(r'href="(/frameworks/ddat/[^"#?]*)"')


@pytest.fixture(scope="module")
def site(ddat_2025_10, django_db_blocker):
    """The real release with its pages and its search index, inside the module's transaction."""
    with django_db_blocker.unblock(), transaction.atomic():
        framework_pages_ensure()
        release = FrameworkRelease.objects.get(framework__slug="ddat", label="2025-10")
        release_search_index_update(release=release)
        return release


def test_every_role_page_answers_with_its_ladder_and_the_licence(client, site):
    roles = list(Role.objects.filter(release=site).prefetch_related("levels"))
    assert len(roles) == 52  # including the 4 Senior Civil Service roles
    for role in roles:
        response = client.get(f"{BASE}roles/{role.code}/")
        assert response.status_code == 200, role.code
        page = response.content.decode()
        assert OGL in page
        for level in role.levels.all():
            assert f'href="{BASE}roles/{role.code}/{level.code}/"' in page


def test_every_role_level_page_answers_with_each_required_skill_and_its_level_text(client, site):
    role_levels = list(RoleLevel.objects.filter(release=site).select_related("role"))
    assert len(role_levels) == 201
    requirement_counts = {}
    for requirement in Requirement.objects.filter(release=site, role_level__isnull=False).values("role_level_id"):
        requirement_counts[requirement["role_level_id"]] = requirement_counts.get(requirement["role_level_id"], 0) + 1
    for role_level in role_levels:
        response = client.get(f"{BASE}roles/{role_level.role.code}/{role_level.code}/")
        assert response.status_code == 200, role_level.code
        page = response.content.decode()
        assert page.count('class="capability-required-skill"') == requirement_counts.get(role_level.pk, 0)
        assert OGL in page


def test_every_skill_page_answers_with_every_level(client, site):
    skills = list(Skill.objects.filter(release=site))
    assert len(skills) == 188
    for skill in skills:
        response = client.get(f"{BASE}skills/{skill.code}/")
        assert response.status_code == 200, skill.code
        page = response.content.decode()
        assert page.count('class="capability-skill-level"') == 4
        assert OGL in page


def test_every_link_from_the_framework_and_skills_pages_leads_somewhere(client, site):
    seen = set()
    for start in (BASE, f"{BASE}skills/", f"{BASE}releases/", f"{BASE}download/"):
        page = client.get(start).content.decode()
        for link in set(LINK.findall(page)) - seen:
            seen.add(link)
            assert client.get(link).status_code == 200, f"{link} (linked from {start})"
    assert len(seen) > 240


def test_the_site_search_finds_skills_and_roles_by_the_words_in_their_descriptions(site):
    skill = Skill.objects.get(release=site, code="accessibility")  # "…can be used by as many people as possible…"
    words = "impaired vision motor difficulties"

    results = framework_search(query=words)

    assert any(result.url == f"{BASE}skills/{skill.code}/" for result in results), [r.url for r in results]
    roles = framework_search(query="business analyst")
    assert any(result.kind == "Role" and result.url == f"{BASE}roles/business-analyst/" for result in roles)
    assert all(result.url.startswith(BASE) for result in roles)
