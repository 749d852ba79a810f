"""The HR feed's check pass on its own (`skills.importers.people_feed_check`): it reads the file into a
`PeopleFeed`, the value the service writes, and writes nothing; what it needs of the selectors is passed in."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from frameworks.importers.report import ImportProblem, place
from skills.importers import PeopleFileChanged, PeopleImportReport, RowError, people_feed_check
from skills.models import HR_FEED_ISSUER, OrganisationUnit, Person, PersonIdentity
from tests.cms.factories import UserFactory
from tests.skills.factories import PersonFactory
from tests.skills.hr_feed import OTHER_UNIT, UNIT, ddat_framework, feed_text, person_row, team

pytestmark = pytest.mark.django_db


@pytest.fixture
def ddat(db):
    return ddat_framework()


def check(framework, text, *, scope=None, actor_staff=None, privileged=None):
    report = PeopleImportReport(source="feed.csv")
    handle = io.BytesIO(text.encode())
    feed = people_feed_check(
        handle=handle,
        framework=framework,
        report=report,
        scope=scope,
        actor_staff=actor_staff,
        privileged=privileged or (lambda *, user_ids: set()),
    )
    return feed, handle


def test_the_check_pass_reads_the_file_into_what_to_write_and_writes_nothing(ddat):
    with CaptureQueriesContext(connection) as queries:
        feed, _ = check(ddat, feed_text(team()))

    assert feed.report.ok, feed.report.errors
    assert feed.report.rows == 4
    assert (feed.new_people, feed.unchanged, feed.changes_anything) == (4, 0, True)
    assert feed.unit_names == {UNIT, OTHER_UNIT}
    assert feed.managers == {"S2": "S1", "S3": "S1", "S4": "S2"}
    assert list(feed.professions.values()) == ["Digital, Data and Technology"]
    writes = [query["sql"] for query in queries if query["sql"].split()[0].upper() in ("INSERT", "UPDATE", "DELETE")]
    assert writes == []
    assert not Person.objects.exists()
    assert not OrganisationUnit.objects.exists()


def test_the_check_pass_finds_who_exists_and_what_changes_for_them(ddat):
    person = PersonFactory(staff_number="S1")
    PersonIdentity.objects.create(person=person, issuer=HR_FEED_ISSUER, subject="S1")  # as the service ensures
    feed, _ = check(ddat, feed_text(team()))

    assert feed.report.ok, feed.report.errors
    (change,) = feed.existing.values()
    assert list(feed.existing) == ["S1"]
    assert (change.person, change.names, change.email) == (True, True, True)
    assert feed.new_people == 3


def test_the_check_pass_asks_the_caller_which_accounts_are_privileged(ddat):
    holder = UserFactory(email="s1@example.gov.uk")
    asked = []

    def privileged(*, user_ids):
        asked.append(set(user_ids))
        return set(user_ids)

    feed, _ = check(ddat, feed_text([person_row("S1")]), privileged=privileged)

    assert asked == [{holder.pk}]
    (error,) = feed.report.errors
    assert (error.row, error.column) == (2, "email")
    assert "belongs to an administrator's account" in error.message


def test_the_check_pass_holds_rows_to_the_units_passed_in(ddat):
    feed, _ = check(ddat, feed_text([person_row("S1", org_unit=OTHER_UNIT)]), scope=[UNIT])

    (error,) = feed.report.errors
    assert (error.row, error.column) == (2, "org_unit")


def test_the_rows_to_write_come_again_from_the_file_in_batches(ddat):
    feed, handle = check(ddat, feed_text(team()))

    batches = list(feed.rows_to_write(handle))

    assert [[row.staff_number for row in batch] for batch in batches] == [["S2", "S1", "S3", "S4"]]
    assert batches[0][0].manager == "S1"


def test_the_rows_to_write_are_refused_when_the_file_changed_after_its_check(ddat):
    feed, _ = check(ddat, feed_text(team()))
    changed = io.BytesIO(feed_text([*team(), person_row("S5")]).encode())

    with pytest.raises(PeopleFileChanged):
        list(feed.rows_to_write(changed))


def test_a_problem_in_the_feed_is_placed_as_in_the_framework_files_with_its_column_bare():
    assert str(RowError("feed.csv", 3, "grade", "Unknown grade.")) == "feed.csv, row 3, column grade: Unknown grade."
    assert RowError("", 3, "grade", "Unknown.").describe("upload.csv") == "upload.csv, row 3, column grade: Unknown."
    assert RowError("", None, "", "The file is empty.").describe("") == "The file is empty."
    assert str(ImportProblem("roles.csv", 2, "Skill Level", "x")) == "roles.csv, row 2, column 'Skill Level': x"
    assert place("", None, None) == ""


def test_a_kept_report_reads_back_as_it_was_with_or_without_ok():
    report = PeopleImportReport(source="feed.csv", rows=2, error_count=1)
    report.errors.append(RowError("feed.csv", 2, "grade", "Unknown grade."))

    kept = report.as_dict()

    assert kept["ok"] is False
    assert kept["errors"] == [{"row": 2, "column": "grade", "message": "Unknown grade."}]
    assert PeopleImportReport.from_dict(kept) == report
    del kept["ok"]
    assert PeopleImportReport.from_dict(kept) == report
