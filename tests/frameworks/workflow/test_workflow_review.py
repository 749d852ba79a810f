"""What the moderator approves: the old and new text of each change, in words, beside the preview."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from frameworks.models import ReleasePublication, SkillLevelDescriptor
from frameworks.services import framework_release_changes_compute, skill_level_descriptor_update
from tests.frameworks.workflow.conftest import submit

pytestmark = pytest.mark.django_db


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
