"""Stale drafts: a draft made before a newer release was published can be neither submitted nor approved, and
its page says why and what to do."""

import pytest
from django.urls import reverse

from frameworks.enums import ReleaseStatus
from frameworks.models import Framework, ReleasePublication
from frameworks.services import framework_release_draft_create_from_current
from tests.frameworks.workflow.conftest import PUBLIC, approve_url, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_drafts(draft):
    """Drafts 2026-04 (with a new skill) and 2026-07, both made from 2025-10."""
    other = framework_release_draft_create_from_current(framework=draft.framework, label="2026-07", actor=None)
    return draft, other


def approve(client, moderator, publication):
    client.force_login(moderator)
    return client.post(approve_url(publication), follow=True)


def test_a_draft_made_before_a_newer_release_was_published_cannot_be_submitted_and_says_what_to_do(
    client, editor, moderator, two_drafts
):
    newer, stale = two_drafts
    submit(client, editor, newer)
    approve(client, moderator, ReleasePublication.objects.get(release=newer))

    response = client.get(reverse("frameworks_release:request_publication", args=[stale.pk]))
    assert "Submit for publication</button>" not in response.content.decode()
    response = submit(client, editor, stale)

    page = client.get(response["Location"]).content.decode()
    assert "was drafted from 2025-10, but 2026-04 has been published since" in page
    assert "Start a new draft from the current release (2026-04)" in page
    assert not ReleasePublication.objects.filter(release=stale).exists()
    stale.refresh_from_db()
    assert stale.status == ReleaseStatus.DRAFT


def test_approving_a_draft_that_a_newer_release_overtook_is_refused_and_the_newer_release_stays_current(
    client, editor, moderator, two_drafts
):
    newer, stale = two_drafts
    submit(client, editor, stale)
    submit(client, editor, newer)
    approve(client, moderator, ReleasePublication.objects.get(release=newer))

    response = approve(client, moderator, ReleasePublication.objects.get(release=stale))

    assert "The release was not published" in response.content.decode()
    assert "would undo what 2026-04 changed" in response.content.decode()
    framework = Framework.objects.get(slug="ddat")
    assert framework.current_release == newer
    stale.refresh_from_db()
    assert stale.status == ReleaseStatus.DRAFT
    assert not ReleasePublication.objects.get(release=stale).live
    client.logout()
    assert client.get(f"{PUBLIC}skills/drafting-secrets/").status_code == 200


def test_the_page_of_a_stale_draft_says_why_it_cannot_be_published(client, editor, moderator, two_drafts):
    newer, stale = two_drafts
    submit(client, editor, newer)
    approve(client, moderator, ReleasePublication.objects.get(release=newer))
    client.force_login(editor)

    page = client.get(reverse("frameworks_release:inspect", args=[stale.pk])).content.decode()

    assert "would undo what 2026-04 changed" in page
    assert reverse("frameworks_release:request_publication", args=[stale.pk]) not in page
