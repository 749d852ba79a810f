"""People › Import people with a full file (decision 0217): the upload form's full-file choice, the results page
that lists who would leave and asks for confirmation, confirming and cancelling, and who may (the uploader or a
superuser; another analyst finds nothing, anyone without the right is turned away). The service:
tests/skills/test_full_file.py."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cms.accounts.enums import Role
from skills.enums import PeopleImportStatus
from skills.importers import PeopleImportReport
from skills.models import PeopleImport, Person
from skills.services.people_import import people_import
from tests.cms.factories import SuperuserFactory, UserFactory
from tests.skills.factories import PersonFactory, hr_analyst_for, org_unit
from tests.skills.hr_feed import UNIT, ddat_framework, team, write_csv
from tests.skills.test_admin_people import IMPORTS, SIGN_IN, UPLOAD, feed_upload

pytestmark = pytest.mark.django_db

DFE = "Department for Education"


@pytest.fixture
def imported(db, tmp_path, settings):
    """hr_feed.team() in the database: S1 manages S2 and S3; S2 manages S4. Half may be missing from a full file."""
    settings.CAPABILITY_FULL_FILE_MAX_LEAVERS_SHARE = 0.5
    ddat_framework()
    report = people_import(actor=None, file=write_csv(tmp_path, team(), name="team.csv"))
    assert report.ok, report.errors
    return {person.staff_number: person for person in Person.objects.select_related("user")}


@pytest.fixture
def analyst(client, db):
    user = hr_analyst_for(DFE)
    client.force_login(user)
    return user


def yesterday():
    return timezone.localdate() - timedelta(days=1)


def long_date(day):
    return f"{day.day} {day:%B %Y}"


def upload_full_file(client, rows, **data):
    return client.post(
        UPLOAD,
        {
            "file": feed_upload(rows),
            "framework_slug": "ddat",
            "full_file": "on",
            "left_on": yesterday().isoformat(),
            **data,
        },
    )


def leavers():
    return set(Person.objects.filter(left_on__isnull=False).values_list("staff_number", flat=True))


def checked_upload(client, django_capture_on_commit_callbacks):
    """A full file without S3 and S4, uploaded and checked: its record."""
    with django_capture_on_commit_callbacks(execute=True):
        response = upload_full_file(client, team()[:2])
    assert response.status_code == 302
    return PeopleImport.objects.get()


def test_an_hr_analyst_uploads_a_full_file_sees_who_would_leave_confirms_and_sees_them_marked(
    client, analyst, imported, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = upload_full_file(client, team()[:2])

    record = PeopleImport.objects.get()
    assert response.url == f"{IMPORTS}inspect/{record.pk}/"
    page = client.get(response.url).content.decode()
    day = long_date(yesterday())
    assert "Checked: waiting for you to confirm the leavers" in page
    assert "The file is valid, and nothing has been written yet." in page
    assert f"People who would be marked as having left on {day} (2)" in page
    assert "<td>Ada Person S3</td><td>S3</td><td>Department for Education/Digital and Data/Data team</td>" in page
    assert "<td>Ada Person S4</td><td>S4</td><td>Department for Education/Digital and Data/Platform team</td>" in page
    assert f"Confirm: mark these 2 people as having left on {day}" in page
    assert leavers() == set()
    assert "to confirm: 2 would leave" in client.get(IMPORTS).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{IMPORTS}confirm/{record.pk}/")

    assert response.url == f"{IMPORTS}inspect/{record.pk}/"
    assert leavers() == {"S3", "S4"}
    page = client.get(response.url).content.decode()
    assert 'data-import-status="succeeded"' in page
    assert f"People marked as having left on {day}, missing from the file (2)" in page
    assert "People missing from the full file who were marked as having left: 2." in page
    assert "Confirm:" not in page


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"left_on": (timezone.localdate() + timedelta(days=1)).isoformat()}, "left_on", "cannot be in the future"),
        ({"left_on": ""}, "left_on", "Give the day the people missing from the file left."),
        ({"dry_run": "on"}, "dry_run", "A full file is always checked before anything is written"),
    ],
)
def test_the_upload_form_refuses_a_full_file_with_a_bad_day_or_check_only_and_keeps_what_was_chosen(
    client, analyst, imported, data, field, message
):
    response = upload_full_file(client, team(), **data)

    assert response.status_code == 200
    form = response.context["form"]
    assert any(message in error for error in form.errors[field])
    assert form["full_file"].value() is True
    assert form["framework_slug"].value() == "ddat"
    assert not PeopleImport.objects.exists()


def test_a_full_file_is_off_by_default_and_its_day_defaults_to_today(client, analyst, imported):
    form = client.get(UPLOAD).context["form"]
    assert form["full_file"].value() is False
    assert form["left_on"].value() == timezone.localdate()


def test_another_hr_analyst_finds_no_full_file_to_see_confirm_or_cancel_and_nothing_changes(
    client, analyst, imported, django_capture_on_commit_callbacks
):
    record = checked_upload(client, django_capture_on_commit_callbacks)
    client.force_login(hr_analyst_for(DFE))

    with django_capture_on_commit_callbacks(execute=True):
        answers = [
            client.get(f"{IMPORTS}inspect/{record.pk}/").status_code,
            client.post(f"{IMPORTS}confirm/{record.pk}/").status_code,
            client.post(f"{IMPORTS}cancel/{record.pk}/").status_code,
        ]

    assert answers == [404, 404, 404]
    record.refresh_from_db()
    assert record.status == PeopleImportStatus.TO_CONFIRM
    assert record.file
    assert leavers() == set()


@pytest.mark.parametrize(
    ("roles", "redirected_to"),
    [([Role.LEARNER], SIGN_IN), ([Role.LINE_MANAGER], SIGN_IN), ([Role.CONTENT_EDITOR], "/admin/")],
)
def test_people_without_the_right_to_import_are_turned_away_from_confirming(
    client, analyst, imported, django_capture_on_commit_callbacks, roles, redirected_to
):
    record = checked_upload(client, django_capture_on_commit_callbacks)
    client.force_login(UserFactory(roles=roles))

    with django_capture_on_commit_callbacks(execute=True):
        responses = [client.post(f"{IMPORTS}{action}/{record.pk}/") for action in ("confirm", "cancel")]

    for response in responses:
        assert response.status_code == 302
        assert response.url.startswith(redirected_to)
    record.refresh_from_db()
    assert record.status == PeopleImportStatus.TO_CONFIRM
    assert leavers() == set()


def test_a_superuser_may_confirm_an_analyst_s_full_file(client, analyst, imported, django_capture_on_commit_callbacks):
    record = checked_upload(client, django_capture_on_commit_callbacks)
    superuser = SuperuserFactory()
    client.force_login(superuser)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{IMPORTS}confirm/{record.pk}/")
        client.post(f"{IMPORTS}confirm/{record.pk}/")  # twice: nothing more

    record.refresh_from_db()
    assert (record.status, record.confirmed_by) == (PeopleImportStatus.SUCCEEDED, superuser)
    assert leavers() == {"S3", "S4"}


def test_cancelling_a_full_file_writes_nothing_and_deletes_it(
    client, analyst, imported, django_capture_on_commit_callbacks
):
    record = checked_upload(client, django_capture_on_commit_callbacks)
    kept = record.file.name

    response = client.post(f"{IMPORTS}cancel/{record.pk}/")

    record.refresh_from_db()
    assert record.status == PeopleImportStatus.CANCELLED
    assert not record.file.storage.exists(kept)
    page = client.get(response.url).content.decode()
    assert "cancelled before it was confirmed: nothing was written, and the uploaded file was deleted" in page
    assert leavers() == set()


def test_a_refused_full_file_lists_its_problems_as_any_other(
    client, analyst, imported, django_capture_on_commit_callbacks, settings
):
    settings.CAPABILITY_FULL_FILE_MAX_LEAVERS_SHARE = 0.2
    with django_capture_on_commit_callbacks(execute=True):
        response = upload_full_file(client, team()[:2])

    page = client.get(response.url).content.decode()
    assert PeopleImport.objects.get().status == PeopleImportStatus.REJECTED
    assert "2 of the 4 people in the organisation units you are responsible for are missing from this file" in page
    assert "Confirm:" not in page


def waiting_record(user, absent: int) -> PeopleImport:
    """A checked full file leaving out `absent` people, each with a line manager in a unit of their own."""
    manager = PersonFactory(org_unit=org_unit(UNIT))
    people = [
        PersonFactory(line_manager=manager, org_unit=org_unit(f"{DFE}/Unit {number}")) for number in range(absent)
    ]
    report = PeopleImportReport(source="everyone.csv", dry_run=True, rows=1, leavers_by_absence=absent)
    return PeopleImport.objects.create(
        original_name="everyone.csv",
        framework_slug="ddat",
        full_file=True,
        left_on=yesterday(),
        status=PeopleImportStatus.TO_CONFIRM,
        report=report.as_dict(),
        absent_people=[person.pk for person in people],
        requested_by=user,
    )


def test_the_results_page_takes_as_many_queries_for_sixty_people_missing_as_for_one(client, analyst):
    def queries(record):
        with CaptureQueriesContext(connection) as context:
            response = client.get(f"{IMPORTS}inspect/{record.pk}/")
        assert response.status_code == 200
        return len(context), response.content.decode()

    one, _ = queries(waiting_record(analyst, 1))
    sixty, page = queries(waiting_record(analyst, 60))

    assert sixty == one
    assert len(re.findall(r"<td>S\d{6}</td>", page)) == 50  # a page of 50
    assert "Page 1 of 2." in page
    assert "Confirm: mark these 60 people as having left" in page
    record = PeopleImport.objects.latest("pk")
    second = client.get(f"{IMPORTS}inspect/{record.pk}/", {"p": 2}).content.decode()
    assert len(re.findall(r"<td>S\d{6}</td>", second)) == 10
