"""The framework admin, as a Content editor uses it: imports with progress and report, draft editing through
the services (with history), published releases read-only, and refusals that say why."""

import csv
import io
import re
import time
import zipfile
from datetime import timedelta

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import resolve, reverse
from django.utils import timezone
from pytest_django.asserts import assertRedirects
from wagtail.models import ModelLogEntry

from cms.accounts.enums import Role as AccountRole
from cms.celery import app
from frameworks import tasks
from frameworks.ddat_schema import ROLES_COLUMNS
from frameworks.enums import ImportJobStatus, ImportOutcome, ReleaseStatus
from frameworks.importers.files import MAX_CSV_RECORDS
from frameworks.models import (
    Framework,
    FrameworkImport,
    FrameworkRelease,
    ReleaseChange,
    Requirement,
    Role,
    RoleLevel,
    Skill,
)
from frameworks.services import (
    framework_import_ddat,
    framework_release_changes_compute,
    framework_release_draft_create_from_current,
    skill_create,
)
from tests.cms.factories import SuperuserFactory, UserFactory
from tests.frameworks.conftest import SMALL_ROLES, csv_bytes, small_ddat_files
from tests.frameworks.sfia_files import workbook_bytes
from tests.frameworks.test_spreadsheets import ATTACK

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client):
    user = UserFactory(roles=[AccountRole.CONTENT_EDITOR])
    client.force_login(user)
    return user


@pytest.fixture
def published():
    report = framework_import_ddat(**small_ddat_files(), release_label="2025-10", publish=True, actor=None)
    assert report.ok
    return FrameworkRelease.objects.get(label="2025-10")


@pytest.fixture
def draft(published):
    return framework_release_draft_create_from_current(framework=published.framework, label="2026-04", actor=None)


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="text/csv")


def messages_of(response) -> str:
    return " ".join(str(message) for message in response.context["messages"]) if response.context else ""


# --- menu and listings -----------------------------------------------------------------------------------


def test_the_frameworks_menu_groups_every_admin_page(client, editor):
    page = client.get("/admin/").content.decode()

    for label in ("Frameworks", "Releases", "Skills", "Role levels", "Required skills", "Change log", "Imports"):
        assert label in page


@pytest.mark.parametrize(
    "path",
    [
        "/admin/frameworks/releases/",
        "/admin/frameworks/releases/?status=draft",
        "/admin/frameworks/skills/",
        "/admin/frameworks/skills/?q=check&in_use=true",
        "/admin/frameworks/roles/",
        "/admin/frameworks/role-levels/?q=senior",
        "/admin/frameworks/required-skills/?skill=checking-work",
        "/admin/frameworks/changes/",
        "/admin/frameworks/imports/",
        "/admin/frameworks/frameworks/",
        "/admin/frameworks/publications/",
    ],
)
def test_each_listing_answers_with_search_and_filters(client, editor, draft, path):
    assert client.get(path).status_code == 200


def test_people_without_an_editorial_role_cannot_use_the_framework_admin(client, draft):
    client.force_login(UserFactory(roles=[AccountRole.HR_ANALYST]))

    for url in [
        "/admin/frameworks/skills/",
        reverse("frameworks_release:preview_home", args=[draft.pk]),
        "/admin/frameworks/imports/new/",
    ]:
        assertRedirects(client.get(url), "/admin/", fetch_redirect_response=False)


@pytest.mark.parametrize(
    ("listing", "refused"),
    [
        ("/admin/frameworks/frameworks/", ["add", "delete"]),
        ("/admin/frameworks/releases/", ["change", "delete"]),
        ("/admin/frameworks/roles/", ["add", "change", "delete"]),
        ("/admin/frameworks/role-levels/", ["add", "delete"]),
        ("/admin/frameworks/changes/", ["add", "delete"]),
        ("/admin/frameworks/imports/", ["change", "delete"]),
    ],
)
def test_an_action_the_framework_admin_refuses_is_refused_to_superusers_too_and_lists_nobody(listing, refused):
    assert_refused_to_everyone(listing, refused)


def assert_refused_to_everyone(listing: str, refused: list[str]) -> None:
    """The permission policy of the admin listing at `listing` refuses `refused` to a superuser, and lists
    nobody as able to do them (docs/decisions/0019)."""
    superuser = SuperuserFactory()
    policy = resolve(listing).func.view_initkwargs["permission_policy"]

    assert not policy.user_has_any_permission(superuser, refused)
    assert not policy.users_with_any_permission(refused).exists()
    for action in refused:
        assert not policy.user_has_permission(superuser, action)
        assert not policy.users_with_permission(action).exists()
    assert list(policy.users_with_any_permission(["view", *refused])) == [superuser]  # what is offered, they may


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


