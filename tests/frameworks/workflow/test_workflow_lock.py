"""A release waiting for a moderator is locked (docs/decisions/0114): its content cannot be edited, deleted or
replaced by an import until the moderator asks for changes or the editor cancels the request, and the moderator
publishes exactly the text they reviewed."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.models import ModelLogEntry, WorkflowState

from frameworks.enums import ReleaseStatus
from frameworks.models import FrameworkImport, ReleasePublication, Requirement, Skill
from frameworks.services import ReleaseInModerationError, role_level_update
from tests.frameworks.conftest import small_ddat_files
from tests.frameworks.workflow.conftest import approve_url, submit

pytestmark = pytest.mark.django_db


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
