"""What the release content listings share (frameworks.viewsets.content): each exports the release being worked
on, and a published release's content is read-only, with a message saying how to change it."""

import csv
import io

import pytest
from django.urls import reverse

from frameworks.models import Requirement, Role, RoleLevel, Skill
from tests.frameworks.admin.conftest import messages_of

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("listing", "model", "heading"),
    [
        ("/admin/frameworks/roles/", Role, ["Name", "Code", "Family", "Levels", "Release"]),
        (
            "/admin/frameworks/role-levels/",
            RoleLevel,
            ["Name", "Code", "Role", "Seniority", "Indicative grade", "Release"],
        ),
        (
            "/admin/frameworks/required-skills/",
            Requirement,
            ["Role", "Role level", "Skill", "Skill code", "Level", "Release"],
        ),
    ],
)
def test_each_release_content_listing_exports_the_release_being_worked_on(
    client, editor, draft, listing, model, heading
):
    response = client.get(listing, {"export": "csv"})

    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == heading
    assert len(rows) == 1 + model.objects.filter(release=draft).count()
    assert {row[-1] for row in rows[1:]} == {str(draft)}


def test_a_published_skill_opens_read_only_with_a_message_saying_how_to_change_it(client, editor, published):
    skill = published.skills.get(code="checking-work")

    response = client.get(reverse("frameworks_skill:edit", args=[skill.pk]), follow=True)
    posted = client.post(reverse("frameworks_skill:edit", args=[skill.pk]), {"name": "Changed"})

    assert response.redirect_chain[-1][0] == reverse("frameworks_skill:inspect", args=[skill.pk])
    assert "cannot be changed" in messages_of(response)
    assert "start a new draft" in response.content.decode()
    assert posted.status_code == 302
    skill.refresh_from_db()
    assert skill.name == "Checking work"


def test_published_rows_have_no_edit_or_delete_links_in_the_listing(client, editor, published):
    skill = published.skills.get(code="checking-work")

    page = client.get("/admin/frameworks/skills/").content.decode()

    assert reverse("frameworks_skill:edit", args=[skill.pk]) not in page
    assert reverse("frameworks_skill:delete", args=[skill.pk]) not in page
    assert reverse("frameworks_skill:inspect", args=[skill.pk]) in page


def test_a_published_skill_cannot_be_deleted(client, editor, published):
    skill = published.skills.get(code="checking-work")

    client.post(reverse("frameworks_skill:delete", args=[skill.pk]))

    assert Skill.objects.filter(pk=skill.pk).exists()
