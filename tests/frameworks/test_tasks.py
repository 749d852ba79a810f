"""The frameworks tasks: ids in, the service they are named after called, and safe to run twice (a retry or a
redelivered message after a worker died)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.search.models import IndexEntry

from frameworks import tasks
from frameworks.enums import ImportJobStatus
from frameworks.models import FrameworkImport, FrameworkRelease, Skill
from frameworks.services import framework_import_job_create
from tests.frameworks.conftest import small_ddat_files

pytestmark = pytest.mark.django_db


def queued_import(editor, django_capture_on_commit_callbacks) -> FrameworkImport:
    files = small_ddat_files()
    with django_capture_on_commit_callbacks(execute=False):
        return framework_import_job_create(
            kind="ddat",
            framework_slug="ddat",
            release_label="2026-01",
            roles_file=SimpleUploadedFile("roles.csv", files["roles_file"]),
            skills_file=SimpleUploadedFile("skills.csv", files["skills_file"]),
            actor=editor,
        )


def test_an_import_task_run_twice_imports_once(editor, django_capture_on_commit_callbacks):
    job = queued_import(editor, django_capture_on_commit_callbacks)

    assert tasks.framework_import_job_run(job.pk) == ImportJobStatus.FINISHED
    first = FrameworkImport.objects.get(pk=job.pk)
    assert first.release_id is not None
    assert tasks.framework_import_job_run(job.pk) == ImportJobStatus.FINISHED

    again = FrameworkImport.objects.get(pk=job.pk)
    assert (again.started_at, again.finished_at, again.release_id) == (
        first.started_at,
        first.finished_at,
        first.release_id,
    )
    assert FrameworkRelease.objects.filter(label="2026-01").count() == 1


def test_the_search_index_task_indexes_a_published_release_once_however_often_it_runs(published):
    indexed = tasks.release_search_index_update(published.pk)

    assert indexed > 0
    entries = IndexEntry.objects.count()
    assert tasks.release_search_index_update(published.pk) == indexed
    assert IndexEntry.objects.count() == entries
    assert Skill.objects.filter(release=published).count() <= entries


def test_the_search_index_task_for_a_release_that_is_gone_does_nothing():
    assert tasks.release_search_index_update(987654) == 0


def test_the_stale_imports_sweep_finds_nothing_to_stop_when_nothing_runs(editor, django_capture_on_commit_callbacks):
    job = queued_import(editor, django_capture_on_commit_callbacks)
    tasks.framework_import_job_run(job.pk)

    assert tasks.framework_import_jobs_sweep_stale() == 0
    assert tasks.framework_import_jobs_sweep_stale() == 0
    assert FrameworkImport.objects.get(pk=job.pk).status == ImportJobStatus.FINISHED