def test_the_imports_listing_exports_each_import_as_it_lists_it(client, editor):
    FrameworkImport.objects.create(
        kind="ddat",
        framework_slug="ddat",
        release_label="2026-04",
        requested_by=editor,
        status=ImportJobStatus.FINISHED,
        finished_at=timezone.now(),
        outcome=ImportOutcome.CREATED,
    )

    response = client.get("/admin/frameworks/imports/", {"export": "xlsx"})

    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert response["Content-Disposition"] == 'attachment; filename="framework-imports.xlsx"'
    assert rows[0] == ["Framework slug", "Release label", "Status", "Outcome", "Requested by", "Uploaded"]
    assert rows[1][:5] == ["ddat", "2026-04", "Finished", "Created a new draft release", str(editor)]


# --- imports ---------------------------------------------------------------------------------------------


def test_an_uploaded_import_runs_as_a_task_and_ends_with_the_report(client, editor, django_capture_on_commit_callbacks):
    files = small_ddat_files()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/frameworks/imports/new/",
            {
                "kind": "ddat",
                "framework_slug": "ddat",
                "release_label": "2025-10",
                "roles_file": upload("roles.csv", files["roles_file"]),
                "skills_file": upload("skills.csv", files["skills_file"]),
            },
        )

    job = FrameworkImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("frameworks_import:inspect", args=[job.pk])
    assert (job.status, job.outcome, job.percent) == (ImportJobStatus.FINISHED, ImportOutcome.CREATED, 100)
    assert job.release == FrameworkRelease.objects.get(label="2025-10", status=ReleaseStatus.DRAFT)
    assert job.requested_by == editor
    assert job.report["counts"]["skills"] == 2
    page = client.get(response["Location"]).content.decode()
    assert "Created a new draft release" in page
    assert "Role without levels (NOT IN USE)" in page
    assert "Review the draft release" in page
    assert ModelLogEntry.objects.filter(action="capability.frameworks.import", user=editor).exists()


def test_an_import_with_a_bad_row_writes_nothing_and_names_file_row_and_column(
    client, editor, django_capture_on_commit_callbacks
):
    bad_roles = [dict(row) for row in SMALL_ROLES]
    bad_roles[1]["Skill Level"] = "Wizard"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/frameworks/imports/new/",
            {
                "kind": "ddat",
                "framework_slug": "ddat",
                "release_label": "2025-10",
                "roles_file": upload("roles.csv", csv_bytes(ROLES_COLUMNS, bad_roles)),
                "skills_file": upload("skills.csv", small_ddat_files()["skills_file"]),
            },
        )

    job = FrameworkImport.objects.get()
    assert job.outcome == ImportOutcome.FAILED
    assert not FrameworkRelease.objects.exists()
    page = client.get(response["Location"]).content.decode()
    assert "Nothing was written" in page
    assert "roles.csv, row 3, column &#x27;Skill Level&#x27;" in page


def test_an_import_needs_both_ddat_files(client, editor):
    response = client.post(
        "/admin/frameworks/imports/new/",
        {"kind": "ddat", "framework_slug": "ddat", "release_label": "2025-10"},
    )

    assert response.status_code == 200
    assert "Choose the DDaT roles file (roles.csv) to import" in response.content.decode()
    assert not FrameworkImport.objects.exists()


def test_the_import_page_refreshes_itself_while_the_import_runs(client, editor):
    job = FrameworkImport.objects.create(
        kind="ddat", framework_slug="ddat", release_label="2025-10", status=ImportJobStatus.RUNNING, percent=40
    )

    page = client.get(reverse("frameworks_import:inspect", args=[job.pk])).content.decode()

    assert '<meta http-equiv="refresh" content="2">' in page
    assert '<progress max="100" value="40"' in page


# --- editing drafts --------------------------------------------------------------------------------------


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


def test_a_role_level_and_its_required_skills_are_edited_through_the_services(client, editor, draft):
    role_level = draft.role_levels.get(code="checker")
    requirement = Requirement.objects.get(role_level=role_level, skill__code="checking-work")
    expert = draft.levels.get(code="expert")

    client.post(
        reverse("frameworks_role_level:edit", args=[role_level.pk]),
        {"name": role_level.name, "description": role_level.description, "indicative_grade": "HEO"},
    )
    client.post(reverse("frameworks_requirement:edit", args=[requirement.pk]), {"level": expert.pk})
    removed = Requirement.objects.get(role_level=role_level, skill__code="writing-notes")
    client.post(reverse("frameworks_requirement:delete", args=[removed.pk]))

    role_level.refresh_from_db()
    requirement.refresh_from_db()
    assert role_level.indicative_grade == "HEO"
    assert requirement.level == expert
    assert not Requirement.objects.filter(pk=removed.pk).exists()
    assert ModelLogEntry.objects.filter(action="capability.frameworks.requirement_delete", user=editor).exists()


