"""Frameworks > Releases (frameworks.viewsets.releases): a new draft from the current release, the release page's
actions, and the preview of a draft's public pages."""

import pytest
from django.urls import reverse

from frameworks.enums import ReleaseStatus
from frameworks.models import FrameworkRelease
from frameworks.services import skill_create

pytestmark = pytest.mark.django_db


def test_a_new_draft_is_made_from_the_current_release(client, editor, published):
    response = client.post(reverse("frameworks_release:add"), {"framework": published.framework_id, "label": "2026-04"})

    draft = FrameworkRelease.objects.get(label="2026-04")
    assert response["Location"] == reverse("frameworks_release:inspect", args=[draft.pk])
    assert draft.status == ReleaseStatus.DRAFT
    assert draft.skills.count() == published.skills.count()


def test_an_editor_previews_a_drafts_public_pages_with_links_that_stay_in_the_preview(client, editor, draft):

    skill_create(release=draft, name="Drafting secrets", description="Only in the draft.", actor=None)
    base = reverse("frameworks_release:preview_home", args=[draft.pk])

    home = client.get(base)
    skill = client.get(f"{base}skills/drafting-secrets/")
    role_level = client.get(f"{base}roles/checker/senior-checker/")

    assert home.status_code == 200
    assert "Preview of draft release 2026-04" in home.content.decode()
    assert f'href="{base}skills/"' in home.content.decode()
    assert "Only in the draft." in skill.content.decode()
    assert role_level.status_code == 200
    assert client.get(f"{base}skills/no-such-skill/").status_code == 404
    assert client.get(f"{base}releases/2025-10/").status_code == 404


def test_the_release_page_offers_preview_submission_and_history(client, editor, draft):
    page = client.get(reverse("frameworks_release:inspect", args=[draft.pk])).content.decode()

    assert reverse("frameworks_release:preview_home", args=[draft.pk]) in page
    assert reverse("frameworks_release:request_publication", args=[draft.pk]) in page
    assert reverse("frameworks_release:history", args=[draft.pk]) in page
