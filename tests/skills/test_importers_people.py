import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import ModelLogEntry

from skills.importers import COLUMNS
from skills.importers.report import MAX_ERRORS
from skills.models import OrganisationUnit, Person, Profession
from skills.services.people_import import people_import
from tests.frameworks.factories import FrameworkFactory
from tests.skills.factories import PersonFactory, org_unit
from tests.skills.hr_feed import OTHER_UNIT, UNIT, ddat_framework, feed_text, person_row, write_csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def ddat(db):
    return ddat_framework()


def team():
    """A head of team (S1) managing two engineers, one of whom (S2) manages a third (S4)."""
    return [
        person_row("S2", manager="S1", grade="SEO", role_level="Senior data engineer"),
        person_row("S1", grade="Grade 7", role="data analyst", role_level="senior data analyst"),
        person_row("S3", manager="S1", org_unit=OTHER_UNIT, profession=""),
        person_row("S4", manager="S2", grade="eo", role_level="associate data engineer"),
    ]


def only_error(report):
    assert not report.ok, "expected the import to be rejected"
    assert report.error_count == 1, list(report.errors)
    return report.errors[0]


def assert_nothing_written(users_before=0):
    assert not Person.objects.exists()
    assert get_user_model().objects.count() == users_before
    assert not OrganisationUnit.objects.exists()
    assert not Profession.objects.exists()


# --- creating and updating --------------------------------------------------------------------------------------


def test_people_import_creates_people_accounts_units_and_professions(ddat, tmp_path):
    report = people_import(file=write_csv(tmp_path, team()))

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
    report = people_import(file=write_csv(tmp_path, team()))

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
    people_import(file=path)
    before = list(Person.objects.order_by("pk").values())

    report = people_import(file=path)

    assert report.ok
    assert not report.changed
    assert (report.created, report.updated, report.unchanged, report.roles_granted) == (0, 0, 4, 0)
    assert report.units_created == []
    assert report.professions_created == []
    assert "nothing to change" in report.summary()
    assert list(Person.objects.order_by("pk").values()) == before


def test_people_import_updates_people_by_staff_number_and_counts_only_real_changes(ddat, tmp_path):
    people_import(file=write_csv(tmp_path, team()))
    s3_user = Person.objects.get(staff_number="S3").user_id
    rows = team()
    rows[2] = person_row("S3", manager="S2", org_unit=UNIT, profession="Data", last_name="Married-Name")

    report = people_import(file=write_csv(tmp_path, rows, name="changed.csv"))

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

    report = people_import(file=write_csv(tmp_path, rows))

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

    people_import(file=write_csv(tmp_path, [person_row(f"S{n}", org_unit=unit) for n, unit in enumerate(units)]))

    assert tree_problems() == []
    department = OrganisationUnit.objects.get(full_name="Department for Education")
    assert [unit.name for unit in department.get_children()] == ["A team", "M team", "Z team"]
    squad = OrganisationUnit.objects.get(full_name="Department for Education/M team/Squad")
    assert squad.get_parent().full_name == "Department for Education/M team"
    assert OrganisationUnit.objects.get(full_name=units[0]).get_parent().name == "A team"


def test_people_import_sets_line_managers_who_come_later_in_the_file(ddat, tmp_path):
    rows = [person_row(f"S{n}", manager=f"S{n + 1}") for n in range(1, 6)] + [person_row("S6")]

    people_import(file=write_csv(tmp_path, rows))

    chain = dict(Person.objects.values_list("staff_number", "line_manager__staff_number"))
    assert chain == {"S1": "S2", "S2": "S3", "S3": "S4", "S4": "S5", "S5": "S6", "S6": None}


def test_people_import_matches_line_managers_already_in_the_database(ddat, tmp_path):
    boss = PersonFactory(staff_number="B1")

    report = people_import(file=write_csv(tmp_path, [person_row("S1", manager="B1")]))

    assert report.ok
    assert Person.objects.get(staff_number="S1").line_manager == boss
    assert boss.user.groups.filter(name="Line manager").exists()


def test_people_import_links_an_existing_account_with_the_same_email(ddat, tmp_path):
    User = get_user_model()
    user = User.objects.create_user(email="s1@example.gov.uk", first_name="Old", last_name="Name")

    report = people_import(file=write_csv(tmp_path, [person_row("S1")]))

    assert (report.created, report.accounts_linked) == (1, 1)
    assert Person.objects.get(staff_number="S1").user_id == user.pk
    assert User.objects.get(pk=user.pk).last_name == "Person S1"


