"""The "Your data" page and the Data protection role's "Data exports" admin screen (docs/decisions/0218): asking,
listing and downloading, each attacked as the wrong user (404 or 403, and nothing is created), with pinned query
counts, the same for one export as for a page full."""

import io
import json
import zipfile

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wagtail.models import ModelLogEntry

from cms.accounts.enums import Role
from skills.enums import SubjectAccessExportStatus
from skills.models import SubjectAccessExport
from skills.services.subject_access import DOWNLOAD_ACTION, REQUEST_ACTION, subject_access_export_request
from tests.cms.factories import UserFactory
from tests.conftest import page_queries
from tests.skills.factories import PersonFactory, hr_analyst_for

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page_query_count(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(page_queries(queries.captured_queries))


def ready_export(*, subject, actor, capture):
    with capture(execute=True):
        export = subject_access_export_request(subject=subject, actor=actor)
    export.refresh_from_db()
    assert export.status == SubjectAccessExportStatus.READY
    return export


@pytest.fixture
def learner():
    return PersonFactory()


@pytest.fixture
def data_protection():
    return UserFactory(roles=[Role.DATA_PROTECTION])


# --- Your data ------------------------------------------------------------------------------------------------


def test_a_person_asks_for_their_data_sees_it_ready_and_downloads_it(learner, django_capture_on_commit_callbacks):
    client = client_for(learner.user)
    page = client.get("/skills/your-data/")
    assert page.status_code == 200
    assert "You have not asked for a copy yet" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/skills/your-data/")
    assert response.status_code == 302
    export = SubjectAccessExport.objects.get()
    assert (export.subject, export.requested_by, export.status) == (learner.user, learner.user, "ready")
    page = client.get("/skills/your-data/").content.decode()
    assert "Ready to download" in page
    download = client.get(f"/skills/your-data/{export.pk}/download/")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/zip"
    assert {"private", "no-store"} <= {part.strip() for part in download["Cache-Control"].split(",")}
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    assert json.loads(archive.read("data/skills.Person.json"))[0]["id"] == learner.pk
    assert ModelLogEntry.objects.filter(action=DOWNLOAD_ACTION, user=learner.user).count() == 1


def test_an_account_without_a_skills_profile_can_ask_for_its_data_too(django_capture_on_commit_callbacks):
    editor = UserFactory(roles=[Role.CONTENT_EDITOR])
    with django_capture_on_commit_callbacks(execute=True):
        client_for(editor).post("/skills/your-data/")
    export = SubjectAccessExport.objects.get(subject=editor)
    assert export.status == SubjectAccessExportStatus.READY


def test_the_your_data_page_is_linked_from_the_account_page_and_the_skills_overview(learner):
    client = client_for(learner.user)
    assert "/skills/your-data/" in client.get("/accounts/").content.decode()
    assert "/skills/your-data/" in client.get("/skills/").content.decode()


def test_anonymous_visitors_are_sent_to_sign_in_and_nothing_is_created():
    assert Client().post("/skills/your-data/").status_code == 302
    assert not SubjectAccessExport.objects.exists()


@pytest.mark.parametrize("who", ["another learner", "line manager", "hr analyst", "data protection"])
def test_nobody_but_the_person_downloads_their_export_from_the_your_data_page(
    who, learner, data_protection, django_capture_on_commit_callbacks
):
    manager = PersonFactory()
    learner.line_manager = manager
    learner.save()
    export = ready_export(subject=learner.user, actor=learner.user, capture=django_capture_on_commit_callbacks)
    intruder = {
        "another learner": lambda: PersonFactory().user,
        "line manager": lambda: manager.user,
        "hr analyst": lambda: hr_analyst_for(learner.org_unit.name),
        # The role downloads it from the admin screen, not from someone's own page.
        "data protection": lambda: data_protection,
    }[who]()
    client = client_for(intruder)
    assert client.get(f"/skills/your-data/{export.pk}/download/").status_code == 404
    assert "Ready to download" not in client.get("/skills/your-data/").content.decode()
    assert not ModelLogEntry.objects.filter(action=DOWNLOAD_ACTION).exists()


def test_an_export_the_data_protection_role_asked_for_is_not_on_the_persons_page(
    learner, data_protection, django_capture_on_commit_callbacks
):
    export = ready_export(subject=learner.user, actor=data_protection, capture=django_capture_on_commit_callbacks)
    client = client_for(learner.user)
    assert "Ready to download" not in client.get("/skills/your-data/").content.decode()
    assert client.get(f"/skills/your-data/{export.pk}/download/").status_code == 404


def test_the_your_data_page_keeps_its_query_count_for_one_export_and_a_page_full(
    learner, django_capture_on_commit_callbacks
):
    client = client_for(learner.user)
    counts = []
    for _ in range(2):
        ready_export(subject=learner.user, actor=learner.user, capture=django_capture_on_commit_callbacks)
        counts.append(page_query_count(client, "/skills/your-data/"))
        for _ in range(11):
            SubjectAccessExport.objects.create(
                subject=learner.user, requested_by=learner.user, status="failed", finished_at=learner.updated_at
            )
    # The account, its session record, and the exports.
    assert counts == [2, 2]


# --- The Data protection role's admin screen ---------------------------------------------------------------------


def test_the_data_protection_role_exports_anyones_data_and_downloads_it(
    learner, data_protection, django_capture_on_commit_callbacks
):
    client = client_for(data_protection)
    assert client.get("/admin/data-exports/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/admin/data-exports/", {"email": learner.user.email.upper()})
    assert response.status_code == 302
    export = SubjectAccessExport.objects.get()
    assert (export.subject, export.requested_by, export.status) == (learner.user, data_protection, "ready")
    page = client.get("/admin/data-exports/").content.decode()
    assert learner.user.email in page
    assert f"/admin/data-exports/{export.pk}/download/" in page
    download = client.get(f"/admin/data-exports/{export.pk}/download/")
    assert download.status_code == 200
    assert zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content))).read("README.txt")
    assert ModelLogEntry.objects.filter(action=REQUEST_ACTION, user=data_protection).count() == 1
    assert ModelLogEntry.objects.filter(action=DOWNLOAD_ACTION, user=data_protection).count() == 1


