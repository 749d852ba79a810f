"""The HR feed's full-file mode (decision 0217): the people of the uploader's units missing from a full file leave,
after a check that writes nothing and a confirmation of exactly who. The service, the admin's record of it
(`people_import_upload` / `_run` / `_confirm` / `_cancel`), its expiry, and the `import_people` command. The admin's
pages: tests/skills/test_admin_full_file.py; bookings: tests/courses/test_leavers.py."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import timezone
from wagtail.models import ModelLogEntry

from skills.enums import PeopleImportStatus, ReviewStatus
from skills.models import PeopleImport, Person, Review
from skills.services.errors import NotAllowed, SkillsError
from skills.services.leavers import person_leave
from skills.services.people_import import (
    FullFile,
    people_import,
    people_import_cancel,
    people_import_confirm,
    people_import_upload,
)
from skills.services.retention import retention_apply
from tests.skills.factories import AssessmentFactory, PersonFactory, hr_analyst_for, org_unit
from tests.skills.hr_feed import ddat_framework, feed_text, person_row, team, write_csv

pytestmark = pytest.mark.django_db

DFE = "Department for Education"
MOJ_UNIT = "Ministry of Justice/Digital"


@pytest.fixture
def imported(db, tmp_path, settings):
    """hr_feed.team() in the database (S1 manages S2 and S3; S2 manages S4), a DfE person who has left (S5) and
    one at the Ministry of Justice (J1). Half of a unit may be missing from a full file here, unless a test says."""
    settings.CAPABILITY_FULL_FILE_MAX_LEAVERS_SHARE = 0.5
    ddat_framework()
    rows = [*team(), person_row("S5", manager="S1"), person_row("J1", org_unit=MOJ_UNIT)]
    report = people_import(actor=None, file=write_csv(tmp_path, rows, name="team.csv"))
    assert report.ok, report.errors
    person_leave(person=Person.objects.get(staff_number="S5"), left_on=timezone.localdate(), actor=None)
    return {person.staff_number: person for person in Person.objects.select_related("user")}


@pytest.fixture
def dfe_analyst(db):
    return hr_analyst_for(DFE)


def without(*staff_numbers, rows=None):
    return [row for row in (rows or team()) if row["staff_number"] not in staff_numbers]


def yesterday():
    return timezone.localdate() - timedelta(days=1)


def full_import(tmp_path, rows, *, actor=None, confirmed=None, dry_run=None, left_on=None):
    return people_import(
        actor=actor,
        file=write_csv(tmp_path, rows, name="everyone.csv"),
        dry_run=confirmed is None if dry_run is None else dry_run,
        full_file=FullFile(left_on=left_on or yesterday(), confirmed=confirmed),
    )


def leavers():
    return set(Person.objects.filter(left_on__isnull=False).values_list("staff_number", flat=True))


# --- the set of people missing --------------------------------------------------------------------------------------


def test_a_check_finds_the_people_of_the_analyst_s_units_missing_from_the_file_and_writes_nothing(
    imported, tmp_path, dfe_analyst
):
    report = full_import(tmp_path, without("S3"), actor=dfe_analyst)

    assert report.ok, report.errors
    # J1 is outside the analyst's units; S5 has left already: neither is missing.
    assert report.absent == [imported["S3"].pk]
    assert report.leavers_by_absence == 1
    assert report.as_dict().get("absent") is None  # the stored report keeps counts only
    assert leavers() == {"S5"}
    assert Person.objects.get(staff_number="S3").user.is_active is True
    assert ModelLogEntry.objects.filter(action="capability.skills.people_import").count() == 1  # the fixture's


def test_people_outside_an_analyst_s_units_are_never_missing_but_the_system_s_file_covers_everyone(
    imported, tmp_path, dfe_analyst
):
    as_analyst = full_import(tmp_path, team(), actor=dfe_analyst)
    as_system = full_import(tmp_path, team())

    assert as_analyst.absent == []
    assert as_system.absent == [imported["J1"].pk]


def test_a_full_file_missing_more_than_the_share_allowed_is_refused_as_incomplete(imported, tmp_path, settings):
    settings.CAPABILITY_FULL_FILE_MAX_LEAVERS_SHARE = 0.2  # 2 of the 5 people still here is 40%

    everyone = [*team(), person_row("J1", org_unit=MOJ_UNIT)]
    report = full_import(tmp_path, without("S3", rows=everyone))
    assert report.ok, report.errors  # 1 of 5 (S3) is 20%: allowed
    report = full_import(tmp_path, without("S3", "S4", rows=everyone))

    assert not report.ok
    assert [(error.row, error.message) for error in report.errors] == [
        (
            None,
            "2 of the 5 people in the organisation units you are responsible for are missing from this file, more "
            "than the 20% a full file may leave out: the file looks incomplete (a truncated export?), so nobody was "
            "marked as having left and nothing was written. Check the export and upload it again; to mark many "
            "people as having left, give each a left_on date in the file instead.",
        )
    ]
    assert leavers() == {"S5"}


def test_a_row_whose_line_manager_is_missing_from_a_full_file_is_refused(imported, tmp_path):
    report = full_import(tmp_path, without("S2"))

    assert [(error.row, error.column, error.message) for error in report.errors] == [
        (
            4,
            "line_manager_staff_number",
            "Staff number S2 is missing from this full file, so leaves with it and cannot be a line manager: give "
            "this person their new line manager, or add S2's row.",
        )
    ]


# --- confirming -----------------------------------------------------------------------------------------------------


def test_a_confirmed_full_file_marks_the_missing_as_leavers_through_person_leave_in_one_audited_import(
    imported, tmp_path, dfe_analyst
):
    s1, s2, s4 = imported["S1"], imported["S2"], imported["S4"]
    review = Review.objects.create(claim=AssessmentFactory(person=s4), reviewer_kind="line_manager", reviewer=s2)
    rows = [*without("S2", "S4"), person_row("S4", manager="S1", grade="eo", role_level="associate data engineer")]
    check = full_import(tmp_path, rows, actor=dfe_analyst)
    assert check.absent == [s2.pk]

    report = full_import(tmp_path, rows, actor=dfe_analyst, confirmed=frozenset(check.absent))

    assert report.ok, report.errors
    assert (report.leavers_by_absence, report.leavers, report.updated) == (1, 0, 1)
    s2.refresh_from_db()
    s2.user.refresh_from_db()
    assert (s2.left_on, s2.user.is_active) == (yesterday(), False)
    review.refresh_from_db()
    assert (review.reviewer, review.status) == (s1, ReviewStatus.OPEN)
    assert Person.objects.get(pk=s4.pk).line_manager == s1
    departure = ModelLogEntry.objects.get(action="capability.skills.person_leave", object_id=str(s2.pk))
    assert departure.user_id == dfe_analyst.pk
    entry = ModelLogEntry.objects.filter(action="capability.skills.people_import").latest("pk")
    assert (entry.data["leavers_by_absence"], entry.data["full_file_left_on"]) == (1, yesterday().isoformat())


def test_a_confirmation_refused_when_someone_was_added_or_left_since_the_check_writes_nothing(imported, tmp_path):
    rows = without("S3")
    confirmed = frozenset(full_import(tmp_path, rows).absent)  # S3 and J1
    PersonFactory(staff_number="N1", org_unit=org_unit(f"{DFE}/Digital and Data/Platform team"))

    added = full_import(tmp_path, rows, confirmed=confirmed)
    person_leave(person=imported["J1"], left_on=timezone.localdate(), actor=None)
    Person.objects.filter(staff_number="N1").update(left_on=timezone.localdate())
    left = full_import(tmp_path, rows, confirmed=confirmed)

    assert [error.message for error in added.errors] == [
        "The people missing from the file have changed since it was checked (1 more, 0 no longer missing): someone "
        "was added or left meanwhile. Nobody was marked as having left and nothing was written: upload the file "
        "again to check who leaves."
    ]
    assert "(0 more, 1 no longer missing)" in left.errors[0].message
    assert leavers() == {"S5", "J1", "N1"}  # S3 was not marked by either
    assert ModelLogEntry.objects.filter(action="capability.skills.people_import").count() == 1  # the fixture's


def test_importing_a_confirmed_full_file_again_marks_nobody_else(imported, tmp_path):
    rows = without("S3")
    first = full_import(tmp_path, rows, confirmed=frozenset(full_import(tmp_path, rows).absent))
    check = full_import(tmp_path, rows)
    again = full_import(tmp_path, rows, confirmed=frozenset(check.absent))

    assert first.leavers_by_absence == 2
    assert check.absent == []  # S3 and J1 have left: an absent leaver is no problem
    assert again.ok, again.errors
    assert (again.leavers_by_absence, again.changed) == (0, False)
    assert ModelLogEntry.objects.filter(action="capability.skills.person_leave").count() == 3  # S5, S3, J1


def test_a_full_file_is_only_written_once_confirmed_and_never_with_a_day_in_the_future(imported, tmp_path):
    with pytest.raises(ValueError, match="confirmed"):
        full_import(tmp_path, without("S3"), dry_run=False)
    report = full_import(tmp_path, without("S3"), left_on=timezone.localdate() + timedelta(days=1))

    assert "is in the future" in report.errors[0].message
    assert leavers() == {"S5"}


# --- the admin's record: check, confirm, cancel, expire -----------------------------------------------------------


def upload(rows, actor, **options):
    file = SimpleUploadedFile("everyone.csv", feed_text(rows).encode(), content_type="text/csv")
    return people_import_upload(file=file, actor=actor, full_file=True, left_on=yesterday(), **options)


def test_an_uploaded_full_file_waits_with_its_file_until_its_uploader_confirms_it_once(
    imported, dfe_analyst, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        record = upload(without("S3"), dfe_analyst)
    record.refresh_from_db()
    assert (record.status, record.absent_people, record.finished_at) == (
        PeopleImportStatus.TO_CONFIRM,
        [imported["S3"].pk],
        None,
    )
    assert record.file
    assert record.file.storage.exists(record.file.name)
    kept = record.file.name
    assert leavers() == {"S5"}

    with django_capture_on_commit_callbacks(execute=True):
        people_import_confirm(import_id=record.pk, actor=dfe_analyst)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        people_import_confirm(import_id=record.pk, actor=dfe_analyst)

    record.refresh_from_db()
    assert (record.status, record.confirmed_by, record.absent_people) == (
        PeopleImportStatus.SUCCEEDED,
        dfe_analyst,
        [imported["S3"].pk],
    )
    assert not record.file
    assert not record.file.storage.exists(kept)
    assert leavers() == {"S5", "S3"}
    assert callbacks == []  # the second confirmation queued nothing
    assert ModelLogEntry.objects.filter(action="capability.skills.people_import_confirm").count() == 1


def test_only_the_uploader_or_a_superuser_confirms_or_cancels_and_a_refusal_changes_nothing(
    imported, dfe_analyst, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        record = upload(without("S3"), dfe_analyst)
    colleague = hr_analyst_for(DFE)

    for service in (people_import_confirm, people_import_cancel):
        with pytest.raises(NotAllowed):
            service(import_id=record.pk, actor=colleague)
    record.refresh_from_db()
    assert record.status == PeopleImportStatus.TO_CONFIRM
    assert record.file
    assert leavers() == {"S5"}


def test_a_cancelled_full_file_writes_nothing_and_its_file_is_deleted(
    imported, dfe_analyst, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        record = upload(without("S3"), dfe_analyst)
    record.refresh_from_db()
    kept = record.file.name

    people_import_cancel(import_id=record.pk, actor=dfe_analyst)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        people_import_confirm(import_id=record.pk, actor=dfe_analyst)  # too late: nothing happens

    record.refresh_from_db()
    assert (record.status, record.absent_people) == (PeopleImportStatus.CANCELLED, [])
    assert record.finished_at is not None
    assert not record.file.storage.exists(kept)
    assert callbacks == []
    assert leavers() == {"S5"}


def test_a_full_file_nobody_confirms_expires_with_the_retention_task(
    imported, dfe_analyst, settings, django_capture_on_commit_callbacks
):
    settings.CAPABILITY_FULL_FILE_CONFIRM_DAYS = 7
    with django_capture_on_commit_callbacks(execute=True):
        record, recent = upload(without("S3"), dfe_analyst), upload(without("S3"), dfe_analyst)
    PeopleImport.objects.filter(pk=record.pk).update(created_at=timezone.now() - timedelta(days=9))
    record.refresh_from_db()
    kept = record.file.name

    assert retention_apply(dry_run=True).unconfirmed_imports_expired == 1
    assert retention_apply().unconfirmed_imports_expired == 1
    assert retention_apply().unconfirmed_imports_expired == 0

    record.refresh_from_db()
    assert record.status == PeopleImportStatus.EXPIRED
    assert not record.file.storage.exists(kept)
    assert PeopleImport.objects.get(pk=recent.pk).status == PeopleImportStatus.TO_CONFIRM
    assert leavers() == {"S5"}


def test_a_full_file_upload_needs_a_day_not_in_the_future_and_is_never_check_only(imported, dfe_analyst):
    with pytest.raises(SkillsError, match="future"):
        people_import_upload(
            file=SimpleUploadedFile("a.csv", b"x"),
            actor=dfe_analyst,
            full_file=True,
            left_on=timezone.localdate() + timedelta(days=1),
        )
    with pytest.raises(SkillsError, match="Check only"):
        upload(team(), dfe_analyst, dry_run=True)
    assert not PeopleImport.objects.exists()


# --- the command ----------------------------------------------------------------------------------------------------


def test_the_command_lists_who_would_leave_and_writes_only_with_their_number(imported, tmp_path):
    path = str(write_csv(tmp_path, without("S3"), name="everyone.csv"))
    day = yesterday().isoformat()

    out = StringIO()
    call_command("import_people", path, "--full-file", "--left-on", day, stdout=out)
    lines = out.getvalue().splitlines()
    assert f"People missing from the file who would be marked as having left on {day}: 2." in lines
    assert f"  S3: Ada Person S3, {team()[2]['org_unit']}, line manager S1" in lines
    assert lines[-1] == (
        f"Nothing was written. To import the file and mark these 2 people as having left on {day}, run the "
        f"command again with --full-file --left-on {day} --confirm-leavers 2."
    )
    assert leavers() == {"S5"}

    with pytest.raises(CommandError, match="2 people are missing from the file, not the 1 confirmed"):
        call_command("import_people", path, "--full-file", "--left-on", day, "--confirm-leavers", "1")
    assert leavers() == {"S5"}

    out = StringIO()
    call_command("import_people", path, "--full-file", "--left-on", day, "--confirm-leavers", "2", stdout=out)
    assert f"People missing from the file who were marked as having left on {day}: 2." in out.getvalue()
    assert leavers() == {"S5", "S3", "J1"}


def test_the_command_refuses_a_left_on_without_a_full_file_or_that_is_not_a_date(imported, tmp_path):
    path = str(write_csv(tmp_path, team()))
    with pytest.raises(CommandError, match="go with --full-file"):
        call_command("import_people", path, "--confirm-leavers", "1")
    with pytest.raises(CommandError, match="is not a date"):
        call_command("import_people", path, "--full-file", "--left-on", "31/01/2026")