def test_people_import_matches_grades_by_code_or_name_in_any_case(ddat, tmp_path):
    grades = ["HEO", "Grade 7", "g7", "grade 6", "scs 1", "Higher Executive Officer"]
    rows = [person_row(f"S{n}", grade=grade) for n, grade in enumerate(grades)]

    people_import(file=write_csv(tmp_path, rows))

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

    report = people_import(file=path)

    assert report.ok, report.errors
    assert report.created == 1


def test_people_import_reads_an_uploaded_file_object(ddat):
    upload = io.BytesIO(feed_text([person_row("S1")]).encode())

    report = people_import(file=upload, source_name="hr-feed.csv")

    assert report.ok
    assert report.created == 1
    assert report.source == "hr-feed.csv"


def test_a_dry_run_counts_everything_and_writes_nothing(ddat, tmp_path):
    report = people_import(file=write_csv(tmp_path, team()), dry_run=True)

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
            assert people_import(file=write_csv(tmp_path, rows, name=f"{prefix}.csv")).ok
        return len(context)

    assert queries(3, "A") == queries(60, "B")


# --- rejections ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "column", "message"),
    [
        ({"grade": "Grade 8"}, "grade", "Unknown grade 'Grade 8': use one of AA, AO, EO, HEO, SEO, G7, G6, SCS1"),
        (
            {"role": "Data enginer"},
            "role",
            "'Data enginer' is not a role in DDaT 2025-10 (did you mean 'Data engineer'?)",
        ),
        ({"role": "Astronaut"}, "role", "check the spelling"),
        (
            {"role_level": "Senior data analyst"},
            "role_level",
            "'Senior data analyst' is not a level of the role 'Data engineer': use one of Associate data engineer, "
            "Data engineer, Senior data engineer",
        ),
        ({"email": "not-an-address"}, "email", "'not-an-address' is not a valid e-mail address"),
        ({"last_name": ""}, "last_name", "The last name is empty: fill it in"),
        ({"role_level": ""}, "role_level", "The role level is empty"),
        ({"org_unit": "Department//Team"}, "org_unit", "is not an organisation path"),
        (
            {"line_manager_staff_number": "S9"},
            "line_manager_staff_number",
            "S9 is in neither this file nor the database",
        ),
        ({"line_manager_staff_number": "S1"}, "line_manager_staff_number", "cannot be their own line manager"),
        ({"staff_number": "S" * 51}, "staff_number", "at most 50 fit"),
    ],
)
def test_people_import_rejects_a_bad_value_with_its_row_and_column_and_writes_nothing(
    ddat, tmp_path, values, column, message
):
    path = write_csv(tmp_path, [person_row("S0"), person_row("S1", **values)])

    report = people_import(file=path)

    error = only_error(report)
    assert (error.row, error.column) == (3, column)
    assert message in error.message
    assert error.describe(report.source) == f"{path}, row 3, column {column}: {error.message}"
    assert_nothing_written()


def test_people_import_rejects_a_duplicate_staff_number_or_email(ddat, tmp_path):
    rows = [person_row("S1"), person_row("S2", email="s1@example.gov.uk"), person_row("S1", email="x@example.gov.uk")]

    report = people_import(file=write_csv(tmp_path, rows))

    assert [(error.row, error.column) for error in report.errors] == [(3, "email"), (4, "staff_number")]
    assert "s1@example.gov.uk is also on row 2" in report.errors[0].message
    assert "S1 is also on row 2: each person must appear once" in report.errors[1].message
    assert_nothing_written()


def test_people_import_rejects_an_email_that_belongs_to_someone_else_in_the_database(ddat, tmp_path):
    other = PersonFactory(staff_number="X1", user__email="taken@example.gov.uk")

    error = only_error(people_import(file=write_csv(tmp_path, [person_row("S1", email="Taken@example.gov.uk")])))

    assert (error.row, error.column) == (2, "email")
    assert f"is the e-mail address of staff number {other.staff_number}" in error.message


def test_people_import_rejects_a_missing_column_naming_it(ddat, tmp_path):
    columns = [column for column in COLUMNS if column != "grade"]

    error = only_error(people_import(file=write_csv(tmp_path, [person_row("S1")], columns=columns)))

    assert (error.row, error.column) == (1, "")
    assert error.message.startswith("Missing column(s): grade.")