def test_a_requirement_is_added_through_the_service(client, editor, draft):
    role_level = draft.role_levels.get(code="lead-checker")
    skill = draft.skills.get(code="writing-notes")

    client.post(
        reverse("frameworks_requirement:add"),
        {"role_level": role_level.pk, "skill": skill.pk, "level": draft.levels.get(code="expert").pk},
    )

    requirement = Requirement.objects.get(role_level=role_level, skill=skill)
    assert (requirement.role_id, requirement.release_id, requirement.level.code) == (
        role_level.role_id,
        draft.pk,
        "expert",
    )


def test_a_change_log_line_gets_an_editors_note(client, editor, draft):

    skill_create(release=draft, name="Brand new", actor=None)

    framework_release_changes_compute(release=draft, actor=None)
    change = ReleaseChange.objects.get(release=draft, code="brand-new")

    client.post(reverse("frameworks_change:edit", args=[change.pk]), {"note": "Asked for by the profession."})

    change.refresh_from_db()
    assert change.note == "Asked for by the profession."


def test_a_new_draft_is_made_from_the_current_release(client, editor, published):
    response = client.post(reverse("frameworks_release:add"), {"framework": published.framework_id, "label": "2026-04"})

    draft = FrameworkRelease.objects.get(label="2026-04")
    assert response["Location"] == reverse("frameworks_release:inspect", args=[draft.pk])
    assert draft.status == ReleaseStatus.DRAFT
    assert draft.skills.count() == published.skills.count()


def test_the_framework_details_are_edited_through_the_service(client, editor, published):
    framework = published.framework
    client.post(
        reverse("frameworks_framework:edit", args=[framework.pk]),
        {
            "name": framework.name,
            "description": "The framework of the digital and data profession.",
            "licence": framework.licence,
            "licence_url": framework.licence_url,
            "reassessment_period_months": 18,
        },
    )

    framework.refresh_from_db()
    assert framework.reassessment_period_months == 18
    assert ModelLogEntry.objects.filter(action="capability.frameworks.framework_update").exists()


# --- published releases are read-only --------------------------------------------------------------------


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


# --- deleting --------------------------------------------------------------------------------------------


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


# --- preview ---------------------------------------------------------------------------------------------


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


def test_frameworks_are_never_deleted_nor_added_in_the_admin(admin_client, published):
    framework = Framework.objects.get()

    assertRedirects(admin_client.get("/admin/frameworks/frameworks/new/"), "/admin/", fetch_redirect_response=False)
    assertRedirects(
        admin_client.post(f"/admin/frameworks/frameworks/delete/{framework.pk}/"),
        "/admin/",
        fetch_redirect_response=False,
    )
    assert Framework.objects.filter(pk=framework.pk).exists()


def test_a_sfia_workbook_uploaded_in_the_admin_is_imported(client, editor, django_capture_on_commit_callbacks):

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/admin/frameworks/imports/new/",
            {
                "kind": "sfia",
                "framework_slug": "sfia",
                "release_label": "9",
                "workbook": SimpleUploadedFile("sfia-9.xlsx", workbook_bytes()),
            },
        )

    job = FrameworkImport.objects.get()
    assert (job.status, job.outcome) == (ImportJobStatus.FINISHED, ImportOutcome.CREATED)
    assert job.file_names == ["sfia-9.xlsx"]
    assert job.release.skills.count() == 3


# --- imports that must not exhaust a worker ---------------------------------------------------------------


