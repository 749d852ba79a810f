"""What the HR feed's check pass refuses (`skills.importers.checks`, `managers`, `reading`), through the import:
every problem named by row and column, and nothing written."""

import pytest
from django.contrib.auth import get_user_model

from skills.importers import COLUMNS
from skills.importers.report import MAX_ERRORS
from skills.models import Person
from skills.services.people_import import people_import
from tests.frameworks.factories import FrameworkFactory
from tests.skills.factories import PersonFactory
from tests.skills.hr_feed import (
    assert_nothing_written,
    ddat_framework,
    only_error,
    person_row,
    write_csv,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def ddat(db):
    return ddat_framework()


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

    report = people_import(actor=None, file=path)

    error = only_error(report)
    assert (error.row, error.column) == (3, column)
    assert message in error.message
    assert error.describe(report.source) == f"{path}, row 3, column {column}: {error.message}"
    assert_nothing_written()


def test_people_import_rejects_a_duplicate_staff_number_or_email(ddat, tmp_path):
    rows = [person_row("S1"), person_row("S2", email="s1@example.gov.uk"), person_row("S1", email="x@example.gov.uk")]

    report = people_import(actor=None, file=write_csv(tmp_path, rows))

    assert [(error.row, error.column) for error in report.errors] == [(3, "email"), (4, "staff_number")]
    assert "s1@example.gov.uk is also on row 2" in report.errors[0].message
    assert "S1 is also on row 2: each person must appear once" in report.errors[1].message
    assert_nothing_written()


def test_people_import_rejects_an_email_that_belongs_to_someone_else_in_the_database(ddat, tmp_path):
    other = PersonFactory(staff_number="X1", user__email="taken@example.gov.uk")

    error = only_error(
        people_import(actor=None, file=write_csv(tmp_path, [person_row("S1", email="Taken@example.gov.uk")]))
    )

    assert (error.row, error.column) == (2, "email")
    assert f"is the e-mail address of staff number {other.staff_number}" in error.message


def test_people_import_rejects_a_missing_column_naming_it(ddat, tmp_path):
    columns = [column for column in COLUMNS if column != "grade"]

    error = only_error(people_import(actor=None, file=write_csv(tmp_path, [person_row("S1")], columns=columns)))

    assert (error.row, error.column) == (1, "")
    assert error.message.startswith("Missing column(s): grade.")


def test_people_import_rejects_a_file_that_is_not_utf8_naming_the_line(ddat, tmp_path):
    path = write_csv(tmp_path, [person_row("S1"), person_row("S2", last_name="Brontë")], encoding="cp1252")

    error = only_error(people_import(actor=None, file=path))

    assert error.row is None
    assert "Line 3 is not UTF-8 text (byte 0xeb" in error.message
    assert "CSV UTF-8" in error.message
    assert_nothing_written()


def test_people_import_rejects_a_row_with_too_many_values(ddat, tmp_path):
    path = write_csv(tmp_path, [person_row("S1")])
    with open(path, "a", encoding="utf-8") as handle:
        handle.write("S2,s2@example.gov.uk,Ada,Lovelace,Unit,HEO,,,Data engineer,Data engineer,extra\n")

    error = only_error(people_import(actor=None, file=path))

    assert error.row == 3
    assert "has 11 values but the header has 10 columns" in error.message


def test_people_import_rejects_an_empty_file_and_an_unpublished_framework(ddat, tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    assert "The file is empty" in only_error(people_import(actor=None, file=empty)).message

    FrameworkFactory(slug="sfia")
    error = only_error(people_import(actor=None, file=write_csv(tmp_path, [person_row("S1")]), framework_slug="sfia"))
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

    error = only_error(people_import(actor=None, file=write_csv(tmp_path, rows)))

    assert (error.row, error.column) == (2, "line_manager_staff_number")
    assert f"The management chain loops: {loop}" in error.message
    assert_nothing_written()


def test_people_import_rejects_a_loop_formed_with_people_already_in_the_database(ddat, tmp_path):
    top = PersonFactory(staff_number="T1")
    PersonFactory(staff_number="M1", line_manager=top)
    users_before = get_user_model().objects.count()
    # T1 is not in the file; making them report to S1, who reports to M1, who reports to T1, closes a loop.
    rows = [person_row("S1", manager="M1"), person_row("S2", manager="S1")]
    people_import(actor=None, file=write_csv(tmp_path, rows))
    rows = [person_row("S1", manager="M1"), person_row("T1", manager="S1", email=top.user.email)]

    error = only_error(people_import(actor=None, file=write_csv(tmp_path, rows, name="loop.csv")))

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

    report = people_import(actor=None, file=write_csv(tmp_path, rows))

    assert [(error.row, error.column) for error in report.errors] == [
        (2, "grade"),
        (2, "role"),
        (3, "email"),
        (3, "line_manager_staff_number"),
        (4, "role_level"),
    ]


def test_people_import_lists_at_most_a_few_hundred_problems_and_counts_the_rest(ddat, tmp_path):
    rows = [person_row(f"S{n}", grade="Nope") for n in range(MAX_ERRORS + 50)]

    report = people_import(actor=None, file=write_csv(tmp_path, rows))

    assert report.error_count == MAX_ERRORS + 50
    assert len(report.errors) == MAX_ERRORS
    assert report.errors_not_shown == 50
    assert "the first 200 are listed" in report.summary()