def test_people_import_rejects_a_file_that_is_not_utf8_naming_the_line(ddat, tmp_path):
    path = write_csv(tmp_path, [person_row("S1"), person_row("S2", last_name="Brontë")], encoding="cp1252")

    error = only_error(people_import(file=path))

    assert error.row is None
    assert "Line 3 is not UTF-8 text (byte 0xeb" in error.message
    assert "CSV UTF-8" in error.message
    assert_nothing_written()


def test_people_import_rejects_a_row_with_too_many_values(ddat, tmp_path):
    path = write_csv(tmp_path, [person_row("S1")])
    with open(path, "a", encoding="utf-8") as handle:
        handle.write("S2,s2@example.gov.uk,Ada,Lovelace,Unit,HEO,,,Data engineer,Data engineer,extra\n")

    error = only_error(people_import(file=path))

    assert error.row == 3
    assert "has 11 values but the header has 10 columns" in error.message


def test_people_import_rejects_an_empty_file_and_an_unpublished_framework(ddat, tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    assert "The file is empty" in only_error(people_import(file=empty)).message

    FrameworkFactory(slug="sfia")
    error = only_error(people_import(file=write_csv(tmp_path, [person_row("S1")]), framework_slug="sfia"))
    assert error.message == "The framework 'sfia' has no published release: import and publish it first."


@pytest.mark.parametrize(
    ("managers", "loop"),
    [
        ({"A": "B", "B": "A"}, "A (row 2) → B (row 3) → A"),
        ({"A": "B", "B": "C", "C": "A"}, "A (row 2) → B (row 3) → C (row 4) → A"),
        ({"A": "C", "B": "A", "C": "B"}, "A (row 2) → C (row 4) → B (row 3) → A"),
    ],
)
def test_people_import_rejects_a_management_chain_that_loops_within_the_file(ddat, tmp_path, managers, loop):
    rows = [person_row(staff, manager=manager) for staff, manager in managers.items()] + [person_row("D", "A")]

    error = only_error(people_import(file=write_csv(tmp_path, rows)))

    assert (error.row, error.column) == (2, "line_manager_staff_number")
    assert f"The management chain loops: {loop}" in error.message
    assert_nothing_written()


def test_people_import_rejects_a_loop_formed_with_people_already_in_the_database(ddat, tmp_path):
    top = PersonFactory(staff_number="T1")
    PersonFactory(staff_number="M1", line_manager=top)
    users_before = get_user_model().objects.count()
    # T1 is not in the file; making them report to S1, who reports to M1, who reports to T1, closes a loop.
    rows = [person_row("S1", manager="M1"), person_row("S2", manager="S1")]
    people_import(file=write_csv(tmp_path, rows))
    rows = [person_row("S1", manager="M1"), person_row("T1", manager="S1", email=top.user.email)]

    error = only_error(people_import(file=write_csv(tmp_path, rows, name="loop.csv")))

    assert error.row == 2
    assert "S1 (row 2) → M1 (in the database) → T1 (row 3) → S1" in error.message
    assert get_user_model().objects.count() == users_before + 2
    assert Person.objects.get(staff_number="T1").line_manager is None


def test_people_import_reports_every_problem_in_row_order_not_just_the_first(ddat, tmp_path):
    rows = [
        person_row("S1", grade="Nope", role="Nope"),
        person_row("S2", email="bad", manager="ZZ"),
        person_row("S3", role_level="Nope"),
    ]

    report = people_import(file=write_csv(tmp_path, rows))

    assert [(error.row, error.column) for error in report.errors] == [
        (2, "grade"),
        (2, "role"),
        (3, "email"),
        (3, "line_manager_staff_number"),
        (4, "role_level"),
    ]


def test_people_import_lists_at_most_a_few_hundred_problems_and_counts_the_rest(ddat, tmp_path):
    rows = [person_row(f"S{n}", grade="Nope") for n in range(MAX_ERRORS + 50)]

    report = people_import(file=write_csv(tmp_path, rows))

    assert report.error_count == MAX_ERRORS + 50
    assert len(report.errors) == MAX_ERRORS
    assert report.errors_not_shown == 50
    assert "the first 200 are listed" in report.summary()


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
