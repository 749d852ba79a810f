"""Publishing a release through Wagtail moderation, tested from the outside: an editor can submit but not
publish, a Framework moderator approves and the release becomes current at once, anonymous visitors see only
published content."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from pytest_django.asserts import assertRedirects
from wagtail.models import ModelLogEntry, WorkflowState

from cms.accounts.enums import Role as AccountRole
from frameworks.enums import ReleaseStatus
from frameworks.models import (
    Framework,
    FrameworkImport,
    FrameworkPage,
    FrameworkRelease,
    ReleasePublication,
    Requirement,
    Skill,
    SkillLevelDescriptor,
)
from frameworks.services import (
    ReleaseInModerationError,
    SelfApprovalError,
    framework_import_ddat,
    framework_release_changes_compute,
    framework_release_draft_create_from_current,
    framework_release_publish,
    release_publication_request,
    role_level_update,
    skill_create,
    skill_level_descriptor_update,
)
from tests.cms.factories import UserFactory
from tests.frameworks.conftest import small_ddat_files

pytestmark = pytest.mark.django_db

PUBLIC = "/frameworks/ddat/"


@pytest.fixture
def editor():
    return UserFactory(roles=[AccountRole.CONTENT_EDITOR])


@pytest.fixture
def moderator():
    return UserFactory(roles=[AccountRole.CONTENT_EDITOR, AccountRole.FRAMEWORK_MODERATOR])


@pytest.fixture
def draft():
    """DDaT 2025-10 published (without its public pages yet) and a draft 2026-04 with one new skill."""
    report = framework_import_ddat(**small_ddat_files(), release_label="2025-10", publish=True, actor=None)
    assert report.ok
    draft = framework_release_draft_create_from_current(
        framework=Framework.objects.get(slug="ddat"), label="2026-04", actor=None
    )
    skill_create(release=draft, name="Drafting secrets", description="Only in the draft.", actor=None)
    return draft


def submit(client, user, release):
    client.force_login(user)
    return client.post(reverse("frameworks_release:request_publication", args=[release.pk]), {"summary": "Adds one."})


def approve_url(publication):
    task_state = publication.current_workflow_state.current_task_state
    return reverse(
        "wagtailsnippets_frameworks_releasepublication:workflow_action",
        args=[publication.pk, "approve", task_state.pk],
    )


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


# --- a release waiting for a moderator is locked (docs/decisions/0114) ----------------------------------


def skill_form(skill, **changes):
    form = {
        "name": skill.name,
        "description": skill.description,
        "guidance": skill.guidance,
        **{f"level_text_{d.level.code}": d.text for d in skill.descriptors.select_related("level")},
    }
    form.update(changes)
    return form


def test_a_skill_of_a_release_waiting_for_a_moderator_cannot_be_edited_in_the_admin(client, editor, draft):
    submit(client, editor, draft)
    skill = draft.skills.get(code="checking-work")
    before = {d.pk: d.text for d in skill.descriptors.all()}
    edit_url = reverse("frameworks_skill:edit", args=[skill.pk])

    response = client.post(edit_url, skill_form(skill, description="Changed after submission."), follow=True)

    skill.refresh_from_db()
    assert response.redirect_chain[0] == (reverse("frameworks_skill:inspect", args=[skill.pk]), 302)
    assert "waiting for a Framework moderator to approve its publication" in response.content.decode()
    assert skill.description != "Changed after submission."
    assert {d.pk: d.text for d in skill.descriptors.all()} == before
    assert not ModelLogEntry.objects.filter(action__startswith="capability.frameworks.skill_", user=editor).exists()
    assert client.get(edit_url).status_code == 302


def test_the_other_content_of_a_release_waiting_for_a_moderator_is_locked_too(client, editor, draft):
    submit(client, editor, draft)
    role_level = draft.role_levels.get(code="checker")
    requirement = Requirement.objects.get(role_level=role_level, skill__code="checking-work")
    skill = draft.skills.get(code="drafting-secrets")
    expert = draft.levels.get(code="expert")

    client.post(
        reverse("frameworks_role_level:edit", args=[role_level.pk]),
        {"name": "Renamed", "description": role_level.description, "indicative_grade": "HEO"},
    )
    client.post(reverse("frameworks_requirement:edit", args=[requirement.pk]), {"level": expert.pk})
    client.post(reverse("frameworks_requirement:delete", args=[requirement.pk]))
    client.post(reverse("frameworks_skill:delete", args=[skill.pk]))
    added = client.post(
        reverse("frameworks_requirement:add"),
        {"role_level": role_level.pk, "skill": skill.pk, "level": expert.pk},
    )

    role_level.refresh_from_db()
    requirement.refresh_from_db()
    assert (role_level.name, role_level.indicative_grade) != ("Renamed", "HEO")
    assert requirement.level != expert
    assert Skill.objects.filter(pk=skill.pk).exists()
    assert not Requirement.objects.filter(role_level=role_level, skill=skill).exists()
    assert "waiting for a Framework moderator" in str(added.context["form"].errors)
    with pytest.raises(ReleaseInModerationError):
        role_level_update(role_level=role_level, name="Renamed", description="", actor=editor)


def test_rows_of_a_release_waiting_for_a_moderator_offer_no_edit_buttons(client, editor, draft):
    skill = draft.skills.get(code="checking-work")
    edit_url = reverse("frameworks_skill:edit", args=[skill.pk])
    client.force_login(editor)
    assert edit_url in client.get(f"/admin/frameworks/skills/?release={draft.pk}").content.decode()

    submit(client, editor, draft)

    assert edit_url not in client.get(f"/admin/frameworks/skills/?release={draft.pk}").content.decode()
    page = client.get(reverse("frameworks_skill:inspect", args=[skill.pk])).content.decode()
    assert edit_url not in page
    assert "waiting for a Framework moderator" in page
    release_page = client.get(reverse("frameworks_release:inspect", args=[draft.pk])).content.decode()
    assert "its content is locked" in release_page
    assert reverse("frameworks_release:request_publication", args=[draft.pk]) not in release_page


def test_an_import_cannot_replace_a_release_waiting_for_a_moderator(
    client, editor, draft, django_capture_on_commit_callbacks
):

    submit(client, editor, draft)
    files = small_ddat_files()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/admin/frameworks/imports/new/",
            {
                "kind": "ddat",
                "framework_slug": "ddat",
                "release_label": "2026-04",
                "roles_file": SimpleUploadedFile("roles.csv", files["roles_file"], content_type="text/csv"),
                "skills_file": SimpleUploadedFile("skills.csv", files["skills_file"], content_type="text/csv"),
            },
        )

    job = FrameworkImport.objects.get()
    assert "waiting for a Framework moderator" in str(job.report["errors"])
    assert draft.skills.filter(code="drafting-secrets").exists()


def test_the_moderator_publishes_exactly_the_text_they_reviewed(client, editor, moderator, draft):
    skill = draft.skills.get(code="checking-work")
    submit(client, editor, draft)
    client.post(reverse("frameworks_skill:edit", args=[skill.pk]), skill_form(skill, description="Unreviewed."))
    publication = ReleasePublication.objects.get(release=draft)

    client.force_login(moderator)
    client.post(approve_url(publication))

    skill.refresh_from_db()
    draft.refresh_from_db()
    assert draft.status == ReleaseStatus.PUBLISHED
    assert skill.description != "Unreviewed."


def test_after_the_moderator_asks_for_changes_the_editor_edits_and_must_submit_again(client, editor, moderator, draft):
    skill = draft.skills.get(code="checking-work")
    submit(client, editor, draft)
    publication = ReleasePublication.objects.get(release=draft)
    task_state = publication.current_workflow_state.current_task_state
    client.force_login(moderator)
    client.post(
        reverse(
            "wagtailsnippets_frameworks_releasepublication:workflow_action",
            args=[publication.pk, "reject", task_state.pk],
        ),
        {"comment": "Say more."},
    )

    client.force_login(editor)
    client.post(reverse("frameworks_skill:edit", args=[skill.pk]), skill_form(skill, description="Says more."))

    skill.refresh_from_db()
    assert skill.description == "Says more."
    publication.refresh_from_db()
    assert publication.current_workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES


def test_an_editor_who_cancels_the_request_can_edit_again(client, editor, draft):
    skill = draft.skills.get(code="checking-work")
    submit(client, editor, draft)
    publication = ReleasePublication.objects.get(release=draft)

    client.post(
        reverse("wagtailsnippets_frameworks_releasepublication:edit", args=[publication.pk]),
        {"release": draft.pk, "summary": "Adds one.", "action-cancel-workflow": "Cancel workflow"},
    )
    client.post(reverse("frameworks_skill:edit", args=[skill.pk]), skill_form(skill, description="Edited later."))

    skill.refresh_from_db()
    assert publication.current_workflow_state is None
    assert skill.description == "Edited later."


# --- a different approver (docs/decisions/0115) ----------------------------------------------------------


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


# --- stale drafts ----------------------------------------------------------------------------------------


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


# --- what the moderator approves ---------------------------------------------------------------------------


def test_the_moderator_sees_the_old_and_new_level_text_and_the_preview_where_they_approve(
    client, editor, moderator, draft
):
    descriptor = SkillLevelDescriptor.objects.get(release=draft, skill__code="checking-work", level__code="working")
    old_text = descriptor.text
    client.force_login(editor)
    client.post(
        reverse("frameworks_skill:edit", args=[descriptor.skill_id]),
        {
            "name": descriptor.skill.name,
            "description": descriptor.skill.description,
            "guidance": descriptor.skill.guidance,
            **{
                f"level_text_{other.level.code}": other.text
                for other in descriptor.skill.descriptors.select_related("level")
            },
            "level_text_working": "You can:\n- check the work of others",
        },
    )
    submit(client, editor, draft)
    publication = ReleasePublication.objects.get(release=draft)

    client.force_login(moderator)
    page = client.get(reverse("wagtailsnippets_frameworks_releasepublication:edit", args=[publication.pk]))
    html = page.content.decode()

    assert "What changes in this release" in html
    assert "Checking work</a></h3>" in html
    assert "Text for the Working level changed" in html
    assert escape(old_text).replace("\n", "<br>") in html
    assert "check the work of others" in html
    assert "Before (2025-10)" in html
    assert "After (2026-04)" in html
    assert reverse("frameworks_skill:inspect", args=[descriptor.skill_id]) in html
    assert reverse("frameworks_release:preview_home", args=[draft.pk]) in html


def test_the_change_log_listing_says_what_changed_in_words(client, editor, draft):
    descriptor = SkillLevelDescriptor.objects.get(release=draft, skill__code="checking-work", level__code="working")
    skill_level_descriptor_update(descriptor=descriptor, text="You can:\n- check the work of others", actor=None)
    framework_release_changes_compute(release=draft, actor=None)
    client.force_login(editor)

    html = client.get(reverse("frameworks_change:index"), {"release": draft.pk}).content.decode()

    assert "Text for the Working level changed" in html
