"""Importing training history: every bad row named and nothing written; a check first that writes nothing;
completions with their course evidence at the historical date; importing the same file again changes nothing."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.models import ModelLogEntry

from cms.accounts.enums import Role
from courses.enums import CompletionStatus
from courses.errors import NotAllowed
from courses.models import CourseCompletion
from courses.services.history import HistoryImportError, history_import
from skills.enums import AssessmentSource
from skills.models import Achievement, Assessment
from tests.cms.factories import UserFactory
from tests.courses.factories import course_create
from tests.courses.reporting import release_with_skill
from tests.skills.factories import PersonFactory

pytestmark = pytest.mark.django_db
URL = "/admin/training-reports/history/"


@pytest.fixture
def administrator(db):
    return UserFactory(roles=[Role.TRAINING_ADMINISTRATOR])


@pytest.fixture
def world(db):
    _, skill, levels = release_with_skill()
    course = course_create(
        title="Data modelling in practice", outcomes=[(skill, levels["working"], levels["practitioner"])]
    )
    ada = PersonFactory(staff_number="E1001")
    bob = PersonFactory(staff_number="E1002")
    return {"course": course, "ada": ada, "bob": bob, "skill": skill}


def good_file(world) -> str:
    slug = world["course"].slug
    return (
        "Staff_Number,Course,Date,Outcome,Notes\n"
        f"E1001,{slug},2024-03-14,completed,first cohort\n"
        f"E1002,/courses/{slug}/,14/03/2024,Attended,\n"
        f"E1002,{slug},2024-05-01,no-show,\n"
        "\n"
    )


def test_a_check_writes_nothing_and_says_what_would_be_written(world, administrator):
    result = history_import(text=good_file(world), file_name="old-lms.csv", actor=administrator, dry_run=True)
    assert result.ok
    assert [(row.line, row.person, row.completed_on) for row in result.to_write] == [
        (2, world["ada"], date(2024, 3, 14)),
        (3, world["bob"], date(2024, 3, 14)),
    ]
    assert result.not_completed == 1
    assert (
        result.summary
        == "old-lms.csv: 2 completions would be recorded, 0 already recorded, 1 not completions (skipped)."
    )
    assert not CourseCompletion.objects.exists()
    assert not Assessment.objects.exists()


def test_the_import_writes_completions_with_their_evidence_once(world, administrator):
    history_import(text=good_file(world), file_name="old-lms.csv", actor=administrator, dry_run=False)
    completions = CourseCompletion.objects.order_by("person__staff_number")
    assert [(c.person, c.status, c.completed_on, c.evidence, c.decided_by) for c in completions] == [
        (world["ada"], CompletionStatus.CONFIRMED, date(2024, 3, 14), "Imported from old-lms.csv", administrator),
        (world["bob"], CompletionStatus.CONFIRMED, date(2024, 3, 14), "Imported from old-lms.csv", administrator),
    ]
    achievement = Achievement.objects.get(reference=f"courses.completion:{completions[0].pk}")
    assert achievement.achieved_on == date(2024, 3, 14)
    assert not achievement.certificate_requested
    rows = Assessment.objects.filter(source=AssessmentSource.COURSE)
    assert rows.count() == 2
    assert {row.level.code for row in rows} == {"practitioner"}
    assert ModelLogEntry.objects.filter(action="capability.courses.history_import").count() == 2

    again = history_import(text=good_file(world), file_name="old-lms.csv", actor=administrator, dry_run=False)
    assert (len(again.to_write), again.already_recorded) == (0, 2)
    assert CourseCompletion.objects.count() == 2
    assert Assessment.objects.count() == 2


def test_every_bad_row_is_named_and_nothing_is_written(world, administrator):
    slug = world["course"].slug
    text = (
        "staff_number,course,date,outcome\n"
        f"E1001,{slug},2024-03-14,completed\n"
        f"E9999,{slug},2024-03-14,completed\n"
        "E1001,no-such-course,2024-03-14,completed\n"
        f"E1001,{slug},March 2024,completed\n"
        f"E1001,{slug},2999-01-01,completed\n"
        f"E1002,{slug},2024-03-14,passed\n"
        f",{slug},2024-03-14,completed\n"
        f"E1001,{slug},14/03/2024,attended\n"
    )
    with pytest.raises(HistoryImportError) as refusal:
        history_import(text=text, file_name="bad.csv", actor=administrator, dry_run=False)
    assert [(problem.line, problem.message) for problem in refusal.value.result.problems] == [
        (3, "No one has the staff number E9999: check it against HR's feed."),
        (4, "There is no published course with the slug “no-such-course”."),
        (5, "“March 2024” is not a date: write it as 2025-03-14 or 14/03/2025."),
        (6, "The date 1 January 2999 is in the future."),
        (7, "The outcome “passed” is not one of completed, attended, no-show, did not attend, cancelled."),
        (8, "The staff number is empty."),
        (9, "This row repeats line 2 (same person, course and date): remove one."),
    ]
    assert str(refusal.value) == "bad.csv: 7 rows to fix. Nothing was written."
    assert not CourseCompletion.objects.exists()


def test_a_file_without_the_columns_is_refused(world, administrator):
    with pytest.raises(HistoryImportError) as refusal:
        history_import(text="person,when\nE1001,2024-01-01\n", file_name="x.csv", actor=administrator, dry_run=True)
    [problem] = refusal.value.result.problems
    assert problem.line == 1
    assert "staff_number, course, date, outcome are missing" in problem.message


def test_only_a_training_administrator_imports(world):
    for user in (None, UserFactory(roles=[Role.HR_ANALYST]), world["ada"].user):
        with pytest.raises(NotAllowed):
            history_import(text=good_file(world), file_name="x.csv", actor=user, dry_run=False)
    assert not CourseCompletion.objects.exists()


def test_the_admin_checks_then_imports(client, world, administrator):
    client.force_login(administrator)
    assert client.get(URL).status_code == 200
    upload = SimpleUploadedFile("old-lms.csv", good_file(world).encode("utf-8-sig"), content_type="text/csv")
    response = client.post(URL, {"file": upload})
    assert response.status_code == 200
    assert "Checked: nothing has been written yet" in response.text
    assert "Import 2 completions from old-lms.csv" in response.text
    assert not CourseCompletion.objects.exists()
    content = response.context["confirm"].initial["content"]
    response = client.post(URL, {"content": content, "file_name": "old-lms.csv"}, follow=True)
    assert "2 completions recorded" in response.text
    assert CourseCompletion.objects.count() == 2


def test_the_admin_lists_the_bad_rows(client, world, administrator):
    client.force_login(administrator)
    upload = SimpleUploadedFile("bad.csv", b"staff_number,course,date,outcome\nE9999,x,2024-01-01,completed\n")
    response = client.post(URL, {"file": upload})
    assert "The file has rows to fix" in response.text
    assert "No one has the staff number E9999" in response.text
    assert "completions from" not in response.text


def test_a_file_that_is_not_utf8_is_named(client, world, administrator):
    client.force_login(administrator)
    upload = SimpleUploadedFile(
        "latin.csv", "staff_number,course,date,outcome\nE1001,café,2024-01-01,completed\n".encode("latin-1")
    )
    response = client.post(URL, {"file": upload})
    assert "The file must be a CSV saved as UTF-8" in response.text


def test_the_upload_page_query_count_is_pinned(client, administrator, django_assert_num_queries):
    client.force_login(administrator)
    client.get(URL)
    with django_assert_num_queries(9):
        assert client.get(URL).status_code == 200
