"""Frameworks > Skills (frameworks.viewsets.skills): a draft's skills edited, added and deleted through the
services (with history), refusals that say why, and the listing's formula-safe export."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse
from wagtail.models import ModelLogEntry

from frameworks.models import Skill
from frameworks.services import skill_create
from tests.frameworks.admin.conftest import messages_of
from tests.frameworks.test_spreadsheets import ATTACK

pytestmark = pytest.mark.django_db


def test_the_skills_listing_exports_its_release_as_formula_safe_csv_and_xlsx(client, editor, draft):
    skill_create(release=draft, name=ATTACK, code="attack", description="-1+1", guidance="", actor=None)

    csv_response = client.get("/admin/frameworks/skills/", {"release": draft.pk, "export": "csv"})
    xlsx_response = client.get("/admin/frameworks/skills/", {"release": draft.pk, "export": "xlsx"})

    assert csv_response["Content-Disposition"] == 'attachment; filename="framework-skills.csv"'
    rows = list(csv.reader(io.StringIO(b"".join(csv_response.streaming_content).decode())))
    assert rows[0] == ["Name", "Code", "Description", "Guidance", "Release"]
    assert ["'" + ATTACK, "attack", "'-1+1", "", str(draft)] in rows
    assert len(rows) == 1 + Skill.objects.filter(release=draft).count()
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(xlsx_response.streaming_content))).active
    cells = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert cells[0] == rows[0]
    assert ["'" + ATTACK, "attack", "'-1+1", None, str(draft)] in cells
    assert all(cell.data_type == "s" for row in sheet.iter_rows(min_row=2) for cell in row if cell.value)


def test_editing_a_draft_skill_goes_through_the_services_and_shows_in_its_history(client, editor, draft):
    skill = draft.skills.get(code="checking-work")
    working = skill.descriptors.get(level__code="working")
    form = {
        "name": skill.name,
        "description": "Checking work, described anew.",
        "guidance": "",
        **{f"level_text_{d.level.code}": d.text for d in skill.descriptors.select_related("level")},
        "level_text_working": "You can:\r\n- run checks\r\n- say what you found",
    }

    response = client.post(reverse("frameworks_skill:edit", args=[skill.pk]), form)

    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    skill.refresh_from_db()
    working.refresh_from_db()
    assert skill.description == "Checking work, described anew."
    assert working.text == "You can:\n- run checks\n- say what you found"
    assert working.statements == ["run checks", "say what you found"]
    actions = set(ModelLogEntry.objects.filter(object_id=str(skill.pk), user=editor).values_list("action", flat=True))
    assert actions == {"capability.frameworks.skill_update", "capability.frameworks.skill_level_update"}
    history = client.get(reverse("frameworks_skill:history", args=[skill.pk])).content.decode()
    assert "Skill level text edited" in history
    assert "Skill edited" in history


def test_saving_a_skill_unchanged_changes_no_text_at_all(client, editor, draft):
    skill = draft.skills.get(code="writing-notes")  # its Awareness text says "not defined", its Expert is empty
    before = {d.pk: (d.text, d.is_defined) for d in skill.descriptors.all()}
    form = {
        "name": skill.name,
        "description": skill.description,
        "guidance": skill.guidance,
        **{
            f"level_text_{d.level.code}": d.text.replace("\n", "\r\n")
            for d in skill.descriptors.select_related("level")
        },
    }

    client.post(reverse("frameworks_skill:edit", args=[skill.pk]), form)

    assert {d.pk: (d.text, d.is_defined) for d in skill.descriptors.all()} == before
    assert not ModelLogEntry.objects.filter(object_id=str(skill.pk), user=editor).exists()


def test_a_skill_added_to_a_draft_gets_a_text_for_every_level(client, editor, draft):
    response = client.post(
        reverse("frameworks_skill:add"),
        {
            "release": draft.pk,
            "name": "Reviewing code",
            "code": "",
            "description": "Reading others' code.",
            "guidance": "",
        },
    )

    skill = Skill.objects.get(release=draft, code="reviewing-code")
    assert response["Location"] == reverse("frameworks_skill:edit", args=[skill.pk])
    assert skill.descriptors.count() == 4


def test_a_skill_name_already_in_the_release_is_refused_on_the_form(client, editor, draft):
    response = client.post(
        reverse("frameworks_skill:add"),
        {"release": draft.pk, "name": "Checking work", "code": "checking-again", "description": "", "guidance": ""},
    )

    assert response.status_code == 200
    assert "already exists" in str(response.context["form"].errors)


def test_deleting_a_skill_that_role_levels_need_is_refused_with_the_list_of_them(client, editor, draft):
    skill = draft.skills.get(code="checking-work")

    response = client.post(reverse("frameworks_skill:delete", args=[skill.pk]), follow=True)

    assert Skill.objects.filter(pk=skill.pk).exists()
    message = messages_of(response)
    assert "Checking work cannot be deleted" in message
    for name in ("Checker – Checker", "Checker – Senior checker", "Checker – Lead checker"):
        assert name in message


def test_deleting_a_skill_nothing_needs_works_and_is_logged(client, editor, draft):

    skill = skill_create(release=draft, name="Short lived", actor=None)

    client.post(reverse("frameworks_skill:delete", args=[skill.pk]))

    assert not Skill.objects.filter(pk=skill.pk).exists()
    assert ModelLogEntry.objects.filter(action="capability.frameworks.skill_delete", user=editor).exists()
