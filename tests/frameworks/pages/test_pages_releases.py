"""The release pages (frameworks.views.releases): drafts never shown, earlier releases readable at their own
address, the list of releases and the comparison of any two, and each release's change log."""

import pytest
from django.utils.html import escape

from frameworks.enums import ReleaseStatus
from frameworks.models import FrameworkRelease, SkillLevelDescriptor
from frameworks.services import (
    framework_release_draft_create_from_current,
    framework_release_publish,
    skill_level_descriptor_update,
    skill_update,
)
from tests.frameworks.pages.conftest import BASE, html

pytestmark = pytest.mark.django_db


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


def test_superseded_release_urls_keep_working_and_the_current_label_url_too(client, draft):
    framework_release_publish(release=draft, actor=None)

    assert FrameworkRelease.objects.get(label="2025-10").status == ReleaseStatus.SUPERSEDED
    assert client.get(f"{BASE}releases/2026-04/").status_code == 200
    assert "Earlier release" not in html(client.get(f"{BASE}releases/2026-04/"))
    assert "Earlier release" in html(client.get(f"{BASE}releases/2025-10/"))


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
