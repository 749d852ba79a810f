"""Subject-access exports at the size of the real DDaT 2025-10 release: a person who has assessed every skill of it
(and whose manager validated each) gets every ledger row, current level and review in their export, and the "Your
data" page and the "Data exports" screen keep the query counts they have with one small export."""

import io
import json
import zipfile

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from cms.accounts.enums import Role
from frameworks.models import FrameworkRelease
from skills.enums import AssessmentSource
from skills.models import Assessment, CurrentLevel
from skills.services.subject_access import subject_access_export_download, subject_access_export_request
from tests.cms.factories import UserFactory
from tests.conftest import page_queries
from tests.frameworks.conftest import ddat_2025_10  # noqa: F401 — the real release, imported once per module
from tests.skills.factories import AssessmentFactory, PersonFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("ddat_2025_10")]


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page_query_count(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(page_queries(queries.captured_queries))


def test_an_export_of_a_person_assessed_on_every_ddat_skill_holds_every_row(django_capture_on_commit_callbacks):
    release = FrameworkRelease.objects.get(framework__slug="ddat", label="2025-10")
    skills = list(release.skills.order_by("code"))
    practitioner = release.levels.get(name="Practitioner")
    manager = PersonFactory()
    person = PersonFactory(line_manager=manager)
    data_protection = UserFactory(roles=[Role.DATA_PROTECTION])
    for skill in skills:
        AssessmentFactory(person=person, skill=skill, level=practitioner, author=person.user)
        AssessmentFactory(
            person=person, skill=skill, level=practitioner, source=AssessmentSource.LINE_MANAGER, author=manager.user
        )
    own, admin = client_for(person.user), client_for(data_protection)
    counts = {"own": [], "admin": []}
    with django_capture_on_commit_callbacks(execute=True):
        export = subject_access_export_request(subject=person.user, actor=data_protection)
    counts["own"].append(page_query_count(own, "/skills/your-data/"))
    counts["admin"].append(page_query_count(admin, "/admin/data-exports/"))
    with django_capture_on_commit_callbacks(execute=True):
        subject_access_export_request(subject=person.user, actor=person.user)
    export.refresh_from_db()
    with subject_access_export_download(export=export, actor=data_protection) as file:
        archive = zipfile.ZipFile(io.BytesIO(file.read()))
    ledger = json.loads(archive.read("data/skills.Assessment.json"))
    assert len(skills) > 30
    assert {row["id"] for row in ledger} == set(Assessment.objects.filter(person=person).values_list("pk", flat=True))
    assert len(ledger) == 2 * len(skills)
    levels = json.loads(archive.read("data/skills.CurrentLevel.json"))
    assert len(levels) == CurrentLevel.objects.filter(person=person).count() == len(skills)
    assert {row["validated_level"] for row in levels} == {str(practitioner)}
    counts["own"].append(page_query_count(own, "/skills/your-data/"))
    counts["admin"].append(page_query_count(admin, "/admin/data-exports/"))
    # Own: the account with its session record, the exports. Admin: the frame's (the account with its session record,
    # permissions, menus), the count and the page of exports with whose and by whom.
    assert counts["own"] == [2, 2]
    assert counts["admin"] == [11, 11]
