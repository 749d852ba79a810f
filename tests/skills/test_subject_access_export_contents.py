"""What a subject-access export holds: every row the register of personal data leads to about the person, in
every registered model (a new entry fails here until tests/skills/personal_data_fixture.py makes a row for it),
with their certificate PDFs and evidence files, and a README and manifest saying what each file is."""

import csv
import io
import json
import zipfile

import pytest

from skills.personal_data import personal_data_register
from skills.services.subject_access import subject_access_export_download, subject_access_export_request
from tests.skills.personal_data_fixture import person_with_data_everywhere


def export_zip(user, django_capture_on_commit_callbacks) -> zipfile.ZipFile:
    with django_capture_on_commit_callbacks(execute=True):
        export = subject_access_export_request(subject=user, actor=user)
    export.refresh_from_db()
    with subject_access_export_download(export=export, actor=user) as file:
        return zipfile.ZipFile(io.BytesIO(file.read()))


@pytest.fixture
def made(db):
    return person_with_data_everywhere()


@pytest.fixture
def archive(made, django_capture_on_commit_callbacks):
    return export_zip(made.person.user, django_capture_on_commit_callbacks)


def searched_models():
    """The register's models whose rows a field or a generic reference leads to (the others it matches only by a
    sentence, which the export's README lists)."""
    return {
        label: entry
        for label, entry in personal_data_register().models.items()
        if entry.about or entry.names or entry.generic
    }


def test_the_fixture_makes_a_row_in_every_model_the_register_leads_to_a_person_through(made):
    missing = sorted(set(searched_models()) - set(made.rows))
    assert missing == [], "make a row about the person in each of these in tests/skills/personal_data_fixture.py"


def test_every_row_about_or_naming_the_person_in_every_registered_model_is_in_the_export(made, archive):
    names = set(archive.namelist())
    problems = []
    for label in searched_models():
        expected = {row.pk for row in made.rows.get(label, [])}
        if f"data/{label}.json" not in names:
            problems.append(f"{label}: no data/{label}.json (expected rows {sorted(expected)})")
            continue
        exported = json.loads(archive.read(f"data/{label}.json"))
        missing = expected - {row["id"] for row in exported}
        if missing:
            problems.append(f"{label}: rows {sorted(missing)} are not in the export")
        with archive.open(f"data/{label}.csv") as file:
            in_csv = {int(row["id"]) for row in csv.DictReader(io.TextIOWrapper(file, encoding="utf-8"))}
        if in_csv != {row["id"] for row in exported}:
            problems.append(f"{label}: the CSV and the JSON list different rows")
    assert problems == []


def test_a_row_about_the_person_has_every_registered_field_and_a_row_naming_them_only_the_reference(made, archive):
    person = made.person
    assessments = {row["id"]: row for row in json.loads(archive.read("data/skills.Assessment.json"))}
    own, others = (row for row in made.rows["skills.Assessment"])
    assert assessments[own.pk]["found_by"] == ["about", "names"]
    assert assessments[own.pk]["evidence"] == "I modelled the payments data."
    assert assessments[others.pk]["found_by"] == ["names"]
    assert "evidence" not in assessments[others.pk]
    assert "person" not in assessments[others.pk]
    assert assessments[others.pk]["author"] == str(person.user)
    logs = {row["id"]: row for row in json.loads(archive.read("data/wagtailcore.ModelLogEntry.json"))}
    about_them, by_them = made.rows["wagtailcore.ModelLogEntry"]
    assert logs[about_them.pk]["found_by"] == ["generic"]
    assert logs[about_them.pk]["user"] == str(made.other.user)
    assert logs[by_them.pk]["found_by"] == ["names"]


def test_the_export_holds_the_certificate_pdfs_and_the_evidence_files(made, archive):
    names = archive.namelist()
    assert "certificates/certificate-CAP-TEST-0001.pdf" in names
    assert archive.read("certificates/certificate-CAP-TEST-0001.pdf").startswith(b"%PDF")
    certification = made.rows["skills.ExternalCertification"][0]
    evidence = [name for name in names if name.startswith(f"files/skills.ExternalCertification/{certification.pk}-")]
    assert len(evidence) == 1
    assert archive.read(evidence[0]) == b"%PDF-1.4 evidence"


def test_the_readme_and_manifest_say_what_each_file_is_and_what_was_not_searched(made, archive):
    manifest = json.loads(archive.read("manifest.json"))
    readme = archive.read("README.txt").decode()
    listed = {name for item in manifest["files"] for name in item["files"]}
    assert listed == set(archive.namelist()) - {"manifest.json", "README.txt"}
    register = personal_data_register()
    for item in manifest["files"]:
        if "model" in item:
            assert item["purpose"] == register.models[item["model"]].purpose
            assert item["model"] in readme
    not_searched = {item.get("model") or item.get("store") for item in manifest["not_searched_by_this_export"]}
    assert {"axes.AccessAttempt", "sessions.Session", "session-cache"} <= not_searched
    assert manifest["subject"]["name"] == made.person.user.get_full_name()
    assert "7 days" in readme


def test_the_export_never_holds_a_password_hash_or_another_persons_record_about_them(made, archive):
    users = json.loads(archive.read("data/accounts.User.json"))
    assert [row["password"] for row in users] == ["set (not exported)"]
    assert made.person.user.password not in archive.read("data/accounts.User.csv").decode()
    people = json.loads(archive.read("data/skills.Person.json"))
    manager_rows = [row for row in people if row["id"] == made.other.pk]
    # The manager's record names the person only if they manage the manager, which they do not.
    assert manager_rows == []


def test_a_managers_export_shows_of_their_reports_records_only_that_they_manage_them(
    made, django_capture_on_commit_callbacks
):
    archive = export_zip(made.other.user, django_capture_on_commit_callbacks)
    people = {row["id"]: row for row in json.loads(archive.read("data/skills.Person.json"))}
    report = people[made.person.pk]
    assert report["found_by"] == ["names"]
    assert report["line_manager"] == str(made.other)
    assert "user" not in report
    assert "staff_number" not in report
    reviews = json.loads(archive.read("data/skills.Review.json"))
    assert [(row["found_by"], "message" in row) for row in reviews] == [(["names"], False)]
