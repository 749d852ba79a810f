"""Publishing a release through Wagtail moderation, tested from the outside: an editor can submit but not
publish, a Framework moderator approves and the release becomes current at once, anonymous visitors see only
published content."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertRedirects
from wagtail.models import WorkflowState

from cms.accounts.enums import Role as AccountRole
from frameworks.enums import ReleaseStatus
from frameworks.models import Framework, FrameworkPage, FrameworkRelease, ReleasePublication
from frameworks.services import framework_release_publish, release_publication_request
from tests.cms.factories import UserFactory
from tests.frameworks.workflow.conftest import PUBLIC, approve_url, submit

pytestmark = pytest.mark.django_db


def test_the_editorial_groups_have_the_permissions_of_their_role():
    editor = Group.objects.get(name=AccountRole.CONTENT_EDITOR)
    moderator = Group.objects.get(name=AccountRole.FRAMEWORK_MODERATOR)

    assert editor.permissions.filter(codename="change_skill").exists()
    assert editor.permissions.filter(codename="change_releasepublication").exists()
    assert not editor.permissions.filter(codename="publish_releasepublication").exists()
    assert moderator.permissions.filter(codename="publish_releasepublication").exists()


def test_an_editor_submits_a_draft_and_it_waits_for_a_moderator(client, editor, draft):
    response = submit(client, editor, draft)

    publication = ReleasePublication.objects.get(release=draft)
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailsnippets_frameworks_releasepublication:edit", args=[publication.pk])
    assert publication.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
    assert publication.summary == "Adds one."
    assert not publication.live
    draft.refresh_from_db()
    assert draft.status == ReleaseStatus.DRAFT


def test_an_editor_cannot_approve_nor_publish(client, editor, draft):
    submit(client, editor, draft)
    publication = ReleasePublication.objects.get(release=draft)
    edit_url = reverse("wagtailsnippets_frameworks_releasepublication:edit", args=[publication.pk])

    client.post(approve_url(publication))
    client.post(edit_url, {"release": draft.pk, "summary": "Adds one.", "action-publish": "action-publish"})

    draft.refresh_from_db()
    publication.refresh_from_db()
    assert draft.status == ReleaseStatus.DRAFT
    assert not publication.live
    assert publication.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
    assert client.get(f"{PUBLIC}releases/2026-04/").status_code == 404


def test_a_moderator_approves_and_the_release_becomes_current_with_its_public_page(client, editor, moderator, draft):
    submit(client, editor, draft)
    publication = ReleasePublication.objects.get(release=draft)
    client.logout()
    assert client.get(f"{PUBLIC}skills/drafting-secrets/").status_code == 404

    client.force_login(moderator)
    response = client.post(approve_url(publication))

    assert response.status_code == 302
    draft.refresh_from_db()
    publication.refresh_from_db()
    framework = Framework.objects.get(slug="ddat")
    assert draft.status == ReleaseStatus.PUBLISHED
    assert framework.current_release == draft
    assert FrameworkRelease.objects.get(label="2025-10").status == ReleaseStatus.SUPERSEDED
    assert publication.live
    assert publication.current_workflow_state is None
    assert FrameworkPage.objects.filter(framework=framework, live=True).exists()
    client.logout()
    assert client.get(f"{PUBLIC}skills/drafting-secrets/").status_code == 200
    assert client.get(f"{PUBLIC}releases/2025-10/skills/checking-work/").status_code == 200


def test_a_moderator_can_ask_for_changes_and_the_editor_submits_again(client, editor, moderator, draft):
    submit(client, editor, draft)
    publication = ReleasePublication.objects.get(release=draft)
    task_state = publication.current_workflow_state.current_task_state
    client.force_login(moderator)
    client.post(
        reverse(
            "wagtailsnippets_frameworks_releasepublication:workflow_action",
            args=[publication.pk, "reject", task_state.pk],
        ),
        {"comment": "Explain the new skill."},
    )
    publication.refresh_from_db()
    assert publication.current_workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES

    submit(client, editor, draft)

    publication.refresh_from_db()
    assert publication.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
    draft.refresh_from_db()
    assert draft.status == ReleaseStatus.DRAFT


def test_approving_a_release_that_can_no_longer_be_published_changes_nothing_and_says_why(
    client, editor, moderator, draft
):
    submit(client, editor, draft)
    publication = ReleasePublication.objects.get(release=draft)
    framework_release_publish(release=draft, actor=None)  # published meanwhile by the import command

    client.force_login(moderator)
    response = client.post(approve_url(publication), follow=True)

    publication.refresh_from_db()
    assert not publication.live
    assert publication.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
    assert "The release was not published" in response.content.decode()


def test_a_published_release_cannot_be_submitted(editor, draft):
    framework_release_publish(release=draft, actor=None)

    with pytest.raises(Exception, match="only a draft release can be published"):
        release_publication_request(release=draft, actor=editor)


def test_someone_without_the_editorial_role_cannot_submit(client, draft):
    learner = UserFactory(roles=[AccountRole.LEARNER, AccountRole.HR_ANALYST])
    client.force_login(learner)

    response = client.post(reverse("frameworks_release:request_publication", args=[draft.pk]), {"summary": ""})

    assertRedirects(response, "/admin/", fetch_redirect_response=False)
    assert not ReleasePublication.objects.exists()


def test_the_publication_request_previews_the_draft_public_pages(client, editor, draft):
    submit(client, editor, draft)
    publication = ReleasePublication.objects.get(release=draft)

    preview = publication.serve_preview(client.get("/").wsgi_request, "")
    preview.render()

    assert "Preview of draft release 2026-04" in preview.content.decode()


def test_the_moderator_sees_the_request_on_their_dashboard(client, editor, moderator, draft):
    submit(client, editor, draft)
    client.force_login(moderator)

    response = client.get("/admin/")

    assert "Awaiting your review" in response.content.decode()
    assert "Publish DDaT 2026-04" in response.content.decode()


def test_a_publication_scheduled_for_later_publishes_the_release_when_its_time_comes(editor, moderator, draft):

    publication = release_publication_request(release=draft, actor=editor, submit=False)
    publication.go_live_at = timezone.now() + timedelta(hours=1)
    revision = publication.save_revision(user=moderator)

    revision.publish(user=moderator)

    draft.refresh_from_db()
    publication.refresh_from_db()
    assert draft.status == ReleaseStatus.DRAFT
    assert not publication.live

    # An hour later (moved back rather than waited for): the scheduled time has passed.
    past = timezone.now() - timedelta(minutes=1)
    revision.refresh_from_db()
    revision.content["go_live_at"] = past.isoformat()
    revision.approved_go_live_at = past
    revision.save(update_fields=["content", "approved_go_live_at"])
    call_command("publish_scheduled", verbosity=0)

    draft.refresh_from_db()
    publication.refresh_from_db()
    assert draft.status == ReleaseStatus.PUBLISHED
    assert publication.live
