"""What the HR feed writes, and what it does not: new rows inserted (with COPY on PostgreSQL), changed rows
updated column by column, unchanged rows and a repeated file not written at all, on both databases
(docs/decisions/0204-hr-feed-copy.md)."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from skills.models import AccountEmailChange, OrganisationUnit, Person, PersonIdentity, Profession
from skills.services.bulk import BATCH_SIZE
from skills.services.people_import import people_import
from tests.skills.hr_feed import OTHER_UNIT, UNIT, ddat_framework, person_row, write_csv

pytestmark = pytest.mark.django_db

WRITES = ("INSERT", "UPDATE", "DELETE", "COPY", "CREATE", "DROP")


@pytest.fixture
def ddat(db):
    return ddat_framework()


def team():
    return [
        person_row("S2", manager="S1", grade="SEO", role_level="Senior data engineer"),
        person_row("S1", grade="Grade 7", role="data analyst", role_level="senior data analyst"),
        person_row("S3", manager="S1", org_unit=OTHER_UNIT, profession=""),
        person_row("S4", manager="S2", grade="eo", role_level="associate data engineer"),
    ]


def writes(context) -> list[str]:
    """The statements that write. COPY goes past Django's query log: `snapshot` shows that no row came by it."""
    return [query["sql"] for query in context.captured_queries if query["sql"].lstrip().upper().startswith(WRITES)]


def snapshot():
    return (
        list(Person.objects.order_by("pk").values()),
        list(get_user_model().objects.order_by("pk").values()),
        list(OrganisationUnit.objects.order_by("pk").values()),
        list(PersonIdentity.objects.order_by("pk").values()),
        list(get_user_model().groups.through.objects.order_by("pk").values()),
    )


def test_a_repeated_feed_issues_no_write_at_all(ddat, tmp_path):
    path = write_csv(tmp_path, team())
    assert people_import(actor=None, file=path).created == 4
    before = snapshot()

    with CaptureQueriesContext(connection) as context:
        report = people_import(actor=None, file=path)

    assert (report.created, report.updated, report.unchanged, report.roles_granted) == (0, 0, 4, 0)
    assert writes(context) == []
    assert snapshot() == before


def test_a_profession_written_in_another_case_is_not_a_change(ddat, tmp_path):
    people_import(actor=None, file=write_csv(tmp_path, team()))
    rows = team()
    rows[0] = {**rows[0], "profession": "DIGITAL,  data and technology"}

    with CaptureQueriesContext(connection) as context:
        report = people_import(actor=None, file=write_csv(tmp_path, rows, name="case.csv"))

    assert (report.updated, report.unchanged) == (0, 4)
    assert writes(context) == []


def test_new_changed_and_unchanged_rows_in_one_file(ddat, tmp_path):
    people_import(actor=None, file=write_csv(tmp_path, team()))
    untouched = Person.objects.get(staff_number="S1").updated_at
    rows = [
        person_row("S1", grade="Grade 7", role="data analyst", role_level="senior data analyst"),
        person_row("S2", manager="S1", grade="HEO", role_level="Senior data engineer"),
        person_row("S3", manager="S6", org_unit=OTHER_UNIT, profession="", first_name="Grace"),
        person_row("S4", manager="S2", grade="eo", role_level="associate data engineer"),
        person_row("S5", manager="S6"),
        person_row("S6", manager="S1", org_unit="Ministry of Justice/Digital"),
    ]

    report = people_import(actor=None, file=write_csv(tmp_path, rows, name="mixed.csv"))

    assert report.ok, report.errors
    assert (report.created, report.updated, report.unchanged) == (2, 2, 2)
    assert report.units_created == ["Ministry of Justice", "Ministry of Justice/Digital"]
    people = {person.staff_number: person for person in Person.objects.select_related("user", "grade", "line_manager")}
    assert people["S1"].updated_at == untouched
    assert people["S2"].grade.code == "HEO"
    assert (people["S3"].user.first_name, people["S3"].line_manager.staff_number) == ("Grace", "S6")
    assert people["S5"].line_manager.staff_number == "S6"
    assert people["S6"].org_unit.full_name == "Ministry of Justice/Digital"
    assert set(PersonIdentity.objects.values_list("subject", flat=True)) == {f"S{n}" for n in range(1, 7)}
    assert people["S6"].user.groups.filter(name="Line manager").exists()
    assert report.roles_granted == 3  # Learner for S5 and S6, Line manager for S6


