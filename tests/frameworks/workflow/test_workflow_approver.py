"""A different approver (docs/decisions/0115): a moderator who submitted a release can neither approve, publish nor
schedule it, and is not offered to; another moderator is."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry, WorkflowState

from cms.accounts.enums import Role as AccountRole
from frameworks.enums import ReleaseStatus
from frameworks.models import ReleasePublication
from frameworks.services import SelfApprovalError, release_publication_request
from tests.cms.factories import UserFactory
from tests.frameworks.workflow.conftest import approve_url, submit

pytestmark = pytest.mark.django_db


def test_a_moderator_cannot_approve_the_release_they_submitted(client, moderator, draft):
    submit(client, moderator, draft)
    publication = ReleasePublication.objects.get(release=draft)

    response = client.post(approve_url(publication), follow=True)

    draft.refresh_from_db()
    publication.refresh_from_db()
    assert "another Framework moderator must approve it" in response.content.decode()
    assert draft.status == ReleaseStatus.DRAFT
    assert not publication.live
    assert publication.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
    assert not ModelLogEntry.objects.filter(
        action="capability.frameworks.release_publish", object_id=str(draft.pk)
    ).exists()

    client.force_login(UserFactory(roles=[AccountRole.CONTENT_EDITOR, AccountRole.FRAMEWORK_MODERATOR]))
    client.post(approve_url(publication))

    draft.refresh_from_db()
    assert draft.status == ReleaseStatus.PUBLISHED


def test_a_moderator_cannot_publish_their_own_request_with_the_publish_button(client, moderator, draft):
    client.force_login(moderator)
    client.post(reverse("frameworks_release:request_publication", args=[draft.pk]), {"summary": "Adds one."})
    publication = ReleasePublication.objects.get(release=draft)
    edit_url = reverse("wagtailsnippets_frameworks_releasepublication:edit", args=[publication.pk])

    response = client.post(
        edit_url, {"release": draft.pk, "summary": "Adds one.", "action-publish": "action-publish"}, follow=True
    )

    draft.refresh_from_db()
    publication.refresh_from_db()
    assert "another Framework moderator must approve it" in response.content.decode()
    assert draft.status == ReleaseStatus.DRAFT
    assert not publication.live


def test_a_moderator_cannot_schedule_their_own_request(moderator, draft):

    publication = release_publication_request(release=draft, actor=moderator, submit=False)
    publication.go_live_at = timezone.now() + timedelta(hours=1)
    revision = publication.save_revision(user=moderator)

    with pytest.raises(SelfApprovalError):
        revision.publish(user=moderator)

    revision.refresh_from_db()
    assert revision.approved_go_live_at is None


def test_the_moderator_who_submitted_is_not_offered_approve_nor_publish_but_another_moderator_is(
    client, moderator, draft
):
    submit(client, moderator, draft)
    publication = ReleasePublication.objects.get(release=draft)
    edit_url = reverse("wagtailsnippets_frameworks_releasepublication:edit", args=[publication.pk])

    own = client.get(edit_url).content.decode()
    client.force_login(UserFactory(roles=[AccountRole.CONTENT_EDITOR, AccountRole.FRAMEWORK_MODERATOR]))
    other = client.get(edit_url).content.decode()

    assert "Approve and Publish" not in own
    assert 'name="action-publish"' not in own
    assert "Approve and Publish" in other