def test_the_admin_screen_lists_exports_people_asked_for_themselves_too(
    learner, data_protection, django_capture_on_commit_callbacks
):
    export = ready_export(subject=learner.user, actor=learner.user, capture=django_capture_on_commit_callbacks)
    assert client_for(data_protection).get(f"/admin/data-exports/{export.pk}/download/").status_code == 200


@pytest.mark.parametrize(
    ("email", "error"),
    [
        ("", "Enter the e-mail address of the person whose data to export"),
        ("not an address", "Enter an e-mail address in the correct format"),
        ("nobody@example.gov.uk", "No account has this e-mail address"),
    ],
)
def test_a_wrong_address_is_refused_with_a_clear_error_and_nothing_is_created(data_protection, email, error):
    response = client_for(data_protection).post("/admin/data-exports/", {"email": email})
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not SubjectAccessExport.objects.exists()


@pytest.mark.parametrize("role", [Role.HR_ANALYST, Role.TRAINING_ADMINISTRATOR, Role.CONTENT_EDITOR])
def test_other_admin_roles_are_refused_the_admin_screen_and_nothing_is_created(
    role, learner, data_protection, django_capture_on_commit_callbacks
):
    export = ready_export(subject=learner.user, actor=data_protection, capture=django_capture_on_commit_callbacks)
    client = client_for(UserFactory(roles=[role]))
    assert client.get("/admin/data-exports/").status_code == 403
    assert client.post("/admin/data-exports/", {"email": learner.user.email}).status_code == 403
    assert client.get(f"/admin/data-exports/{export.pk}/download/").status_code == 403
    assert SubjectAccessExport.objects.count() == 1
    assert not ModelLogEntry.objects.filter(action=DOWNLOAD_ACTION).exists()


def test_learners_and_line_managers_never_reach_the_admin_screen(learner):
    manager = PersonFactory()
    for user in (learner.user, manager.user):
        client = client_for(user)
        assert client.get("/admin/data-exports/").status_code == 302
        assert client.post("/admin/data-exports/", {"email": learner.user.email}).status_code == 302
    assert not SubjectAccessExport.objects.exists()


def test_the_data_exports_menu_item_is_shown_to_the_role_only(data_protection):
    assert "Data exports" in client_for(data_protection).get("/admin/").content.decode()
    assert "Data exports" not in client_for(UserFactory(roles=[Role.HR_ANALYST])).get("/admin/").content.decode()


def test_the_admin_screen_keeps_its_query_count_for_one_export_and_a_page_full(
    learner, data_protection, django_capture_on_commit_callbacks
):
    client = client_for(data_protection)
    counts = []
    for _ in range(2):
        ready_export(subject=learner.user, actor=data_protection, capture=django_capture_on_commit_callbacks)
        counts.append(page_query_count(client, "/admin/data-exports/"))
        for _ in range(60):
            subject = PersonFactory().user
            SubjectAccessExport.objects.create(
                subject=subject, requested_by=data_protection, status="failed", finished_at=learner.updated_at
            )
    assert counts == [11, 11]
