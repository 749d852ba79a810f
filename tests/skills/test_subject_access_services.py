"""Subject-access exports (skills.services.subject_access; docs/decisions/0218): who may ask and download, what the
zip holds, and how long it is kept."""

import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.utils import timezone
from wagtail.models import ModelLogEntry

from cms.accounts.enums import Role
from skills.enums import SubjectAccessExportStatus
from skills.models import SubjectAccessExport
from skills.services.errors import NotAllowed
from skills.services.subject_access import (
    DOWNLOAD_ACTION,
    REQUEST_ACTION,
    subject_access_export_download,
    subject_access_export_request,
    subject_access_exports_expire,
)
from tests.cms.factories import UserFactory
from tests.skills.factories import PersonFactory, hr_analyst_for


def unzip(export) -> zipfile.ZipFile:
    with export.file.open("rb") as file:
        return zipfile.ZipFile(io.BytesIO(file.read()))


@pytest.fixture
def learner(db):
    return PersonFactory()


@pytest.fixture
def data_protection(db):
    return UserFactory(roles=[Role.DATA_PROTECTION])


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_person_asks_for_their_own_data_and_downloads_the_zip_once_the_task_has_put_it_together(learner):
    export = subject_access_export_request(subject=learner.user, actor=learner.user)
    export.refresh_from_db()
    assert export.status == SubjectAccessExportStatus.READY
    assert export.expires_at - export.finished_at == timedelta(days=7)
    with subject_access_export_download(export=export, actor=learner.user) as file:
        archive = zipfile.ZipFile(io.BytesIO(file.read()))
    names = archive.namelist()
    assert {"README.txt", "manifest.json", "data/skills.Person.json", "data/accounts.User.csv"} <= set(names)
    people = json.loads(archive.read("data/skills.Person.json"))
    assert [row["id"] for row in people] == [learner.pk]
    assert people[0]["staff_number"] == learner.staff_number
    users = json.loads(archive.read("data/accounts.User.json"))
    assert users[0]["email"] == learner.user.email
    assert users[0]["password"] == "set (not exported)"
    actions = list(ModelLogEntry.objects.filter(object_id=str(export.pk)).values_list("action", "user_id"))
    assert (REQUEST_ACTION, learner.user.pk) in actions
    assert (DOWNLOAD_ACTION, learner.user.pk) in actions


@pytest.mark.django_db
def test_the_data_protection_role_asks_for_anyones_data(learner, data_protection, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        export = subject_access_export_request(subject=learner.user, actor=data_protection)
    export.refresh_from_db()
    assert export.status == SubjectAccessExportStatus.READY
    assert export.requested_by == data_protection
    subject_access_export_download(export=export, actor=data_protection).close()


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["another learner", "line manager", "hr analyst", "inactive self"])
def test_nobody_else_may_ask_for_a_persons_data_and_nothing_is_created(who):
    manager = PersonFactory()
    learner = PersonFactory(line_manager=manager)
    actor = {
        "another learner": lambda: PersonFactory().user,
        "line manager": lambda: manager.user,
        "hr analyst": lambda: hr_analyst_for(learner.org_unit.name),
        "inactive self": lambda: learner.user,
    }[who]()
    if who == "inactive self":
        actor.is_active = False
        actor.save()
    with pytest.raises(NotAllowed):
        subject_access_export_request(subject=learner.user, actor=actor)
    assert not SubjectAccessExport.objects.exists()
    assert not ModelLogEntry.objects.filter(action=REQUEST_ACTION).exists()


@pytest.mark.django_db
def test_nobody_else_may_download_an_export_and_the_refusal_is_not_audited(
    learner, data_protection, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        export = subject_access_export_request(subject=learner.user, actor=data_protection)
    export.refresh_from_db()
    manager = PersonFactory()
    learner.line_manager = manager
    learner.save()
    for actor in (PersonFactory().user, manager.user, hr_analyst_for(learner.org_unit.name), learner.user):
        with pytest.raises(NotAllowed):
            subject_access_export_download(export=export, actor=actor)
    assert not ModelLogEntry.objects.filter(action=DOWNLOAD_ACTION).exists()


@pytest.mark.django_db
def test_an_export_already_waiting_is_returned_rather_than_a_second_one_queued(learner):
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("skills.services.subject_access.transaction.on_commit", lambda callback: None)
        first = subject_access_export_request(subject=learner.user, actor=learner.user)
        second = subject_access_export_request(subject=learner.user, actor=learner.user)
    assert first == second
    assert SubjectAccessExport.objects.count() == 1


@pytest.mark.django_db
def test_expired_exports_are_deleted_file_and_row_and_a_second_run_deletes_nothing(
    learner, django_capture_on_commit_callbacks, settings
):
    settings.CAPABILITY_SUBJECT_ACCESS_EXPORT_DAYS = 3
    with django_capture_on_commit_callbacks(execute=True):
        export = subject_access_export_request(subject=learner.user, actor=learner.user)
    export.refresh_from_db()
    storage, name = export.file.storage, export.file.name
    assert storage.exists(name)
    assert subject_access_exports_expire(now=timezone.now() + timedelta(days=2)) == 0
    assert subject_access_exports_expire(now=timezone.now() + timedelta(days=3, minutes=1)) == 1
    assert not storage.exists(name)
    assert not SubjectAccessExport.objects.exists()
    assert subject_access_exports_expire(now=timezone.now() + timedelta(days=4)) == 0


@pytest.mark.django_db
def test_an_expired_export_is_not_downloaded(learner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        export = subject_access_export_request(subject=learner.user, actor=learner.user)
    SubjectAccessExport.objects.filter(pk=export.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    export.refresh_from_db()
    with pytest.raises(NotAllowed, match="expired"):
        subject_access_export_download(export=export, actor=learner.user)


def test_the_expiry_task_is_scheduled_hourly_and_reports_what_it_deleted(
    learner, django_capture_on_commit_callbacks, settings
):
    from skills.tasks import subject_access_exports_expire as expire_task  # noqa: PLC0415 — the task under test

    entries = [entry for entry in settings.CELERY_BEAT_SCHEDULE.values() if entry["task"] == expire_task.name]
    assert [entry["schedule"] for entry in entries] == [timedelta(hours=1)]
    with django_capture_on_commit_callbacks(execute=True):
        export = subject_access_export_request(subject=learner.user, actor=learner.user)
    SubjectAccessExport.objects.filter(pk=export.pk).update(expires_at=timezone.now())
    assert expire_task.delay().get() == 1
    assert expire_task.delay().get() == 0


def test_an_export_that_cannot_be_put_together_is_marked_failed_with_no_file_and_is_not_built_again(
    learner, django_capture_on_commit_callbacks, monkeypatch
):
    from skills.services.subject_access import subject_access_export_build  # noqa: PLC0415 — the service under test

    def broken(*, export):
        raise OSError("The storage is full")

    monkeypatch.setattr("skills.services.subject_access.subject_access_zip", broken)
    with django_capture_on_commit_callbacks(execute=True):
        export = subject_access_export_request(subject=learner.user, actor=learner.user)
    export.refresh_from_db()
    assert (export.status, export.error, export.file.name) == ("failed", "The storage is full", "")
    assert export.finished_at is not None
    monkeypatch.undo()
    assert subject_access_export_build(export_id=export.pk) == "failed"
    with pytest.raises(NotAllowed):
        subject_access_export_download(export=export, actor=learner.user)
