"""The frameworks_skill_related hook: apps above frameworks add what they relate to a skill to its public page
(courses: the courses that develop it) without the framework app importing them. What a hook returns is shown on
every request, never from the page cache, and only on skill pages."""

import pytest
from django.utils.html import format_html
from wagtail import hooks

from frameworks.views.content import SKILL_RELATED_HOOK
from tests.frameworks.pages.conftest import BASE, html

pytestmark = pytest.mark.django_db


def test_what_a_hook_relates_to_a_skill_is_shown_on_its_page_with_the_skill_and_its_release(client, published):
    seen = []

    def related(request, skill):
        seen.append((skill.code, skill.release.label, skill.release.framework.slug))
        return format_html("<p class='govuk-body'>Related to {}: item {}</p>", skill.name, len(seen))

    with hooks.register_temporarily(SKILL_RELATED_HOOK, related):
        first = html(client.get(f"{BASE}skills/writing-notes/"))
        second = html(client.get(f"{BASE}skills/writing-notes/"))  # the page itself from the cache
        role = html(client.get(f"{BASE}roles/checker/"))

    assert "Related to Writing notes: item 1" in first
    assert "Related to Writing notes: item 2" in second  # the hook ran again: never cached
    assert "Related to" not in role
    assert seen == [("writing-notes", "2025-10", "ddat")] * 2


def test_a_hook_with_nothing_to_add_adds_nothing(client, published):
    with hooks.register_temporarily(SKILL_RELATED_HOOK, lambda request, skill: ""):
        page = html(client.get(f"{BASE}skills/writing-notes/"))

    assert 'govuk-grid-column-two-thirds"></div>' not in page
