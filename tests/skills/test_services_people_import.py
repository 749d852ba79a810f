"""The HR feed import service, `skills.services.people_import`: what it writes, its command, and its admin
upload and background run. What the check pass refuses is in test_importers_checks.py."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import ModelLogEntry

from cms.accounts.enums import Role
from frameworks.enums import ImportJobStatus
from skills import tasks
from skills.enums import PeopleImportStatus
from skills.importers import COLUMNS
from skills.models import OrganisationUnit, PeopleImport, Person, Profession
from skills.services import people_import as people_import_service
from skills.services.errors import NotAllowed
from skills.services.people_import import people_import, people_import_run, people_import_upload
from tests.cms.factories import SuperuserFactory, UserFactory
from tests.skills.factories import PersonFactory, hr_analyst_for, org_unit
from tests.skills.hr_feed import (
    OTHER_UNIT,
    UNIT,
    assert_nothing_written,
    ddat_framework,
    feed_text,
    person_row,
    team,
    write_csv,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def ddat(db):
    return ddat_framework()


@pytest.fixture
def hr_analyst(db):
    return hr_analyst_for()


def feed_upload(rows, name="feed.csv"):
    return SimpleUploadedFile(name, feed_text(rows).encode(), content_type="text/csv")


# --- creating and updating --------------------------------------------------------------------------------------


def test_people_import_creates_people_accounts_units_and_professions(ddat, tmp_path):
    report = people_import(actor=None, file=write_csv(tmp_path, team()))

    assert report.ok, report.errors
    assert (report.rows, report.created, report.updated, report.unchanged) == (4, 4, 0, 0)
    assert report.units_created == [
        "Department for Education",
        "Department for Education/Digital and Data",
        "Department for Education/Digital and Data/Data team",
        "Department for Education/Digital and Data/Platform team",
    ]
    assert report.professions_created == ["Digital, Data and Technology"]
    s1, s2, s3, s4 = (Person.objects.select_related("user", "grade").get(staff_number=f"S{n}") for n in range(1, 5))
    assert s2.line_manager == s1
    assert s3.line_manager == s1
    assert s4.line_manager == s2
    assert s1.line_manager is None
    assert (s1.grade.code, s2.grade.code, s4.grade.code) == ("G7", "SEO", "EO")
    assert str(s1.current_role_level) == "Senior data analyst"
    assert s1.current_role_level.role.name == "Data analyst"
    assert str(s4.current_role_level) == "Associate data engineer"
    assert s3.profession is None
    assert s3.org_unit.full_name == OTHER_UNIT
    assert s2.org_unit.get_parent().full_name == "Department for Education/Digital and Data"
    assert (s2.user.email, s2.user.last_name) == ("s2@example.gov.uk", "Person S2")


def test_people_import_gives_new_accounts_unusable_passwords_and_the_learner_and_manager_roles(ddat, tmp_path):
    report = people_import(actor=None, file=write_csv(tmp_path, team()))

    users = {person.staff_number: person.user for person in Person.objects.select_related("user")}
    assert not any(user.has_usable_password() for user in users.values())
    assert len({user.password for user in users.values()}) == 4
    learners = set(Group.objects.get(name="Learner").user_set.values_list("pk", flat=True))
    managers = set(Group.objects.get(name="Line manager").user_set.values_list("pk", flat=True))
    assert learners == {user.pk for user in users.values()}
    assert managers == {users["S1"].pk, users["S2"].pk}
    assert report.roles_granted == 6
    assert not any(user.is_staff for user in users.values())


def test_importing_the_same_file_twice_changes_nothing_and_says_so(ddat, tmp_path):
    path = write_csv(tmp_path, team())
    people_import(actor=None, file=path)
    before = list(Person.objects.order_by("pk").values())

    report = people_import(actor=None, file=path)

    assert report.ok
    assert not report.changed
    assert (report.created, report.updated, report.unchanged, report.roles_granted) == (0, 0, 4, 0)
    assert report.units_created == []
    assert report.professions_created == []
    assert "nothing to change" in report.summary()
    assert list(Person.objects.order_by("pk").values()) == before


def test_people_import_updates_people_by_staff_number_and_counts_only_real_changes(ddat, tmp_path):
    people_import(actor=None, file=write_csv(tmp_path, team()))
    s3_user = Person.objects.get(staff_number="S3").user_id
    rows = team()
    rows[2] = person_row("S3", manager="S2", org_unit=UNIT, profession="Data", last_name="Married-Name")

    report = people_import(actor=None, file=write_csv(tmp_path, rows, name="changed.csv"))

    assert (report.created, report.updated, report.unchanged) == (0, 1, 3)
    assert report.professions_created == ["Data"]
    s3 = Person.objects.select_related("user", "line_manager", "profession", "org_unit").get(staff_number="S3")
    assert s3.user_id == s3_user
    assert (s3.line_manager.staff_number, s3.profession.name, s3.org_unit.full_name) == ("S2", "Data", UNIT)
    assert s3.user.last_name == "Married-Name"


def tree_problems():
    return [problem for problems in OrganisationUnit.find_problems() for problem in problems]


def test_units_created_by_the_import_form_a_sound_tree_in_name_order(ddat, tmp_path):
    org_unit("Department for Education/Digital and Data/Existing team")
    units = [f"Department for Education/Digital and Data/Team {n}" for n in (10, 2, 1)]
    units += ["Ministry of Justice/Courts/Listing", "Department for Education/Schools"]
    rows = [person_row(f"S{n}", org_unit=unit) for n, unit in enumerate(units)]

    report = people_import(actor=None, file=write_csv(tmp_path, rows))

    assert report.units_created == sorted(
        [*units, "Ministry of Justice", "Ministry of Justice/Courts"], key=lambda name: name
    )
    assert tree_problems() == []
    digital = OrganisationUnit.objects.get(full_name="Department for Education/Digital and Data")
    assert [unit.name for unit in digital.get_children()] == ["Existing team", "Team 1", "Team 10", "Team 2"]
    assert digital.numchild == 4
    assert [unit.name for unit in OrganisationUnit.get_root_nodes()] == [
        "Department for Education",
        "Ministry of Justice",
    ]
    team = OrganisationUnit.objects.get(full_name=units[0])
    assert OrganisationUnit.objects.get(full_name="Department for Education") in team.get_ancestors()


def test_a_new_unit_that_sorts_before_its_existing_siblings_keeps_the_tree_sound(ddat, tmp_path):
    org_unit("Department for Education/M team")
    org_unit("Department for Education/M team/Squad")
    units = ["Department for Education/A team/Sub team", "Department for Education/Z team"]

    people_import(
        actor=None, file=write_csv(tmp_path, [person_row(f"S{n}", org_unit=unit) for n, unit in enumerate(units)])
    )

    assert tree_problems() == []
    department = OrganisationUnit.objects.get(full_name="Department for Education")
    assert [unit.name for unit in department.get_children()] == ["A team", "M team", "Z team"]
    squad = OrganisationUnit.objects.get(full_name="Department for Education/M team/Squad")
    assert squad.get_parent().full_name == "Department for Education/M team"
    assert OrganisationUnit.objects.get(full_name=units[0]).get_parent().name == "A team"


def test_people_import_sets_line_managers_who_come_later_in_the_file(ddat, tmp_path):
    rows = [person_row(f"S{n}", manager=f"S{n + 1}") for n in range(1, 6)] + [person_row("S6")]

    people_import(actor=None, file=write_csv(tmp_path, rows))

    chain = dict(Person.objects.values_list("staff_number", "line_manager__staff_number"))
    assert chain == {"S1": "S2", "S2": "S3", "S3": "S4", "S4": "S5", "S5": "S6", "S6": None}


def test_people_import_matches_line_managers_already_in_the_database(ddat, tmp_path):
    boss = PersonFactory(staff_number="B1")

    report = people_import(actor=None, file=write_csv(tmp_path, [person_row("S1", manager="B1")]))

    assert report.ok
    assert Person.objects.get(staff_number="S1").line_manager == boss
    assert boss.user.groups.filter(name="Line manager").exists()


def test_people_import_links_an_existing_account_with_the_same_email(ddat, tmp_path):
    User = get_user_model()
    user = User.objects.create_user(email="s1@example.gov.uk", first_name="Old", last_name="Name")

    report = people_import(actor=None, file=write_csv(tmp_path, [person_row("S1")]))

    assert (report.created, report.accounts_linked) == (1, 1)
    assert Person.objects.get(staff_number="S1").user_id == user.pk
    assert User.objects.get(pk=user.pk).last_name == "Person S1"


def test_people_import_matches_grades_by_code_or_name_in_any_case(ddat, tmp_path):
    grades = ["HEO", "Grade 7", "g7", "grade 6", "scs 1", "Higher Executive Officer"]
    rows = [person_row(f"S{n}", grade=grade) for n, grade in enumerate(grades)]

    people_import(actor=None, file=write_csv(tmp_path, rows))

    assert list(Person.objects.order_by("staff_number").values_list("grade__code", flat=True)) == [
        "HEO",
        "G7",
        "G7",
        "G6",
        "SCS1",
        "HEO",
    ]


def test_people_import_accepts_columns_in_any_order_and_case_with_a_byte_order_mark(ddat, tmp_path):
    columns = list(reversed(COLUMNS))
    path = tmp_path / "people.csv"
    header = ",".join(column.upper().replace("_", " ") for column in columns) + ",Notes"
    row = person_row("S1")
    body = ",".join(f'"{row[column]}"' for column in columns) + ",ignored"
    path.write_text("\ufeff" + header + "\r\n" + body + "\r\n\r\n", encoding="utf-8")

    report = people_import(actor=None, file=path)

    assert report.ok, report.errors
    assert report.created == 1


def test_people_import_reads_an_uploaded_file_object(ddat):
    upload = io.BytesIO(feed_text([person_row("S1")]).encode())

    report = people_import(actor=None, file=upload, source_name="hr-feed.csv")

    assert report.ok
    assert report.created == 1
    assert report.source == "hr-feed.csv"


def test_a_dry_run_counts_everything_and_writes_nothing(ddat, tmp_path):
    report = people_import(actor=None, file=write_csv(tmp_path, team()), dry_run=True)

    assert report.ok
    assert report.dry_run
    assert report.created == 4
    assert len(report.units_created) == 4
    assert "would be created" in report.summary()
    assert_nothing_written()


def test_an_import_that_changes_something_is_audited_once_on_the_framework(ddat, tmp_path, django_user_model):
    actor = django_user_model.objects.create_superuser(email="hr@example.gov.uk")
    path = write_csv(tmp_path, team())

    people_import(file=path, actor=actor)
    people_import(file=path, actor=actor)

    (entry,) = ModelLogEntry.objects.filter(action="capability.skills.people_import")
    assert entry.user == actor
    assert entry.object_id == str(ddat.pk)
    assert entry.data["created"] == 4
    assert len(entry.data["sha256"]) == 64
    assert "S1" not in str(entry.data)


def test_the_number_of_queries_does_not_grow_with_the_number_of_rows(ddat, tmp_path):
    org_unit(UNIT)
    Profession.objects.create(name="Digital, Data and Technology")

    def queries(count, prefix):
        rows = [person_row(f"{prefix}{n}", manager=f"{prefix}0" if n else "") for n in range(count)]
        with CaptureQueriesContext(connection) as context:
            assert people_import(actor=None, file=write_csv(tmp_path, rows, name=f"{prefix}.csv")).ok
        return len(context)

    assert queries(3, "A") == queries(60, "B")


# --- the command ----------------------------------------------------------------------------------------------------


def test_the_import_people_command_prints_what_it_did(ddat, tmp_path):
    out = io.StringIO()
    path = write_csv(tmp_path, team())

    call_command("import_people", str(path), stdout=out)
    call_command("import_people", str(path), "--framework", "ddat", stdout=out)

    assert "People: 4 were created, 0 updated, 0 unchanged. Organisation units created: 4." in out.getvalue()
    assert f"  Organisation unit created: {UNIT}" in out.getvalue()
    assert "  Profession created: Digital, Data and Technology" in out.getvalue()
    assert "nothing to change" in out.getvalue()


def test_the_import_people_command_dry_run_writes_nothing(ddat, tmp_path):
    out = io.StringIO()

    call_command("import_people", str(write_csv(tmp_path, team())), "--dry-run", stdout=out)

    assert out.getvalue().startswith("Dry run, nothing was written.")
    assert_nothing_written()


def test_the_import_people_command_fails_listing_each_problem(ddat, tmp_path):
    path = write_csv(tmp_path, [person_row("S1", grade="Nope"), person_row("S2", role="Nope")])

    with pytest.raises(CommandError) as raised:
        call_command("import_people", str(path))

    message = str(raised.value)
    assert "rejected, nothing was written. 2 problem(s) to fix." in message
    assert f"{path}, row 2, column grade: Unknown grade 'Nope'" in message
    assert f"{path}, row 3, column role: 'Nope' is not a role" in message


# --- the admin import ---------------------------------------------------------------------------------------------


def test_an_uploaded_feed_is_imported_after_the_commit_and_the_file_deleted(
    ddat, hr_analyst, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        record = people_import_upload(file=feed_upload([person_row("S1"), person_row("S2", "S1")]), actor=hr_analyst)
    assert record.status == PeopleImportStatus.QUEUED

    record.refresh_from_db()
    assert record.status == PeopleImportStatus.SUCCEEDED
    assert record.finished_at is not None
    assert record.report["created"] == 2
    assert record.report["source"] == "feed.csv"
    assert not record.file
    assert Person.objects.get(staff_number="S2").line_manager.staff_number == "S1"
    assert ModelLogEntry.objects.get(action="capability.skills.people_import").user == hr_analyst


def test_a_rejected_feed_keeps_its_report_and_writes_nothing(ddat, hr_analyst, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        record = people_import_upload(file=feed_upload([person_row("S1", grade="Nope")]), actor=hr_analyst)

    record.refresh_from_db()
    assert record.status == PeopleImportStatus.REJECTED
    assert record.report["errors"] == [{"row": 2, "column": "grade", "message": record.report["errors"][0]["message"]}]
    assert "Unknown grade 'Nope'" in record.report["errors"][0]["message"]
    assert not Person.objects.exists()


def test_a_finished_import_is_not_run_again(ddat, hr_analyst, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        record = people_import_upload(file=feed_upload([person_row("S1")]), actor=hr_analyst, dry_run=True)
    record.refresh_from_db()
    assert record.status == PeopleImportStatus.SUCCEEDED
    assert record.report["created"] == 1
    assert not Person.objects.exists()

    assert tasks.people_import_run(import_id=record.pk) == PeopleImportStatus.SUCCEEDED
    assert people_import_run(import_id=record.pk).finished_at == record.finished_at


def test_only_hr_analysts_and_superusers_may_upload_a_feed(ddat):
    for role in (Role.LEARNER, Role.CONTENT_EDITOR, Role.TRAINING_ADMINISTRATOR):
        with pytest.raises(NotAllowed):
            people_import_upload(file=feed_upload([person_row("S1")]), actor=UserFactory(roles=[role]))
    assert not PeopleImport.objects.exists()
    people_import_upload(file=feed_upload([person_row("S1")]), actor=SuperuserFactory())
    assert PeopleImport.objects.count() == 1


def test_an_import_stopped_by_an_unexpected_error_is_crashed_as_a_framework_import_would_be(
    ddat, hr_analyst, django_capture_on_commit_callbacks, monkeypatch
):
    def broken(**kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(people_import_service, "people_import", broken)
    with django_capture_on_commit_callbacks(execute=True):
        record = people_import_upload(file=feed_upload([person_row("S1")]), actor=hr_analyst)

    record.refresh_from_db()
    assert record.status == PeopleImportStatus.CRASHED == ImportJobStatus.CRASHED
    assert (record.report, record.file.name) == ({}, "")
    assert record.finished_at is not None
    assert not Person.objects.exists()


def test_the_import_service_refuses_an_actor_who_may_not_import_people(ddat, tmp_path):
    path = write_csv(tmp_path, [person_row("S1")])
    for role in (Role.LEARNER, Role.LINE_MANAGER, Role.CONTENT_EDITOR, Role.TRAINING_ADMINISTRATOR):
        with pytest.raises(NotAllowed):
            people_import(actor=UserFactory(roles=[role]), file=path)
    with pytest.raises(NotAllowed):
        people_import(actor=UserFactory(is_active=False, is_superuser=True), file=path)  # a disabled superuser
    assert not Person.objects.exists()
    assert people_import(actor=SuperuserFactory(), file=path).created == 1


def test_a_queued_feed_whose_uploader_lost_the_right_or_the_account_is_rejected_and_writes_nothing(
    ddat, hr_analyst, django_capture_on_commit_callbacks
):
    first = people_import_upload(file=feed_upload([person_row("S1")]), actor=hr_analyst)
    second = people_import_upload(file=feed_upload([person_row("S2")]), actor=SuperuserFactory())
    hr_analyst.groups.clear()  # no longer an HR analyst when the queued import runs
    second.requested_by.delete()  # the uploader's account is gone: never the system's unlimited scope instead

    for record, reason in ((first, "Only HR analysts can import people."), (second, "no longer exists")):
        assert tasks.people_import_run(import_id=record.pk) == PeopleImportStatus.REJECTED
        record.refresh_from_db()
        assert record.status == PeopleImportStatus.REJECTED
        assert reason in record.report["errors"][0]["message"]
        assert (record.file.name, record.finished_at is not None) == ("", True)
    assert not Person.objects.exists()