@pytest.mark.parametrize(
    ("values", "check"),
    [
        ({"org_unit": OTHER_UNIT}, lambda person: person.org_unit.full_name == OTHER_UNIT),
        ({"grade": "SEO"}, lambda person: person.grade.code == "SEO"),
        ({"profession": "Policy"}, lambda person: person.profession.name == "Policy"),
        ({"profession": ""}, lambda person: person.profession is None),
        ({"line_manager_staff_number": "S1"}, lambda person: person.line_manager.staff_number == "S1"),
        (
            {"role_level": "Senior data engineer"},
            lambda person: person.current_role_level.name == "Senior data engineer",
        ),
        ({"first_name": "Grace"}, lambda person: person.user.first_name == "Grace"),
        ({"last_name": "Hopper"}, lambda person: person.user.last_name == "Hopper"),
        ({"email": "new.s4@example.gov.uk"}, lambda person: person.user.email == "new.s4@example.gov.uk"),
    ],
)
def test_a_change_in_any_one_column_is_written_and_counted(ddat, tmp_path, values, check):
    people_import(actor=None, file=write_csv(tmp_path, team()))
    rows = team()
    rows[3] = {**rows[3], **values}

    report = people_import(actor=None, file=write_csv(tmp_path, rows, name="changed.csv"))

    assert (report.created, report.updated, report.unchanged) == (0, 1, 3)
    person = Person.objects.select_related("user", "org_unit", "grade", "profession", "line_manager").get(
        staff_number="S4"
    )
    assert check(person)
    assert report.email_changes_applied == ("email" in values)


def test_a_reverted_address_supersedes_the_change_waiting_and_counts_as_an_update(ddat, tmp_path):
    people_import(actor=None, file=write_csv(tmp_path, team()))
    user = get_user_model().objects.get(person__staff_number="S3")
    user.last_login = user.date_joined
    user.save(update_fields=["last_login"])
    rows = team()
    rows[2] = {**rows[2], "email": "new.s3@example.gov.uk"}
    assert people_import(actor=None, file=write_csv(tmp_path, rows, name="new.csv")).email_changes_pending == 1

    report = people_import(actor=None, file=write_csv(tmp_path, team(), name="reverted.csv"))

    assert (report.updated, report.unchanged) == (1, 3)
    assert AccountEmailChange.objects.get().status == AccountEmailChange.Status.SUPERSEDED
    assert people_import(actor=None, file=write_csv(tmp_path, team(), name="again.csv")).updated == 0


def test_a_feed_longer_than_a_batch_sets_managers_who_come_later_and_is_written_once(ddat, tmp_path):
    # Everyone but the head reports to M, the last row: their manager's id is known only at the end (SQLite) or
    # taken from the sequence first (PostgreSQL); and a second batch starts after BATCH_SIZE rows.
    rows = [person_row(f"P{n}", manager="M") for n in range(BATCH_SIZE + 10)] + [person_row("M")]
    path = write_csv(tmp_path, rows)

    report = people_import(actor=None, file=path)

    assert report.ok, report.errors
    assert report.created == BATCH_SIZE + 11
    assert Person.objects.filter(line_manager__staff_number="M").count() == BATCH_SIZE + 10
    assert Person.objects.get(staff_number="M").line_manager is None
    assert PersonIdentity.objects.count() == BATCH_SIZE + 11
    assert report.roles_granted == BATCH_SIZE + 12
    with CaptureQueriesContext(connection) as context:
        again = people_import(actor=None, file=path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, BATCH_SIZE + 11)
    assert writes(context) == []


def test_one_bad_row_after_a_batch_of_good_ones_writes_nothing_and_is_named(ddat, tmp_path):
    rows = [person_row(f"P{n}") for n in range(BATCH_SIZE + 10)]
    rows.append(person_row("BAD", grade="Grade 8"))
    users_before = get_user_model().objects.count()

    report = people_import(actor=None, file=write_csv(tmp_path, rows))

    assert report.error_count == 1
    (error,) = report.errors
    assert (error.row, error.column) == (BATCH_SIZE + 12, "grade")
    assert not Person.objects.exists()
    assert get_user_model().objects.count() == users_before
    assert not OrganisationUnit.objects.exists()
    assert not Profession.objects.exists()


def test_a_dry_run_on_a_repeated_feed_writes_nothing_either(ddat, tmp_path):
    path = write_csv(tmp_path, team())
    people_import(actor=None, file=path)

    with CaptureQueriesContext(connection) as context:
        report = people_import(actor=None, file=path, dry_run=True)

    assert (report.unchanged, report.dry_run) == (4, True)
    assert writes(context) == []
    assert UNIT in OrganisationUnit.objects.values_list("full_name", flat=True)
