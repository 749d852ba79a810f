"""Frameworks > Imports (frameworks.viewsets.imports): an upload runs as a task and ends with its report; a bad
file writes nothing and says where; and no upload can exhaust a worker (huge sheets, endless CSV files, a
worker that died)."""

import io
import re
import time
import zipfile
from datetime import timedelta

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from cms.celery import app
from frameworks import tasks
from frameworks.ddat_schema import ROLES_COLUMNS
from frameworks.enums import ImportJobStatus, ImportOutcome, ReleaseStatus
from frameworks.importers.files import MAX_CSV_RECORDS
from frameworks.models import FrameworkImport, FrameworkRelease
from tests.frameworks.admin.conftest import upload
from tests.frameworks.conftest import SMALL_ROLES, csv_bytes, small_ddat_files
from tests.frameworks.sfia_files import workbook_bytes

pytestmark = pytest.mark.django_db


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
