"""The full-file mode on the real DDaT 2025-10 release (decision 0217): an HR analyst's full file whose people hold
the release's real role levels is checked, lists who would leave, and is confirmed; the results page keeps the
same query count whether one or sixty people are missing."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from frameworks.models import FrameworkRelease
from skills.enums import PeopleImportStatus
from skills.models import PeopleImport, Person
from skills.services.people_import import people_import
from tests.conftest import page_queries
from tests.frameworks.conftest import ddat_2025_10  # noqa: F401 — the real release, imported once per module
from tests.skills.factories import PersonFactory, hr_analyst_for, org_unit
from tests.skills.hr_feed import UNIT, person_row, write_csv
from tests.skills.test_admin_people import IMPORTS, UPLOAD, feed_upload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("ddat_2025_10")]

DFE = "Department for Education"


def ddat_rows(count: int) -> list[dict]:
    """`count` people on the real release's role levels (a different one each, in turn), S1 managing the rest."""
    release = FrameworkRelease.objects.get(framework__slug="ddat", label="2025-10")
    levels = list(release.role_levels.select_related("role").order_by("role__name", "seniority"))
    assert len(levels) > 100
    return [
        person_row(
            f"S{number}",
            manager="" if number == 1 else "S1",
            role=levels[number].role.name,
            role_level=levels[number].name,
        )
        for number in range(1, count + 1)
    ]


def page_query_count(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(page_queries(queries.captured_queries))


def test_a_full_file_on_the_real_ddat_release_is_checked_listed_and_confirmed(
    client, tmp_path, settings, django_capture_on_commit_callbacks
):
    settings.CAPABILITY_FULL_FILE_MAX_LEAVERS_SHARE = 0.5
    rows = ddat_rows(12)
    assert people_import(actor=None, file=write_csv(tmp_path, rows, name="everyone.csv")).ok
    analyst = hr_analyst_for(DFE)
    client.force_login(analyst)
    left_on = timezone.localdate() - timedelta(days=1)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            UPLOAD,
            {
                "file": feed_upload(rows[:9]),
                "framework_slug": "ddat",
                "full_file": "on",
                "left_on": left_on.isoformat(),
            },
        )
    assert response.status_code == 302
    record = PeopleImport.objects.get()
    assert record.status == PeopleImportStatus.TO_CONFIRM
    page = client.get(f"{IMPORTS}inspect/{record.pk}/").content.decode()
    assert "Confirm: mark these 3 people as having left" in page
    for row in rows[9:]:
        assert row["staff_number"] in page

    with django_capture_on_commit_callbacks(execute=True):
        confirmed = client.post(f"{IMPORTS}confirm/{record.pk}/")
    assert confirmed.status_code == 302
    record.refresh_from_db()
    assert record.status == PeopleImportStatus.SUCCEEDED
    assert set(Person.objects.filter(left_on=left_on).values_list("staff_number", flat=True)) == {"S10", "S11", "S12"}


def test_the_results_page_on_the_real_ddat_release_keeps_its_query_count(client):
    analyst = hr_analyst_for(DFE)
    client.force_login(analyst)
    counts = []
    for absent in (1, 60):
        manager = PersonFactory(org_unit=org_unit(UNIT))
        people = [PersonFactory(line_manager=manager, org_unit=org_unit(f"{DFE}/Unit {n}")) for n in range(absent)]
        record = PeopleImport.objects.create(
            original_name="everyone.csv",
            framework_slug="ddat",
            full_file=True,
            left_on=timezone.localdate(),
            status=PeopleImportStatus.TO_CONFIRM,
            report={},
            absent_people=[person.pk for person in people],
            requested_by=analyst,
        )
        counts.append(page_query_count(client, f"{IMPORTS}inspect/{record.pk}/"))
    assert counts == [counts[0], counts[0]]
    assert counts[0] == 12
