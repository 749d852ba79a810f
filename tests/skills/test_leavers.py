"""Leavers: the HR feed's `left_on` column, `skills.services.leavers.person_leave`, and what a leaver loses (signing
in) and hands on (their reports, the claims waiting for them, delegations). Bookings: tests/courses/test_leavers.py."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from wagtail.models import ModelLogEntry

from skills.enums import ReviewStatus
from skills.importers import COLUMNS
from skills.models import Delegation, Person, Review
from skills.services.errors import NotAllowed, SkillsError
from skills.services.leavers import person_leave
from skills.services.people_import import people_import
from tests.cms.factories import PASSWORD, UserFactory
from tests.skills.factories import AssessmentFactory, hr_analyst_for
from tests.skills.hr_feed import ddat_framework, person_row, team, write_csv

pytestmark = pytest.mark.django_db

WITH_LEFT_ON = (*COLUMNS, "left_on")


@pytest.fixture
def imported(db, tmp_path):
    """The team of hr_feed.team() in the database: S1 manages S2 and S3; S2 manages S4."""
    ddat_framework()
    report = people_import(actor=None, file=write_csv(tmp_path, team(), name="team.csv"))
    assert report.ok, report.errors
    return {person.staff_number: person for person in Person.objects.select_related("user")}


def yesterday():
    return (timezone.localdate() - timedelta(days=1)).isoformat()


def leave_by_feed(tmp_path, rows, actor=None):
    return people_import(actor=actor, file=write_csv(tmp_path, rows, columns=WITH_LEFT_ON, name="leavers.csv"))


def test_the_feed_marks_a_leaver_who_then_cannot_sign_in_and_whose_reports_move_to_their_manager(
    imported, tmp_path, client
):
    s2 = imported["S2"]
    s2.user.set_password(PASSWORD)
    s2.user.save()
    analyst = hr_analyst_for()

    report = leave_by_feed(
        tmp_path,
        [person_row("S2", manager="S1", grade="SEO", role_level="Senior data engineer", left_on=yesterday())],
        actor=analyst,
    )

    assert report.ok, report.errors
    assert report.leavers == 1
    s2.refresh_from_db()
    s2.user.refresh_from_db()
    assert s2.left_on == timezone.localdate() - timedelta(days=1)
    assert s2.user.is_active is False
    assert Person.objects.get(staff_number="S4").line_manager == imported["S1"]
    entry = ModelLogEntry.objects.get(action="capability.skills.person_leave")
    assert entry.user_id == analyst.pk
    assert entry.data["successor"] == imported["S1"].pk
    assert entry.data["reports_moved"] == [imported["S4"].pk]

    response = client.post("/accounts/sign-in/", {"username": s2.user.email, "password": PASSWORD})
    assert response.status_code == 200  # the form again, with its error: no session
    assert "_auth_user_id" not in client.session


def test_importing_the_same_leavers_again_changes_nothing(imported, tmp_path):
    rows = [person_row("S3", manager="S1", org_unit=team()[2]["org_unit"], profession="", left_on=yesterday())]
    assert leave_by_feed(tmp_path, rows).leavers == 1
    again = leave_by_feed(tmp_path, rows)
    assert again.ok, again.errors
    assert (again.leavers, again.changed) == (0, False)
    assert ModelLogEntry.objects.filter(action="capability.skills.person_leave").count() == 1


def test_a_file_with_one_bad_row_marks_no_leaver_and_writes_nothing(imported, tmp_path):
    rows = [
        person_row("S3", manager="S1", profession="", left_on=yesterday()),
        person_row("S4", manager="S2", grade="not a grade", left_on=""),
    ]
    report = leave_by_feed(tmp_path, rows)

    assert not report.ok
    assert [(error.row, error.column) for error in report.errors] == [(3, "grade")]
    assert not Person.objects.filter(left_on__isnull=False).exists()
    assert get_user_model().objects.filter(is_active=False).count() == 0
    assert not ModelLogEntry.objects.filter(action="capability.skills.person_leave").exists()


@pytest.mark.parametrize(
    ("left_on", "message"),
    [
        ("31/01/2025", "'31/01/2025' is not a date: write the day the person left as YYYY-MM-DD."),
        ("tomorrow", "'tomorrow' is not a date: write the day the person left as YYYY-MM-DD."),
    ],
)
def test_a_left_on_that_is_not_a_date_is_refused_with_its_row(imported, tmp_path, left_on, message):
    report = leave_by_feed(tmp_path, [person_row("S3", manager="S1", profession="", left_on=left_on)])
    assert [(error.row, error.column, error.message) for error in report.errors] == [(2, "left_on", message)]
    assert not Person.objects.filter(left_on__isnull=False).exists()


def test_a_left_on_in_the_future_is_refused(imported, tmp_path):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    report = leave_by_feed(tmp_path, [person_row("S3", manager="S1", profession="", left_on=tomorrow)])
    assert [error.message for error in report.errors] == [
        f"{tomorrow} is in the future: mark a person as having left on or after their last day."
    ]


def test_a_leaver_unknown_to_capability_is_refused(imported, tmp_path):
    report = leave_by_feed(tmp_path, [person_row("S9", left_on=yesterday())])
    assert [(error.column, error.message) for error in report.errors] == [
        (
            "left_on",
            "Staff number S9 is not in Capability, so there is nobody to mark as having left: remove the row.",
        )
    ]
    assert not Person.objects.filter(staff_number="S9").exists()


def test_the_feed_cannot_bring_a_leaver_back(imported, tmp_path):
    leave_by_feed(tmp_path, [person_row("S3", manager="S1", profession="", left_on=yesterday())])
    report = leave_by_feed(tmp_path, [person_row("S3", manager="S1", profession="")])
    assert [(error.column, error.message) for error in report.errors] == [
        (
            "left_on",
            f"Staff number S3 left on {yesterday()}: the HR feed cannot bring a leaver back. Keep their left_on "
            "date in the row, or remove the row.",
        )
    ]
    assert get_user_model().objects.get(email="s3@example.gov.uk").is_active is False


def test_nobody_may_keep_a_line_manager_who_leaves(imported, tmp_path):
    rows = [
        person_row("S2", manager="S1", grade="SEO", role_level="Senior data engineer", left_on=yesterday()),
        person_row("S4", manager="S2", grade="eo", role_level="associate data engineer"),
    ]
    report = leave_by_feed(tmp_path, rows)
    assert [(error.row, error.column, error.message) for error in report.errors] == [
        (
            3,
            "line_manager_staff_number",
            "Staff number S2 has left (or leaves in this file), so cannot be a line manager: give this person "
            "their new line manager.",
        )
    ]
    assert not Person.objects.filter(left_on__isnull=False).exists()


def test_a_leaver_s_line_manager_reviews_and_delegations_move_on(imported):
    s1, s2, s4 = imported["S1"], imported["S2"], imported["S4"]
    claim = AssessmentFactory(person=s4)
    review = Review.objects.create(claim=claim, reviewer_kind="line_manager", reviewer=s2)
    today = timezone.localdate()
    to_leaver = Delegation.objects.create(delegator=s1, delegate=s2, starts_on=today, ends_on=today + timedelta(5))
    past = Delegation.objects.create(
        delegator=s2, delegate=s1, starts_on=today - timedelta(10), ends_on=today - timedelta(5)
    )

    departure = person_leave(person=s2, left_on=today, actor=None)

    assert (departure.successor_id, departure.reviews_moved, departure.delegations_ended) == (s1.pk, 1, 1)
    review.refresh_from_db()
    assert (review.reviewer, review.status) == (s1, ReviewStatus.OPEN)
    to_leaver.refresh_from_db()
    past.refresh_from_db()
    assert to_leaver.ended_at is not None
    assert past.ended_at is None  # over already: kept as it was
    assert person_leave(person=s2, left_on=today, actor=None) is None  # once


def test_work_skips_a_line_manager_who_has_left_too(imported):
    s1, s2, s4 = imported["S1"], imported["S2"], imported["S4"]
    person_leave(person=s1, left_on=timezone.localdate(), actor=None)
    s2.refresh_from_db()
    assert s2.line_manager is None  # S1 was at the top
    Person.objects.filter(pk=s2.pk).update(line_manager=s1)
    person_leave(person=s2, left_on=timezone.localdate(), actor=None)
    s4.refresh_from_db()
    assert s4.line_manager is None


def test_only_hr_may_mark_a_leaver_and_a_refusal_changes_nothing(imported):
    s3 = imported["S3"]
    with pytest.raises(NotAllowed):
        person_leave(person=s3, left_on=timezone.localdate(), actor=UserFactory())
    with pytest.raises(SkillsError):
        person_leave(person=s3, left_on=timezone.localdate() + timedelta(days=1), actor=None)
    s3.refresh_from_db()
    assert s3.left_on is None
    assert s3.user.is_active is True
    assert not ModelLogEntry.objects.filter(action="capability.skills.person_leave").exists()