def huge_dimension_workbook(*, far_cell: bool) -> bytes:
    """A valid small workbook whose Skills sheet declares the whole grid, A1:XFD1048576, as its size; with
    `far_cell`, it also holds one cell in the grid's last row and column, as a crafted upload would."""

    source = zipfile.ZipFile(io.BytesIO(workbook_bytes()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as crafted:
        for member in source.infolist():
            data = source.read(member)
            if member.filename == "xl/worksheets/sheet1.xml":
                xml = re.sub(r'<dimension ref="[^"]*"\s*/>', '<dimension ref="A1:XFD1048576"/>', data.decode())
                if far_cell:
                    far = '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
                    xml = xml.replace("</sheetData>", far + "</sheetData>")
                data = xml.encode()
            crafted.writestr(member, data)
    return buffer.getvalue()


def upload_workbook(client, data: bytes, capture):
    with capture(execute=True):
        return client.post(
            "/admin/frameworks/imports/new/",
            {
                "kind": "sfia",
                "framework_slug": "sfia",
                "release_label": "9",
                "workbook": SimpleUploadedFile("sfia-9.xlsx", data),
            },
        )


def test_a_tiny_workbook_reaching_the_last_row_of_the_grid_is_refused_quickly_and_says_why(
    client, editor, django_capture_on_commit_callbacks
):

    data = huge_dimension_workbook(far_cell=True)
    assert len(data) < 10_000
    started = time.monotonic()

    upload_workbook(client, data, django_capture_on_commit_callbacks)

    assert time.monotonic() - started < 10
    job = FrameworkImport.objects.get()
    assert (job.status, job.outcome) == (ImportJobStatus.FINISHED, ImportOutcome.FAILED)
    page = client.get(reverse("frameworks_import:inspect", args=[job.pk])).content.decode()
    assert "sheet &#x27;Skills&#x27;: has rows beyond row 2,000" in page
    assert not FrameworkRelease.objects.filter(framework__slug="sfia").exists()


def test_a_workbook_that_only_declares_a_huge_size_is_read_by_its_real_rows(
    client, editor, django_capture_on_commit_callbacks
):
    upload_workbook(client, huge_dimension_workbook(far_cell=False), django_capture_on_commit_callbacks)

    job = FrameworkImport.objects.get()
    assert (job.status, job.outcome) == (ImportJobStatus.FINISHED, ImportOutcome.CREATED)
    assert job.release.skills.count() == 3


def test_a_workbook_larger_than_the_limit_is_refused_on_the_form(client, editor):
    response = client.post(
        "/admin/frameworks/imports/new/",
        {
            "kind": "sfia",
            "framework_slug": "sfia",
            "release_label": "9",
            "workbook": SimpleUploadedFile("sfia-9.xlsx", b"PK" + b"\0" * (10 * 1024 * 1024)),
        },
    )

    assert response.status_code == 200
    assert "The SFIA workbook (.xlsx) must be smaller than 10 MB" in str(response.context["form"].errors)
    assert not FrameworkImport.objects.exists()


def test_an_import_whose_worker_died_is_marked_stopped_with_the_reason_on_its_page(client, editor, settings):

    limit = settings.CELERY_TASK_TIME_LIMIT
    started = timezone.now() - timedelta(seconds=limit) - timedelta(minutes=6)
    dead = FrameworkImport.objects.create(
        kind="sfia", framework_slug="sfia", release_label="9", status=ImportJobStatus.RUNNING, started_at=started
    )
    alive = FrameworkImport.objects.create(
        kind="sfia",
        framework_slug="sfia",
        release_label="9b",
        status=ImportJobStatus.RUNNING,
        started_at=timezone.now() - timedelta(minutes=1),
    )

    assert tasks.framework_import_jobs_sweep_stale.delay().get() == 1

    dead.refresh_from_db()
    alive.refresh_from_db()
    assert dead.status == ImportJobStatus.CRASHED
    assert dead.finished_at is not None
    assert alive.status == ImportJobStatus.RUNNING
    page = client.get(reverse("frameworks_import:inspect", args=[dead.pk])).content.decode()
    assert "the worker running it had stopped" in page
    assert 'http-equiv="refresh"' not in page
    assert ModelLogEntry.objects.filter(action="capability.frameworks.import_stale", object_id=str(dead.pk)).exists()


def test_the_sweep_of_dead_imports_is_on_the_beat_schedule(settings):

    entries = [entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()]
    assert "frameworks.tasks.framework_import_jobs_sweep_stale" in entries
    app.loader.import_default_modules()
    assert "frameworks.tasks.framework_import_jobs_sweep_stale" in app.tasks


def test_a_csv_file_with_more_rows_than_any_framework_has_is_refused_and_says_why(
    client, editor, django_capture_on_commit_callbacks
):

    files = small_ddat_files()
    endless = files["roles_file"] + b"x,y\n" * MAX_CSV_RECORDS
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/admin/frameworks/imports/new/",
            {
                "kind": "ddat",
                "framework_slug": "ddat",
                "release_label": "2025-10",
                "roles_file": upload("roles.csv", endless),
                "skills_file": upload("skills.csv", files["skills_file"]),
            },
        )

    job = FrameworkImport.objects.get()
    assert job.outcome == ImportOutcome.FAILED
    page = client.get(reverse("frameworks_import:inspect", args=[job.pk])).content.decode()
    assert "roles.csv: has more than 20,000 rows" in page
    assert not FrameworkRelease.objects.exists()
